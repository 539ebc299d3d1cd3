#!/usr/bin/env node
// @ts-check
/**
 * How well the static noise score predicts benign firing, on telemetry it was never tuned on.
 *
 *   npm run build && node scripts/noise-eval.mjs [--cache FILE] [--json] [--write-firing FILE]
 *
 * 1. Every SigmaHQ rule (all rules* folders) runs over ../shared/telemetry (otrf/ and benign/)
 *    with the evaluator (logsource filter on): hits and in-scope events per rule per recording.
 *    The measurement is cached in FILE (default /tmp/sigil-noise-eval.json; delete it after
 *    changing the evaluator).
 * 2. Split by recording and host, never by event: recordings whose hosts are all in the Mordor
 *    lab (theshire.local / mordor.local: WORKSTATION5-7, MORDORDC) are the tuning part; the
 *    recordings of other labs (shire.com, Pedro01, pandalab DC01, blacksmith ADFS01) and the
 *    benign EVTX fixtures are held out. No host is in both parts.
 * 3. Attack events are not benign firing. A hit counts apart when the event belongs to the
 *    attacker's processes (scripts/telemetry-split.mjs `attackProcesses`: the processes that talk
 *    to the lab's C2 server and their descendants), or when the rule's ATT&CK technique tags share
 *    a technique (or its parent) with the recording's (MANIFEST.json; the recordings without
 *    metadata get the technique their name names). `--labels technique` uses the second test
 *    alone (the labelling before session 7), for comparison.
 * 4. Over the SigmaHQ rules whose log source the held-out telemetry covers (placed, in-scope
 *    events > 0): ROC AUC of the static score for "fires on held-out benign telemetry",
 *    Spearman(score, hits), the label AUC (low/informational vs high/critical) as a secondary
 *    figure; 95 % bootstrap intervals over rules (2,000 resamples, seeded).
 * Prints a table; --json prints the figures as JSON.
 */
import fs from 'node:fs';
import path from 'node:path';
import { corpusRules } from './corpus-folders.mjs';
import {
  attackProcesses,
  events,
  isAttackEvent,
  recordings as splitRecordings,
  sharesTechnique,
} from './telemetry-split.mjs';

const ROOT = path.resolve(import.meta.dirname, '..');
const SHARED = path.resolve(ROOT, '../shared');
const CORPUS = path.join(SHARED, 'corpus/sigmahq');

/** @param {string} name @param {string} def */
const arg = (name, def) => {
  const i = process.argv.indexOf(name);
  return i === -1 ? def : (process.argv[i + 1] ?? def);
};
const CACHE = arg('--cache', '/tmp/sigil-noise-eval-v2.json');
const PROCESS_LABELS = arg('--labels', 'process') !== 'technique';

const { createEngine } = await import('../dist/eval/engine.js');
const { toView } = await import('../dist/eval/compile.js');
const { logsourceSees, logsourcePlaced } = await import('../dist/eval/logsource-map.js');
const { noiseScore } = await import('../dist/lint/noise/score.js');
const { BUILTIN_CATALOG } = await import('../dist/lint/noise/catalog.js');

const rules = await corpusRules(CORPUS);

const recordings = splitRecordings();

// ---------------------------------------------------------------------------
// 1. Measure (cached)

const ruleKey = (/** @type {{ rule: any, file: string }} */ r) => r.file;
/** @type {{ recordings: Record<string, { events: number, partitions: [string|null, number|null, number][], hits: Record<string, number>, attackHits: Record<string, number> }> }} */
let measured;
if (fs.existsSync(CACHE)) measured = JSON.parse(fs.readFileSync(CACHE, 'utf8'));
else {
  const engine = createEngine(
    rules.map((r) => r.rule),
    { logsourceFilter: true },
  );
  const indexOf = new Map(engine.matchers.map((m, i) => [m.rule, i]));
  measured = { recordings: {} };
  const t0 = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  let total = 0;
  for (const rec of recordings) {
    /** @type {Map<string, [string|null, number|null, number]>} */
    const parts = new Map();
    /** @type {Record<string, number>} */
    const hits = {};
    /** @type {Record<string, number>} */
    const attackHits = {};
    const tree = await attackProcesses(rec.path, toView);
    let n = 0;
    for await (const raw of events(rec.path)) {
      n++;
      const ev = toView(raw);
      /** @type {boolean | undefined} whether the event is the attacker's, asked only of hits */
      let attack;
      const ch = ev.value('Channel');
      const channel = typeof ch === 'string' ? ch.toLowerCase() : null;
      const id = ev.value('EventID');
      const eventId = typeof id === 'number' ? id : typeof id === 'string' && /^\d+$/.test(id) ? Number(id) : null;
      const k = `${channel}|${eventId}`;
      const p = parts.get(k);
      if (p) p[2]++;
      else parts.set(k, [channel, eventId, 1]);
      for (const m of engine.evaluate(ev)) {
        const key = ruleKey(rules[/** @type {number} */ (indexOf.get(m.rule))]);
        attack ??= isAttackEvent(raw, ev, tree);
        const into = attack ? attackHits : hits;
        into[key] = (into[key] ?? 0) + 1;
      }
    }
    total += n;
    measured.recordings[rec.file] = { events: n, partitions: [...parts.values()], hits, attackHits };
  }
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  console.error(
    `measured ${rules.length} rules over ${total} events in ${wall.toFixed(1)} s (${((cpu.user + cpu.system) / 1e6).toFixed(1)} CPU-s)`,
  );
  fs.writeFileSync(CACHE, JSON.stringify(measured));
}

// ---------------------------------------------------------------------------
// 2. Per rule: held-out benign hits, attack hits, in-scope events

/**
 * @param {boolean} heldOut
 * @returns {{ key: string, rule: any, inScope: number, hits: number, attackHits: number }[]}
 */
function perRule(heldOut) {
  return rules.map((r) => {
    const key = ruleKey(r);
    let inScope = 0;
    let hits = 0;
    let attackHits = 0;
    for (const rec of recordings) {
      if (rec.heldOut !== heldOut) continue;
      const m = measured.recordings[rec.file];
      if (!m) continue;
      for (const [channel, eventId, n] of m.partitions)
        if (channel === null || logsourceSees(r.rule.logsource, { channel, eventId })) inScope += n;
      const inTree = m.attackHits[key] ?? 0;
      // --labels technique: the attacker's processes are not told apart (the earlier labelling).
      const h = (m.hits[key] ?? 0) + (PROCESS_LABELS ? 0 : inTree);
      if (PROCESS_LABELS) attackHits += inTree;
      if (h > 0 && sharesTechnique(r.rule, rec)) attackHits += h;
      else hits += h;
    }
    return { key, rule: r.rule, inScope, hits, attackHits };
  });
}

// ---------------------------------------------------------------------------
// 3. Statistics

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

/** ROC AUC of scores for positives vs negatives (ties count half). @param {number[]} pos @param {number[]} neg */
function auc(pos, neg) {
  if (pos.length === 0 || neg.length === 0) return NaN;
  const all = [...pos.map((s) => [s, 1]), ...neg.map((s) => [s, 0])].sort((a, b) => a[0] - b[0]);
  let rankSum = 0;
  for (let i = 0; i < all.length;) {
    let j = i;
    while (j < all.length && all[j][0] === all[i][0]) j++;
    const avg = (i + j + 1) / 2;
    for (let k = i; k < j; k++) if (all[k][1] === 1) rankSum += avg;
    i = j;
  }
  return (rankSum - (pos.length * (pos.length + 1)) / 2) / (pos.length * neg.length);
}

/** @param {number[]} xs */
function ranks(xs) {
  const idx = xs.map((x, i) => [x, i]).sort((a, b) => a[0] - b[0]);
  const r = new Array(xs.length);
  for (let i = 0; i < idx.length;) {
    let j = i;
    while (j < idx.length && idx[j][0] === idx[i][0]) j++;
    for (let k = i; k < j; k++) r[idx[k][1]] = (i + j - 1) / 2;
    i = j;
  }
  return r;
}

/** @param {number[]} a @param {number[]} b */
function spearman(a, b) {
  const ra = ranks(a);
  const rb = ranks(b);
  const n = a.length;
  const ma = ra.reduce((s, x) => s + x, 0) / n;
  const mb = rb.reduce((s, x) => s + x, 0) / n;
  let num = 0;
  let da = 0;
  let db = 0;
  for (let i = 0; i < n; i++) {
    num += (ra[i] - ma) * (rb[i] - mb);
    da += (ra[i] - ma) ** 2;
    db += (rb[i] - mb) ** 2;
  }
  return num / Math.sqrt(da * db);
}

/**
 * Kendall's tau-b (ties in either variable corrected), in O(n log n): sort by a then b, count
 * the discordant pairs by merge sort on b.
 * @param {number[]} a @param {number[]} b
 */
function kendallTauB(a, b) {
  const n = a.length;
  const idx = [...a.keys()].sort((i, j) => a[i] - a[j] || b[i] - b[j]);
  /** Pairs tied in the values given by key over the sorted order. @param {(i: number) => string} key */
  const tiedPairs = (/** @type {number[]} */ order, key) => {
    let t = 0;
    for (let i = 0; i < order.length;) {
      let j = i;
      while (j < order.length && key(order[j]) === key(order[i])) j++;
      t += ((j - i) * (j - i - 1)) / 2;
      i = j;
    }
    return t;
  };
  const n1 = tiedPairs(idx, (i) => String(a[i]));
  const n3 = tiedPairs(idx, (i) => `${a[i]}|${b[i]}`);
  // Swaps of a stable merge sort on b = pairs ordered one way by a and the other by b.
  let swaps = 0;
  let arr = idx.map((i) => b[i]);
  for (let width = 1; width < n; width *= 2) {
    const out = new Array(n);
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n);
      const hi = Math.min(lo + 2 * width, n);
      let i = lo;
      let j = mid;
      let k = lo;
      while (i < mid && j < hi) {
        if (arr[j] < arr[i]) {
          swaps += mid - i;
          out[k++] = arr[j++];
        } else out[k++] = arr[i++];
      }
      while (i < mid) out[k++] = arr[i++];
      while (j < hi) out[k++] = arr[j++];
    }
    arr = out;
  }
  const n2 = tiedPairs(
    [...b.keys()].sort((i, j) => b[i] - b[j]),
    (i) => String(b[i]),
  );
  const n0 = (n * (n - 1)) / 2;
  const concordantMinusDiscordant = n0 - n1 - n2 + n3 - 2 * swaps;
  return concordantMinusDiscordant / Math.sqrt((n0 - n1) * (n0 - n2));
}

/**
 * A statistic and its 95 % bootstrap interval over items.
 * @template T @param {T[]} items @param {(xs: T[]) => number} stat
 */
function withCi(items, stat) {
  const rnd = prng(20261204);
  const values = [];
  for (let b = 0; b < 2000; b++) {
    const sample = items.map(() => items[Math.floor(rnd() * items.length)]);
    const v = stat(sample);
    if (Number.isFinite(v)) values.push(v);
  }
  values.sort((x, y) => x - y);
  return {
    value: stat(items),
    lo: values[Math.floor(values.length * 0.025)],
    hi: values[Math.floor(values.length * 0.975)],
  };
}

// ---------------------------------------------------------------------------
// 4. Report

// --part tuning reports on the tuning recordings instead (for choosing constants; never the figure to quote).
const held = perRule(arg('--part', 'held-out') !== 'tuning').filter(
  (r) => logsourcePlaced(r.rule.logsource) && r.inScope > 0,
);
// --write-firing FILE records, per covered rule (corpus path), its benign hits and in-scope events
// on the held-out part: the data test/lint/corpus.test.ts checks the static score against.
const firingFile = arg('--write-firing', '');
if (firingFile && arg('--part', 'held-out') !== 'tuning') {
  const out = {
    source:
      'npm run noise-eval -- --write-firing FILE: SigmaHQ rules over the held-out part of ../shared/telemetry (scripts/telemetry-split.mjs: recordings of labs other than Mordor and the benign EVTX fixtures), attack hits left out; rules whose log source the part covers',
    rules: Object.fromEntries(held.map((r) => [r.key, [r.hits, r.inScope]])),
  };
  fs.writeFileSync(firingFile, JSON.stringify(out, null, 0) + '\n');
}
// --params '{"prevalenceWeight": 0}' scores with other constants (calibration on --part tuning).
const { NOISE_PARAMS } = await import('../dist/lint/noise/score.js');
const params = { ...NOISE_PARAMS, ...JSON.parse(arg('--params', '{}')) };
const scored = held.map((r) => ({
  ...r,
  score: noiseScore(r.rule, { catalog: BUILTIN_CATALOG, params })?.score ?? NaN,
}));
const items = scored.filter((r) => Number.isFinite(r.score));
const fireAuc = (/** @type {typeof items} */ xs) =>
  auc(
    xs.filter((r) => r.hits > 0).map((r) => r.score),
    xs.filter((r) => r.hits === 0).map((r) => r.score),
  );
const rho = (/** @type {typeof items} */ xs) =>
  spearman(
    xs.map((r) => r.score),
    xs.map((r) => r.hits),
  );
const tau = (/** @type {typeof items} */ xs) =>
  kendallTauB(
    xs.map((r) => r.score),
    xs.map((r) => r.hits),
  );
// The Spearman a perfect ranking with distinct scores would reach on these hit counts: with most
// rules at 0 hits, the ranks of the hits are mostly ties, which bounds the coefficient.
const ceiling = spearman(
  [...items.keys()].map((i) => items[i].hits * items.length + i),
  items.map((r) => r.hits),
);
const labelled = items.filter((r) => ['low', 'informational', 'high', 'critical'].includes(r.rule.level));
const labelAuc = (/** @type {typeof items} */ xs) =>
  auc(
    xs.filter((r) => r.rule.level === 'low' || r.rule.level === 'informational').map((r) => r.score),
    xs.filter((r) => r.rule.level === 'high' || r.rule.level === 'critical').map((r) => r.score),
  );
const firing = items.filter((r) => r.hits > 0).length;
const heldEvents = recordings
  .filter((r) => r.heldOut)
  .reduce((s, r) => s + (measured.recordings[r.file]?.events ?? 0), 0);
const tuneEvents = recordings
  .filter((r) => !r.heldOut)
  .reduce((s, r) => s + (measured.recordings[r.file]?.events ?? 0), 0);
const attackOnly = scored.filter((r) => r.hits === 0 && r.attackHits > 0).length;
const figures = {
  rules: rules.length,
  tuningEvents: tuneEvents,
  heldOutEvents: heldEvents,
  heldOutRecordings: recordings.filter((r) => r.heldOut).length,
  covered: items.length,
  firing,
  attackOnly,
  fireAuc: withCi(items, fireAuc),
  spearman: withCi(items, rho),
  spearmanCeiling: ceiling,
  kendallTauB: withCi(items, tau),
  labelAuc: { n: labelled.length, ...withCi(labelled, labelAuc) },
  noisiest: [...items]
    .sort((a, b) => b.hits - a.hits)
    .slice(0, 20)
    .map((r) => ({ rule: r.key, hits: r.hits, inScope: r.inScope, score: r.score })),
};
if (process.argv.includes('--json')) console.log(JSON.stringify(figures, null, 2));
else {
  const f = (/** @type {{ value: number, lo: number, hi: number }} */ x) =>
    `${x.value.toFixed(3)} [${x.lo.toFixed(3)}, ${x.hi.toFixed(3)}]`;
  console.log(
    `rules: ${figures.rules}; tuning events ${tuneEvents}; held-out events ${heldEvents} (${figures.heldOutRecordings} recordings)`,
  );
  console.log(
    `held-out coverage: ${items.length} rules; ${firing} fire on benign held-out events; ${attackOnly} fire only on attack events (left out)`,
  );
  console.log(
    `static score AUC (fires on held-out benign telemetry): ${f(figures.fireAuc)}  n=${items.length} (${firing} firing)`,
  );
  console.log(
    `Spearman(score, held-out hits): ${f(figures.spearman)} (a perfect ranking with distinct scores: ${ceiling.toFixed(3)})`,
  );
  console.log(`Kendall tau-b(score, held-out hits): ${f(figures.kendallTauB)}`);
  console.log(
    `label AUC (low/informational vs high/critical, secondary): ${f(figures.labelAuc)}  n=${labelled.length}`,
  );
  console.log('noisiest on held-out telemetry:');
  for (const r of figures.noisiest)
    console.log(
      `  ${String(r.hits).padStart(6)} / ${String(r.inScope).padStart(6)}  score ${String(r.score).padStart(3)}  ${r.rule}`,
    );
}
