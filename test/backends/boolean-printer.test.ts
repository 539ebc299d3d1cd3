import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ATOM, booleanPrinter, type BooleanSyntax } from '../../src/backends/boolean-printer.js';
import { KQL_BOOLEAN } from '../../src/backends/kql/operators.js';
import { SPL_EVAL, SPL_SEARCH } from '../../src/backends/splunk/operators.js';
import type { LeafPredicate, Predicate } from '../../src/ast/predicate.js';
import { runs } from '../helpers/property.js';

// A made-up backend, ES|QL-like: the whole of it is a table and a leaf encoder.
const ESQL: BooleanSyntax = {
  and: { token: 'AND', precedence: 2 },
  or: { token: 'OR', precedence: 1 },
  not: { prefix: 'NOT ', groupOperand: 'by-precedence', precedence: 3 },
  true: 'TRUE',
  group: (text) => `(${text})`,
};
function esqlLeaf(p: LeafPredicate): string {
  switch (p.kind) {
    case 'string':
      return `${p.field ?? '_raw'} == "${p.pattern.join('')}"`;
    case 'exists':
      return p.value ? `${p.field} IS NOT NULL` : `${p.field} IS NULL`;
    default:
      throw new Error(`no ${p.kind} in this test backend`);
  }
}
const esql = booleanPrinter<void>({ syntax: ESQL, leaf: esqlLeaf });

const eq = (field: string, value: string): Predicate => ({ kind: 'string', field, pattern: [value], cased: false });
const and = (...items: Predicate[]): Predicate => ({ kind: 'and', items });
const or = (...items: Predicate[]): Predicate => ({ kind: 'or', items });
const not = (item: Predicate): Predicate => ({ kind: 'not', item });
const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((f) => eq(f, '1')) as [Predicate, Predicate, Predicate, Predicate];

describe('boolean printer: a new backend is a table and a leaf encoder', () => {
  it('groups by precedence only where needed', () => {
    expect(esql.print(and(a, or(b, c))).text).toBe('a == "1" AND (b == "1" OR c == "1")');
    expect(esql.print(or(and(a, b), c)).text).toBe('a == "1" AND b == "1" OR c == "1"');
    expect(esql.print(not(or(a, b))).text).toBe('NOT (a == "1" OR b == "1")');
    expect(esql.print(and(not(a), b)).text).toBe('NOT a == "1" AND b == "1"');
    expect(esql.print(not(not(a))).text).toBe('NOT NOT a == "1"');
  });

  it('flattens nested chains of one operator and prints a one-operand chain as its operand', () => {
    expect(esql.print(and(a, and(b, c), d)).text).toBe('a == "1" AND b == "1" AND c == "1" AND d == "1"');
    expect(esql.print(or(and(a), or(b))).text).toBe('a == "1" OR b == "1"');
    expect(esql.print(and(or(a, b), or(or(c, d)))).text).toBe('(a == "1" OR b == "1") AND (c == "1" OR d == "1")');
  });

  it('prints an empty and as the syntax says', () => {
    expect(esql.print(and()).text).toBe('TRUE');
    expect(esql.print(and(a, and())).text).toBe('a == "1" AND TRUE');
  });

  it('reports the precedence of what it printed', () => {
    expect(esql.print(a).precedence).toBe(ATOM);
    expect(esql.print(or(a, b)).precedence).toBe(1);
    expect(esql.print(not(a)).precedence).toBe(3);
  });

  it('joins operands for a leaf that stands for alternatives; the parent keeps them grouped', () => {
    const anyOf = booleanPrinter<void>({
      syntax: ESQL,
      leaf: (p) => (p.kind === 'exists' ? esql.join('or', [`${p.field} == "x"`, `${p.field} == "y"`]) : esqlLeaf(p)),
    });
    const alternatives: Predicate = { kind: 'exists', field: 'e', value: true };
    expect(anyOf.print(alternatives).text).toBe('e == "x" OR e == "y"');
    expect(anyOf.print(or(a, alternatives)).text).toBe('a == "1" OR (e == "x" OR e == "y")');
  });
});

describe('boolean printer: table entries and hooks', () => {
  it('parenthesize: every compound is grouped, the whole included, nesting kept', () => {
    const spl = booleanPrinter<void>({ syntax: SPL_EVAL, leaf: esqlLeaf });
    expect(spl.print(and(a, and(b, c))).text).toBe('(a == "1" AND (b == "1" AND c == "1"))');
    expect(spl.print(or(a, b)).text).toBe('(a == "1" OR b == "1")');
    expect(spl.print(not(or(a, b))).text).toBe('NOT (a == "1" OR b == "1")');
    expect(spl.print(not(a)).text).toBe('NOT a == "1"');
    expect(spl.print(and()).text).toBe('true()');
  });

  it('an always-grouped not operand is grouped once', () => {
    const spl = booleanPrinter<void>({ syntax: SPL_SEARCH, leaf: esqlLeaf });
    expect(spl.print(not(a)).text).toBe('NOT (a == "1")');
    expect(spl.print(not(and(a, b))).text).toBe('NOT (a == "1" AND b == "1")');
    expect(spl.print(not(not(a))).text).toBe('NOT (NOT (a == "1"))');
    const kql = booleanPrinter<void>({ syntax: KQL_BOOLEAN, leaf: esqlLeaf });
    expect(kql.print(not(or(a, b))).text).toBe('not(a == "1" or b == "1")');
    expect(kql.print(and(not(a), b)).text).toBe('not(a == "1") and b == "1"');
  });

  it('an inexpressible leaf makes the whole predicate inexpressible', () => {
    const partial = booleanPrinter<void, null>({
      syntax: ESQL,
      leaf: (p) => (p.kind === 'string' && p.field === 'x' ? null : esqlLeaf(p)),
    });
    expect(partial.print(and(a, or(b, not(eq('x', '1')))))).toBeNull();
    expect(partial.print(and(a, or(b, not(c))))?.text).toBe('a == "1" AND (b == "1" OR NOT c == "1")');
  });

  it('negate: a leaf sees whether it is under an odd number of nots', () => {
    const guarded = booleanPrinter<boolean>({
      syntax: ESQL,
      leaf: (p, negated) => (negated ? `coalesce(${esqlLeaf(p)})` : esqlLeaf(p)),
      negate: (negated) => !negated,
    });
    expect(guarded.print(and(a, not(or(b, not(c)))), false).text).toBe(
      'a == "1" AND NOT (coalesce(b == "1") OR NOT c == "1")',
    );
  });

  it('orOperands: a backend may write several items as one operand, and print only the others', () => {
    const printed: string[] = [];
    const inList = booleanPrinter<void>({
      syntax: ESQL,
      leaf: (p) => (printed.push(esqlLeaf(p)), esqlLeaf(p)),
      orOperands: (items, print) => {
        const onF = (p: Predicate): boolean => p.kind === 'string' && p.field === 'f';
        const values = items.filter(onF).map((p) => (p.kind === 'string' ? p.pattern.join('') : ''));
        if (values.length < 2) return items.map(print);
        return [`f IN (${values.map((v) => `"${v}"`).join(', ')})`, ...items.filter((p) => !onF(p)).map(print)];
      },
    });
    expect(inList.print(or(eq('f', 'x'), a, eq('f', 'y'))).text).toBe('f IN ("x", "y") OR a == "1"');
    expect(printed).toEqual(['a == "1"']);
    expect(inList.print(and(b, or(eq('f', 'x'), eq('f', 'y')))).text).toBe('b == "1" AND f IN ("x", "y")');
    expect(inList.print(or(eq('f', 'x'), not(or(a, eq('f', 'y'))))).text).toBe(
      'f == "x" OR NOT (a == "1" OR f == "y")',
    );
  });

  it('wrap: a long chain goes one operand per line; compound operands get indented groups', () => {
    const narrow = booleanPrinter<void>({
      syntax: { ...KQL_BOOLEAN, wrap: { width: 30, indent: ' ' } },
      leaf: esqlLeaf,
    });
    expect(narrow.print(and(a, b)).text).toBe('a == "1" and b == "1"');
    expect(narrow.print(or(and(a, b, c), d)).text).toBe(
      ['(a == "1"', ' and b == "1"', ' and c == "1")', 'or d == "1"'].join('\n'),
    );
    // A group that precedence needs keeps its lines as printed.
    expect(narrow.print(and(or(a, b, c), d)).text).toBe(
      ['(a == "1"', 'or b == "1"', 'or c == "1")', 'and d == "1"'].join('\n'),
    );
  });

  it('maxOperands: a long chain is a chain of groups (the last one may hold one operand)', () => {
    const chunked = booleanPrinter<void>({
      syntax: { ...KQL_BOOLEAN, or: { ...KQL_BOOLEAN.or, maxOperands: 2 } },
      leaf: (p) => (p.kind === 'exists' ? p.field : esqlLeaf(p)),
    });
    const atoms = ['p', 'q', 'r', 's', 't'].map((field): Predicate => ({ kind: 'exists', field, value: true }));
    expect(chunked.print(or(...atoms.slice(0, 2))).text).toBe('p or q');
    expect(chunked.print(or(...atoms)).text).toBe('((p or q) or (r or s)) or ((t))');
    expect(chunked.print(and(...atoms)).text).toBe('p and q and r and s and t');
  });
});

// ---------------------------------------------------------------------------
// Property: the printed text parses back (with the target's precedence) to the tree printed.

type Tree = string | { op: 'and' | 'or'; items: Tree[] } | { op: 'not'; item: Tree };

/** Flattens nested chains of one operator (when the syntax does) and drops one-item chains. */
function normalize(t: Tree, flatten: boolean): Tree {
  if (typeof t === 'string') return t;
  if (t.op === 'not') return { op: 'not', item: normalize(t.item, flatten) };
  const op = t.op;
  const items = t.items
    .map((i) => normalize(i, flatten))
    .flatMap((i) => (flatten && typeof i !== 'string' && i.op === op ? i.items : [i]));
  return items.length === 1 ? items[0]! : { op, items };
}

function toTree(p: Predicate): Tree {
  if (p.kind === 'and' || p.kind === 'or') return { op: p.kind, items: p.items.map(toTree) };
  if (p.kind === 'not') return { op: 'not', item: toTree(p.item) };
  return p.kind === 'exists' ? p.field : '?';
}

/**
 * A tiny parser of and/or/not over identifiers. With `mixed: false` a chain may not mix AND
 * and OR without parentheses, so text that parses does not depend on their precedence.
 */
function parse(text: string, syntax: BooleanSyntax, mixed: boolean): Tree {
  const tokens = text.match(/\(|\)|[A-Za-z_][A-Za-z0-9_]*/g) ?? [];
  let i = 0;
  const word = (w: string): boolean => tokens[i] === w.trim();
  const ops = (['or', 'and'] as const).slice().sort((x, y) => syntax[x].precedence - syntax[y].precedence);
  const notWord = syntax.not.prefix.trim();
  function primary(): Tree {
    if (word(notWord)) {
      i++;
      return { op: 'not', item: level(ops.length) };
    }
    if (tokens[i] === '(') {
      i++;
      const t = level(0);
      if (tokens[i++] !== ')') throw new Error(`expected ) in ${text}`);
      return t;
    }
    const id = tokens[i++];
    if (!id || id === ')' || id === syntax.and.token || id === syntax.or.token)
      throw new Error(`atom expected: ${text}`);
    return id;
  }
  // Levels 0..1: chains by ascending precedence (one level when they are equal); 2: not and atoms.
  function level(n: number): Tree {
    if (n >= ops.length) return primary();
    if (!mixed || syntax.and.precedence === syntax.or.precedence) {
      const first = primary();
      const op = ops.find((o) => word(syntax[o].token));
      if (!op) return first;
      const items = [first];
      while (word(syntax[op].token)) {
        i++;
        items.push(primary());
      }
      const other = ops.find((o) => word(syntax[o].token));
      if (other) throw new Error(`${op} and ${other} mixed without parentheses: ${text}`);
      return { op, items };
    }
    const op = ops[n]!;
    const items = [level(n + 1)];
    while (word(syntax[op].token)) {
      i++;
      items.push(level(n + 1));
    }
    return items.length === 1 ? items[0]! : { op, items };
  }
  const t = level(0);
  if (i !== tokens.length) throw new Error(`trailing tokens in ${text}`);
  return t;
}

const atomPredicate = fc
  .constantFrom('p', 'q', 'r', 's')
  .map((field): Predicate => ({ kind: 'exists', field, value: true }));
const tree: fc.Arbitrary<Predicate> = fc.letrec<{ p: Predicate }>((tie) => ({
  p: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    atomPredicate,
    fc.array(tie('p'), { minLength: 1, maxLength: 4 }).map((items): Predicate => ({ kind: 'and', items })),
    fc.array(tie('p'), { minLength: 1, maxLength: 7 }).map((items): Predicate => ({ kind: 'or', items })),
    tie('p').map((item): Predicate => ({ kind: 'not', item })),
  ),
})).p;
const byField = (p: LeafPredicate): string => (p.kind === 'exists' ? p.field : '?');

describe('boolean printer: printed precedence is correct (property)', () => {
  const cases: [string, BooleanSyntax][] = [
    ['ES|QL-like', ESQL],
    [
      'KQL, narrow and chunked',
      { ...KQL_BOOLEAN, or: { ...KQL_BOOLEAN.or, maxOperands: 3 }, wrap: { width: 12, indent: ' ' } },
    ],
    ['KQL', KQL_BOOLEAN],
    ['SPL search', SPL_SEARCH],
    ['SPL eval', SPL_EVAL],
  ];
  for (const [name, syntax] of cases) {
    it(`${name}: the text parses back to the tree`, () => {
      const printer = booleanPrinter<void>({ syntax, leaf: byField });
      fc.assert(
        fc.property(tree, (p) => {
          const text = printer.print(p).text;
          // A parenthesized syntax keeps the tree's nesting, and its text must not depend on how
          // AND and OR bind relative to each other; the others flatten and rely on precedence.
          const byPrecedence = !syntax.parenthesize;
          expect(normalize(parse(text, syntax, byPrecedence), byPrecedence)).toEqual(
            normalize(toTree(p), byPrecedence),
          );
        }),
        { numRuns: runs(300) },
      );
    });
  }

  it('the parser used above does see precedence', () => {
    expect(parse('p AND q OR r', ESQL, true)).toEqual({ op: 'or', items: [{ op: 'and', items: ['p', 'q'] }, 'r'] });
    expect(parse('NOT p AND q', ESQL, true)).toEqual({ op: 'and', items: [{ op: 'not', item: 'p' }, 'q'] });
    expect(() => parse('p AND q OR r', SPL_SEARCH, false)).toThrow(/mixed/);
  });
});
