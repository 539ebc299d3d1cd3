// Records the CLI's output over the shared corpus for every target × pipeline × format, and for
// parse, lint and fmt, into one folder: run it before and after a refactor and compare the two
// folders with `diff -r` (a refactor that must not change behaviour shows no difference).
// Usage: node scripts/snapshot-outputs.mjs OUT_DIR [--bin path/to/sigil.js]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ALL_FOLDERS } from './corpus-folders.mjs';

const root = path.resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const binIdx = args.indexOf('--bin');
const bin = binIdx >= 0 ? path.resolve(args[binIdx + 1]) : path.join(root, 'bin/sigil.js');
const out = args.find((a, i) => !a.startsWith('--') && (binIdx < 0 || i !== binIdx + 1));
if (!out) {
  console.error('usage: node scripts/snapshot-outputs.mjs OUT_DIR [--bin path/to/sigil.js]');
  process.exit(2);
}
// Relative to the repository (the CLI runs there): snapshots of two checkouts compare equal.
const corpus = '../shared/corpus/sigmahq';
const inputs = [...ALL_FOLDERS.map((d) => path.join(corpus, d)), 'rules'];

const targets = {
  kql: {
    pipelines: ['defender-xdr', 'sentinel', 'sentinel-asim'],
    formats: ['query', 'sentinel-rule', 'sentinel-arm', 'defender-detection'],
  },
  splunk: { pipelines: ['splunk', 'splunk-windows', 'splunk-cim'], formats: ['query', 'savedsearches', 'macros'] },
  sigma: { pipelines: [null, 'sentinel'], formats: ['default'] },
};

const runs = [];
for (const [target, { pipelines, formats }] of Object.entries(targets)) {
  for (const pipeline of pipelines) {
    for (const format of formats) {
      const argv = ['convert', ...inputs, '-t', target, '--format', format, '--json'];
      if (pipeline) argv.push('-p', pipeline);
      runs.push({ name: `convert-${target}-${pipeline ?? 'none'}-${format}`, argv });
    }
  }
}
runs.push({ name: 'parse-json', argv: ['parse', ...inputs, '--json'] });
for (const format of ['json', 'sarif', 'text'])
  runs.push({ name: `lint-${format}`, argv: ['lint', ...inputs, '--format', format] });
runs.push({ name: 'fmt-check', argv: ['fmt', ...inputs, '--check'] });

fs.mkdirSync(out, { recursive: true });
for (const r of runs) {
  const t0 = Date.now();
  const outFd = fs.openSync(path.join(out, `${r.name}.out`), 'w');
  const errFd = fs.openSync(path.join(out, `${r.name}.err`), 'w');
  // Output goes straight to files: the AST of the whole corpus is larger than a string may be.
  const res = spawnSync(process.execPath, [bin, ...r.argv], {
    cwd: root,
    env: { ...process.env, NO_COLOR: '1', SIGIL_WORKERS: '0' },
    stdio: ['ignore', outFd, errFd],
  });
  fs.writeSync(errFd, `\nexit ${res.status}\n`);
  fs.closeSync(outFd);
  fs.closeSync(errFd);
  console.log(`${r.name}: exit ${res.status}, ${Date.now() - t0} ms`);
}
