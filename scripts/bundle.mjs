// Bundles the CLI into one ESM file (dist/sigil.mjs). Why: Node's ESM loader resolves the
// hundreds of small modules of yargs, chevrotain (lodash-es) and ajv one by one; a single
// bundle starts about 3× faster, which is most of a short command's wall time.
import { build } from 'esbuild';

await build({
  entryPoints: ['dist/cli/main.js'],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outfile: 'dist/sigil.mjs',
  // Some bundled CommonJS dependencies call require() for Node built-ins.
  banner: { js: "import { createRequire as __sigilCreateRequire } from 'node:module'; const require = __sigilCreateRequire(import.meta.url);" },
  // Large, rarely needed packages stay in node_modules and load on demand.
  external: ['prettier', '@kusto/language-service-next'],
  logLevel: 'warning',
  legalComments: 'none',
});
