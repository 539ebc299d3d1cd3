import fs from 'node:fs';
import type { CommandModule } from 'yargs';
import type { SigmaDocument } from '../../ast/types.js';
import { attackDataFromStix, BUILTIN_ATTACK } from '../../lint/attack.js';
import { coverageMarkdown, coverageReport, normalizeTechnique, type CoverageInput } from '../../lint/coverage.js';
import { buildCatalog, BUILTIN_CATALOG } from '../../lint/noise/catalog.js';
import { formatDiagnostic } from '../format.js';
import { err, out, UsageError } from '../io.js';
import { loadRules } from '../load.js';
import { coverageSpec, type CoverageArgs as Args } from '../specs/coverage.js';

export const coverageCommand: CommandModule<object, Args> = {
  ...coverageSpec,
  handler: (argv) => {
    if (!normalizeTechnique(argv.technique))
      throw new UsageError(`'${argv.technique}' is not a technique id like T1546 or T1546.003`);
    let attack = BUILTIN_ATTACK;
    if (argv['attack-data']) {
      let data: unknown;
      try {
        data = JSON.parse(fs.readFileSync(argv['attack-data'], 'utf8'));
      } catch (e) {
        throw new UsageError(`cannot read --attack-data ${argv['attack-data']}: ${(e as Error).message}`);
      }
      const a = attackDataFromStix(data);
      if (typeof a === 'string') throw new UsageError(`--attack-data ${argv['attack-data']}: ${a}`);
      attack = a;
    }
    const { results } = loadRules(argv.paths, { schema: false, resolve: false });
    // Files that cannot be read or parsed are reported and fail the run: the guide would miss their rules.
    let unreadable = 0;
    for (const r of results) {
      const errors = [...r.diagnostics, ...r.documents.flatMap((d) => d.diagnostics)].filter(
        (d) => d.severity === 'error',
      );
      if (errors.length) unreadable++;
      for (const d of errors) err(formatDiagnostic(d) + '\n');
    }
    const inputs: CoverageInput[] = results.flatMap((r) =>
      r.documents
        .filter((d) => d.document)
        .map((d) => ({ document: d.document as SigmaDocument, ...(r.file !== undefined ? { file: r.file } : {}) })),
    );
    let catalog = BUILTIN_CATALOG;
    if (argv.corpus) {
      const c = loadRules([argv.corpus], { schema: false, resolve: false });
      catalog = buildCatalog(
        c.results.flatMap((r) => r.documents.map((d) => d.document).filter((d): d is SigmaDocument => !!d)),
        argv.corpus,
      );
    }
    const report = coverageReport(argv.technique, inputs, attack, catalog, argv.limit);
    out(argv.format === 'json' ? JSON.stringify(report, null, 2) + '\n' : coverageMarkdown(report));
    if (report.total === 0) err(`no rule is tagged attack.${report.technique.id.toLowerCase()}\n`);
    if (unreadable) err(`${unreadable} file${unreadable > 1 ? 's' : ''} could not be read\n`);
    process.exitCode = unreadable ? 1 : 0;
  },
};
