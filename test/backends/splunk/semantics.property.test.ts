/**
 * Cross-check: for generated predicates and events, the emitted SPL (run by a small interpreter
 * with Splunk's documented semantics, test/backends/splunk/spl-interpreter.ts) agrees with Sigil's
 * evaluator, which implements Sigma's semantics. Catches wrong null handling under NOT, split
 * booleans, escaping and regex translation errors, IN-list mistakes.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { encodeConjunction, renderQuery } from '../../../src/backends/splunk/encode.js';
import { compilePredicate } from '../../../src/eval/compile.js';
import { toView } from '../../../src/eval/compile.js';
import { mergeAdjacentText } from '../../../src/ast/pattern.js';
import type { PatternPart, Predicate } from '../../../src/ast/semantics.js';
import { runSpl, type Event } from './spl-interpreter.js';
import { runs } from '../../helpers/property.js';

const CHARS = ['a', 'B', 'b', '*', '?', '\\', '"', ' ', '.', '-'];
const lit = fc.string({ minLength: 1, maxLength: 3, unit: fc.constantFrom(...CHARS) });
const part: fc.Arbitrary<PatternPart> = fc.oneof(
  { weight: 4, arbitrary: lit },
  fc.constant({ wildcard: 'multi' } as const),
  fc.constant({ wildcard: 'single' } as const),
  fc.constant({ anyOf: '-/' }),
);

const field = fc.constantFrom('F', 'G');
const leaf: fc.Arbitrary<Predicate> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('string' as const),
      field,
      pattern: fc.array(part, { minLength: 0, maxLength: 4 }).map(mergeAdjacentText),
      cased: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('regex' as const),
      field,
      pattern: fc.constantFrom('^a', 'b$', 'a.b', '\\\\', '"', 'B'),
      flags: fc.constantFrom('', 'i'),
    }),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({
        kind: fc.constant('number' as const),
        field: fc.constant('N'),
        op: fc.constantFrom('eq' as const, 'lt' as const, 'lte' as const, 'gt' as const, 'gte' as const),
        value: fc.integer({ min: 0, max: 5 }),
      })
      .map((x) => ({ ...x, raw: String(x.value) })),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('null' as const), field }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('exists' as const), field, value: fc.boolean() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('fieldref' as const),
      field: fc.constant('F'),
      ref: fc.constant('G'),
      position: fc.constantFrom('eq' as const, 'contains' as const, 'startswith' as const, 'endswith' as const),
      cased: fc.boolean(),
    }),
  },
);

const predicate: fc.Arbitrary<Predicate> = fc.letrec<{ p: Predicate }>((tie) => ({
  p: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('p'), { minLength: 2, maxLength: 3 }).map((items): Predicate => ({ kind: 'and', items })),
    fc.array(tie('p'), { minLength: 2, maxLength: 3 }).map((items): Predicate => ({ kind: 'or', items })),
    tie('p').map((item): Predicate => ({ kind: 'not', item })),
  ),
})).p;

const value = fc.option(fc.string({ maxLength: 5, unit: fc.constantFrom(...CHARS, 'A', '/') }), { nil: undefined });
const event = fc.record({
  F: value,
  G: value,
  N: fc.option(fc.integer({ min: 0, max: 6 }).map(String), { nil: undefined }),
});

describe('SPL agrees with the evaluator', () => {
  it('on generated predicates and events', () => {
    const seen = { where: 0, regex: 0, matched: 0, unmatched: 0 };
    fc.assert(
      fc.property(predicate, fc.array(event, { minLength: 1, maxLength: 6 }), (p, events) => {
        const spl = renderQuery(encodeConjunction([], [p]));
        if (spl.includes('| where ')) seen.where++;
        if (spl.includes('| regex ')) seen.regex++;
        const reference = compilePredicate(p);
        for (const ev of events) {
          const clean: Event = Object.fromEntries(Object.entries(ev).filter(([, v]) => v !== undefined));
          const want = reference(toView(clean));
          const got = runSpl(spl, clean);
          if (got !== want)
            throw new Error(`SPL ${spl}\nevent ${JSON.stringify(clean)}: SPL ${got}, evaluator ${want}`);
          if (want) seen.matched++;
          else seen.unmatched++;
        }
      }),
      { numRuns: runs(3000) },
    );
    // The generator must reach every encoding path and both outcomes.
    expect(seen.where).toBeGreaterThan(300);
    expect(seen.regex).toBeGreaterThan(100);
    expect(seen.matched).toBeGreaterThan(1000);
    expect(seen.unmatched).toBeGreaterThan(1000);
  });

  it('on keywords (bare terms against _raw), inner wildcards included', () => {
    // A keyword matches any value of the event in the evaluator; the events hold only _raw.
    const keywordLeaf: fc.Arbitrary<Predicate> = fc.record({
      kind: fc.constant('string' as const),
      field: fc.constant(null),
      pattern: fc
        .array(part, { minLength: 1, maxLength: 4 })
        .map((parts) => mergeAdjacentText([{ wildcard: 'multi' }, ...parts, { wildcard: 'multi' }])),
      cased: fc.constant(false),
    });
    const keywords = fc.oneof(
      keywordLeaf,
      fc.array(keywordLeaf, { minLength: 2, maxLength: 3 }).map((items): Predicate => ({ kind: 'or', items })),
      keywordLeaf.map((item): Predicate => ({ kind: 'not', item })),
    );
    const raw = fc.record({ _raw: fc.string({ maxLength: 8, unit: fc.constantFrom(...CHARS, 'A', '/') }) });
    let inner = 0;
    fc.assert(
      fc.property(keywords, fc.array(raw, { minLength: 1, maxLength: 6 }), (p, events) => {
        const spl = renderQuery(encodeConjunction([], [p]));
        if (spl.includes('match(_raw')) inner++;
        const reference = compilePredicate(p);
        for (const ev of events) {
          const want = reference(toView(ev));
          const got = runSpl(spl, ev);
          if (got !== want) throw new Error(`SPL ${spl}\nevent ${JSON.stringify(ev)}: SPL ${got}, evaluator ${want}`);
        }
      }),
      { numRuns: runs(1500) },
    );
    expect(inner).toBeGreaterThan(100);
  });

  it('wildcards inside a term: a prefilter with wildcards at the ends of each piece, then a regex', () => {
    const kw = (pattern: PatternPart[]): Predicate => ({ kind: 'string', field: null, pattern, cased: false });
    const M = { wildcard: 'multi' } as const;
    expect(renderQuery(encodeConjunction([], [kw([M, 'lsass', M, '.dmp', M])]))).toBe(
      '("*lsass*" AND "*.dmp*") | where match(_raw, "(?is)lsass.*\\\\.dmp")',
    );
    const cmd: Predicate = { kind: 'string', field: 'CommandLine', pattern: [M, 'a', M, 'b', M], cased: false };
    expect(renderQuery(encodeConjunction([], [cmd]))).toBe(
      '(CommandLine="*a*" AND CommandLine="*b*") | regex CommandLine="(?is)a.*b"',
    );
    const anchored: Predicate = { kind: 'string', field: 'F', pattern: ['S', M, 'G01'], cased: false };
    expect(renderQuery(encodeConjunction([], [anchored]))).toBe('(F="S*" AND F="*G01") | regex F="(?is)^S.*G01\\\\z"');
    // The interpreter refuses what Splunk does not define, so the cross-checks above catch it.
    expect(() => runSpl('F="S*G01"', { F: 'SG01' })).toThrow(/inner wildcard/);
    expect(() => runSpl('"*lsass*.dmp*"', { _raw: 'lsass.dmp' })).toThrow(/inner wildcard|not modelled/);
    expect(runSpl('"*LSASS*"', { _raw: 'x lsass123.dmp' })).toBe(true);
  });

  it('the interpreter rejects precedence-dependent text (self-test)', () => {
    expect(() => runSpl('a="1" OR b="2" c="3"', {})).toThrow(/mixed|top level/);
    expect(() => runSpl('(a="1" OR b="2" c="3")', {})).toThrow(/mixed/);
    expect(() => runSpl('* | where a=="1" AND b=="2" OR c=="3"', { a: '1' })).toThrow(/mixed/);
    expect(runSpl('(a="x*" OR b="2") NOT c=*', { a: 'XY' })).toBe(true);
    expect(runSpl('* | where NOT match(a, "^x")', {})).toBe(false);
  });
});
