/**
 * Correlation rules → KQL: the base queries unioned, then `summarize … by bin(time, span)`.
 * Kusto bins are fixed buckets, not Sigma's sliding windows: every result carries C102.
 */
import type { CorrelationRule } from '../../ast/types.js';
import { conversionError, conversionWarning } from '../diagnostics.js';
import { timespanText } from '../timespan.js';
import { failure, type ConversionResult, type ConvertContext, type ProcessedRule } from '../types.js';
import { Inexpressible } from './expression.js';
import { kqlName, kqlString } from './literals.js';
import type { KqlMeta } from './formats.js';
import { buildQuery } from './query.js';
import { tableColumns } from './schema.js';

const CMP = { gt: '>', gte: '>=', lt: '<', lte: '<=', eq: '==', neq: '!=' } as const;

export function convertCorrelation(
  corr: CorrelationRule,
  referenced: ProcessedRule[],
  ctx: ConvertContext,
): ConversionResult {
  const c = corr.correlation;
  const at = c.loc ? { loc: c.loc } : {};
  if (c.type === 'temporal_ordered' || c.type === 'value_percentile') {
    return failure([
      conversionError('C010', `correlation type ${c.type} is not supported by the KQL backend`, {
        ...at,
        hint: 'temporal_ordered needs row-order matching (scan), not emitted yet',
      }),
    ]);
  }
  try {
    const parts: string[] = [];
    let timeColumn = 'TimeGenerated';
    const tables: string[] = [];
    const fields = new Set<string>();
    const valueField = c.condition?.field;
    // Group-by output column → the column it comes from in each referenced rule (for entities).
    const groupColumns: Record<string, string[]> = Object.fromEntries(c.groupBy.map((g) => [g, [] as string[]]));
    referenced.forEach((r, i) => {
      const q = buildQuery(r);
      timeColumn = q.timeColumn;
      tables.push(q.table);
      const ref = c.rules[i]!;
      const cols = tableColumns(q.table, q.product);
      const target = (sigmaField: string): string => {
        const aliased = (Object.hasOwn(c.aliases, sigmaField) ? c.aliases[sigmaField]![ref] : undefined) ?? sigmaField;
        const mapped = (Object.hasOwn(r.fieldMap, aliased) ? r.fieldMap[aliased]![0] : undefined) ?? aliased;
        if (cols && !cols.has(mapped))
          throw new Inexpressible(
            conversionError('C002', `group-by field '${aliased}' of rule '${ref}' is not a column of ${q.table}`, {
              field: aliased,
              ...at,
            }),
          );
        fields.add(mapped);
        return mapped;
      };
      const proj = [
        `${kqlName(timeColumn)}`,
        ...c.groupBy.map((g) => {
          const source = target(g);
          groupColumns[g]!.push(source);
          return `${kqlName(g)} = ${kqlName(source)}`;
        }),
      ];
      if (valueField) proj.push(`SigilValue = ${kqlName(target(valueField))}`);
      proj.push(`SigilRule = ${kqlString(ref)}`);
      parts.push(`${q.text}\n| project ${proj.join(', ')}`);
    });
    const source =
      parts.length === 1 ? parts[0]! : `union\n${parts.map((p) => `(${p.replace(/\n/g, '\n    ')})`).join(',\n')}`;
    const by = [`bin(${kqlName(timeColumn)}, ${timespanText(c.timespan.seconds)})`, ...c.groupBy.map(kqlName)].join(
      ', ',
    );
    let agg: string;
    let name: string;
    switch (c.type) {
      case 'event_count':
        name = 'EventCount';
        agg = 'count()';
        break;
      case 'value_count':
        name = 'ValueCount';
        agg = 'dcount(SigilValue)';
        break;
      case 'value_sum':
        name = 'ValueSum';
        agg = 'sum(todouble(SigilValue))';
        break;
      case 'value_avg':
        name = 'ValueAvg';
        agg = 'avg(todouble(SigilValue))';
        break;
      case 'temporal':
        name = 'RuleCount';
        agg = 'dcount(SigilRule)';
        break;
    }
    const conds =
      c.type === 'temporal'
        ? [`${name} == ${referenced.length}`]
        : (c.condition?.comparisons ?? []).map((x) => `${name} ${CMP[x.op]} ${x.value}`);
    const lines = [source, `| summarize ${name} = ${agg} by ${by}`];
    if (conds.length) lines.push(`| where ${conds.join(' and ')}`);
    return {
      ok: true,
      queries: [lines.join('\n')],
      tables: [...new Set(tables)],
      fields: [...fields].sort(),
      warnings: [
        conversionWarning(
          'C102',
          `correlation window ${c.timespan.raw} is a fixed bin in KQL, not a sliding window: events split across two bins are not counted together`,
        ),
      ],
      meta: { timeColumn, correlation: c.type, pipelines: ctx.pipelines, groupColumns } satisfies KqlMeta,
    };
  } catch (e) {
    if (e instanceof Inexpressible) return failure([e.error]);
    throw e;
  }
}
