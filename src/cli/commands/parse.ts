import type { CommandModule } from 'yargs';
import { loadRules } from '../load.js';
import { err, out } from '../io.js';
import { formatDiagnostic, summarize } from '../format.js';
import type { Diagnostic } from '../../diagnostics.js';
import { parseSpec, type ParseArgs as Args } from '../specs/parse.js';

export const parseCommand: CommandModule<object, Args> = {
  ...parseSpec,
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
          out(
            JSON.stringify({
              file: r.file,
              index: d.index,
              kind: doc.kind,
              id: doc.id ?? null,
              title: doc.title ?? null,
              ast: doc,
              warnings: d.diagnostics.map(strip),
            }) + '\n',
          );
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
