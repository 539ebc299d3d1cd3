import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { parseCondition, type ConditionParseResult } from '../../src/parser/condition/index.js';
import { printCondition } from '../../src/parser/condition-print.js';
import type { Condition, Loc } from '../../src/ast/types.js';
import { runs } from '../helpers/property.js';

const IDS = ['a', 'b', 'c', 'd', 'selection', 'sel1', 'sel2', 'filter_main', 'filter_opt', '_hidden', 'kw.x', 'a-b'];
const pos = (i: number): Loc => ({ line: 1, column: i + 1, offset: i });

function parse(text: string, ids: readonly string[] = IDS): ConditionParseResult {
  return parseCondition(text, ids, pos);
}

/** Compact notation: `or[a, and[b, not c]]`, `any(sel*)`, `all(them)`. */
function show(c: Condition | undefined): string {
  if (c === undefined) return '<none>';
  switch (c.type) {
    case 'ref':
      return c.name;
    case 'not':
      return `not ${show(c.item)}`;
    case 'and':
    case 'or':
      return `${c.type}[${c.items.map(show).join(', ')}]`;
    case 'of':
      return `${c.quantifier}(${c.pattern})`;
  }
}

function stripLoc(c: Condition): Condition {
  return JSON.parse(JSON.stringify(c, (k, v: unknown) => (k === 'loc' ? undefined : v))) as Condition;
}

function codes(r: ConditionParseResult): string[] {
  return r.diagnostics.map((d) => d.code);
}

describe('parseCondition: structure', () => {
  const table: [string, string][] = [
    ['a', 'a'],
    ['a and b', 'and[a, b]'],
    ['a or b and not c', 'or[a, and[b, not c]]'],
    ['a and b or c', 'or[and[a, b], c]'],
    ['not a and b', 'and[not a, b]'],
    ['not a or b', 'or[not a, b]'],
    ['not (a or b)', 'not or[a, b]'],
    ['not (a and b)', 'not and[a, b]'],
    ['(a or b) and c', 'and[or[a, b], c]'],
    ['a and (b or c) and d', 'and[a, or[b, c], d]'],
    ['a or (b and (c or d))', 'or[a, and[b, or[c, d]]]'],
    ['((a))', 'a'],
    ['(((a or b)))', 'or[a, b]'],
    ['not not a', 'not not a'],
    // flattening: same operator merges, also across parentheses
    ['a and b and c', 'and[a, b, c]'],
    ['a and (b and c)', 'and[a, b, c]'],
    ['(a and b) and (c and d)', 'and[a, b, c, d]'],
    ['a or (b or c) or d', 'or[a, b, c, d]'],
    ['a or b or c and d', 'or[a, b, and[c, d]]'],
    // x of pattern binds tighter than not / and / or
    ['1 of sel*', 'any(sel*)'],
    ['not 1 of sel*', 'not any(sel*)'],
    ['1 of sel* and not 1 of filter_*', 'and[any(sel*), not any(filter_*)]'],
    ['all of sel* or a', 'or[all(sel*), a]'],
    ['any of them', 'any(them)'],
    ['all of them', 'all(them)'],
    // case-insensitive keywords, identifiers stay as written
    ['a AND b Or NOT c', 'or[and[a, b], not c]'],
    ['ALL OF THEM', 'all(them)'],
    ['Any Of sel*', 'any(sel*)'],
    ['1 OF Them', 'any(them)'],
    // identifier characters and spacing
    ['a-b and kw.x', 'and[a-b, kw.x]'],
    ['  a\n and\tb  ', 'and[a, b]'],
    ['a and(b)or(c)', 'or[and[a, b], c]'],
  ];
  for (const [text, expected] of table) {
    it(`${JSON.stringify(text)} → ${expected}`, () => {
      const r = parse(text);
      expect(r.diagnostics).toEqual([]);
      expect(show(r.condition)).toBe(expected);
    });
  }

  it('keeps identifiers that start with keywords apart from the keywords', () => {
    const ids = ['android', 'order', 'nota', 'offset', 'them_x', 'allx', 'anyone', '1a', '10'];
    const r = parse('android and order or nota and offset and them_x and allx and anyone and 1a and 10', ids);
    expect(r.diagnostics).toEqual([]);
    expect(show(r.condition)).toBe('or[and[android, order], and[nota, offset, them_x, allx, anyone, 1a, 10]]');
  });

  it('resolves patterns and them to names in definition order', () => {
    const names = (text: string, ids: readonly string[] = IDS): string[] => {
      const c = parse(text, ids).condition;
      if (c?.type !== 'of') throw new Error(`not an of: ${show(c)}`);
      return c.names;
    };
    expect(names('1 of sel*')).toEqual(['selection', 'sel1', 'sel2']);
    expect(names('all of filter_*')).toEqual(['filter_main', 'filter_opt']);
    expect(names('1 of them')).toEqual(IDS.filter((n) => n !== '_hidden'));
    expect(names('all of them')).toEqual(IDS.filter((n) => n !== '_hidden'));
    expect(names('1 of _*')).toEqual(['_hidden']);
    expect(names('1 of *')).toEqual(IDS);
    expect(names('1 of *_*')).toEqual(['filter_main', 'filter_opt', '_hidden']);
    expect(names('1 of selection')).toEqual(['selection']);
    expect(names('1 of kw.x')).toEqual(['kw.x']);
    expect(names('1 of *l*1')).toEqual(['sel1']);
    // '.' is literal, not a regular expression wildcard
    const r = parse('1 of kw.x', ['kwax']);
    expect(codes(r)).toEqual(['P015']);
  });

  it('gives 1 of and any of the quantifier any, all of the quantifier all', () => {
    for (const [text, q] of [
      ['1 of them', 'any'],
      ['any of them', 'any'],
      ['all of them', 'all'],
    ] as const) {
      const c = parse(text).condition;
      expect(c).toMatchObject({ type: 'of', quantifier: q, pattern: 'them' });
    }
  });

  it('sets loc from the position callback at the first token of each node', () => {
    const position = (i: number): Loc => ({ line: 7, column: i + 11, offset: 500 + i });
    const r = parseCondition('(a or b) and not 1 of sel*', IDS, position);
    const c = r.condition!;
    expect(c.type).toBe('and');
    expect(c.loc).toEqual({ line: 7, column: 11, offset: 500 }); // the '('
    if (c.type !== 'and') throw new Error();
    const [or, not] = c.items;
    expect(or!.loc?.offset).toBe(501); // 'a'
    if (or!.type !== 'or') throw new Error();
    expect(or!.items[1]!.loc?.offset).toBe(506); // 'b'
    expect(not!.loc?.offset).toBe(513);
    if (not!.type !== 'not') throw new Error();
    expect(not!.item.loc?.offset).toBe(517); // '1'
  });

  it('does not mix up results for the same text with other identifiers or positions', () => {
    const r1 = parseCondition('1 of x*', ['x1', 'x2'], pos);
    const r2 = parseCondition('1 of x*', ['y'], (i) => ({ line: 3, column: i + 1, offset: i }));
    const r3 = parseCondition('1 of x*', ['x2'], pos);
    expect(r1.condition).toMatchObject({ names: ['x1', 'x2'], loc: { line: 1 } });
    expect(r1.diagnostics).toEqual([]);
    expect(r2.condition).toMatchObject({ names: [], loc: { line: 3 } });
    expect(codes(r2)).toEqual(['P015']);
    expect(r3.condition).toMatchObject({ names: ['x2'] });
    // Results are fresh objects: mutating one does not affect the next.
    (r1.condition as { names: string[] }).names.push('junk');
    expect(parseCondition('1 of x*', ['x1'], pos).condition).toMatchObject({ names: ['x1'] });
  });
});

describe('parseCondition: diagnostics', () => {
  const table: {
    text: string;
    ids?: readonly string[];
    code: string;
    column: number;
    message?: RegExp;
    hint?: RegExp;
    condition: boolean;
  }[] = [
    { text: 'a and xyz', code: 'P011', column: 7, message: /'xyz'/, condition: true },
    {
      text: 'selction',
      ids: ['selection', 'filter'],
      code: 'P011',
      column: 1,
      hint: /did you mean 'selection'/,
      condition: true,
    },
    { text: 'zzz', ids: ['selection', 'filter'], code: 'P011', column: 1, hint: /selection, filter/, condition: true },
    { text: 'zzz', ids: [], code: 'P011', column: 1, hint: /no search identifiers/, condition: true },
    { text: 'a and 1 of foo*', code: 'P015', column: 12, message: /1 of foo\*/, condition: true },
    { text: 'all of them', ids: ['_a', '_b'], code: 'P015', column: 8, hint: /'_'/, condition: true },
    { text: 'a and', code: 'P013', column: 6, message: /expected an identifier after 'and'/, condition: false },
    { text: 'a or not', code: 'P013', column: 9, message: /expected an identifier after 'not'/, condition: false },
    { text: 'and a', code: 'P013', column: 1, message: /at the start of the condition, found 'and'/, condition: false },
    { text: 'a b', code: 'P013', column: 3, message: /missing 'and' or 'or' between 'a' and 'b'/, condition: false },
    {
      text: '(a or b',
      code: 'P013',
      column: 8,
      message: /missing '\)' to close the '\(' at column 1/,
      condition: false,
    },
    { text: 'a)', code: 'P013', column: 2, message: /unmatched '\)'/, condition: false },
    { text: '()', code: 'P013', column: 2, message: /expected an identifier after '\('/, condition: false },
    { text: 'sel* and a', code: 'P013', column: 1, message: /wildcard/, hint: /1 of sel\*/, condition: false },
    { text: 'a and 1 sel*', code: 'P013', column: 9, message: /expected 'of' after '1'/, condition: false },
    { text: '1 of', code: 'P013', column: 5, message: /after 'of'/, condition: false },
    { text: '2 of sel*', code: 'P013', column: 3, message: /'2 of' is not supported/, condition: false },
    { text: 'them', code: 'P013', column: 1, message: /'them' is only allowed after/, condition: false },
    { text: 'a && b', code: 'P013', column: 3, message: /'&&'/, hint: /use 'and'/, condition: false },
    { text: 'a || b', code: 'P013', column: 3, hint: /use 'or'/, condition: false },
    { text: '!a', code: 'P013', column: 1, hint: /use 'not'/, condition: false },
    { text: 'a = 5', code: 'P013', column: 3, message: /'='/, condition: false },
    { text: 'a and é', code: 'P013', column: 7, message: /'é'/, condition: false },
    { text: '', code: 'P013', column: 1, message: /empty/, condition: false },
    { text: '  \n\t ', code: 'P013', column: 1, message: /empty/, condition: false },
    {
      text: 'selection | count() by User > 5',
      ids: ['selection'],
      code: 'P014',
      column: 11,
      hint: /correlation.*event_count/,
      condition: false,
    },
    { text: 'a | near b', code: 'P014', column: 3, message: /near/, hint: /temporal/, condition: false },
    { text: 'a near b', code: 'P014', column: 3, message: /near/, condition: false },
  ];
  for (const t of table) {
    it(`${JSON.stringify(t.text)} → ${t.code} at column ${t.column}`, () => {
      const r = parse(t.text, t.ids ?? IDS);
      expect(r.diagnostics.length).toBeGreaterThan(0);
      const d = r.diagnostics[0]!;
      expect(d.code).toBe(t.code);
      expect(d.column).toBe(t.column);
      expect(d.line).toBe(1);
      expect(d.severity).toBe('error');
      if (t.message) expect(d.message).toMatch(t.message);
      if (t.hint) expect(d.hint).toMatch(t.hint);
      expect(r.condition !== undefined).toBe(t.condition);
    });
  }

  it('reports one diagnostic per problem', () => {
    expect(codes(parse('2 of sel*'))).toEqual(['P013']);
    expect(codes(parse('selection | count() by x > 5'))).toEqual(['P014']);
    expect(codes(parse('a and xyz and xyz'))).toEqual(['P011']); // each undefined name once
  });

  it('reports several syntax errors and recovers', () => {
    const r = parse('a and and b or or c');
    expect(r.condition).toBeUndefined();
    expect(r.diagnostics.map((d) => [d.code, d.column])).toEqual([
      ['P013', 7],
      ['P013', 16],
    ]);
    const r2 = parse('"a" and b = 1');
    expect(r2.diagnostics.map((d) => d.column)).toEqual([1, 3, 11]);
  });

  it('still checks the part before a Sigma 1 aggregation', () => {
    const r = parse('a and nope | count() > 5');
    expect(r.diagnostics.map((d) => [d.code, d.column])).toEqual([
      ['P011', 7],
      ['P014', 12],
    ]);
    expect(r.condition).toBeUndefined();
  });

  it('accepts near when it is a defined identifier', () => {
    const r = parse('near and a', ['near', 'a']);
    expect(r.diagnostics).toEqual([]);
    expect(show(r.condition)).toBe('and[near, a]');
  });

  it('returns the condition together with resolution errors only', () => {
    const r = parse('a and nope and 1 of zz*');
    expect(codes(r)).toEqual(['P011', 'P015']);
    expect(show(r.condition)).toBe('and[a, nope, any(zz*)]');
  });
});

describe('parseCondition: robustness', () => {
  const VALID_CODES = new Set(['P011', 'P013', 'P014', 'P015']);
  const check = (text: string): void => {
    const r = parseCondition(text, IDS, pos);
    expect(r.condition !== undefined || r.diagnostics.length > 0).toBe(true);
    for (const d of r.diagnostics) {
      expect(VALID_CODES.has(d.code)).toBe(true);
      expect(Number.isInteger(d.line) && Number.isInteger(d.column)).toBe(true);
      expect(d.message.length).toBeGreaterThan(0);
    }
    if (r.condition !== undefined) {
      expect(r.diagnostics.every((d) => d.code === 'P011' || d.code === 'P015')).toBe(true);
      // Whatever parses prints back to text that parses to the same tree.
      const again = parseCondition(printCondition(r.condition), IDS, pos);
      expect(again.condition && stripLoc(again.condition)).toEqual(stripLoc(r.condition));
    }
  };

  it('never throws on arbitrary strings', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), check), { numRuns: runs(500) });
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 100 }), check), { numRuns: runs(300) });
  });

  const tokenSoup = fc
    .tuple(
      fc.array(
        fc.oneof(
          fc.constantFrom('a', 'b', 'nope', 'sel*', '_hidden', 'kw.x', 'near', 'NEAR', '10'),
          fc.constantFrom('and', 'or', 'not', 'AND', 'Or', 'NoT', '1', 'of', 'OF', 'all', 'any', 'them', 'THEM'),
          fc.constantFrom('(', ')', '((', '))', '|', '||', '&', '!', '"', '*', '=', '?', '\n', '\t'),
          fc.string({ maxLength: 3 }),
        ),
        { maxLength: 40 },
      ),
      fc.constantFrom(' ', '', '  '),
    )
    .map(([parts, sep]) => parts.join(sep));

  it('never throws on token soup, and what parses round-trips', () => {
    fc.assert(fc.property(tokenSoup, check), { numRuns: runs(3000) });
  });

  it('rejects deep nesting without recursing that deep', () => {
    const deep = parse('('.repeat(10_000));
    expect(deep.condition).toBeUndefined();
    expect(deep.diagnostics[0]).toMatchObject({ code: 'P013', column: 201 });
    expect(deep.diagnostics[0]!.message).toMatch(/nested too deeply/);

    const closed = parse('('.repeat(10_000) + 'a' + ')'.repeat(10_000));
    expect(closed.diagnostics[0]!.message).toMatch(/nested too deeply/);

    const ok = parse('('.repeat(200) + 'a' + ')'.repeat(200));
    expect(ok.diagnostics).toEqual([]);
    expect(show(ok.condition)).toBe('a');

    const nots = parse('not '.repeat(100_000) + 'a');
    expect(nots.condition).toBeUndefined();
    expect(nots.diagnostics[0]!.message).toMatch(/nested too deeply/);
    expect(parse('not '.repeat(200) + 'a').condition).toBeDefined();

    const alternating = parse('(a or not (b and '.repeat(150) + 'c' + '))'.repeat(150));
    expect(alternating.diagnostics[0]!.message).toMatch(/nested too deeply/);
  });

  it('copes with huge inputs', () => {
    // Their time (a bound of 10 s for all of them) is measured by `npm run bench` (scripts/bench-limits.mjs).
    const wide = parse('a and '.repeat(20_000) + 'a');
    expect(wide.condition?.type === 'and' && wide.condition.items.length).toBe(20_001);
    const junk = Array.from(
      { length: 100_000 },
      (_, i) => ['a', 'and', '(', ')', 'or', 'not', '&', '1', 'of', 'x*', 'them'][(i * 7919) % 11],
    ).join(' ');
    const j = parse(junk);
    expect(j.condition).toBeUndefined();
    expect(j.diagnostics.length).toBeGreaterThan(0);
    expect(j.diagnostics.length).toBeLessThanOrEqual(20);
    const undefinedRefs = parse(Array.from({ length: 10_000 }, (_, i) => `u${i}`).join(' or '));
    expect(undefinedRefs.diagnostics.length).toBeLessThanOrEqual(50);
    parse('x'.repeat(1_000_000));
    parse('1 of ' + '*a'.repeat(50_000) + 'b');
    parse(')'.repeat(100_000));
  });

  it('parses ~4,000 typical conditions without a diagnostic', () => {
    // Their time (a bound of 2 s) is measured by `npm run bench` (scripts/bench-limits.mjs).
    // Shapes as in SigmaHQ (half are a lone identifier); every text distinct, so the cache does not help.
    const templates: ((i: number) => [string, string[]])[] = [
      (i) => [`selection_${i}`, [`selection_${i}`]],
      (i) => [`all of selection_${i}_*`, [`selection_${i}_a`, `selection_${i}_b`]],
      (i) => [`selection_${i}`, [`selection_${i}`, 'filter']],
      (i) => [`selection and not 1 of filter_main_${i}*`, ['selection', `filter_main_${i}`, `filter_main_${i}_b`]],
      (i) => [`sel_${i}`, [`sel_${i}`]],
      (i) => [`1 of selection_${i}* and not (filter_a or filter_${i})`, [`selection_${i}`, 'filter_a', `filter_${i}`]],
    ];
    const cases = Array.from({ length: 4000 }, (_, i) => templates[i % templates.length]!(i));
    let diagnostics = 0;
    for (const [text, ids] of cases) diagnostics += parseCondition(text, ids, pos).diagnostics.length;
    expect(diagnostics).toBe(0);
  });
});

describe('printCondition', () => {
  const ref = (name: string): Condition => ({ type: 'ref', name });
  const table: [Condition, string][] = [
    [ref('a'), 'a'],
    [{ type: 'and', items: [ref('a'), { type: 'or', items: [ref('b'), ref('c')] }] }, 'a and (b or c)'],
    [{ type: 'or', items: [ref('a'), { type: 'and', items: [ref('b'), ref('c')] }] }, 'a or b and c'],
    [{ type: 'not', item: { type: 'or', items: [ref('a'), ref('b')] } }, 'not (a or b)'],
    [{ type: 'and', items: [{ type: 'not', item: ref('a') }, ref('b')] }, 'not a and b'],
    [{ type: 'not', item: { type: 'not', item: ref('a') } }, 'not not a'],
    [{ type: 'of', quantifier: 'any', pattern: 'them', names: [] }, '1 of them'],
    [{ type: 'not', item: { type: 'of', quantifier: 'all', pattern: 'sel*', names: [] } }, 'not all of sel*'],
    [{ type: 'and', items: [ref('a')] }, 'a'],
  ];
  for (const [c, text] of table) {
    it(`prints ${text}`, () => expect(printCondition(c)).toBe(text));
  }

  it('prints keywords in lower case and 1 for any', () => {
    const r = parse('A AND NOT (B OR ANY OF THEM)', ['A', 'B']);
    expect(printCondition(r.condition!)).toBe('A and not (B or 1 of them)');
  });

  // Random flattened trees over a fixed set of identifiers: print, parse, same tree.
  const REFS = ['a', 'b', 'c', 'selection', 'sel1', 'filter_main', '_hidden', 'kw.x', 'a-b', 'x1'];
  const PATTERNS: Record<string, string[]> = {
    them: REFS.filter((n) => !n.startsWith('_')),
    'sel*': ['selection', 'sel1'],
    'filter_*': ['filter_main'],
    '_*': ['_hidden'],
    '*': REFS,
    '*.*': ['kw.x'],
    'a*': ['a', 'a-b'],
  };
  const flatten = (type: 'and' | 'or', items: Condition[]): Condition[] =>
    items.flatMap((i) => (i.type === type ? i.items : [i]));
  const leaf: fc.Arbitrary<Condition> = fc.oneof(
    fc.constantFrom(...REFS).map((name): Condition => ({ type: 'ref', name })),
    fc
      .tuple(fc.constantFrom<'any' | 'all'>('any', 'all'), fc.constantFrom(...Object.keys(PATTERNS)))
      .map(([quantifier, pattern]): Condition => ({ type: 'of', quantifier, pattern, names: PATTERNS[pattern]! })),
  );
  const { node } = fc.letrec<{ node: Condition; not: Condition; and: Condition; or: Condition }>((tie) => ({
    node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('not'), tie('and'), tie('or')),
    not: tie('node').map((item): Condition => ({ type: 'not', item })),
    and: fc
      .array(tie('node'), { minLength: 2, maxLength: 4 })
      .map((items): Condition => ({ type: 'and', items: flatten('and', items) })),
    or: fc
      .array(tie('node'), { minLength: 2, maxLength: 4 })
      .map((items): Condition => ({ type: 'or', items: flatten('or', items) })),
  }));

  it('round-trips random condition trees through parseCondition', () => {
    fc.assert(
      fc.property(node, (tree) => {
        const text = printCondition(tree);
        const r = parseCondition(text, REFS, pos);
        expect(r.diagnostics).toEqual([]);
        expect(stripLoc(r.condition!)).toEqual(tree);
      }),
      { numRuns: runs(2000) },
    );
  });
});
