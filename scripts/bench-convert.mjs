#!/usr/bin/env node
// Whole corpus to KQL in one process through the CLI; prints wall time and peak RSS.
// Usage: node scripts/bench-convert.mjs [RULES_DIR] [PIPELINE]   (after npm run build)
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const rules = process.argv[2] ?? path.resolve(root, '../shared/corpus/sigmahq/rules');
const pipeline = process.argv[3] ?? 'defender-xdr';
const args = [path.join(root, 'bin/sigil.js'), 'convert', rules, '-t', 'kql', '-p', pipeline, '--json'];
const runs = [];
for (let i = 0; i < 3; i++) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', process.execPath, ...args], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const lines = r.stderr.trim().split('\n');
  const [, rssKb] = lines[lines.length - 1].split(' ');
  runs.push({ wall, rssMb: Number(rssKb) / 1024, summary: lines.find((l) => l.startsWith('converted')) ?? '' });
}
runs.sort((a, b) => a.wall - b.wall);
console.log(`sigil convert ${path.relative(process.cwd(), rules)} -t kql -p ${pipeline}: best of 3 ${runs[0].wall.toFixed(2)} s wall (median ${runs[1].wall.toFixed(2)} s), peak RSS ${runs[0].rssMb.toFixed(0)} MB`);
console.log(runs[0].summary);
