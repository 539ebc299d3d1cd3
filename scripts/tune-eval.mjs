#!/usr/bin/env node
// @ts-check
/**
 * Do the filters `sigil tune` proposes carry over to telemetry they were not learned on?
 *
 *   npm run build && npm run tune-eval [-- --json] [--rules 20] [--identity] [--with-regression]
 *
 * 1. Every SigmaHQ rule (all rules* folders) runs over the tuning part of ../shared/telemetry
 *    (scripts/telemetry-split.mjs: split by recording and host, never by event); the 20 rules
 *    with the most benign hits there are taken. Attack events are not benign firing (as
 *    noise-eval.mjs): events of the attacker's processes (`attackProcesses`: those that talk to
 *    the lab's C2 server, and their descendants), and a rule's hits in an OTRF recording whose
 *    technique it shares (MANIFEST.json), are left out when ranking, tuning and measuring.
 *    `--labels technique` uses the second test alone (the labelling before session 7).
 * 2. Each is tuned on the tuning part only (the hits kept by HitCollector, as `sigil tune`),
 *    guarded by its SigmaHQ regression cases (found as `sigil test` finds them).
 * 3. On the held-out part: the rule's benign hits, and how many of them the proposed filters
 *    remove. Every regression case of the tuned rules is run on the tuned rule as printed
 *    (the YAML parsed back) and must still pass.
 * Reports n, per-rule numbers, the share of held-out hits removed (pooled over rules) with a
 * 95 % bootstrap interval over rules (2,000 resamples, seeded). Without --identity, identity
 * values are not proposed (the default of `sigil tune`); with it, they are, for comparison.
 * --with-regression takes the noisiest rules among those with SigmaHQ regression cases instead
 * (the regression guard at work: the plain top 20 have none in the corpus snapshot).
 * The ranking (step 1) is cached in /tmp/sigil-tune-eval-rank.json (--cache FILE).
 */
import fs from 'node:fs';
import path from 'node:path';
import { corpusRules, yamlFiles } from './corpus-folders.mjs';
import {
  attackProcesses,
  events,
  isAttackEvent,
  recordings as splitRecordings,
  sharesTechnique,
} from './telemetry-split.mjs';

const ROOT = path.resolve(import.meta.dirname, '..');
const CORPUS = path.resolve(ROOT, '../shared/corpus/sigmahq');

/** @param {string} name @param {string} def */
const arg = (name, def) => {
  const i = process.argv.indexOf(name);
  return i === -1 ? def : (process.argv[i + 1] ?? def);
};
const PROCESS_LABELS = arg('--labels', 'process') !== 'technique';
const CACHE = arg('--cache', `/tmp/sigil-tune-eval-rank-${PROCESS_LABELS ? 'process' : 'technique'}.json`);
const TOP = Number(arg('--rules', '20'));
const IDENTITY = process.argv.includes('--identity');

const { parse } = await import('../dist/parser/index.js');
const { createEngine } = await import('../dist/eval/engine.js');
const { compileRule, toView } = await import('../dist/eval/compile.js');
const { parseRegressionInfo, runCase } = await import('../dist/eval/rule-tests.js');
const { HitCollector } = await import('../dist/lint/tune/collect.js');
const { proposeFilters, filterTest } = await import('../dist/lint/tune/propose.js');
const { tunedRuleYaml } = await import('../dist/lint/tune/yaml.js');
const { gatherRuleTests } = await import('../dist/cli/commands/test.js');

const rules = await corpusRules(CORPUS);

const recordings = splitRecordings();
const tuning = recordings.filter((r) => !r.heldOut);
const heldOut = recordings.filter((r) => r.heldOut);

/** Whether a recording's events count as benign for a rule. @param {any} rule @param {{ techniques: string[] }} rec */
const benignFor = (rule, rec) => !sharesTechnique(rule, rec);

/** The benign events of a recording: the attacker's processes left out (unless --labels technique). @param {string} file */
async function* benignEvents(file) {
  const tree = PROCESS_LABELS ? await attackProcesses(file, toView) : new Set();
  for await (const raw of events(file)) if (!isAttackEvent(raw, toView(raw), tree)) yield raw;
}

// ---------------------------------------------------------------------------
// 1. The noisiest rules on the tuning part (benign hits), cached

/** @type {Record<string, Record<string, number>>} recording → rule file → hits */
let rank;
if (fs.existsSync(CACHE)) rank = JSON.parse(fs.readFileSync(CACHE, 'utf8'));
else {
  const engine = createEngine(
    rules.map((r) => r.rule),
    { logsourceFilter: true },
  );
  const indexOf = new Map(engine.matchers.map((m, i) => [m.rule, i]));
  rank = {};
  for (const rec of tuning) {
    /** @type {Record<string, number>} */
    const hits = {};
    for await (const raw of benignEvents(rec.path))
      for (const m of engine.evaluate(toView(raw))) {
        const key = rules[/** @type {number} */ (indexOf.get(m.rule))].file;
        hits[key] = (hits[key] ?? 0) + 1;
      }
    rank[rec.file] = hits;
  }
  fs.writeFileSync(CACHE, JSON.stringify(rank));
}
const tuningHits = rules.map((r) => ({
  ...r,
  hits: tuning.reduce((n, rec) => n + (benignFor(r.rule, rec) ? (rank[rec.file]?.[r.file] ?? 0) : 0), 0),
}));
// --with-regression: the noisiest among the rules that have SigmaHQ regression cases (the guard at work).
const WITH_REGRESSION = process.argv.includes('--with-regression');
const regressionIds = new Set();
if (WITH_REGRESSION)
  for (const info of yamlFiles(path.join(CORPUS, 'regression_data')).filter((f) => path.basename(f) === 'info.yml'))
    for (const id of parseRegressionInfo(fs.readFileSync(info, 'utf8'), info).ruleIds) regressionIds.add(id);
const chosen = tuningHits
  .filter((r) => r.hits > 0 && (!WITH_REGRESSION || regressionIds.has(r.rule.id)))
  .sort((a, b) => b.hits - a.hits || (a.file < b.file ? -1 : 1))
  .slice(0, TOP);

// ---------------------------------------------------------------------------
// 2. Tune each on the tuning part, guarded by its regression cases

/** @type {Map<any, { hits: number, rows: any[] }>} */
const collected = new Map(chosen.map((c) => [c.rule, { hits: 0, rows: /** @type {any[]} */ ([]) }]));
for (const rec of tuning) {
  const ruleSet = chosen.filter((c) => benignFor(c.rule, rec)).map((c) => c.rule);
  if (ruleSet.length === 0) continue;
  const collector = new HitCollector(ruleSet, IDENTITY);
  for await (const raw of benignEvents(rec.path)) collector.add(raw);
  for (const { rule, hits, rows } of collector.results()) {
    const slot = /** @type {{ hits: number, rows: any[] }} */ (collected.get(rule));
    slot.hits += hits;
    for (const row of rows) slot.rows.push(row);
  }
}

const parsed = chosen.map((c) => parse(fs.readFileSync(c.path), { file: c.path, schema: false }));
const gathered = gatherRuleTests(parsed);
const results = chosen.map((c, k) => {
  const rule = /** @type {any} */ (parsed[k].documents[0]?.document);
  const cases = gathered.cases
    .filter((g) => g.entry.file === c.path && g.case.match && g.events !== null)
    .map((g) => ({
      name: g.case.name,
      source: path.relative(CORPUS, g.source),
      events: /** @type {any[]} */ (g.events),
      ...(g.case.matchCount !== undefined ? { matchCount: g.case.matchCount } : {}),
      testCase: g.case,
    }));
  const slot = /** @type {{ hits: number, rows: any[] }} */ (collected.get(c.rule));
  const result = proposeFilters(rule, slot.rows, slot.hits, cases, { identity: IDENTITY });
  // The tuned rule as `sigil tune` prints it, parsed back: every regression case must still pass.
  let casesPassing = cases.length;
  let tuned = rule;
  if (result.proposals.length > 0) {
    const text = tunedRuleYaml(rule, result, fs.readFileSync(c.path, 'utf8'));
    tuned = parse(text, { schema: false }).documents[0]?.document;
    const matcher = compileRule(tuned);
    casesPassing = cases.filter((x) => runCase(matcher, x.testCase, x.events).passed).length;
  }
  return { ...c, rule, tuned, cases, casesPassing, result };
});

// ---------------------------------------------------------------------------
// 3. Held out: benign hits and how many the filters remove

const held = new Map(results.map((r) => [r.rule, { hits: 0, removed: 0, fixtureHits: 0, fixtureRemoved: 0 }]));
for (const rec of heldOut) {
  const set = results.filter((r) => benignFor(r.rule, rec));
  if (set.length === 0) continue;
  const engine = createEngine(
    set.map((r) => r.rule),
    { logsourceFilter: true },
  );
  const filters = new Map(
    set.map((r) => [r.rule, r.result.proposals.map((p) => filterTest(p.field, p.modifier, p.value))]),
  );
  for await (const raw of benignEvents(rec.path)) {
    const ev = toView(raw);
    for (const m of engine.evaluate(ev)) {
      const h = /** @type {{ hits: number, removed: number, fixtureHits: number, fixtureRemoved: number }} */ (
        held.get(m.rule)
      );
      const removed = /** @type {any[]} */ (filters.get(m.rule)).some((t) => t(ev));
      h.hits++;
      if (removed) h.removed++;
      // The benign EVTX fixtures hold no simulated attack at all (counted apart as well).
      if (rec.file.startsWith('benign/')) {
        h.fixtureHits++;
        if (removed) h.fixtureRemoved++;
      }
    }
  }
}

// ---------------------------------------------------------------------------
// 4. Report

/** Seeded PRNG (mulberry32). @param {number} a */
function prng(a) {
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rows = results.map((r) => {
  const h = /** @type {{ hits: number, removed: number, fixtureHits: number, fixtureRemoved: number }} */ (
    held.get(r.rule)
  );
  return {
    rule: r.file,
    title: r.rule.title,
    tuningHits: r.result.hits,
    filters: r.result.proposals.map(
      (p) =>
        `${p.identifier}: ${p.field}${p.modifier ? `|${p.modifier}` : ''} '${p.value}'${p.environmentSpecific ? ' (environment-specific)' : ''}`,
    ),
    tuningRemoved: r.result.examined - r.result.remaining,
    heldOutHits: h.hits,
    heldOutRemoved: h.removed,
    fixtureHits: h.fixtureHits,
    fixtureRemoved: h.fixtureRemoved,
    regressionCases: r.cases.length,
    regressionPassing: r.casesPassing,
  };
});
/** @param {typeof rows} xs */
const share = (xs) => {
  const hits = xs.reduce((n, x) => n + x.heldOutHits, 0);
  return hits === 0 ? NaN : xs.reduce((n, x) => n + x.heldOutRemoved, 0) / hits;
};
const rnd = prng(20261204);
const boots = [];
for (let b = 0; b < 2000; b++) {
  const v = share(rows.map(() => rows[Math.floor(rnd() * rows.length)]));
  if (Number.isFinite(v)) boots.push(v);
}
boots.sort((x, y) => x - y);
const figures = {
  identity: IDENTITY,
  withRegression: WITH_REGRESSION,
  n: rows.length,
  heldOutHits: rows.reduce((n, x) => n + x.heldOutHits, 0),
  heldOutRemoved: rows.reduce((n, x) => n + x.heldOutRemoved, 0),
  removedShare: {
    value: share(rows),
    lo: boots[Math.floor(boots.length * 0.025)],
    hi: boots[Math.floor(boots.length * 0.975)],
  },
  fixtureHits: rows.reduce((n, x) => n + x.fixtureHits, 0),
  fixtureRemoved: rows.reduce((n, x) => n + x.fixtureRemoved, 0),
  rulesWithHeldOutHits: rows.filter((x) => x.heldOutHits > 0).length,
  regressionCases: rows.reduce((n, x) => n + x.regressionCases, 0),
  regressionPassing: rows.reduce((n, x) => n + x.regressionPassing, 0),
  refused: results.reduce((n, r) => n + r.result.refused.length, 0),
  rules: rows,
};
if (process.argv.includes('--json')) console.log(JSON.stringify(figures, null, 2));
else {
  const pct = (/** @type {number} */ x) => `${(x * 100).toFixed(1)} %`;
  console.log(
    `tune on the tuning part, measured on the held-out part: ${rows.length} noisiest SigmaHQ rules${WITH_REGRESSION ? ' with regression cases' : ''}${IDENTITY ? ' (--identity)' : ''}`,
  );
  console.log(
    `held-out benign hits removed: ${figures.heldOutRemoved} of ${figures.heldOutHits} = ${pct(figures.removedShare.value)} [${pct(figures.removedShare.lo)}, ${pct(figures.removedShare.hi)}] (95 % bootstrap over rules); ${figures.rulesWithHeldOutHits} rules fire on held-out benign events`,
  );
  console.log(
    `of which in the benign EVTX fixtures (no simulated attack): ${figures.fixtureRemoved} of ${figures.fixtureHits}`,
  );
  console.log(
    `regression cases still matching: ${figures.regressionPassing} of ${figures.regressionCases}; candidates refused by the guard: ${figures.refused}`,
  );
  console.log(
    '| rule | tuning hits | removed (tuning) | held-out hits | removed (held-out) | regression cases | filters |',
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | --- |');
  for (const x of rows)
    console.log(
      `| ${x.rule} | ${x.tuningHits} | ${x.tuningRemoved} | ${x.heldOutHits} | ${x.heldOutRemoved} | ${x.regressionPassing}/${x.regressionCases} | ${x.filters.join('; ').replace(/\|/g, '\\|') || '—'} |`,
    );
}
