#!/usr/bin/env node
// @ts-check
// Benchmark: `sigil lint --telemetry` over 1,000,000 events with every rule of the SigmaHQ corpus
// (its rule folders, ~3,800 rules), through the real CLI (read, gunzip, JSON parse, normalise,
// evaluate, score, JSON report). Issue 21's target: under 60 s wall on 2 cores.
//
// The events are the shared telemetry (../shared/telemetry: otrf/ then benign/) repeated until
// the count is reached, as a folder of symbolic links to the shared files (no copy; the CLI
// streams them one after another), plus one gzip file of the first lines of the next file to
// make the count exact. Nothing holds the events in memory but the CLI, which streams them.
//
//   node scripts/bench-telemetry.mjs [--events N] [--runs N] [--workers N]
//
// --events: events in all (default 1,000,000); --runs: runs (default 3; the median is reported);
// --workers: telemetry worker threads (SIGIL_WORKERS; 0 = SIGIL_NO_WORKERS, the sequential path;
// default: the CLI's choice, one per core). Not a test: the figures depend on the machine and its
// load, so the load average is printed before and after each run. Needs `npm run build`.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { RULE_FOLDERS } from './corpus-folders.mjs';

const root = path.resolve(import.meta.dirname, '..');
const corpus = path.resolve(root, '../shared/corpus/sigmahq');
const telemetry = path.resolve(root, '../shared/telemetry');
const args = process.argv.slice(2);
/** @param {string} name @param {number | undefined} def @param {number} min */
function count(name, def, min = 1) {
  const i = args.indexOf(name);
  if (i < 0) return def;
  const n = Number(args[i + 1]);
  if (!Number.isInteger(n) || n < min) {
    console.error(`bench-telemetry: ${name} takes a whole number ≥ ${min}`);
    process.exit(2);
  }
  return n;
}
const events = /** @type {number} */ (count('--events', 1_000_000));
const runs = /** @type {number} */ (count('--runs', 3));
const workers = count('--workers', undefined, 0);

for (const p of [corpus, telemetry]) {
  if (!fs.existsSync(p)) {
    console.error(`bench-telemetry: ${p} is missing`);
    process.exit(2);
  }
}

/** The shared event files, in a fixed order: the lab recordings, then the benign exports. */
const sources = ['otrf', 'benign'].flatMap((d) =>
  fs
    .readdirSync(path.join(telemetry, d))
    .filter((f) => f.endsWith('.jsonl.gz'))
    .sort()
    .map((f) => path.join(telemetry, d, f)),
);

/** Lines (events) of a gzip JSON Lines file, counted as a stream. @param {string} file */
async function countLines(file) {
  let n = 0;
  let last = 10;
  for await (const chunk of fs.createReadStream(file).pipe(zlib.createGunzip())) {
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) n++;
    last = chunk[chunk.length - 1];
  }
  return last === 10 ? n : n + 1;
}

/** The first `n` lines of a gzip JSON Lines file, gzipped, streamed. @param {string} from @param {string} to @param {number} n */
async function writeHead(from, to, n) {
  const out = zlib.createGzip();
  const done = new Promise((resolve, reject) =>
    out
      .pipe(fs.createWriteStream(to))
      .on('finish', () => resolve(undefined))
      .on('error', reject),
  );
  let left = n;
  for await (const chunk of fs.createReadStream(from).pipe(zlib.createGunzip())) {
    let end = 0;
    while (left > 0 && end < chunk.length) {
      const nl = chunk.indexOf(10, end);
      end = nl === -1 ? chunk.length : nl + 1;
      if (nl !== -1) left--;
    }
    out.write(chunk.subarray(0, end));
    if (left === 0) break;
  }
  out.end();
  await done;
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sigil-bench-telemetry-'));
try {
  const counts = new Map();
  for (const f of sources) counts.set(f, await countLines(f));
  let total = 0;
  let files = 0;
  for (let round = 1; total < events; round++) {
    for (const f of sources) {
      if (total >= events) break;
      const n = counts.get(f);
      const name = `r${String(round).padStart(2, '0')}__${path.basename(path.dirname(f))}__${path.basename(f)}`;
      if (total + n <= events) fs.symlinkSync(f, path.join(dir, name));
      else await writeHead(f, path.join(dir, name), events - total);
      total += Math.min(n, events - total);
      files++;
    }
  }
  const ruleDirs = RULE_FOLDERS.map((d) => path.join(corpus, d));
  /** @type {Record<string, string | undefined>} */
  const env = { ...process.env, SIGIL_BENCH_RUSAGE: '1', NO_COLOR: '1' };
  delete env['SIGIL_WORKERS'];
  delete env['SIGIL_NO_WORKERS'];
  if (workers === 0) env['SIGIL_NO_WORKERS'] = '1';
  else if (workers !== undefined) env['SIGIL_WORKERS'] = String(workers);
  console.log(
    `lint --telemetry: ${total.toLocaleString('en')} events (${files} files: the shared otrf/ + benign/ telemetry repeated) × the corpus rule folders; workers: ${workers ?? 'default'}; ${os.availableParallelism()} cores`,
  );
  /** @type {{ wall: number, cpu: number, rssMb: number }[]} */
  const results = [];
  for (let i = 0; i < runs; i++) {
    const load = os.loadavg()[0].toFixed(1);
    const t0 = process.hrtime.bigint();
    const r = spawnSync(
      process.execPath,
      [path.join(root, 'bin/sigil.js'), 'lint', ...ruleDirs, '--telemetry', dir, '--format', 'json'],
      { env, maxBuffer: 1 << 30, encoding: 'utf8' },
    );
    const wall = Number(process.hrtime.bigint() - t0) / 1e9;
    const m = /SIGIL_RUSAGE (\{.*\})/.exec(r.stderr ?? '');
    if (!m || (r.status !== 0 && r.status !== 1)) {
      console.log(
        `run ${i + 1} FAILED (exit ${r.status}): ${(r.stderr ?? '').trim().split('\n').slice(-3).join(' | ')}`,
      );
      process.exitCode = 1;
      break;
    }
    const usage = JSON.parse(m[1]);
    const cpu = (usage.userMs + usage.systemMs) / 1000;
    const rssMb = usage.maxRssKb / 1024;
    results.push({ wall, cpu, rssMb });
    const summary = /linted .*/.exec(r.stderr)?.[0] ?? '';
    console.log(
      `run ${i + 1}: ${wall.toFixed(1)} s wall, ${cpu.toFixed(1)} CPU-s (all threads), peak RSS ${rssMb.toFixed(0)} MB, ${Math.round(total / wall).toLocaleString('en')} events/s; load average ${load} → ${os.loadavg()[0].toFixed(1)}; ${summary}`,
    );
  }
  if (results.length > 0) {
    /** @param {number[]} xs */
    const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
    const wall = median(results.map((r) => r.wall));
    const cpu = median(results.map((r) => r.cpu));
    console.log(
      `median of ${results.length}: ${wall.toFixed(1)} s wall (target < 60 s: ${wall < 60 ? 'met' : 'MISSED'}), ${cpu.toFixed(1)} CPU-s, ${Math.round(total / cpu).toLocaleString('en')} events per CPU-second, peak RSS ${Math.max(...results.map((r) => r.rssMb)).toFixed(0)} MB`,
    );
  }
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
