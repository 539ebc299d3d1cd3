import fs from 'node:fs';
import path from 'node:path';
/**
 * Corpus-wide tests over the SigmaHQ corpus in ../shared: SigmaHQ's CI selection reports no
 * errors on SigmaHQ's own rules, the noise score separates noisy from specific rules (ROC AUC),
 * the shipped reach index matches the corpus, and the T1546.003 guide is right.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { SigmaDocument } from '../../src/ast/types.js';
import { resolveReferences, type ParseResult } from '../../src/parser/index.js';
import { lint, allFindings } from '../../src/lint/engine.js';
import { resolveConfig } from '../../src/lint/config.js';
import { noiseScore } from '../../src/lint/noise/score.js';
import { BUILTIN_CATALOG, buildCatalog, reachLookup } from '../../src/lint/noise/catalog.js';
import { documentIndicators, indicatorKey } from '../../src/lint/noise/indicators.js';
import { coverageReport } from '../../src/lint/coverage.js';
import { CORPUS } from '../helpers/paths.js';
import { RULE_DIRS, parsedCorpus } from '../helpers/corpus.js';
/**
 * The separation from SigmaHQ's labels the score keeps, on the whole corpus and on the half the
 * constants were not tuned on. Since issue 21 the label AUC is a secondary figure: the score is
 * judged on benign firing (the test below, and scripts/noise-eval.mjs). The behaviour model of
 * session 6 (measured log-source volume in place of fixed priors, one bit of filter credit,
 * Windows programs judged by the lab's evidence both ways) raised the held-out firing AUC from
 * 0.673 to 0.730 and lowered the label AUC from about 0.74 to 0.720 (whole) / 0.728 (held-out
 * half): the fixed priors were fitting SigmaHQ's levels. These floors (0.735 and 0.74 before)
 * now only keep the score clearly on the labels' side; the firing floor is the one that guards
 * the model (docs/noise.md).
 */
export const MIN_AUC = 0.7;
/** The constants were tuned on the even half only; the odd half is held out. */
export const MIN_HELD_OUT_AUC = 0.7;
/**
 * "Fires on held-out benign telemetry", issue 21's target: measured 0.754 [0.686, 0.820] with 56
 * firing rules of 2,839 once the attacker's own processes are told apart from benign activity
 * (session 7; 0.730 with 75 firing under the earlier labelling by ATT&CK technique alone, which
 * counted the C2 agents' beacons as benign). A change of the score that ranks the rules that
 * really fire lower fails here.
 */
export const MIN_FIRING_AUC = 0.75;

/**
 * Deterministic split for calibration: rules whose id starts with an even hex digit are the
 * tuning half, odd ones the held-out half (rules without an id count as tuning).
 */
export function calibrationHalf(id: string | undefined): 'tuning' | 'held-out' {
  return parseInt((id ?? '0').charAt(0), 16) % 2 === 0 ? 'tuning' : 'held-out';
}

/** ROC AUC of "positive rules score higher than negative rules" (ties count half). */
export function rocAuc(pos: number[], neg: number[]): number {
  const sorted = [...neg].sort((a, b) => a - b);
  let s = 0;
  for (const p of pos) {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const m = (lo + hi) >> 1;
      if (sorted[m]! < p) lo = m + 1;
      else hi = m;
    }
    let eq = 0;
    for (let i = lo; i < sorted.length && sorted[i] === p; i++) eq++;
    s += lo + 0.5 * eq;
  }
  return s / (pos.length * neg.length);
}

let all: { file: string; result: ParseResult }[] = [];
let rulesDir: ParseResult[] = [];

beforeAll(() => {
  // The rule folders in name order (rules, rules-compliance, …), parsed once for all corpus suites.
  all = parsedCorpus([...RULE_DIRS].sort(), { schema: false }).map(({ file, result }) => ({ file, result }));
  // rules/ with the cross-file reference diagnostics added, as `sigil lint` does: copies, the
  // shared parse results stay as they are.
  const parsedRules = all.filter((x) => x.file.startsWith(`${CORPUS}/rules/`)).map((x) => x.result);
  const refs = resolveReferences(parsedRules);
  rulesDir = parsedRules.map((r) => ({
    ...r,
    documents: r.documents.map((d) =>
      d.document ? { ...d, diagnostics: [...d.diagnostics, ...(refs.get(d.document) ?? [])] } : d,
    ),
  }));
});

const docsOf = (): { file: string; doc: SigmaDocument }[] =>
  all.flatMap(({ file, result }) =>
    result.documents.filter((d) => d.document).map((d) => ({ file, doc: d.document! })),
  );

describe('SigmaHQ corpus', () => {
  it("lint of rules/ with the sigmahq preset (SigmaHQ's CI selection and exclusions) reports zero errors", () => {
    const { config } = resolveConfig({ preset: 'sigmahq' });
    const report = lint(rulesDir, { config });
    const errors = allFindings(report).filter((f) => f.severity === 'error');
    expect(errors.map((e) => `${e.file}:${e.line} ${e.code} ${e.message}`)).toEqual([]);
    expect(report.documents.length).toBeGreaterThan(3000);
    // v19 tags are notes that name the snapshot version (T010), never warnings or errors.
    const v19 = allFindings(report).filter((f) => f.code === 'T010' && f.message.includes("'attack.stealth'"));
    expect(v19.length).toBeGreaterThan(100);
    expect(v19[0]!.severity).toBe('info');
    expect(v19[0]!.message).toContain('ATT&CK v18.1');
    // What stays a T004 warning on SigmaHQ's own rules is a real mistake, not a newer id.
    const v19AsMistakes = allFindings(report).filter(
      (f) => f.code === 'T004' && /stealth|defense-impairment|t168\d|t1690/.test(f.message),
    );
    expect(v19AsMistakes).toEqual([]);
  });

  it(`noise: threat-hunting and low/informational rules score higher than high/critical ones (ROC AUC ≥ ${MIN_AUC} whole, ≥ ${MIN_HELD_OUT_AUC} held-out)`, () => {
    const groups = {
      whole: { pos: [] as number[], neg: [] as number[] },
      tuning: { pos: [] as number[], neg: [] as number[] },
      'held-out': { pos: [] as number[], neg: [] as number[] },
    };
    for (const { file, doc } of docsOf()) {
      if (doc.kind !== 'rule') continue;
      const n = noiseScore(doc, { catalog: BUILTIN_CATALOG });
      if (!n) continue;
      // Rank on the unrounded bits (score = logistic of bits, so the order is the same, without ties from rounding).
      const noisiness = -n.bits;
      const positive = file.includes('/rules-threat-hunting/') || doc.level === 'low' || doc.level === 'informational';
      const negative = !positive && (doc.level === 'high' || doc.level === 'critical');
      if (!positive && !negative) continue;
      for (const g of [groups.whole, groups[calibrationHalf(doc.id)]]) (positive ? g.pos : g.neg).push(noisiness);
    }
    const auc = Object.fromEntries(Object.entries(groups).map(([k, g]) => [k, rocAuc(g.pos, g.neg)]));
    // Shown when an assertion fails (docs/noise.md reports the measured values).
    const measured = `noise ROC AUC: whole ${auc.whole!.toFixed(3)}, tuning half ${auc.tuning!.toFixed(3)}, held-out half ${auc['held-out']!.toFixed(3)}`;
    expect(groups.whole.pos.length).toBeGreaterThan(400);
    expect(groups.whole.neg.length).toBeGreaterThan(1800);
    // Both halves are big enough to measure (about 220 positives and 950 negatives each).
    for (const h of [groups.tuning, groups['held-out']]) {
      expect(h.pos.length).toBeGreaterThan(200);
      expect(h.neg.length).toBeGreaterThan(900);
    }
    expect(auc.whole, measured).toBeGreaterThanOrEqual(MIN_AUC);
    expect(auc['held-out'], measured).toBeGreaterThanOrEqual(MIN_HELD_OUT_AUC);
    // No sign of overfitting: the held-out half is not worse than the half the constants were tuned on.
    expect(auc['held-out'], measured).toBeGreaterThanOrEqual(auc.tuning! - 0.02);
  });

  it(`noise: rules that fire on held-out benign telemetry score higher than rules that do not (ROC AUC ≥ ${MIN_FIRING_AUC})`, () => {
    // Per covered rule, its benign hits on the held-out telemetry (recordings and hosts the
    // constants and the prevalence index never saw), written by `npm run noise-eval --
    // --write-firing test/lint/fixtures/heldout-firing.json` from ../shared/telemetry.
    const firing = JSON.parse(
      fs.readFileSync(path.join(import.meta.dirname, 'fixtures/heldout-firing.json'), 'utf8'),
    ) as {
      rules: Record<string, [hits: number, inScope: number]>;
    };
    const pos: number[] = [];
    const neg: number[] = [];
    for (const { file, doc } of docsOf()) {
      if (doc.kind !== 'rule') continue;
      const measuredHits = firing.rules[path.relative(CORPUS, file)];
      if (!measuredHits) continue;
      const n = noiseScore(doc, { catalog: BUILTIN_CATALOG });
      if (!n) continue;
      (measuredHits[0] > 0 ? pos : neg).push(n.score);
    }
    expect(pos.length).toBeGreaterThan(50);
    expect(neg.length).toBeGreaterThan(2700);
    expect(
      rocAuc(pos, neg),
      `firing AUC over ${pos.length} firing and ${neg.length} silent rules`,
    ).toBeGreaterThanOrEqual(MIN_FIRING_AUC);
  });

  it('the shipped reach index is what scripts/build-noise-index.mjs makes from this corpus', () => {
    const built = buildCatalog(
      docsOf().map((d) => d.doc),
      BUILTIN_CATALOG.source,
    );
    expect(built.rules).toBe(BUILTIN_CATALOG.rules);
    expect(built.reach).toEqual(BUILTIN_CATALOG.reach);
  });

  it('a corpus rule is left out of its own reach counts', () => {
    const key = 'image|endswith|\\powershell.exe';
    const user = docsOf().find(
      (d) => d.doc.kind === 'rule' && documentIndicators(d.doc).some((i) => indicatorKey(i) === key),
    )!.doc;
    const total = BUILTIN_CATALOG.reach[key]!;
    expect(total).toBeGreaterThan(100);
    expect(reachLookup(BUILTIN_CATALOG, user.id)(key)).toBe(total - 1);
    expect(reachLookup(BUILTIN_CATALOG, '00000000-0000-4000-8000-000000000000')(key)).toBe(total);
    // An indicator only this rule uses has reach 0 for it.
    expect(reachLookup(BUILTIN_CATALOG, user.id)('image|eq|no-such-value')).toBe(0);
  });

  it('the score does not read level, status, title, description, falsepositives, author, references or the file path', () => {
    for (const { doc } of docsOf().slice(0, 400)) {
      if (doc.kind !== 'rule') continue;
      const a = noiseScore(doc, { catalog: BUILTIN_CATALOG });
      const b = noiseScore(
        {
          ...doc,
          level: 'critical',
          status: 'stable',
          title: 'X',
          description: 'Y',
          falsepositives: ['None'],
          author: 'Z',
          references: [],
        },
        { catalog: BUILTIN_CATALOG },
      );
      expect(b).toEqual(a);
    }
  });

  it('tags change nothing, the threat-hunting tag and ATT&CK tactics included', () => {
    for (const { doc } of docsOf().slice(0, 400)) {
      if (doc.kind !== 'rule') continue;
      const a = noiseScore(doc, { catalog: BUILTIN_CATALOG });
      if (a === undefined) continue;
      const tags = ['detection.threat-hunting', 'attack.discovery', 'attack.t1087.002', 'cve.2021-44228'];
      expect(noiseScore({ ...doc, tags }, { catalog: BUILTIN_CATALOG })).toEqual(a);
    }
  });

  it('T1546.003: EventID-only rules are high noise, specific ones low, and explanations name the clause', () => {
    const tagged = docsOf().filter((d) => (d.doc.tags ?? []).includes('attack.t1546.003'));
    expect(tagged.length).toBe(12);
    const score = (suffix: string) =>
      noiseScore(tagged.find((t) => t.file.endsWith(suffix))!.doc, { catalog: BUILTIN_CATALOG })!;
    const sysmon = score('sysmon_wmi_event_subscription.yml');
    expect(sysmon.level).toBe('high');
    expect(sysmon.explanation).toMatch(
      /^selection: EventID eq 20 \(one of 3 values\) is used by \d+ other rules? and alone matches common activity/,
    );
    const posh = score('posh_ps_wmi_persistence.yml');
    expect(posh.level).toBe('low');
    const consumer = score('proc_creation_win_wmic_eventconsumer_creation.yml');
    expect(consumer.level).toBe('low');
    expect(consumer.explanation).toContain('selection_img and selection_cli');
  });

  it('coverage of T1546.003: rules by source, fields, values with reach, ATT&CK and D3FEND data', () => {
    const inputs = docsOf().map(({ file, doc }) => ({ file: file.slice(CORPUS.length + 1), document: doc }));
    const r = coverageReport('T1546.003', inputs);
    expect(r.total).toBe(12);
    expect(r.technique.name).toBe('Windows Management Instrumentation Event Subscription');
    expect(r.technique.tactics).toEqual(['privilege-escalation', 'persistence']);
    expect(r.technique.d3fend[0]).toEqual([
      'Event Triggered Execution',
      'Persistence Technique',
      'ATT&CK Enterprise Technique',
    ]);
    expect(r.rules.map((s) => [s.source, s.rules.length])).toEqual([
      ['rules', 11],
      ['rules-threat-hunting', 1],
    ]);
    expect(r.fields[0]!.rules).toBeGreaterThanOrEqual(r.fields[1]!.rules);
    const scrcons = r.values.find((v) => v.value.includes('scrcons.exe'));
    expect(scrcons).toBeDefined();
    expect(scrcons!.reach).toBeGreaterThanOrEqual(scrcons!.rules);
    // The revoked T1084 points to T1546.003.
    expect(coverageReport('attack.t1084', inputs).technique.replacedBy).toBe('T1546.003');
  });
});
