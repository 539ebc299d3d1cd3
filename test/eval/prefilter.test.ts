/**
 * The one-pass literal prefilter (rule-index.ts, index-atoms.ts) must never drop a rule that
 * could match: for generated rules and events, the indexed engine returns exactly what
 * testing every rule returns. The generators aim at the prefilter's corners: literals of one,
 * two and many characters (short ones use `includes`, long ones an anchor gram), characters
 * whose lower-casing or RE2 folding is special (ſ, K, İ, Σ, emoji, Cyrillic homoglyphs),
 * keywords over nested objects and lists, cased patterns, case-insensitive regexes,
 * conjunctions (several trigger groups per rule), numbers and numeric text, dotted fields,
 * many rules sharing literals, and one engine reused over many events (per-event stamps).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from '../../src/parser/index.js';
import type { SigmaRule } from '../../src/ast/types.js';
import { createEngine } from '../../src/eval/engine.js';
import { runs } from '../helpers/property.js';

const CHARS = [
  'a',
  'b',
  'c',
  'e',
  'x',
  's',
  'k',
  'K',
  'S',
  '\\',
  '.',
  ':',
  ' ',
  '-',
  '1',
  '0',
  'ſ',
  '\u212a',
  'İ',
  'Σ',
  'σ',
  'ς',
  '😀',
  'а',
  '^',
];
const text = (min: number, max: number) =>
  fc.array(fc.constantFrom(...CHARS), { minLength: min, maxLength: max }).map((a) => a.join(''));
/** Rule values: literals of every length, sometimes with wildcards. */
const ruleValue = fc.oneof(
  text(1, 2),
  text(3, 7),
  fc.tuple(text(1, 4), fc.constantFrom('*', '?'), text(1, 4)).map(([a, w, b]) => a + w + b),
);
const FIELDS = ['Image', 'CommandLine', 'User', 'p.q'];
const mods = fc.constantFrom(
  '',
  '|contains',
  '|startswith',
  '|endswith',
  '|contains|all',
  '|cased',
  '|contains|cased',
  '|windash|contains',
);
const REGEXES = ['(?i)ABC', '(?i)bsk', 'x\\.1e', 'a(b|c)de', '(?i)sec', 'ſk', 'K\\.s', '\\^\\^', '(?i)s'];

const leaf = fc.oneof(
  {
    weight: 5,
    arbitrary: fc
      .record({ f: fc.constantFrom(...FIELDS), m: mods, v: fc.array(ruleValue, { minLength: 1, maxLength: 3 }) })
      .map(({ f, m, v }) => `${JSON.stringify(f + m)}: ${JSON.stringify(v)}`),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({ f: fc.constantFrom(...FIELDS), n: fc.constantFrom(0, 1, 16, 443) })
      .map(({ f, n }) => `${JSON.stringify(f)}: ${n}`),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({ f: fc.constantFrom(...FIELDS), r: fc.constantFrom(...REGEXES) })
      .map(({ f, r }) => `${JSON.stringify(f + '|re')}: ${JSON.stringify(r)}`),
  },
);
const keyword = fc.oneof(text(1, 2), text(3, 6)).map((k) => `  kw:\n    - ${JSON.stringify(k)}\n`);
const keywordRegex = fc.constantFrom(...REGEXES).map((r) => `  kw:\n    '|re': ${JSON.stringify(r)}\n`);
const condition = fc.constantFrom(
  'sel0',
  'sel0 and sel1',
  'sel0 and sel1 and sel2',
  'sel0 or sel1',
  'sel0 and not sel1',
  'all of sel*',
  '1 of sel*',
  'kw',
  'kw and sel0',
  'kw or sel1',
  'sel0 and (sel1 or kw)',
);
const selection = fc.array(leaf, { minLength: 1, maxLength: 3 }).map((ls) => ls.map((l) => `    ${l}`).join('\n'));
const ruleText = fc
  .record({
    s: fc.array(selection, { minLength: 3, maxLength: 3 }),
    kw: fc.oneof({ weight: 4, arbitrary: keyword }, { weight: 1, arbitrary: keywordRegex }),
    c: condition,
  })
  .map(
    ({ s, kw, c }) =>
      `title: r\nlogsource: {product: test}\ndetection:\n${s.map((x, i) => `  sel${i}:\n${x}\n`).join('')}${kw}  condition: ${c}\n`,
  );

const scalar = fc.oneof(text(0, 12), fc.constantFrom(0, 1, 16, 443, '0x10', ' 16 ', '\u00a016', '016', true, null));
const fieldValue = fc.oneof(
  { weight: 4, arbitrary: scalar },
  { weight: 1, arbitrary: fc.array(scalar, { maxLength: 3 }) },
);
const event = fc.record(
  {
    Image: fieldValue,
    CommandLine: fieldValue,
    User: fieldValue,
    Other: fieldValue,
    p: fc.record({ q: fieldValue, r: fieldValue }, { requiredKeys: [] }),
    'p.q': fieldValue,
    nested: fc.array(fc.record({ deep: fieldValue }), { maxLength: 2 }),
  },
  { requiredKeys: [] },
);

function toRule(source: string, i: number): SigmaRule | null {
  const r = parse(source, { schema: false });
  const d = r.documents[0];
  if (
    !d?.document ||
    d.document.kind !== 'rule' ||
    [...r.diagnostics, ...d.diagnostics].some((x) => x.severity === 'error')
  )
    return null;
  return { ...d.document, id: `r${i}` };
}

/** Builds an event that contains a rule literal (upper-cased: matching ignores case), so that matches are not rare. */
function withLiteral(ev: Record<string, unknown>, rules: readonly string[], pick: number): Record<string, unknown> {
  const strings = rules.flatMap((r) => [...r.matchAll(/"(?:[^"\\]|\\.)*"/g)].map((m) => JSON.parse(m[0]) as string));
  const lits = strings
    .filter((x) => !FIELDS.some((f) => x.startsWith(f)))
    .flatMap((x) => x.split(/[*?]/))
    .filter((x) => x !== '');
  if (lits.length === 0) return ev;
  const lit = lits[pick % lits.length]!;
  const field = FIELDS[pick % FIELDS.length]!;
  return { ...ev, [field]: `x${lit.toUpperCase()}y`, Other: lit };
}

describe('literal prefilter', () => {
  it('indexed results equal exhaustive results (one engine over many events)', () => {
    // The costliest property per run (up to 12 rules parsed and two engines built, ~30 ms):
    // 150 runs by default, 3,000 with `npm run test:fuzz` (test/helpers/property.ts).
    fc.assert(
      fc.property(
        fc.array(ruleText, { minLength: 1, maxLength: 12 }),
        fc.array(fc.tuple(event, fc.nat(), fc.boolean()), { minLength: 1, maxLength: 12 }),
        (texts, evs) => {
          const rules = texts.map(toRule).filter((r): r is SigmaRule => r !== null);
          const indexed = createEngine(rules);
          const full = createEngine(rules, { index: false });
          for (const [raw, pick, seed] of evs) {
            const ev = seed ? withLiteral(raw, texts, pick) : raw;
            expect(indexed.evaluate(ev).map((m) => m.rule.id)).toEqual(full.evaluate(ev).map((m) => m.rule.id));
          }
        },
      ),
      { numRuns: runs(150) },
    );
  });

  it('finds each literal wherever it sits in a value, and each keyword in nested objects and lists', () => {
    const rules = ['AB', 'abcdef', 'ſk', 'Σσ', '😀', 'аbc'].flatMap((lit, i) => [
      toRule(
        `title: f${i}\nlogsource: {product: test}\ndetection:\n  sel:\n    CommandLine|contains: ${JSON.stringify(lit)}\n  condition: sel\n`,
        i,
      )!,
      toRule(
        `title: k${i}\nlogsource: {product: test}\ndetection:\n  kw:\n    - ${JSON.stringify(lit)}\n  condition: kw\n`,
        i + 100,
      )!,
    ]);
    const indexed = createEngine(rules);
    const full = createEngine(rules, { index: false });
    let matched = 0;
    for (const lit of ['AB', 'abcdef', 'ſk', 'Σσ', '😀', 'аbc']) {
      for (const wrap of [
        (s: string) => s,
        (s: string) => `--${s}`,
        (s: string) => `${s}--`,
        (s: string) => `x ${s.toUpperCase()} y`,
      ]) {
        for (const ev of [
          { CommandLine: wrap(lit) },
          { CommandLine: ['zz', wrap(lit)] },
          { a: { b: [{ c: wrap(lit) }] } },
        ]) {
          const got = indexed.evaluate(ev).map((m) => m.rule.id);
          expect(got).toEqual(full.evaluate(ev).map((m) => m.rule.id));
          matched += got.length;
        }
      }
    }
    expect(matched).toBeGreaterThan(50);
  });

  it('tests fewer rules than there are, and all of them when none is indexable', () => {
    const lit = toRule(
      'title: a\nlogsource: {product: test}\ndetection:\n  sel:\n    Image|endswith: "\\\\evil.exe"\n    CommandLine|contains: "--steal"\n  condition: sel\n',
      0,
    )!;
    const neg = toRule(
      'title: b\nlogsource: {product: test}\ndetection:\n  sel:\n    Image|endswith: ".exe"\n  condition: not sel\n',
      1,
    )!;
    const e = createEngine([lit, neg]);
    expect(e.evaluate({ Image: 'C:\\good.exe', CommandLine: 'x' })).toEqual([]);
    expect(e.lastTested).toBe(1);
    // Both groups of the conjunction must fire: one literal alone does not make `a` a candidate.
    e.evaluate({ Image: 'C:\\EVIL.exe', CommandLine: 'x' });
    expect(e.lastTested).toBe(1);
    expect(e.evaluate({ Image: 'C:\\EVIL.exe', CommandLine: 'a --STEAL b' }).map((m) => m.rule.title)).toEqual(['a']);
    expect(e.lastTested).toBe(2);
  });

  it('with the logsource filter (one index per Channel and EventID), indexed results equal exhaustive results', () => {
    // Log sources the filter places on a channel (and EventIDs), places nowhere (they see every
    // Windows event), or keeps off Windows events; events of several channels, EventIDs as numbers
    // and as text, and events without a channel (every rule sees them).
    const logsource = fc.constantFrom(
      '{product: windows, category: process_creation}',
      '{product: windows, category: registry_event}',
      '{product: windows, service: security}',
      '{product: windows, service: sysmon}',
      '{product: windows}',
      '{category: webserver}',
      '{product: linux}',
      '{product: test}',
    );
    const channel = fc.constantFrom(
      'Microsoft-Windows-Sysmon/Operational',
      'microsoft-windows-sysmon/operational',
      'Security',
      'System',
      undefined,
    );
    const eventId = fc.constantFrom(1, '1', 4688, 12, 13, '13', 3, 'x', undefined);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(ruleText, logsource), { minLength: 1, maxLength: 12 }),
        fc.array(fc.tuple(event, fc.nat(), fc.boolean(), channel, eventId), { minLength: 1, maxLength: 16 }),
        (texts, evs) => {
          const sources = texts.map(([t, ls]) => t.replace('logsource: {product: test}', `logsource: ${ls}`));
          const rules = sources.map(toRule).filter((r): r is SigmaRule => r !== null);
          const indexed = createEngine(rules, { logsourceFilter: true });
          const full = createEngine(rules, { logsourceFilter: true, index: false });
          for (const [raw, pick, seed, ch, id] of evs) {
            const ev: Record<string, unknown> = seed ? withLiteral(raw, sources, pick) : { ...raw };
            if (ch !== undefined) ev['Channel'] = ch;
            if (id !== undefined) ev['EventID'] = id;
            expect(indexed.evaluate(ev).map((m) => m.rule.id)).toEqual(full.evaluate(ev).map((m) => m.rule.id));
          }
        },
      ),
      { numRuns: runs(150) },
    );
  });
});
