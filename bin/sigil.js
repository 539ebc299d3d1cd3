#!/usr/bin/env node
// Entry point installed as `sigil`. `npm ci` builds dist/ (prepare): the compiled modules
// (dist/cli/main.js) and a bundle of them that starts faster (dist/sigil.mjs, which loads each
// command's code from dist/chunks/ when the command runs; scripts/bundle.mjs).
// The bundle is used unless the modules are newer (someone recompiled without bundling).
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const modules = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const bundle = fileURLToPath(new URL('../dist/sigil.mjs', import.meta.url));
if (!existsSync(modules) && !existsSync(bundle)) {
  process.stderr.write('sigil: dist/ is missing; run `npm run build` (npm ci does it for you).\n');
  process.exit(2);
}
const useBundle = existsSync(bundle) && (!existsSync(modules) || statSync(bundle).mtimeMs >= statSync(modules).mtimeMs);
await import(pathToFileURL(useBundle ? bundle : modules).href);
