/**
 * Correlation rules → KQL. Each base rule's query is projected to common columns (the time,
 * each group-by name, `SigilValue`, `SigilRule`; on Defender also `ReportId` and `DeviceId`, which
 * a custom detection must return), the parts are unioned, then aggregated:
 *
 * - event_count with lower bounds only (gt/gte), N events needed: sorted by group and time, a
 *   row closes a window when the row N−1 before it is of the same group and at most `timespan`
 *   earlier (`prev()`): exactly Sigma's sliding window;
 * - temporal and temporal_ordered over two rules: the events of one rule joined with those of
 *   the other on the group (and `SigilKey`), kept when they lie within `timespan` (in order for
 *   temporal_ordered): exact;
 * - temporal_ordered over three or more rules: a chain of such joins, one per further rule, each
 *   keeping per event the latest start of an ordered chain ending there: exact;
 * - everything else (upper bounds, value_*, temporal over more rules): fixed `bin()` buckets,
 *   with warning C102. Distinct counts are exact (summarize by the value, then count; never
 *   `dcount()`, an estimate), percentiles exact (nearest rank over the sorted list).
 *
 * Every form ends with one row per group (per bucket when bucketed): the latest event's time,
 * with `ReportId`/`DeviceId` of that event when carried (`arg_max`).
 */
import type { CorrelationRule } from '../../ast/types.js';
import { conversionError, conversionWarning } from '../diagnostics.js';
import { timespanText } from '../timespan.js';
import {
  failure,
  type ConversionResult,
  type ConversionWarning,
  type ConvertContext,
  type ProcessedRule,
} from '../types.js';
import { Inexpressible } from './expression.js';
import { kqlName, kqlString } from './literals.js';
import type { KqlMeta } from './formats.js';
import { buildQuery } from './query.js';
import { tableColumns, type KqlProduct } from './schema.js';

const CMP = { gt: '>', gte: '>=', lt: '<', lte: '<=', eq: '==', neq: '!=' } as const;

/** The columns a Defender custom detection must return (formats.ts checks them). */
const DEFENDER_CARRIED = ['ReportId', 'DeviceId'];

export function convertCorrelation(
  corr: CorrelationRule,
  referenced: ProcessedRule[],
  ctx: ConvertContext,
): ConversionResult {
  const c = corr.correlation;
  const at = c.loc ? { loc: c.loc } : {};
  if (referenced.length === 0) return failure([conversionError('C011', 'the correlation names no rules', at)]);
  const comps = c.condition?.comparisons ?? [];
  const warnings: ConversionWarning[] = [];
  const span = timespanText(c.timespan.seconds);
  const bucketed = (why: string): void => {
    warnings.push(
      conversionWarning(
        'C102',
        `${c.type}: ${why}; the query uses fixed ${span} buckets (bin), so events split across two buckets are not counted together`,
        'see docs/backends/kql.md, "Correlations", for what stays approximate',
      ),
    );
  };
  try {
    const names = [...c.groupBy, ...(c.condition?.field !== undefined ? [c.condition.field] : [])];
    // Each rule's query also yields its fields for the correlation's names (an XML event table parses them).
    const queries = referenced.map((r) => buildQuery(r, { read: names.map((n) => r.correlationFields?.[n] ?? n) }));
    const product: KqlProduct = queries[0]!.product;
    if (queries.some((q) => q.product !== product))
      return failure([conversionError('C010', 'the base rules read tables of different products', at)]);
    const T = kqlName(queries[0]!.timeColumn);
    // Defender: keep the columns a custom detection returns, when every table has them.
    const carry =
      product === 'defender' &&
      queries.every((q) => {
        const cols = tableColumns(q.table, 'defender');
        return cols !== undefined && DEFENDER_CARRIED.every((x) => cols.has(x));
      })
        ? DEFENDER_CARRIED
        : [];
    const groups = c.groupBy.map((g) => kqlName(g));
    const valueName = c.condition?.field;
    const fields = new Set<string>();
    // Group-by output column → the column it comes from in each referenced rule (for entities).
    const groupColumns: Record<string, string[]> = Object.fromEntries(c.groupBy.map((g) => [g, [] as string[]]));
    const parts = referenced.map((r, i) => {
      const q = queries[i]!;
      const lines = [q.text];
      const read = (name: string): string => {
        const target = r.correlationFields?.[name] ?? name;
        if (Object.hasOwn(r.extend, target) && !q.text.includes(`| extend ${kqlName(target)} =`))
          lines.push(`| extend ${kqlName(target)} = ${r.extend[target]}`);
        fields.add(target);
        // One type for every part of the union (a union of string and long columns splits them).
        return `tostring(${q.column(target).expr.replace(/^tostring\((.*)\)$/s, '$1')})`;
      };
      const proj = [
        T === kqlName(q.timeColumn) ? T : `${T} = ${kqlName(q.timeColumn)}`,
        ...c.groupBy.map((g, k) => {
          groupColumns[g]!.push(r.correlationFields?.[g] ?? g);
          return `${groups[k]} = ${read(g)}`;
        }),
      ];
      if (valueName !== undefined) proj.push(`SigilValue = ${read(valueName)}`);
      proj.push(`SigilRule = ${kqlString(c.rules[i]!)}`, ...carry);
      lines.push(`| project ${proj.join(', ')}`);
      return lines.join('\n');
    });
    const source =
      parts.length === 1 ? parts[0]! : `union\n${parts.map((p) => `(${p.replace(/\n/g, '\n    ')})`).join(',\n')}`;
    const by = groups.join(', ');
    const byList = (extra: string[]): string => [...extra, ...groups].join(', ');
    /** The latest event of a group (and the carried columns of that event). */
    const latest = (extra: string[] = []): string =>
      carry.length || extra.length ? `arg_max(${[T, ...extra, ...carry].join(', ')})` : `${T} = max(${T})`;
    const holds = (name: string): string => comps.map((x) => `${name} ${CMP[x.op]} ${x.value}`).join(' and ');
    const lowerOnly = comps.length > 0 && comps.every((x) => x.op === 'gt' || x.op === 'gte');
    const lines: string[] = [source];
    const bin = `SigilWindow = bin(${T}, ${span})`;
    let columns: string[];
    switch (c.type) {
      case 'event_count': {
        if (!comps.length) return failure([conversionError('C010', 'event_count needs a condition', at)]);
        if (lowerOnly) {
          // The fewest events that satisfy every lower bound.
          const need = Math.max(
            1,
            ...comps.map((x) => (x.op === 'gte' ? Math.ceil(x.value) : Math.floor(x.value) + 1)),
          );
          const back = need - 1;
          if (back > 0) {
            lines.push(`| sort by ${[...groups.map((g) => `${g} asc`), `${T} asc`].join(', ')}`);
            const same = [`${T} - prev(${T}, ${back}) <= ${span}`, ...groups.map((g) => `prev(${g}, ${back}) == ${g}`)];
            lines.push(`| extend SigilWindowStart = prev(${T}, ${back}), SigilInWindow = ${same.join(' and ')}`);
            lines.push('| where SigilInWindow');
          } else lines.push(`| extend SigilWindowStart = ${T}`);
          lines.push(`| summarize ${latest(['SigilWindowStart'])}${by ? ` by ${by}` : ''}`);
          columns = [T.replace(/^\['|'\]$/g, ''), 'SigilWindowStart', ...c.groupBy, ...carry];
        } else {
          bucketed('an upper bound cannot be decided on a sliding window event by event');
          lines.push(`| summarize EventCount = count(), ${latest()} by ${byList([bin])}`);
          lines.push(`| where ${holds('EventCount')}`);
          columns = [T, 'SigilWindow', 'EventCount', ...c.groupBy, ...carry];
        }
        break;
      }
      case 'value_count': {
        if (!comps.length || valueName === undefined)
          return failure([conversionError('C010', 'value_count needs a condition with a field', at)]);
        bucketed('distinct values are counted per bucket');
        // Exact distinct count: one row per (bucket, group, value), then count the rows.
        lines.push('| where isnotempty(SigilValue)');
        lines.push(`| summarize ${latest()} by ${byList([bin, 'SigilValue'])}`);
        lines.push(`| summarize ValueCount = count(), ${latest()} by ${byList(['SigilWindow'])}`);
        lines.push(`| where ${holds('ValueCount')}`);
        columns = [T, 'SigilWindow', 'ValueCount', ...c.groupBy, ...carry];
        break;
      }
      case 'value_sum':
      case 'value_avg':
      case 'value_percentile': {
        if (!comps.length || valueName === undefined)
          return failure([conversionError('C010', `${c.type} needs a condition with a field`, at)]);
        lines.push('| extend SigilNumber = todouble(SigilValue)', '| where isnotnull(SigilNumber)');
        if (c.type === 'value_percentile') {
          const p = c.condition?.percentile;
          if (p === undefined || !(p > 0 && p <= 100))
            return failure([
              conversionError('C010', 'value_percentile needs a percentile between 0 and 100 in its condition', at),
            ]);
          bucketed('percentiles are computed per bucket');
          // Nearest rank over the sorted values (Kusto's percentile() is an estimate).
          lines.push(`| summarize SigilNumbers = make_list(SigilNumber), ${latest()} by ${byList([bin])}`);
          lines.push(
            `| extend ValuePercentile = todouble(array_sort_asc(SigilNumbers)[toint(max_of(ceiling(${p} / 100.0 * array_length(SigilNumbers)), 1.0)) - 1])`,
          );
          lines.push(`| where ${holds('ValuePercentile')}`, '| project-away SigilNumbers');
          columns = [T, 'SigilWindow', 'ValuePercentile', ...c.groupBy, ...carry];
        } else {
          const name = c.type === 'value_sum' ? 'ValueSum' : 'ValueAvg';
          bucketed(`the ${c.type === 'value_sum' ? 'sum' : 'average'} is computed per bucket`);
          lines.push(
            `| summarize ${name} = ${c.type === 'value_sum' ? 'sum' : 'avg'}(SigilNumber), ${latest()} by ${byList([bin])}`,
          );
          lines.push(`| where ${holds(name)}`);
          columns = [T, 'SigilWindow', name, ...c.groupBy, ...carry];
        }
        break;
      }
      case 'temporal':
      case 'temporal_ordered': {
        const n = referenced.length;
        // The condition the correlation means: every rule, unless temporal says otherwise.
        const allRules =
          c.type === 'temporal_ordered' ||
          comps.length === 0 ||
          Array.from({ length: n + 1 }, (_, v) => v).every(
            (v) => comps.every((x) => compare(v, x.op, x.value)) === (v === n),
          );
        if (allRules && n === 2) {
          // Exact: a pair of events of the two rules in one group, within the timespan.
          const key = ['SigilKey', ...groups];
          const side = (rule: string, time: string, extra: string[]): string =>
            `SigilEvents\n    | where SigilRule == ${kqlString(rule)}\n    | project ${[`SigilKey = 1`, ...groups, time === T ? T : `${time} = ${T}`, ...extra].join(', ')}`;
          const within =
            c.type === 'temporal_ordered'
              ? `${T} >= SigilFirst and ${T} - SigilFirst <= ${span}`
              : `${T} - SigilFirst <= ${span} and SigilFirst - ${T} <= ${span}`;
          lines[0] = `let SigilEvents = ${source.replace(/\n/g, '\n    ')};`;
          lines.push(
            `${side(c.rules[0]!, 'SigilFirst', [])}\n| join kind=inner (\n    ${side(c.rules[1]!, T, carry).replace(/\n/g, '\n    ')}\n) on ${key.join(', ')}`,
            `| where ${within}`,
            `| extend SigilWindowStart = min_of(${T}, SigilFirst), ${T} = max_of(${T}, SigilFirst)`,
            `| summarize ${latest(['SigilWindowStart'])}${by ? ` by ${by}` : ''}`,
          );
          columns = [T, 'SigilWindowStart', ...c.groupBy, ...carry];
          break;
        }
        if (c.type === 'temporal_ordered' && n < 2)
          return failure([conversionError('C010', 'temporal_ordered needs at least two rules', at)]);
        if (c.type === 'temporal_ordered') {
          // Exact, by chained joins: each step keeps, per event of the next rule, the latest start
          // of a chain ending at or before it (the latest start leaves the most room for the rest).
          const key = ['SigilKey', ...groups];
          const side = (rule: string, project: string[]): string =>
            `SigilEvents\n    | where SigilRule == ${kqlString(rule)}\n    | project ${['SigilKey = 1', ...groups, ...project].join(', ')}`;
          const join = (rule: string, project: string[]): string =>
            `| join kind=inner (\n    ${side(rule, project).replace(/\n/g, '\n    ')}\n) on ${key.join(', ')}`;
          lines[0] = `let SigilEvents = ${source.replace(/\n/g, '\n    ')};`;
          lines.push(side(c.rules[0]!, [`SigilFirst = ${T}`]).replace(/\n {4}/g, '\n'));
          for (let k = 1; k < n - 1; k++) {
            const previous = k === 1 ? 'SigilFirst' : 'SigilStep';
            lines.push(
              join(c.rules[k]!, [`SigilNext = ${T}`]),
              `| where SigilNext >= ${previous} and SigilNext - SigilFirst <= ${span}`,
              `| summarize SigilFirst = max(SigilFirst) by ${[...key, 'SigilStep = SigilNext'].join(', ')}`,
            );
          }
          lines.push(
            join(c.rules[n - 1]!, [T, ...carry]),
            `| where ${T} >= SigilStep and ${T} - SigilFirst <= ${span}`,
            '| extend SigilWindowStart = SigilFirst',
            `| summarize ${latest(['SigilWindowStart'])}${by ? ` by ${by}` : ''}`,
          );
          columns = [T, 'SigilWindowStart', ...c.groupBy, ...carry];
          break;
        }
        bucketed('the rules are counted per bucket');
        lines.push(`| summarize ${latest()} by ${byList([bin, 'SigilRule'])}`);
        lines.push(`| summarize RuleCount = count(), ${latest()} by ${byList(['SigilWindow'])}`);
        lines.push(`| where ${comps.length ? holds('RuleCount') : `RuleCount == ${n}`}`);
        columns = [T, 'SigilWindow', 'RuleCount', ...c.groupBy, ...carry];
        break;
      }
    }
    const meta: KqlMeta = {
      timeColumn: queries[0]!.timeColumn,
      correlation: c.type,
      product,
      columns: columns.map((x) => x.replace(/^\['(.*)'\]$/, '$1')),
      pipelines: ctx.pipelines,
      groupColumns,
    };
    return {
      ok: true,
      queries: [lines.join('\n')],
      tables: [...new Set(queries.flatMap((q) => q.tables))],
      fields: [...new Set([...queries.flatMap((q) => q.columns), ...fields])].sort(),
      warnings,
      meta,
    };
  } catch (e) {
    if (e instanceof Inexpressible) return failure([e.error]);
    throw e;
  }
}

function compare(a: number, op: keyof typeof CMP, b: number): boolean {
  switch (op) {
    case 'gt':
      return a > b;
    case 'gte':
      return a >= b;
    case 'lt':
      return a < b;
    case 'lte':
      return a <= b;
    case 'eq':
      return a === b;
    case 'neq':
      return a !== b;
  }
}
