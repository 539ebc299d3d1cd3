import type { CommandModule } from 'yargs';
import { loadRules } from '../load.js';
import { err, out } from '../io.js';
import { formatDiagnostic, summarize } from '../format.js';
import type { Diagnostic } from '../../diagnostics.js';

interface Args {
  paths: string[];
  json: boolean;
  schema: boolean;
  quiet: boolean;
}

export const parseCommand: CommandModule<object, Args> = {
  command: 'parse <paths..>',
  describe: 'Parse Sigma rules, correlations and filters into the AST and report diagnostics',
  builder: (y) =>
    y
      .positional('paths', { type: 'string', array: true, demandOption: true, describe: 'files, directories (recursive *.yml/*.yaml) or - for stdin' })
      .option('json', { type: 'boolean', default: false, describe: 'one JSON object per document per line: {file, kind, id, title, ast} or {file, errors}' })
      .option('schema', { type: 'boolean', default: true, describe: 'also validate against the Sigma JSON schemas (--no-schema to skip)' })
      .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'print errors only' })
      .example('$0 parse rules/', 'check that every rule parses')
      .example('$0 parse rule.yml --json | jq .ast.detection', 'inspect the AST of one rule')
      .example('cat rule.yml | $0 parse -', 'read a rule from stdin'),
  handler: (argv) => {
    const { results } = loadRules(argv.paths, { schema: argv.schema });
    const all: Diagnostic[] = [];
    let docs = 0;
    for (const r of results) {
      all.push(...r.diagnostics);
      if (argv.json && r.diagnostics.length && r.diagnostics.some((d) => d.severity === 'error')) {
        out(JSON.stringify({ file: r.file, errors: r.diagnostics.map(strip) }) + '\n');
      }
      for (const d of r.documents) {
        docs++;
        all.push(...d.diagnostics);
        if (!argv.json) continue;
        const errors = d.diagnostics.filter((x) => x.severity === 'error');
        if (!d.document || errors.length) {
          out(JSON.stringify({ file: r.file, index: d.index, errors: d.diagnostics.map(strip) }) + '\n');
        } else {
          const doc = d.document;
          out(JSON.stringify({ file: r.file, index: d.index, kind: doc.kind, id: doc.id ?? null, title: doc.title ?? null, ast: doc, warnings: d.diagnostics.map(strip) }) + '\n');
        }
      }
    }
    const shown = argv.quiet ? all.filter((d) => d.severity === 'error') : all;
    if (!argv.json) for (const d of shown) out(formatDiagnostic(d) + '\n');
    err(`parsed ${results.length} files, ${docs} documents: ${summarize(all)}\n`);
    process.exitCode = all.some((d) => d.severity === 'error') ? 1 : 0;
  },
};

function strip(d: Diagnostic): Omit<Diagnostic, 'file'> {
  const { file: _file, ...rest } = d;
  return rest;
}
