#!/usr/bin/env node
// Regenerates src/data/noise-index.json: indicator (canonical field, operator, value) → number
// of SigmaHQ corpus rules using it, from ../shared/corpus/sigmahq (all rules* folders).
// Needs a build (npm run build) because it uses the compiled parser and indicator code.
// Usage: node scripts/build-noise-index.mjs [CORPUS_DIR]
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const corpus = process.argv[2] ?? path.resolve(root, '../shared/corpus/sigmahq');
const { parse } = await import('../dist/parser/index.js');
const { buildCatalog } = await import('../dist/lint/noise/catalog.js');

const dirs = fs
  .readdirSync(corpus)
  .filter((d) => d.startsWith('rules'))
  .sort();
const files = [];
const walk = (d) => {
  for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = path.join(d, e.name);
    if (e.isDirectory()) walk(p);
    else if (/\.ya?ml$/.test(e.name)) files.push(p);
  }
};
for (const d of dirs) walk(path.join(corpus, d));
const docs = [];
for (const f of files)
  for (const d of parse(fs.readFileSync(f), { file: f, schema: false }).documents)
    if (d.document) docs.push(d.document);
const catalog = buildCatalog(docs, `SigmaHQ corpus (${dirs.join(', ')})`);
const out = path.join(root, 'src/data/noise-index.json');
fs.writeFileSync(out, JSON.stringify(catalog) + '\n');
console.log(
  `wrote ${out}: ${catalog.rules} rules, ${Object.keys(catalog.reach).length} indicators used by 2+ rules, ${fs.statSync(out).size} bytes`,
);
