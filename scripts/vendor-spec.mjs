// Vendors the Sigma JSON schemas (public domain) from ../shared/spec into src/data/schemas.
// Run: node scripts/vendor-spec.mjs [path-to-shared]. The output is committed.
import fs from 'node:fs';
import path from 'node:path';
const shared = process.argv[2] ?? path.resolve(import.meta.dirname, '../../shared');
const src = path.join(shared, 'spec/json-schema');
const out = path.resolve(import.meta.dirname, '../src/data/schemas');
fs.mkdirSync(out, { recursive: true });
for (const f of [
  'sigma-detection-rule-schema.json',
  'sigma-correlation-rules-schema.json',
  'sigma-filters-schema.json',
]) {
  fs.copyFileSync(path.join(src, f), path.join(out, f));
}
const source =
  fs
    .readFileSync(path.join(shared, 'spec/SOURCE.md'), 'utf8')
    .split('\n')
    .find((l) => l.startsWith('Source:')) ?? '';
fs.writeFileSync(
  path.join(out, 'SOURCE.md'),
  `# Vendored Sigma JSON schemas\n\nCopied by scripts/vendor-spec.mjs from the Sigma specification.\n${source}\nLicence: public domain (Sigma specification).\n`,
);
console.log('vendored schemas into', out);
