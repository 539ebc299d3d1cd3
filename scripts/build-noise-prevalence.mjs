#!/usr/bin/env node
// @ts-check
/**
 * Regenerates src/data/noise-prevalence.json: how common things are in benign Windows
 * telemetry, for the static noise score. Counts events of the tuning part of
 * ../shared/telemetry only (scripts/telemetry-split.mjs: the Mordor-lab recordings of OTRF
 * Security-Datasets, MIT); the held-out part is never read. Only derived counts are written:
 *   sources   events per "channel|EventID" (lower-cased channel)
 *   kinds     per kind, the number of events that have it (the denominator)
 *   counts    "kind|value" → events, for values seen in at least MIN_COUNT events:
 *     proc  the file name of a process image (Image, ParentImage, SourceImage, TargetImage,
 *           NewProcessName, ParentProcessName, ProcessName)
 *     pair  parent → child file names of a process start ("parent>child")
 *     tok   a command-line token (CommandLine, ParentCommandLine; split on blanks and quotes)
 *     seg   a path segment of a file or registry path (TargetFilename, TargetObject,
 *           ImageLoaded, ObjectName, PipeName)
 *     pre   a path prefix up to each separator (the same fields), up to 6 segments deep
 * Events of the attacker's processes (telemetry-split.mjs `attackProcesses`) are left out.
 * Values are lower-cased; user-profile names and GUIDs are not kept (counts of identities say
 * nothing about behaviour elsewhere). Needs `npm run build` (it reads events with the evaluator's
 * normalisation).
 */
import fs from 'node:fs';
import path from 'node:path';
import { attackProcesses, events, isAttackEvent, recordings } from './telemetry-split.mjs';

const MIN_COUNT = 3;
const MAX_DEPTH = 6;
const { normalizeEvent } = await import('../dist/eval/event-shapes.js');
const { toView } = await import('../dist/eval/compile.js');

const PROC = [
  'Image',
  'ParentImage',
  'SourceImage',
  'TargetImage',
  'NewProcessName',
  'ParentProcessName',
  'ProcessName',
];
const CMD = ['CommandLine', 'ParentCommandLine'];
const PATHS = ['TargetFilename', 'TargetObject', 'ImageLoaded', 'ObjectName', 'PipeName'];
const IDENTITY = /^\{?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}?$|^s-1-5-21-/;

/** @type {Map<string, number>} */
const counts = new Map();
/** @type {Record<string, number>} */
const kinds = { proc: 0, pair: 0, tok: 0, seg: 0, pre: 0 };
/** @type {Record<string, number>} */
const sources = {};
let total = 0;
let attackEvents = 0;
const used = [];

/** Counts each key once per event. @param {Set<string>} seen @param {string} key */
const add = (seen, key) => {
  if (seen.has(key)) return;
  seen.add(key);
  counts.set(key, (counts.get(key) ?? 0) + 1);
};
const base = (/** @type {string} */ p) => p.replace(/^.*[\\/]/, '');
const str = (/** @type {unknown} */ v) => (typeof v === 'string' && v !== '' ? v.toLowerCase() : undefined);
/** Users' profile folders are identities: `c:\users\alice\` becomes `c:\users\*\`. @param {string} p */
const anonymise = (p) => p.replace(/\\users\\[^\\]+\\/, '\\users\\*\\');

for (const rec of recordings()) {
  if (rec.heldOut) continue;
  used.push(rec.file);
  // The attacker's own processes are not benign telemetry (docs/noise.md, "Attack events").
  const tree = await attackProcesses(rec.path, toView);
  for await (const raw of events(rec.path)) {
    if (isAttackEvent(raw, toView(raw), tree)) {
      attackEvents++;
      continue;
    }
    const e = normalizeEvent(raw);
    total++;
    const ch = str(e['Channel']);
    const k = `${ch ?? ''}|${e['EventID'] ?? ''}`;
    sources[k] = (sources[k] ?? 0) + 1;
    /** @type {Set<string>} */
    const seen = new Set();
    let hasProc = false;
    for (const f of PROC) {
      const v = str(e[f]);
      if (v) {
        add(seen, `proc|${base(v)}`);
        hasProc = true;
      }
    }
    if (hasProc) kinds.proc++;
    const parent = str(e['ParentImage']);
    const child = str(e['Image']);
    if (parent && child) {
      add(seen, `pair|${base(parent)}>${base(child)}`);
      kinds.pair++;
    }
    let hasCmd = false;
    for (const f of CMD) {
      const v = str(e[f]);
      if (!v) continue;
      hasCmd = true;
      for (const t of v.split(/[\s"']+/))
        if (t.length >= 2 && t.length <= 80 && !IDENTITY.test(t)) add(seen, `tok|${t}`);
    }
    if (hasCmd) kinds.tok++;
    let hasPath = false;
    for (const f of PATHS) {
      const v = str(e[f]);
      if (!v) continue;
      hasPath = true;
      const p = anonymise(v);
      const segs = p.split('\\');
      for (const s of segs) if (s !== '' && s.length <= 80 && !IDENTITY.test(s)) add(seen, `seg|${s}`);
      for (let d = 1; d <= Math.min(MAX_DEPTH, segs.length - 1); d++) {
        const prefix = segs.slice(0, d).join('\\') + '\\';
        if (segs.slice(0, d).some((s) => IDENTITY.test(s))) break;
        add(seen, `pre|${prefix}`);
      }
    }
    if (hasPath) {
      kinds.seg++;
      kinds.pre++;
    }
  }
}
/** @type {Record<string, number>} */
const kept = {};
for (const [k, n] of [...counts].sort((a, b) => (a[0] < b[0] ? -1 : 1))) if (n >= MIN_COUNT) kept[k] = n;
const out = path.resolve(import.meta.dirname, '../src/data/noise-prevalence.json');
const data = {
  source:
    "OTRF Security-Datasets (github.com/OTRF/Security-Datasets, commit d9d40ef1, MIT), atomic Windows host recordings of the Mordor lab (tuning part of scripts/telemetry-split.mjs), events of the attacker's processes left out: derived counts only",
  recordings: used.length,
  events: total,
  attackEventsLeftOut: attackEvents,
  minCount: MIN_COUNT,
  kinds,
  sources,
  counts: kept,
};
fs.writeFileSync(out, JSON.stringify(data) + '\n');
console.log(
  `wrote ${out}: ${total} events of ${used.length} recordings (${attackEvents} attack events left out), ${Object.keys(kept).length} counts, ${fs.statSync(out).size} bytes`,
);
