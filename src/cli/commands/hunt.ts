/** `sigil hunt`: which rules match which events, over JSON / JSON Lines streams. */
import fs from 'node:fs';
import type { CommandModule } from 'yargs';
import type { CorrelationRule, FilterRule, SigmaRule } from '../../ast/types.js';
import { applyFilters } from '../../pipelines/filters.js';
import { distinctFilters, filterNotApplied, loadFilters } from '../filters.js';
import type { Diagnostic } from '../../diagnostics.js';
import { createCorrelator, type CorrelationAlert, type Correlator } from '../../eval/correlate.js';
import { evalDiagnostic } from '../../eval/codes.js';
import { openEvents, readEvents } from '../event-input.js';
import { formatDiagnostic } from '../format.js';
import { displayName, err, out, STDIN, UsageError } from '../io.js';
import { loadRules } from '../load.js';
import { huntSpec, type HuntArgs as Args } from '../specs/hunt.js';

/** At most this many input diagnostics are printed; the rest are counted. */
const MAX_PRINTED = 20;

export const huntCommand: CommandModule<object, Args> = {
  ...huntSpec,
  handler: async (argv) => {
    const { results } = loadRules(argv.rules, { schema: false });
    const fileOf = new Map<SigmaRule | CorrelationRule, string>();
    const rules: SigmaRule[] = [];
    const correlations: CorrelationRule[] = [];
    const filterDocs: FilterRule[] = [];
    let ruleErrors = 0;
    for (const r of results) {
      for (const d of r.diagnostics)
        if (d.severity === 'error') {
          ruleErrors++;
          err(formatDiagnostic(d) + '\n');
        }
      for (const d of r.documents) {
        const errors = d.diagnostics.filter((x) => x.severity === 'error');
        if (errors.length || !d.document) {
          ruleErrors++;
          for (const x of errors) err(formatDiagnostic(x) + '\n');
          continue;
        }
        if (d.document.kind === 'rule') rules.push(d.document);
        else if (d.document.kind === 'correlation') correlations.push(d.document);
        else {
          filterDocs.push(d.document);
          continue;
        }
        if (r.file) fileOf.set(d.document, r.file);
      }
    }
    // Filters (given with --filter or found among the rules) change the rules they name.
    const filters = distinctFilters([...loadFilters(argv.filter).filters, ...filterDocs]);
    if (filters.length) {
      rules.forEach((rule, k) => {
        const { rule: filtered, mismatched } = applyFilters(rule, filters);
        for (const m of mismatched) err(filterNotApplied(fileOf.get(rule) ?? '<rules>', m.filter, rule, m.reason));
        if (filtered !== rule) {
          const file = fileOf.get(rule);
          if (file) fileOf.set(filtered, file);
          rules[k] = filtered;
        }
      });
    }
    if (rules.length === 0) {
      if (!ruleErrors) throw new UsageError(`no usable rules among ${argv.rules.join(' ')}`);
      // Every rule was bad: each is reported above; bad inputs exit 1 (docs/cli.md).
      err(`sigil: no usable rules among ${argv.rules.join(' ')} (${ruleErrors} with errors)\n`);
      process.exitCode = 1;
      return;
    }
    // yargs drops a bare `-`; no events file means stdin either way.
    const inputs = argv.events && argv.events.length ? argv.events : [STDIN];
    for (const ev of inputs) if (ev !== STDIN && !fs.existsSync(ev)) throw new UsageError(`no such events file: ${ev}`);

    const options = {
      logsourceFilter: argv['logsource-filter'],
      ...(argv['timestamp-field'] ? { timestampFields: argv['timestamp-field'] } : {}),
    };
    const correlator: Correlator = createCorrelator(correlations, rules, options);
    const withheld = withheldRules(correlations, rules);
    for (const { rule, diagnostics } of correlator.engine.diagnostics) {
      for (const d of diagnostics)
        err(
          formatDiagnostic({
            ...d,
            file: fileOf.get(rule) ?? d.file,
            severity: 'warning',
            message: `${d.message} Rule '${rule.title ?? rule.id}' is skipped.`,
          }) + '\n',
        );
    }
    for (const d of correlator.diagnostics) err(formatDiagnostic(d) + '\n');

    let inputProblems = 0;
    const report = (d: Diagnostic): void => {
      inputProblems++;
      if (inputProblems <= MAX_PRINTED) err(formatDiagnostic(d) + '\n');
    };
    const counts = new Map<SigmaRule | CorrelationRule, number>();
    const started = performance.now();
    let total = 0;
    let matches = 0;
    // A window decided when it closed belongs to no single event: its event_index is null.
    const emitAlert = (a: CorrelationAlert, index: number | null, file: string | null): void => {
      counts.set(a.correlation, (counts.get(a.correlation) ?? 0) + 1);
      if (argv.format === 'jsonl')
        out(
          JSON.stringify({
            correlation_id: a.correlation.id ?? null,
            title: a.correlation.title ?? null,
            type: a.correlation.correlation.type,
            group: a.group,
            value: a.value,
            time: new Date(a.time).toISOString(),
            event_index: a.closed ? null : index,
            file: a.closed ? null : file,
            // The events behind the alert (those of its window), oldest first.
            events: a.events,
          }) + '\n',
        );
    };
    for (const input of inputs) {
      const file = displayName(input);
      let index = 0;
      try {
        for await (const event of readEvents(openEvents(input === STDIN ? 0 : input), file, report)) {
          let alerts: CorrelationAlert[];
          try {
            alerts = correlator.push(event, { file, event_index: index });
          } catch (e) {
            // A Sigil bug on one event: reported for that event, the stream goes on.
            const d = evalDiagnostic('E003', `Sigil failed on event ${index + 1}: ${(e as Error).message}.`);
            d.file = file;
            report(d);
            index++;
            continue;
          }
          for (const m of correlator.lastMatches) {
            // A rule a correlation refers to without `generate: true` is not an alert of its own.
            if (withheld.has(m.rule)) continue;
            matches++;
            counts.set(m.rule, (counts.get(m.rule) ?? 0) + 1);
            if (argv.format === 'jsonl')
              out(
                JSON.stringify({ rule_id: m.rule.id ?? null, title: m.rule.title ?? null, event_index: index, file }) +
                  '\n',
              );
          }
          for (const a of alerts) emitAlert(a, index, file);
          index++;
        }
      } catch (e) {
        const d = evalDiagnostic(
          'E003',
          `Cannot read the events: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`,
        );
        d.file = file;
        report(d);
      }
      total += index;
    }
    // The end of the input ends the stream: windows still open are decided now.
    for (const a of correlator.flush()) emitAlert(a, null, null);
    if (argv.format === 'table') {
      const rows = [...counts.entries()].sort(
        (a, b) => b[1] - a[1] || String(a[0].title).localeCompare(String(b[0].title)),
      );
      const w = Math.max(5, ...rows.map(([, n]) => String(n).length));
      out(`${'count'.padStart(w)}  ${'rule id'.padEnd(36)}  title\n`);
      for (const [r, n] of rows)
        out(
          `${String(n).padStart(w)}  ${(r.id ?? '-').padEnd(36)}  ${r.title ?? ''}${r.kind === 'correlation' ? ' (correlation)' : ''}\n`,
        );
    }
    const secs = (performance.now() - started) / 1000;
    if (inputProblems > MAX_PRINTED) err(`… and ${inputProblems - MAX_PRINTED} more input problems\n`);
    err(
      `${total} events, ${rules.length} rules${correlations.length ? ` + ${correlations.length} correlations` : ''}: ${matches} matches in ${secs.toFixed(2)}s (${Math.round(total / Math.max(secs, 1e-9))} events/s)\n`,
    );
    // Bad inputs (rules or events) are findings: exit 1, like every command (docs/cli.md).
    process.exitCode = inputProblems > 0 || ruleErrors > 0 ? 1 : 0;
  },
};

/**
 * The rules a correlation refers to (by id or name) without `generate: true`: per the spec they
 * feed the correlation and alert only through it (as `convert` withholds them; docs/cli.md).
 */
function withheldRules(correlations: readonly CorrelationRule[], rules: readonly SigmaRule[]): Set<SigmaRule> {
  const refs = new Set(correlations.filter((c) => !c.correlation.generate).flatMap((c) => c.correlation.rules));
  return new Set(
    rules.filter((r) => (r.id !== undefined && refs.has(r.id)) || (r.name !== undefined && refs.has(r.name))),
  );
}
