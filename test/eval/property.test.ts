/**
 * Property tests: the evaluator (parser → lowerDetection → compiled closures) agrees with a
 * reference matcher written here from the specification text alone — naive backtracking
 * wildcard matching over small strings, case-insensitive by lower-casing, modifiers applied
 * directly. It does not call src/ast/semantics.ts or src/eval.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from '../../src/parser/index.js';
import type { SigmaRule } from '../../src/ast/types.js';
import { compileRule } from '../../src/eval/compile.js';
import { runs } from '../helpers/property.js';

// ---------------------------------------------------------------------------
// Reference semantics

type Tok = { lit: string } | { any: true } | { one: true } | { cls: string };
const DASHES = '-/\u2013\u2014\u2015';

/** Sigma escapes (spec "Escape Character"): `\*`, `\?`, `\\` → literal; other `\` literal. */
function tokens(raw: string): Tok[] {
  const out: Tok[] = [];
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === '\\' && (raw[i + 1] === '*' || raw[i + 1] === '?' || raw[i + 1] === '\\')) out.push({ lit: raw[++i]! });
    else if (c === '*') out.push({ any: true });
    else if (c === '?') out.push({ one: true });
    else out.push({ lit: c });
  }
  return out;
}

/** Naive backtracking match of the whole string (strings are short in these tests). */
function globMatch(t: readonly Tok[], s: readonly string[], i = 0, j = 0): boolean {
  if (i === t.length) return j === s.length;
  const k = t[i]!;
  if ('any' in k) {
    for (let m = j; m <= s.length; m++) if (globMatch(t, s, i + 1, m)) return true;
    return false;
  }
  if (j >= s.length) return false;
  if ('one' in k) return globMatch(t, s, i + 1, j + 1);
  if ('cls' in k) return k.cls.includes(s[j]!) && globMatch(t, s, i + 1, j + 1);
  return k.lit === s[j] && globMatch(t, s, i + 1, j + 1);
}

/** A selection: values to match, or (with the `exists` modifier) the one boolean it takes. */
interface Selection {
  field: string | null;
  mods: string[];
  values: (string | number | boolean)[];
}

type Cond =
  { ref: number } | { and: [Cond, Cond] } | { or: [Cond, Cond] } | { not: Cond } | { oneOf: true } | { allOf: true };

type Ev = Record<string, string | number>;

function stringValues(ev: Ev, field: string | null): string[] {
  if (field === null) return Object.values(ev).map(String);
  return field in ev ? [String(ev[field])] : [];
}

function refValue(sel: Selection, v: string | number | boolean, ev: Ev): boolean {
  if (typeof v === 'boolean') throw new Error('a boolean value belongs to an exists selection');
  const mods = sel.mods;
  if (typeof v === 'number') {
    const x = sel.field !== null && sel.field in ev ? Number(ev[sel.field]) : NaN;
    if (Number.isNaN(x) || (typeof ev[sel.field!] === 'string' && String(ev[sel.field!]).trim() === '')) return false;
    if (mods.includes('lt')) return x < v;
    if (mods.includes('gt')) return x > v;
    if (mods.includes('lte')) return x <= v;
    if (mods.includes('gte')) return x >= v;
    return x === v;
  }
  let toks: Tok[];
  if (mods.includes('base64')) toks = [...Buffer.from(v, 'utf8').toString('base64')].map((c) => ({ lit: c }));
  else toks = tokens(v);
  if (mods.includes('windash')) toks = toks.map((k) => ('lit' in k && DASHES.includes(k.lit) ? { cls: DASHES } : k));
  const contains =
    mods.includes('contains') || (sel.field === null && !mods.includes('startswith') && !mods.includes('endswith'));
  if ((contains || mods.includes('endswith')) && !(toks[0] && 'any' in toks[0])) toks.unshift({ any: true });
  if ((contains || mods.includes('startswith')) && !(toks.at(-1) && 'any' in toks.at(-1)!)) toks.push({ any: true });
  const cased = mods.includes('cased');
  const fold = (s: string): string => (cased ? s : s.toLowerCase());
  toks = toks.map((k) => ('lit' in k ? { lit: fold(k.lit) } : 'cls' in k ? { cls: fold(k.cls) } : k));
  return stringValues(ev, sel.field).some((s) => globMatch(toks, [...fold(s)]));
}

function refSelection(sel: Selection, ev: Ev): boolean {
  if (sel.mods.includes('exists')) return sel.field! in ev === sel.values[0];
  const results = sel.values.map((v) => refValue(sel, v, ev));
  const r = sel.mods.includes('all') ? results.every(Boolean) : results.some(Boolean);
  return sel.mods.includes('neq') ? !r : r;
}

function refCond(c: Cond, sels: readonly boolean[]): boolean {
  if ('ref' in c) return sels[c.ref % sels.length]!;
  if ('and' in c) return refCond(c.and[0], sels) && refCond(c.and[1], sels);
  if ('or' in c) return refCond(c.or[0], sels) || refCond(c.or[1], sels);
  if ('not' in c) return !refCond(c.not, sels);
  if ('oneOf' in c) return sels.some(Boolean);
  return sels.every(Boolean);
}

// ---------------------------------------------------------------------------
// Rule text

function condText(c: Cond, n: number): string {
  if ('ref' in c) return `sel${c.ref % n}`;
  if ('and' in c) return `(${condText(c.and[0], n)} and ${condText(c.and[1], n)})`;
  if ('or' in c) return `(${condText(c.or[0], n)} or ${condText(c.or[1], n)})`;
  if ('not' in c) return `not ${condText(c.not, n)}`;
  return 'oneOf' in c ? '1 of sel*' : 'all of sel*';
}

function ruleYaml(sels: readonly Selection[], cond: Cond): string {
  const lines = ['title: generated', 'logsource: {product: test}', 'detection:'];
  sels.forEach((s, i) => {
    const key = (s.field ?? '') + s.mods.map((m) => '|' + m).join('');
    const vals = s.values.map((v) => (typeof v === 'number' ? String(v) : JSON.stringify(v)));
    if (s.field === null && key === '') lines.push(`  sel${i}:`, ...vals.map((v) => `    - ${v}`));
    else if (s.mods.includes('exists')) lines.push(`  sel${i}:`, `    ${JSON.stringify(key)}: ${s.values[0]}`);
    else lines.push(`  sel${i}:`, `    ${JSON.stringify(key)}:`, ...vals.map((v) => `      - ${v}`));
  });
  lines.push(`  condition: ${condText(cond, sels.length)}`);
  return lines.join('\n') + '\n';
}

function compile(text: string): SigmaRule {
  const r = parse(text, { schema: false });
  const d = r.documents[0];
  const errors = [...r.diagnostics, ...(d?.diagnostics ?? [])].filter((x) => x.severity === 'error');
  if (errors.length || !d?.document || d.document.kind !== 'rule')
    throw new Error(`generated rule does not parse:\n${text}\n${JSON.stringify(errors)}`);
  return d.document;
}

// ---------------------------------------------------------------------------
// Generators

const FIELDS = ['A', 'B', 'C'];
const chars = fc.constantFrom('a', 'b', 'A', 'B', '-', '/', '\u2013', ' ', '\\', 'x');
const patChars = fc.constantFrom('a', 'b', 'A', '-', '/', ' ', 'x', '*', '?', '\\', '\\*', '\\?', '\\\\');
const eventString = fc.array(chars, { maxLength: 7 }).map((a) => a.join(''));
const patString = fc.array(patChars, { maxLength: 5 }).map((a) => a.join(''));
const plainString = fc
  .array(fc.constantFrom('a', 'b', 'A', 'x', 'é', '-'), { minLength: 1, maxLength: 4 })
  .map((a) => a.join(''));

const stringSelection: fc.Arbitrary<Selection> = fc
  .record({
    field: fc.constantFrom(...FIELDS),
    pos: fc.constantFrom([], ['contains'], ['startswith'], ['endswith']),
    windash: fc.boolean(),
    cased: fc.boolean(),
    all: fc.boolean(),
    neq: fc.boolean(),
    values: fc.array(patString, { minLength: 1, maxLength: 3 }),
  })
  .map(({ field, pos, windash, cased, all, neq, values }) => {
    const mods: string[] = [...pos];
    if (windash) mods.push('windash');
    if (cased) mods.push('cased');
    if (all && values.length > 1) mods.push('all');
    if (neq) mods.push('neq');
    return { field, mods, values };
  });

const otherSelection: fc.Arbitrary<Selection> = fc.oneof(
  fc
    .record({ field: fc.constantFrom(...FIELDS), b: fc.boolean() })
    .map(({ field, b }): Selection => ({ field, mods: ['exists'], values: [b] })),
  fc
    .record({
      field: fc.constantFrom(...FIELDS),
      pos: fc.constantFrom([], ['contains']),
      values: fc.array(plainString, { minLength: 1, maxLength: 2 }),
    })
    .map(({ field, pos, values }): Selection => ({ field, mods: ['base64', ...pos], values })),
  fc
    .record({
      op: fc.constantFrom([], ['lt'], ['gt'], ['lte'], ['gte']),
      field: fc.constantFrom(...FIELDS),
      values: fc.array(fc.integer({ min: -3, max: 3 }), { minLength: 1, maxLength: 2 }),
    })
    .map(({ op, field, values }): Selection => ({ field, mods: [...op], values })),
  fc
    .array(
      fc
        .array(fc.constantFrom('a', 'b', 'A', '-', ' ', '*', '?'), { minLength: 1, maxLength: 3 })
        .map((a) => a.join('')),
      { minLength: 1, maxLength: 2 },
    )
    .map((values): Selection => ({ field: null, mods: [], values })),
);

const selection = fc.oneof({ weight: 3, arbitrary: stringSelection }, { weight: 1, arbitrary: otherSelection });

const cond: fc.Arbitrary<Cond> = fc.letrec<{ c: Cond }>((tie) => ({
  c: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.nat(5).map((ref): Cond => ({ ref })),
    fc.tuple(tie('c'), tie('c')).map((x): Cond => ({ and: x })),
    fc.tuple(tie('c'), tie('c')).map((x): Cond => ({ or: x })),
    tie('c').map((x): Cond => ({ not: x })),
    fc.constant<Cond>({ oneOf: true }),
    fc.constant<Cond>({ allOf: true }),
  ),
})).c;

const eventValue = fc.oneof(
  { weight: 4, arbitrary: eventString },
  { weight: 1, arbitrary: fc.integer({ min: -3, max: 3 }) },
  { weight: 1, arbitrary: fc.integer({ min: -3, max: 3 }).map(String) },
);
const event: fc.Arbitrary<Ev> = fc.record({ A: eventValue, B: eventValue, C: eventValue }, { requiredKeys: [] });

// ---------------------------------------------------------------------------

describe('evaluator vs reference matcher', () => {
  it('agrees on generated rules and events', () => {
    fc.assert(
      fc.property(
        fc.array(selection, { minLength: 1, maxLength: 4 }),
        cond,
        fc.array(event, { minLength: 1, maxLength: 6 }),
        (sels, c, events) => {
          const matcher = compileRule(compile(ruleYaml(sels, c)));
          expect(matcher.diagnostics).toEqual([]);
          for (const ev of events) {
            const expected = refCond(
              c,
              sels.map((s) => refSelection(s, ev)),
            );
            expect({ ev, got: matcher.matches(ev) }).toEqual({ ev, got: expected });
          }
        },
      ),
      { numRuns: runs(1500) },
    );
  });

  it('wildcards: a value built from the pattern always matches, a mutated one agrees with the reference', () => {
    fc.assert(
      fc.property(patString, eventString, fc.boolean(), (pat, s, cased) => {
        const sel: Selection = { field: 'A', mods: cased ? ['cased'] : [], values: [pat] };
        const matcher = compileRule(compile(ruleYaml([sel], { ref: 0 })));
        expect(matcher.matches({ A: s })).toBe(refSelection(sel, { A: s }));
      }),
      { numRuns: runs(2000) },
    );
  });

  it('base64offset|contains finds a value at any offset inside a base64-encoded text', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 6 }),
        fc.string({ minLength: 1, maxLength: 8 }).filter((s) => !/[*?\\]/.test(s)),
        fc.string({ maxLength: 6 }),
        (pre, v, post) => {
          const sel: Selection = { field: 'A', mods: ['base64offset', 'contains'], values: [v] };
          const matcher = compileRule(compile(ruleYaml([sel], { ref: 0 })));
          const encoded = Buffer.from(pre + v + post, 'utf8').toString('base64');
          expect(matcher.matches({ A: encoded })).toBe(true);
        },
      ),
      { numRuns: runs(500) },
    );
  });
});
