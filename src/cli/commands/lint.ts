import fs from 'node:fs';
import path from 'node:path';
import type { CommandModule } from 'yargs';
import YAML from 'yaml';
import type { SigmaDocument } from '../../ast/types.js';
import type { Severity } from '../../diagnostics.js';
import { parseJsonEvents } from '../../eval/json-events.js';
import { normalizeEvent } from '../../eval/event-shapes.js';
import { attackDataFromStix, type AttackData } from '../../lint/attack.js';
import { resolveConfig, type RawConfig } from '../../lint/config.js';
import { allFindings, atLeast, lint, type LintOptions } from '../../lint/engine.js';
import { buildCatalog } from '../../lint/noise/catalog.js';
import { checkDoc, toGithub, toJson, toSarif } from '../../lint/output.js';
import { measureBaseline } from '../../lint/baseline.js';
import { checks } from '../../lint/registry.js';
import { formatDiagnostic, summarize } from '../format.js';
import { err, out, UsageError } from '../io.js';
import { loadRules } from '../load.js';

interface Args {
  paths: string[];
  format: 'text' | 'json' | 'sarif' | 'github';
  'fail-on': Severity | 'never';
  config?: string;
  preset?: string;
  explain?: string;
  'list-checks': boolean;
  'attack-data'?: string;
  corpus?: string;
  baseline?: string;
  noise: boolean;
  scores: boolean;
  quiet: boolean;
}

const CONFIG_NAMES = ['.sigil.yml', '.sigil.yaml'];

/** `.sigil.yml` in the current directory or the nearest parent. */
export function findConfig(start: string): string | undefined {
  let dir = path.resolve(start);
  for (;;) {
    for (const n of CONFIG_NAMES) {
      const p = path.join(dir, n);
      if (fs.existsSync(p)) return p;
    }
    const up = path.dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

function readJson(file: string, what: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UsageError(`cannot read ${what} ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

function version(): string {
  try {
    const pkg = JSON.parse(fs.readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
    return pkg.version;
  } catch {
    return '0.0.0';
  }
}

export const lintCommand: CommandModule<object, Args> = {
  command: 'lint [paths..]',
  describe: 'Check rules for correctness and SigmaHQ conventions, and score how noisy each rule is',
  builder: (y) =>
    y
      .positional('paths', { type: 'string', array: true, default: [], describe: 'rule files or directories (recursive), or - for stdin' })
      .option('format', { alias: 'f', choices: ['text', 'json', 'sarif', 'github'] as const, default: 'text' as const, describe: 'output format' })
      .option('fail-on', { choices: ['error', 'warning', 'info', 'never'] as const, default: 'error' as const, describe: 'exit 1 when a finding at or above this severity exists' })
      .option('config', { type: 'string', describe: 'configuration file (default: .sigil.yml found from the current directory upwards)' })
      .option('preset', { type: 'string', describe: "start from a preset: 'sigmahq' (SigmaHQ's CI validators and exclusions)" })
      .option('explain', { type: 'string', describe: "print a check's documentation (code or name) and exit" })
      .option('list-checks', { type: 'boolean', default: false, describe: 'list every check and exit' })
      .option('attack-data', { type: 'string', describe: 'a newer ATT&CK STIX bundle (enterprise-attack.json) instead of the built-in v18.1 snapshot' })
      .option('corpus', { type: 'string', describe: 'rule directory to use as the noise reach catalog instead of the built-in SigmaHQ index' })
      .option('baseline', { type: 'string', describe: 'benign events (JSON Lines) to measure each rule against and fold into the noise score' })
      .option('noise', { type: 'boolean', default: true, describe: 'compute noise scores (--no-noise to skip)' })
      .option('scores', { type: 'boolean', default: false, describe: 'text format: print the noise score of every rule' })
      .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'text format: print errors only' })
      .example('$0 lint rules/', 'lint a rule repository')
      .example('$0 lint rules/ --preset sigmahq --format sarif > sigil.sarif', 'SigmaHQ CI checks, SARIF for GitHub code scanning')
      .example('$0 lint rule.yml --scores', 'show the noise score and its explanation')
      .example('$0 lint --explain D009', 'documentation of a check'),
  handler: (argv) => {
    if (argv['list-checks']) {
      for (const c of checks) out(`${c.meta.code}  ${c.meta.name.padEnd(34)} ${c.meta.defaultSeverity.padEnd(8)} ${c.meta.summary}\n`);
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
    let raw: RawConfig = {};
    if (configFile) {
      try {
        raw = (YAML.parse(fs.readFileSync(configFile, 'utf8')) ?? {}) as RawConfig;
      } catch (e) {
        throw new UsageError(`cannot read configuration ${configFile}: ${(e as Error).message}`);
      }
    }
    if (argv.preset) raw = { ...raw, preset: argv.preset };
    const { config, problems } = resolveConfig(raw);
    if (problems.length) throw new UsageError(`configuration${configFile ? ' ' + configFile : ''}: ${problems.join('; ')}`);

    const options: LintOptions = { config, noise: argv.noise };
    if (argv['attack-data']) {
      const data = attackDataFromStix(readJson(argv['attack-data'], 'ATT&CK data'));
      if (typeof data === 'string') throw new UsageError(`--attack-data ${argv['attack-data']}: ${data}`);
      options.attack = data as AttackData;
    }
    if (argv.corpus) {
      const corpus = loadRules([argv.corpus], { schema: false, resolve: false });
      const docs = corpus.results.flatMap((r) => r.documents.map((d) => d.document).filter((d): d is SigmaDocument => !!d));
      options.catalog = buildCatalog(docs, argv.corpus);
    }
    const { results } = loadRules(argv.paths, { schema: false });
    if (argv.baseline) {
      let text: string;
      try {
        text = fs.readFileSync(argv.baseline, 'utf8');
      } catch (e) {
        throw new UsageError(`cannot read --baseline ${argv.baseline}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      }
      const parsed = parseJsonEvents(text, argv.baseline);
      if (parsed.diagnostics.some((d) => d.severity === 'error')) throw new UsageError(`--baseline ${argv.baseline}: ${parsed.diagnostics[0]!.message} (line ${parsed.diagnostics[0]!.line})`);
      const docs = results.flatMap((r) => r.documents.map((d) => d.document).filter((d): d is SigmaDocument => !!d));
      options.baseline = measureBaseline(docs, parsed.events.map((e) => normalizeEvent(e.event)));
    }

    const report = lint(results, options);
    const findings = allFindings(report);
    switch (argv.format) {
      case 'json':
        out(toJson(report));
        break;
      case 'sarif':
        out(toSarif(report, version()));
        break;
      case 'github':
        out(toGithub(report));
        break;
      default: {
        const shown = argv.quiet ? findings.filter((f) => f.severity === 'error') : findings;
        for (const f of shown) out(formatDiagnostic(f) + '\n');
        if (argv.scores) {
          for (const d of report.documents) if (d.noise) out(`${d.file ?? '<input>'}: noise ${d.noise.score}/100 ${d.noise.level} — ${d.noise.explanation}\n`);
        }
      }
    }
    const docs = report.documents.length;
    const levels = { low: 0, medium: 0, high: 0 };
    for (const d of report.documents) if (d.noise) levels[d.noise.level]++;
    err(`linted ${results.length} files, ${docs} documents: ${summarize(findings)}, ${report.counts.info} info; noise: ${levels.high} high, ${levels.medium} medium, ${levels.low} low\n`);
    const failOn = argv['fail-on'];
    process.exitCode = failOn !== 'never' && findings.some((f) => atLeast(f.severity, failOn)) ? 1 : 0;
  },
};
