/**
 * The speed-ups must never change a result: the rule index against testing every rule,
 * the regex literal prefilter against plain RE2, the multi-needle scans against naive loops.
 */
import fc from 'fast-check';
import { RE2JS } from 're2js';
import { describe, expect, it } from 'vitest';
import { parse } from '../../src/parser/index.js';
import type { SigmaRule } from '../../src/ast/types.js';
import { compileRule } from '../../src/eval/compile.js';
import { createEngine } from '../../src/eval/engine.js';
import { multiContains, multiEndsWith } from '../../src/eval/glob.js';
import { requiredLiterals } from '../../src/eval/regex-literals.js';
import { runs } from '../helpers/property.js';

const FIELDS = ['Image', 'CommandLine', 'EventID', 'a.b'];
const valueChar = fc.constantFrom('a', 'B', 'c', '\\', '.', 'x', 'é', 'ſ', 'K', '😀', '1', ' ', 'b', 's');
const valueText = fc.array(valueChar, { maxLength: 8 }).map((a) => a.join(''));
const patChar = fc.constantFrom('a', 'b', 'C', '\\', '.', 'x', 'é', 's', 'k', '😀', '1', '*', '?');
const patText = fc.array(patChar, { minLength: 0, maxLength: 6 }).map((a) => a.join(''));
const mods = fc.constantFrom(
  '',
  '|contains',
  '|startswith',
  '|endswith',
  '|cased',
  '|contains|cased',
  '|windash|contains',
);

const leaf = fc.oneof(
  fc
    .record({ f: fc.constantFrom(...FIELDS), m: mods, v: fc.array(patText, { minLength: 1, maxLength: 3 }) })
    .map(({ f, m, v }) => `${JSON.stringify(f + m)}: [${v.map((x) => JSON.stringify(x)).join(', ')}]`),
  fc
    .record({ f: fc.constantFrom(...FIELDS), n: fc.integer({ min: 0, max: 3 }) })
    .map(({ f, n }) => `${JSON.stringify(f)}: ${n}`),
  fc
    .record({
      f: fc.constantFrom(...FIELDS),
      r: fc.constantFrom('ab+c', '(?i)ABC', 'x\\.1', 'a(b|c)d', 'abc?d', 'k.s', '^1', 'ſ', '(?i)BSK', '(?i)bs'),
    })
    .map(({ f, r }) => `${JSON.stringify(f + '|re')}: ${JSON.stringify(r)}`),
);
const condition = fc.constantFrom(
  'sel0',
  'sel0 and sel1',
  'sel0 or sel1',
  'not sel0',
  'sel0 and not sel1',
  '1 of sel*',
  'all of sel*',
  'kw or sel1',
  'kw and sel0',
);
const ruleText = fc
  .record({
    s0: fc.array(leaf, { minLength: 1, maxLength: 3 }),
    s1: fc.array(leaf, { minLength: 1, maxLength: 2 }),
    kw: patText,
    c: condition,
  })
  .map(
    ({ s0, s1, kw, c }) =>
      `title: r\nlogsource: {product: test}\ndetection:\n  sel0:\n${s0.map((l) => '    ' + l).join('\n')}\n  sel1:\n${s1.map((l) => '    ' + l).join('\n')}\n  kw:\n    - ${JSON.stringify(kw || 'x')}\n  condition: ${c}\n`,
  );
const fieldValue = fc.oneof(valueText, fc.integer({ min: 0, max: 3 }), fc.array(valueText, { maxLength: 2 }));
const event = fc.record(
  {
    Image: fieldValue,
    CommandLine: fieldValue,
    EventID: fieldValue,
    a: fc.record({ b: fieldValue }, { requiredKeys: [] }),
  },
  { requiredKeys: [] },
);

function rule(text: string, i: number): SigmaRule | null {
  const r = parse(text, { schema: false });
  const d = r.documents[0];
  if (
    !d?.document ||
    d.document.kind !== 'rule' ||
    [...r.diagnostics, ...d.diagnostics].some((x) => x.severity === 'error')
  )
    return null;
  return { ...d.document, id: `r${i}` };
}

describe('rule index', () => {
  it('selects exactly the rules that testing every rule selects', () => {
    // Up to 8 rules parsed and two engines built per run: 150 runs by default, 3,000 with
    // `npm run test:fuzz` (test/helpers/property.ts).
    fc.assert(
      fc.property(
        fc.array(ruleText, { minLength: 1, maxLength: 8 }),
        fc.array(event, { minLength: 1, maxLength: 8 }),
        (texts, events) => {
          const rules = texts.map(rule).filter((r): r is SigmaRule => r !== null);
          const indexed = createEngine(rules);
          const full = createEngine(rules, { index: false });
          for (const ev of events)
            expect(indexed.evaluate(ev).map((m) => m.rule.id)).toEqual(full.evaluate(ev).map((m) => m.rule.id));
        },
      ),
      { numRuns: runs(150) },
    );
  });
});

describe('case folding corners', () => {
  it('RE2 folds U+017F (ſ) to s and U+212A (K) to k: the prefilter and the index keep those matches', () => {
    const r = rule(
      'title: r\nlogsource: {product: test}\ndetection:\n  sel:\n    Image|re: "(?i)BSK"\n  condition: sel\n',
      0,
    )!;
    const e = createEngine([r]);
    for (const v of ['xbſk', 'BS\u212a', 'bsk']) {
      expect(compileRule(r).matches({ Image: v })).toBe(true);
      expect(e.evaluate({ Image: v }).length).toBe(1);
    }
    expect(e.evaluate({ Image: 'bs' }).length).toBe(0);
  });
});

describe('regex required literals', () => {
  const atom = fc.oneof(
    fc.constantFrom(
      'a',
      'b',
      'c',
      'x',
      '\\.',
      '\\$',
      '.',
      '\\d',
      '\\w',
      '\\s',
      '[ab]',
      '[^a]',
      '(a|b)',
      '(?:ab)',
      '^',
      '$',
      'K',
      's',
    ),
    fc.constantFrom('a', 'b').map((c) => c),
  );
  const quant = fc.constantFrom('', '', '', '?', '*', '+', '{2}', '{0,2}', '{1,3}?');
  const regex = fc
    .array(fc.tuple(atom, quant), { minLength: 1, maxLength: 7 })
    .map((xs) => xs.map(([a, q]) => (a === '^' || a === '$' ? a : a + q)).join(''));
  const text = fc
    .array(fc.constantFrom('a', 'b', 'c', 'x', '.', '$', '1', ' ', 'K', 'k', 's', 'S', 'ſ', 'K'), { maxLength: 10 })
    .map((a) => a.join(''));

  it('every string RE2 matches contains every required literal', () => {
    fc.assert(
      fc.property(regex, fc.array(text, { minLength: 1, maxLength: 10 }), (re, texts) => {
        const lits = requiredLiterals(re);
        if (lits === null) return;
        const compiled = RE2JS.compile(re);
        for (const t of texts) if (compiled.test(t)) for (const l of lits) expect(t.includes(l)).toBe(true);
      }),
      { numRuns: runs(3000) },
    );
  });

  it('the prefiltered regex predicate agrees with RE2 alone, case-sensitive and (?i)', () => {
    fc.assert(
      fc.property(regex, fc.boolean(), fc.array(text, { minLength: 1, maxLength: 6 }), (re, insensitive, texts) => {
        const src = (insensitive ? '(?i)' : '') + re;
        const r = rule(
          `title: r\nlogsource: {product: test}\ndetection:\n  sel:\n    A|re: ${JSON.stringify(src)}\n  condition: sel\n`,
          0,
        );
        if (!r) return;
        const m = compileRule(r);
        const plain = RE2JS.compile(re, insensitive ? RE2JS.CASE_INSENSITIVE : 0);
        for (const t of texts) expect(m.matches({ A: t })).toBe(plain.test(t));
      }),
      { numRuns: runs(2000) },
    );
  });

  it('gives up on what it does not understand', () => {
    expect(requiredLiterals('ab|cd')).toBeNull();
    expect(requiredLiterals('ab(?i)cd')).toBeNull();
    expect(requiredLiterals('\\Qa.b\\E')).toBeNull();
    expect(requiredLiterals('\\$PSHome\\[\\s*\\d{1,3}')).toEqual(['$PSHome[']);
    expect(requiredLiterals('\\.exe[\\"\\\']?\\s+[^\\"]{0,64}werfaultsecure\\.exe')).toEqual([
      '.exe',
      'werfaultsecure.exe',
    ]);
  });
});

describe('multi-needle scans', () => {
  const s = fc.array(fc.constantFrom('a', 'b', 'ab', '\\', 'x', '😀', 'é'), { maxLength: 12 }).map((a) => a.join(''));
  it('multiContains equals a loop of includes', () => {
    fc.assert(
      fc.property(
        fc.array(s, { minLength: 1, maxLength: 12 }),
        fc.array(s, { minLength: 1, maxLength: 6 }),
        (needles, hay) => {
          const t = multiContains(needles);
          for (const h of hay) expect(t(h)).toBe(needles.some((n) => h.includes(n)));
        },
      ),
      { numRuns: runs(2000) },
    );
  });
  it('multiEndsWith equals a loop of endsWith', () => {
    fc.assert(
      fc.property(
        fc.array(s, { minLength: 1, maxLength: 12 }),
        fc.array(s, { minLength: 1, maxLength: 6 }),
        (suffixes, hay) => {
          const t = multiEndsWith(suffixes);
          for (const h of hay) expect(t(h)).toBe(suffixes.some((n) => h.endsWith(n)));
        },
      ),
      { numRuns: runs(2000) },
    );
  });
});
