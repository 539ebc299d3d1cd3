#!/usr/bin/env node
/**
 * Regenerates test/corpus/expected-parse-errors.json: for every SigmaHQ corpus file that
 * parses with errors, the sorted error codes. Review the diff before committing: each entry
 * must be a real defect of that rule (Sigma 1 aggregations, slash dates, …), never a parser bug.
 * Usage: npm run build && node scripts/gen-expected-parse-errors.mjs [corpus-root]
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from '../dist/parser/index.js';
import { ALL_FOLDERS } from './corpus-folders.mjs';

const root = process.argv[2] ?? fileURLToPath(new URL('../../shared/corpus/sigmahq', import.meta.url));
const out = fileURLToPath(new URL('../test/corpus/expected-parse-errors.json', import.meta.url));

function* walk(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* walk(p);
    else if (e.name.endsWith('.yml')) yield p;
  }
}

const expected = {};
for (const d of ALL_FOLDERS) {
  for (const file of walk(join(root, d))) {
    const r = parse(readFileSync(file), { file });
    const codes = new Set();
    for (const x of [...r.diagnostics, ...r.documents.flatMap((doc) => doc.diagnostics)])
      if (x.severity === 'error') codes.add(x.code);
    if (codes.size) expected[relative(root, file)] = [...codes].sort();
  }
}
writeFileSync(out, JSON.stringify(expected, null, 2) + '\n');
console.error(`${Object.keys(expected).length} files with errors written to ${relative(process.cwd(), out)}`);
