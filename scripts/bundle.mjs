// Bundles the CLI (dist/sigil.mjs), the worker of its parse pool (dist/parse-worker.mjs) and the
// telemetry worker of `lint --telemetry` (dist/telemetry-worker.mjs).
// Why a bundle: Node's ESM loader resolves the hundreds of small modules of yargs, chevrotain
// (lodash-es) and ajv one by one; a bundle starts about 3× faster. Why split into chunks
// (dist/chunks/): each command's handler is imported when it runs (src/cli/lazy-command.ts),
// so `--version` or `list` compiles yargs and the option specs, not the parser, the backends,
// the ATT&CK data and the noise index; the worker shares the parser's chunks with the CLI.
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const dist = path.join(root, 'dist');
const chunkDir = path.join(dist, 'chunks');

// Large JSON data (ATT&CK, the noise index, KQL schemas) as a JSON.parse of one string
// literal: V8 parses JSON text several times faster than the same data as a JS object literal.
const jsonAsParse = {
  name: 'json-as-parse',
  setup(b) {
    b.onLoad({ filter: /\.json$/ }, async (args) => {
      const text = await fs.promises.readFile(args.path, 'utf8');
      return {
        contents: `export default JSON.parse(${JSON.stringify(JSON.stringify(JSON.parse(text)))});`,
        loader: 'js',
      };
    });
  },
};

const result = await build({
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // Node 20 (V8 11.3) has RegExp /v, but esbuild's node20 table does not: it would rewrite such
  // literals (string-width's, under yargs) as `new RegExp(…, 'v')`, which compiles \p{RGI_Emoji}
  // at start-up (~15 ms per process) where a literal defers that to first use.
  supported: { 'regexp-set-notation': true },
  entryPoints: {
    sigil: 'dist/cli/main.js',
    'parse-worker': 'dist/cli/parse-worker.js',
    'telemetry-worker': 'dist/cli/telemetry-worker.js',
  },
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunks/[name]-[hash]',
  plugins: [jsonAsParse],
  metafile: true,
  // Some bundled CommonJS dependencies call require() for Node built-ins.
  banner: {
    js: "import { createRequire as __sigilCreateRequire } from 'node:module'; const require = __sigilCreateRequire(import.meta.url);",
  },
  // Large, rarely needed packages stay in node_modules and load on demand.
  external: ['prettier', '@kusto/language-service-next'],
  logLevel: 'warning',
  legalComments: 'none',
});

// SIGIL_BUNDLE_META=file writes esbuild's metafile (which inputs went into which chunk, sizes).
if (process.env['SIGIL_BUNDLE_META'])
  fs.writeFileSync(process.env['SIGIL_BUNDLE_META'], JSON.stringify(result.metafile));

// Chunks of earlier builds (their names carry a content hash) would otherwise pile up in dist/.
const current = new Set(Object.keys(result.metafile.outputs).map((o) => path.resolve(root, o)));
for (const name of fs.existsSync(chunkDir) ? fs.readdirSync(chunkDir) : []) {
  const p = path.join(chunkDir, name);
  if (!current.has(p)) fs.rmSync(p, { force: true });
}
