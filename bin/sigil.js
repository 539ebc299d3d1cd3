#!/usr/bin/env node
// Entry point installed as `sigil`. The TypeScript sources are compiled to dist/ by `npm ci` (prepare).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const main = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(main))) {
  process.stderr.write('sigil: dist/ is missing; run `npm run build` (npm ci does it for you).\n');
  process.exit(2);
}
await import(main.href);
