#!/usr/bin/env node
// @ts-check
// Benchmark: lint of the whole SigmaHQ corpus (all rules* folders) with cross-file checks and
// noise scores, as `sigil lint` does it (read, parse, resolve references, lint). Needs a build.
// Usage: node scripts/bench-lint.mjs [CORPUS_DIR] [RUNS]
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const corpus = process.argv[2] ?? path.resolve(root, '../shared/corpus/sigmahq');
const runs = Number(process.argv[3] ?? 3);
const t0 = performance.now();
// Loaded from dist/ (typed by its declarations).
const { parse, resolveReferences } = await import('../dist/parser/index.js');
const { lint } = await import('../dist/lint/engine.js');
const tLoad = performance.now() - t0;

/** @type {string[]} */
const files = [];
/** @param {string} d */
const walk = (d) => {
  for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = path.join(d, e.name);
    if (e.isDirectory()) walk(p);
    else if (/\.ya?ml$/.test(e.name)) files.push(p);
  }
};
for (const d of fs
  .readdirSync(corpus)
  .filter((d) => d.startsWith('rules'))
  .sort())
  walk(path.join(corpus, d));

/** @type {{ parse: number, lint: number, total: number }[]} */
const times = [];
let summary = '';
for (let i = 0; i < runs; i++) {
  const a = performance.now();
  const results = files.map((f) => parse(fs.readFileSync(f), { file: f, schema: false }));
  const b = performance.now();
  const refs = resolveReferences(results);
  for (const r of results)
    for (const d of r.documents) if (d.document) d.diagnostics.push(...(refs.get(d.document) ?? []));
  const report = lint(results);
  const c = performance.now();
  times.push({ parse: b - a, lint: c - b, total: c - a });
  summary = `${files.length} files, ${report.documents.length} documents, ${report.counts.error} errors, ${report.counts.warning} warnings`;
}
/** @param {'parse' | 'lint' | 'total'} k */
const med = (k) => times.map((t) => t[k]).sort((x, y) => x - y)[times.length >> 1];
console.log(`corpus: ${corpus} (${summary})`);
console.log(
  `module load ${tLoad.toFixed(0)} ms; median of ${runs} runs: read+parse ${med('parse').toFixed(0)} ms, lint (checks, cross-file, noise) ${med('lint').toFixed(0)} ms, total ${med('total').toFixed(0)} ms`,
);
console.log(`first run (cold JIT) ${times[0].total.toFixed(0)} ms`);
