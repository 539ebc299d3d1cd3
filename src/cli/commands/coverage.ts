import fs from 'node:fs';
import type { CommandModule } from 'yargs';
import type { SigmaDocument } from '../../ast/types.js';
import { attackDataFromStix, BUILTIN_ATTACK } from '../../lint/attack.js';
import { coverageMarkdown, coverageReport, normalizeTechnique, type CoverageInput } from '../../lint/coverage.js';
import { buildCatalog, BUILTIN_CATALOG } from '../../lint/noise/catalog.js';
import { formatDiagnostic } from '../format.js';
import { err, out, UsageError, writeFileAtomic } from '../io.js';
import { coverageGaps, knownPlatforms, navigatorLayer } from '../../lint/navigator.js';
import { loadRules } from '../load.js';
import { coverageSpec, type CoverageArgs as Args } from '../specs/coverage.js';

export const coverageCommand: CommandModule<object, Args> = {
  ...coverageSpec,
  handler: (argv) => {
    const modes = [argv.technique !== undefined, argv.navigator !== undefined, argv.gaps].filter(Boolean).length;
    if (modes !== 1) throw new UsageError('give one of --technique ID, --navigator FILE or --gaps');
    if (argv.technique !== undefined && !normalizeTechnique(argv.technique))
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
    if (argv.navigator !== undefined || argv.gaps) {
      const docs = inputs.map((i) => i.document);
      if (argv.navigator !== undefined) {
        const layer = navigatorLayer(docs, attack, `Sigma rules: ${argv.paths.join(', ')}`);
        try {
          // Still JSON, parsed back the same; also safe where a layer is pasted into a page or a script.
          const json = JSON.stringify(layer, null, 2).replace(
            /[<\u2028\u2029]/g,
            (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
          );
          writeFileAtomic(argv.navigator, json + '\n');
        } catch (e) {
          throw new UsageError(
            `cannot write ${argv.navigator}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
          );
        }
        err(
          `${layer.techniques.length} techniques covered by ${docs.length} rules: layer written to ${argv.navigator}\n`,
        );
      } else {
        const tactics = (argv.tactic ?? []).map((t) => t.toLowerCase());
        for (const t of tactics)
          if (!attack.tactics[t])
            throw new UsageError(`unknown tactic '${t}' (known: ${Object.keys(attack.tactics).join(', ')})`);
        const known = knownPlatforms();
        for (const p of argv.platform ?? [])
          if (!known.some((k) => k.toLowerCase() === p.toLowerCase()))
            throw new UsageError(`unknown platform '${p}' (known: ${known.join(', ')})`);
        const gaps = coverageGaps(docs, attack, tactics, argv.platform ?? []);
        if (argv.format === 'json') out(JSON.stringify(gaps, null, 2) + '\n');
        else {
          out('| technique | name | tactics | platforms |\n|---|---|---|---|\n');
          for (const g of gaps) out(`| ${g.id} | ${g.name} | ${g.tactics.join(', ')} | ${g.platforms.join(', ')} |\n`);
        }
        err(`${gaps.length} techniques without a rule\n`);
      }
      if (unreadable) err(`${unreadable} file${unreadable > 1 ? 's' : ''} could not be read\n`);
      process.exitCode = unreadable ? 1 : 0;
      return;
    }
    let catalog = BUILTIN_CATALOG;
    if (argv.corpus) {
      const c = loadRules([argv.corpus], { schema: false, resolve: false });
      catalog = buildCatalog(
        c.results.flatMap((r) => r.documents.map((d) => d.document).filter((d): d is SigmaDocument => !!d)),
        argv.corpus,
      );
    }
    const report = coverageReport(argv.technique!, inputs, attack, catalog, argv.limit);
    out(argv.format === 'json' ? JSON.stringify(report, null, 2) + '\n' : coverageMarkdown(report));
    if (report.total === 0) err(`no rule is tagged attack.${report.technique.id.toLowerCase()}\n`);
    if (unreadable) err(`${unreadable} file${unreadable > 1 ? 's' : ''} could not be read\n`);
    process.exitCode = unreadable ? 1 : 0;
  },
};
