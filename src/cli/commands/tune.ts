/**
 * `sigil tune`: runs rules over telemetry and proposes filters from the commonest values among
 * their hits (src/lint/tune/), guarded by the rules' own tests and SigmaHQ regression cases.
 * Prints the tuned rules as YAML, or writes a Sigma filter document with -o; --format json
 * gives the proposals as data.
 */
import type { CommandModule } from 'yargs';
import type { SigmaRule } from '../../ast/types.js';
import type { Diagnostic } from '../../diagnostics.js';
import { evalDiagnostic } from '../../eval/codes.js';
import type { EventObject } from '../../eval/event-shapes.js';
import { HitCollector } from '../../lint/tune/collect.js';
import { proposeFilters, type GuardCase, type TuneResult } from '../../lint/tune/propose.js';
import { filterDocumentYaml, tunedRuleYaml, verifyTuned } from '../../lint/tune/yaml.js';
import { forTerminal, oneLine } from '../../util/inert-text.js';
import { openEvents, readEventsSafely } from '../event-input.js';
import { resolveConfig } from '../../lint/config.js';
import { configTelemetry, findConfig, readConfigFile } from '../config-file.js';
import { formatDiagnostic } from '../format.js';
import { displayName, err, out, readInput, STDIN, UsageError, writeFileAtomic } from '../io.js';
import { loadRules } from '../load.js';
import { tuneSpec, type TuneArgs as Args } from '../specs/tune.js';
import { telemetryFiles } from '../telemetry-input.js';
import { gatherRuleTests } from './test.js';

/** At most this many event diagnostics are printed; the rest are counted. */
const MAX_PRINTED = 20;

interface Tuned {
  rule: SigmaRule;
  file: string;
  result: TuneResult;
  /** The YAML printed or written for the rule (absent when nothing is proposed or it cannot be written). */
  yaml?: string;
}

function sourceText(file: string): string | undefined {
  if (file === STDIN) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(readInput(file));
  } catch {
    return undefined;
  }
}

const show = (s: string): string => forTerminal(oneLine(s));

function summary(t: Tuned, events: number): string {
  const r = t.result;
  const removed = r.examined - r.remaining;
  let s = `${displayName(t.file)}: ${show(t.rule.title ?? t.rule.id ?? '(untitled)')} — ${r.hits} hit${r.hits === 1 ? '' : 's'} in ${events} events`;
  if (r.examined < r.hits) s += ` (proposals from the first ${r.examined})`;
  s +=
    r.proposals.length === 0
      ? '; no filter proposed'
      : `; ${r.proposals.length} filter${r.proposals.length === 1 ? '' : 's'} remove ${removed} (${r.remaining} left)`;
  s += `; guarded by ${r.guards.passing} of ${r.guards.cases} test and regression cases\n`;
  if (r.proposals.length > 0 && r.remaining === 0)
    s += `  note: the filters remove every hit: check that the rule still detects what it is for${r.guards.passing === 0 ? ' (no test or regression case guards it)' : ''}\n`;
  for (const p of r.proposals)
    s += `  ${p.identifier}: ${p.field}${p.modifier ? `|${p.modifier}` : ''} ${show(JSON.stringify(p.value))} removes ${p.removes} (${p.remaining} left)${p.environmentSpecific ? ' [environment-specific]' : ''}\n`;
  for (const x of r.refused.slice(0, 5))
    s += `  refused: ${x.field}${x.modifier ? `|${x.modifier}` : ''} ${show(JSON.stringify(x.value))} (would remove ${x.removes}) stops ${show(x.case)} from matching\n`;
  return s;
}

/**
 * The event exports to read: --telemetry, else the `telemetry:` key of the configuration
 * (--config, else .sigil.yml found from the current directory upwards), as `lint` reads it.
 */
async function telemetryPaths(argv: Args): Promise<string[]> {
  if (argv.telemetry?.length) return argv.telemetry;
  const configFile = argv.config ?? findConfig(process.cwd());
  const where = configFile
    ? `, and ${displayName(configFile)} has no telemetry: key`
    : ' (or telemetry: in .sigil.yml)';
  if (!configFile) throw new UsageError(`name the event exports to tune on: --telemetry EVENTS…${where}`);
  const raw = await readConfigFile(configFile);
  const { problems } = resolveConfig(raw);
  if (problems.length) throw new UsageError(`configuration ${configFile}: ${problems.join('; ')}`);
  const paths = configTelemetry(raw, configFile);
  if (paths.length === 0) throw new UsageError(`name the event exports to tune on: --telemetry EVENTS…${where}`);
  // tune reads events; rows of a KQL table read as events would be measured wrongly, silently.
  if (raw.rows !== undefined)
    throw new UsageError(
      `${displayName(configFile)}: its telemetry is table rows (rows: ${raw.rows}); sigil tune reads event exports: name them with --telemetry`,
    );
  return paths;
}

export const tuneCommand: CommandModule<object, Args> = {
  ...tuneSpec,
  handler: async (argv) => {
    const { results } = loadRules(argv.rules, { schema: false, resolve: false });
    let problems = 0;
    let printed = 0;
    const report = (d: Diagnostic): void => {
      if (d.severity === 'error') problems++;
      if (printed++ < MAX_PRINTED) err(formatDiagnostic(d) + '\n');
    };
    const entries: { rule: SigmaRule; file: string }[] = [];
    for (const r of results) {
      for (const d of r.diagnostics) if (d.severity === 'error') report(d);
      for (const d of r.documents) {
        const errors = d.diagnostics.filter((x) => x.severity === 'error');
        for (const x of errors) report(x);
        if (!errors.length && d.document?.kind === 'rule') entries.push({ rule: d.document, file: r.file ?? STDIN });
      }
    }
    if (entries.length === 0) {
      if (problems === 0) throw new UsageError(`no detection rule among ${argv.rules.join(' ')}`);
      err(`sigil: no usable rules among ${argv.rules.join(' ')}\n`);
      process.exitCode = 1;
      return;
    }
    const files = telemetryFiles(await telemetryPaths(argv), '--telemetry');

    // The rules' own positive cases (tests files, regression data): what a filter must not break.
    const gathered = gatherRuleTests(results);
    for (const d of gathered.problems) report(d);
    const position = (rule: SigmaRule, file: string): number =>
      entries.filter((e) => e.file === file).findIndex((e) => e.rule === rule);
    const casesOf = new Map<SigmaRule, GuardCase[]>();
    for (const g of gathered.cases) {
      if (!g.case.match || g.events === null) continue;
      const k = (gathered.rulesByFile.get(g.entry.file) ?? []).indexOf(g.entry);
      const entry = entries.filter((e) => e.file === g.entry.file)[k];
      if (!entry) continue;
      const c: GuardCase = { name: g.case.name, source: displayName(g.source), events: g.events };
      if (g.case.matchCount !== undefined) c.matchCount = g.case.matchCount;
      casesOf.set(entry.rule, [...(casesOf.get(entry.rule) ?? []), c]);
    }

    const collector = new HitCollector(
      entries.map((e) => e.rule),
      argv.identity,
    );
    for (const { rule, diagnostics } of collector.diagnostics)
      for (const d of diagnostics)
        report({
          ...d,
          file: entries.find((e) => e.rule === rule)?.file ?? d.file,
          severity: 'warning',
          message: `${d.message} Rule '${rule.title ?? rule.id}' is not tuned.`,
        } as Diagnostic);
    for (const file of files)
      for await (const event of readEventsSafely(openEvents(file), file, report)) collector.add(event);

    const tuned: Tuned[] = [];
    for (const { rule, hits, rows } of collector.results()) {
      const entry = entries.find((e) => e.rule === rule)!;
      const cases = casesOf.get(rule) ?? [];
      const result = proposeFilters(rule, rows, hits, cases, { identity: argv.identity });
      for (const label of result.guards.notPassing) {
        const d = evalDiagnostic(
          'E010',
          `The case ${label} does not pass before tuning, so it does not guard the proposed filters.`,
          rule.locs['detection'] ?? { line: 1, column: 1 },
          "Run 'sigil test' on the rule to see why the case fails.",
        );
        d.file = displayName(entry.file);
        report(d);
      }
      const t: Tuned = { rule, file: entry.file, result };
      if (result.proposals.length > 0) {
        const checkOn: EventObject[] = [...rows, ...cases.flatMap((c) => c.events)];
        if (argv.output === undefined) {
          t.yaml = tunedRuleYaml(rule, result, position(rule, entry.file) >= 0 ? sourceText(entry.file) : undefined);
          verifyTuned(rule, result, checkOn, t.yaml, 'rule');
        } else if (rule.id === undefined && rule.name === undefined) {
          const d = evalDiagnostic(
            'E009',
            `Rule '${rule.title ?? '(untitled)'}' has neither an id nor a name: a filter document cannot refer to it, so it is left out of ${argv.output}.`,
            { line: 1, column: 1 },
            'Give the rule an id (a UUID) or a name.',
          );
          d.file = displayName(entry.file);
          report(d);
        } else {
          t.yaml = filterDocumentYaml(rule, result, collector.events);
          verifyTuned(rule, result, checkOn, t.yaml, 'filter');
        }
      }
      tuned.push(t);
    }

    const documents = tuned.flatMap((t) => t.yaml ?? []);
    const yamlText = documents.map((d, i) => (i === 0 ? d : `---\n${d}`)).join('');
    if (argv.output !== undefined) {
      if (documents.length > 0) writeFileAtomic(argv.output, yamlText);
      else err(`sigil tune: no filter proposed; ${argv.output} is not written\n`);
    }
    if (argv.format === 'json') {
      out(
        JSON.stringify(
          {
            telemetry: { files: files.map(displayName), events: collector.events },
            ...(argv.output !== undefined ? { output: documents.length > 0 ? argv.output : null } : {}),
            rules: tuned.map((t) => ({
              file: displayName(t.file),
              id: t.rule.id ?? null,
              title: t.rule.title ?? null,
              ...t.result,
              yaml: t.yaml ?? null,
            })),
          },
          null,
          2,
        ) + '\n',
      );
    } else {
      // Rules that did not fire are counted, not listed: a directory of rules would bury the others.
      const quiet = tuned.filter((t) => t.result.hits === 0).length;
      const lines =
        tuned
          .filter((t) => t.result.hits > 0)
          .map((t) => summary(t, collector.events))
          .join('') +
        (quiet ? `${quiet} rule${quiet === 1 ? '' : 's'} did not fire on the ${collector.events} events\n` : '');
      if (argv.output !== undefined) out(lines);
      else {
        out(yamlText);
        err(lines);
      }
    }
    if (printed > MAX_PRINTED) err(`… and ${printed - MAX_PRINTED} more problems\n`);
    process.exitCode = problems > 0 ? 1 : 0;
  },
};
