// Whole shared corpus → SPL through the CLI in one process (also used by bench-sigma.mjs): runs the CLI over every rule directory of the
// shared corpus N times and reports the median wall time and the peak RSS the process reports
// (SIGIL_BENCH_RUSAGE, see src/cli/main.ts). Target: under 1.5 s wall.
// Usage: node scripts/bench-spl.mjs [--runs N] [--pipeline splunk-windows|splunk-cim]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const corpus = path.resolve(root, '../shared/corpus/sigmahq');
const DIRS = ['rules', 'rules-emerging-threats', 'rules-threat-hunting', 'rules-compliance', 'rules-dfir', 'rules-placeholder', 'deprecated', 'unsupported'].map((d) => path.join(corpus, d)).filter((d) => fs.existsSync(d));

export function benchCli({ name, argv, args }) {
  const runs = args.includes('--runs') ? Number(args[args.indexOf('--runs') + 1]) : 5;
  const bin = path.join(root, 'bin/sigil.js');
  const walls = [];
  let rss = 0;
  let summary = '';
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [bin, ...argv(DIRS)], { env: { ...process.env, SIGIL_BENCH_RUSAGE: '1', NO_COLOR: '1' }, maxBuffer: 1 << 30, encoding: 'utf8' });
    walls.push(Number(process.hrtime.bigint() - t0) / 1e9);
    const m = /SIGIL_RUSAGE (\{.*\})/.exec(r.stderr ?? '');
    if (!m || (r.status !== 0 && r.status !== 1)) {
      console.error(`${name}: the CLI failed (exit ${r.status}): ${(r.stderr ?? '').trim().split('\n').slice(-3).join(' | ')}`);
      process.exit(2);
    }
    rss = Math.max(rss, JSON.parse(m[1]).maxRssKb);
    summary = (r.stderr.split('\n').find((l) => l.startsWith('converted ')) ?? '').trim();
  }
  walls.sort((a, b) => a - b);
  const median = walls[Math.floor(walls.length / 2)];
  console.log(`${name}: median ${median.toFixed(2)} s wall over ${runs} runs (min ${walls[0].toFixed(2)} s), peak RSS ${(rss / 1024).toFixed(0)} MB${median <= 1.5 ? '' : '  [over the 1.5 s target]'}`);
  if (summary) console.log(`  ${summary}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const pipeline = args.includes('--pipeline') ? args[args.indexOf('--pipeline') + 1] : 'splunk-windows';
  benchCli({ name: `corpus → SPL (${pipeline})`, argv: (dirs) => ['convert', ...dirs, '-t', 'splunk', '-p', pipeline, '--json'], args });
}
