import fs from 'node:fs';
import type { CommandModule } from 'yargs';
import type { SigmaDocument } from '../../ast/types.js';
import { attackDataFromStix, type AttackData } from '../../lint/attack.js';
import { resolveConfig, type RawConfig } from '../../lint/config.js';
import { allFindings, atLeast, lint, type LintOptions } from '../../lint/engine.js';
import { buildCatalog } from '../../lint/noise/catalog.js';
import { checkDoc, toGithub, toJson, toSarif } from '../../lint/output.js';
import { checks } from '../../lint/registry.js';
import { configTelemetry, findConfig, readConfigFile } from '../config-file.js';
import { formatDiagnostic, summarize } from '../format.js';
import { err, expandPaths, out, UsageError, writeFileAtomic } from '../io.js';
import { loadRules } from '../load.js';
import { sigilVersion } from '../version.js';
import { lintSpec, type LintArgs as Args } from '../specs/lint.js';

function readJson(file: string, what: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UsageError(`cannot read ${what} ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** `--fix` / `--fix-dry-run`: fixes each file in place, or prints what would change. */
async function fixFiles(paths: readonly string[], options: LintOptions, dryRun: boolean): Promise<void> {
  if (paths.includes('-'))
    throw new UsageError('--fix works on files, not standard input (use sigil fmt - for the layout)');
  const [{ fixText }, { unifiedDiff }] = await Promise.all([import('../fix.js'), import('../../util/unified-diff.js')]);
  let files = 0;
  let fixes = 0;
  for (const file of expandPaths(paths)) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      continue; // reported by the lint run that follows
    }
    const r = fixText(text, { file, lint: options });
    if (!r.changed) continue;
    files++;
    fixes += r.applied.length;
    if (dryRun) out(`--- ${file}\n+++ ${file} (fixed)\n${unifiedDiff(text, r.text)}`);
    else {
      try {
        writeFileAtomic(file, r.text);
      } catch (e) {
        err(
          `${file}: error I003 Cannot write the fixed file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.\n`,
        );
        process.exitCode = 1;
      }
    }
  }
  err(
    `${dryRun ? 'would fix' : 'fixed'} ${files} file${files === 1 ? '' : 's'} (${fixes} fix${fixes === 1 ? '' : 'es'} and the layout)\n`,
  );
}

export const lintCommand: CommandModule<object, Args> = {
  ...lintSpec,
  handler: async (argv) => {
    if (argv['list-checks']) {
      for (const c of checks)
        out(`${c.meta.code}  ${c.meta.name.padEnd(34)} ${c.meta.defaultSeverity.padEnd(8)} ${c.meta.summary}\n`);
      return;
    }
    if (argv.explain !== undefined) {
      const doc = checkDoc(argv.explain);
      if (!doc) throw new UsageError(`unknown check '${argv.explain}' (see sigil lint --list-checks)`);
      out(doc);
      return;
    }
    if (argv.paths.length === 0) throw new UsageError('name rule files or directories to lint');

    // Configuration: --config, else .sigil.yml found upwards; --preset on top of the file's preset.
    const configFile = argv.config ?? findConfig(process.cwd());
    let raw: RawConfig = configFile ? await readConfigFile(configFile) : {};
    if (argv.preset) raw = { ...raw, preset: argv.preset };
    const { config, problems } = resolveConfig(raw);
    if (problems.length)
      throw new UsageError(`configuration${configFile ? ' ' + configFile : ''}: ${problems.join('; ')}`);

    const options: LintOptions = { config, noise: argv.noise };
    if (argv['attack-data']) {
      const data = attackDataFromStix(readJson(argv['attack-data'], 'ATT&CK data'));
      if (typeof data === 'string') throw new UsageError(`--attack-data ${argv['attack-data']}: ${data}`);
      options.attack = data as AttackData;
    }
    if (argv.corpus) {
      const corpus = loadRules([argv.corpus], { schema: false, resolve: false });
      const docs = corpus.results.flatMap((r) =>
        r.documents.map((d) => d.document).filter((d): d is SigmaDocument => !!d),
      );
      options.catalog = buildCatalog(docs, argv.corpus);
    }
    if (argv.fix || argv['fix-dry-run']) await fixFiles(argv.paths, options, argv['fix-dry-run']);
    const { results } = loadRules(argv.paths, { schema: false });
    if (argv.baseline) {
      let text: string;
      try {
        text = fs.readFileSync(argv.baseline, 'utf8');
      } catch (e) {
        throw new UsageError(
          `cannot read --baseline ${argv.baseline}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
        );
      }
      // The evaluator (and its regex engine) is loaded only for a baseline.
      const [{ parseJsonEvents }, { normalizeEvent }, { measureBaseline }] = await Promise.all([
        import('../../eval/json-events.js'),
        import('../../eval/event-shapes.js'),
        import('../../lint/baseline.js'),
      ]);
      const parsed = parseJsonEvents(text, argv.baseline);
      if (parsed.diagnostics.some((d) => d.severity === 'error'))
        throw new UsageError(
          `--baseline ${argv.baseline}: ${parsed.diagnostics[0]!.message} (line ${parsed.diagnostics[0]!.line})`,
        );
      const docs = results.flatMap((r) => r.documents.map((d) => d.document).filter((d): d is SigmaDocument => !!d));
      options.baseline = measureBaseline(
        docs,
        parsed.events.map((e) => normalizeEvent(e.event)),
      );
    }

    // Telemetry: --telemetry, else the configuration's `telemetry:` (relative to the file).
    const telemetry = argv.telemetry?.length ? argv.telemetry : configFile ? configTelemetry(raw, configFile) : [];
    let telemetryErrors = false;
    if (telemetry.length > 0 && argv.noise) {
      // The evaluator is loaded only when there is telemetry to read.
      const { measureTelemetry, telemetryFiles } = await import('../telemetry-input.js');
      // --rows, else the configuration's `rows:` (PIPELINE[:TABLE]).
      const rowsText = argv.rows ?? (typeof raw.rows === 'string' ? raw.rows : undefined);
      const rows = rowsText === undefined ? undefined : (await import('../row-input.js')).parseRowsOption(rowsText);
      const files = telemetryFiles(telemetry, '--telemetry', rows !== undefined);
      const docs = results.flatMap((r) =>
        r.documents.filter((d) => !d.diagnostics.some((x) => x.severity === 'error')).flatMap((d) => d.document ?? []),
      );
      const meter = await measureTelemetry(
        files,
        docs,
        (d) => {
          if (d.severity === 'error') telemetryErrors = true;
          err(formatDiagnostic(d) + '\n');
        },
        [],
        rows,
      );
      options.evidence = meter.evidence();
    }
    const report = lint(results, options);
    const findings = allFindings(report);
    switch (argv.format) {
      case 'json':
        out(toJson(report));
        break;
      case 'sarif':
        out(toSarif(report, sigilVersion()));
        break;
      case 'github':
        out(toGithub(report));
        break;
      default: {
        const shown = argv.quiet ? findings.filter((f) => f.severity === 'error') : findings;
        for (const f of shown) out(formatDiagnostic(f) + '\n');
        if (argv.scores) {
          for (const d of report.documents)
            if (d.noise)
              out(`${d.file ?? '<input>'}: noise ${d.noise.score}/100 ${d.noise.level} — ${d.noise.explanation}\n`);
        }
      }
    }
    const docs = report.documents.length;
    const levels = { low: 0, medium: 0, high: 0 };
    for (const d of report.documents) if (d.noise) levels[d.noise.level]++;
    err(
      `linted ${results.length} files, ${docs} documents: ${summarize(findings)}, ${report.counts.info} info; noise: ${levels.high} high, ${levels.medium} medium, ${levels.low} low\n`,
    );
    const failOn = argv['fail-on'];
    // A file that cannot be read or parsed fails the run whatever --fail-on says: nothing in it was checked.
    const unreadable = results.some(
      (r) => r.diagnostics.some((d) => d.severity === 'error') || r.documents.some((d) => !d.document),
    );
    const unwritten = process.exitCode === 1;
    process.exitCode =
      unwritten ||
      unreadable ||
      telemetryErrors ||
      (failOn !== 'never' && findings.some((f) => atLeast(f.severity, failOn)))
        ? 1
        : 0;
  },
};
