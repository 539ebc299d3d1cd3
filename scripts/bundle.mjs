// Bundles the CLI into one ESM file (dist/sigil.mjs). Why: Node's ESM loader resolves the
// hundreds of small modules of yargs, chevrotain (lodash-es) and ajv one by one; a single
// bundle starts about 3× faster, which is most of a short command's wall time.
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // Some bundled CommonJS dependencies call require() for Node built-ins.
  banner: { js: "import { createRequire as __sigilCreateRequire } from 'node:module'; const require = __sigilCreateRequire(import.meta.url);" },
  // Large, rarely needed packages stay in node_modules and load on demand.
  external: ['prettier', '@kusto/language-service-next'],
  logLevel: 'warning',
  legalComments: 'none',
};
await build({ ...common, entryPoints: ['dist/cli/main.js'], outfile: 'dist/sigil.mjs' });
// The parse worker (src/cli/parse-pool.ts) looks for this file next to the bundle.
await build({ ...common, entryPoints: ['dist/cli/parse-worker.js'], outfile: 'dist/parse-worker.mjs' });
