/**
 * Sigma correlations → SPL. The base rules' events are gathered (one rule: its own query; several:
 * `| multisearch` with one subsearch per rule, each tagged with `sigil_rule`), aliases become
 * `eval`s, then:
 *
 * - event_count / value_count / value_sum / value_avg with a lower bound (gt/gte) and
 *   temporal: `streamstats time_window=<span>` — a true sliding window over each group;
 * - upper bounds (lt/lte/eq/neq), value_percentile and temporal_ordered (two rules):
 *   `bin _time span=<span>` + `stats` — fixed buckets, reported as warning C102.
 *
 * `multisearch` is a generating command: Splunk requires such a query to start with `|`.
 */
import type { ComparisonOp, CorrelationRule } from '../../ast/types.js';
import { conversionError, conversionWarning } from '../diagnostics.js';
import { timespanText } from '../timespan.js';
import {
  failure,
  type ConversionResult,
  type ConversionWarning,
  type ConvertContext,
  type ProcessedRule,
} from '../types.js';
import { ruleQuery, type RuleQuery } from './convert.js';
import { evalField, quoteString, searchField } from './escape.js';

const OPS: Record<ComparisonOp, string> = { gt: '>', gte: '>=', lt: '<', lte: '<=', eq: '=', neq: '!=' };

export function convertCorrelation(
  corr: CorrelationRule,
  referenced: ProcessedRule[],
  ctx: ConvertContext,
): ConversionResult {
  const c = corr.correlation;
  const at = c.loc ? { loc: c.loc } : {};
  const warnings: ConversionWarning[] = [];
  const queries: RuleQuery[] = [];
  for (const r of referenced) {
    const q = ruleQuery(r, ctx);
    if (Array.isArray(q))
      return failure([
        conversionError(
          'C011',
          `base rule '${r.rule.title ?? r.rule.id ?? '?'}' cannot be converted: ${q.map((e) => e.message).join('; ')}`,
          at,
        ),
        ...q,
      ]);
    if (q.generating)
      return failure([
        conversionError(
          'C010',
          'correlations over tstats (splunk-cim) searches are not supported; use splunk-windows',
          at,
        ),
      ]);
    queries.push(q);
  }
  if (queries.length === 0) return failure([conversionError('C011', 'the correlation names no rules', at)]);
  const refName = (i: number): string => c.rules[i] ?? String(i);

  // Alias fields: each rule's own field is copied into the alias name.
  const aliasEvals = (i: number): string[] => {
    const out: string[] = [];
    for (const [alias, byRule] of Object.entries(c.aliases)) {
      const r = referenced[i]!.rule;
      const field =
        byRule[c.rules[i]!] ??
        (r.id !== undefined ? byRule[r.id] : undefined) ??
        (r.name !== undefined ? byRule[r.name] : undefined);
      if (field === undefined) continue;
      const target = evalField(alias);
      const source = evalField(referenced[i]!.fieldMap[field]?.[0] ?? field);
      if (target && source) out.push(`eval ${target}=${source}`);
    }
    return out;
  };

  let head: string;
  if (queries.length === 1) {
    head = [queries[0]!.text, ...aliasEvals(0)].join(' | ');
  } else {
    const subs = queries.map(
      (q, i) => `[search ${[q.text, ...aliasEvals(i), `eval sigil_rule=${quoteString(refName(i))}`].join(' | ')}]`,
    );
    head = `| multisearch ${subs.join(' ')}`;
  }

  const span = c.timespan.seconds;
  if (!span) return failure([conversionError('C010', 'the correlation has no valid timespan', at)]);
  const by = c.groupBy.length ? ` by ${c.groupBy.map(searchField).join(' ')}` : '';
  const cmp = (name: string): string =>
    (c.condition?.comparisons ?? []).map((x) => `${name}${OPS[x.op]}${x.value}`).join(' AND ');
  const lowerBoundOnly = (c.condition?.comparisons ?? []).every((x) => x.op === 'gt' || x.op === 'gte');
  const fixed = (why: string): void => {
    warnings.push(
      conversionWarning(
        'C102',
        `${c.type}: ${why}; the search uses fixed ${timespanText(span)} buckets (bin _time), so matches across a bucket boundary are missed`,
        'schedule the search so that buckets align with its time range',
      ),
    );
  };
  const valueField = c.condition?.field;
  const aggField = valueField ? evalField(valueField) : null;
  let tail: string[];
  switch (c.type) {
    case 'event_count':
    case 'value_count':
    case 'value_sum':
    case 'value_avg': {
      if (c.type !== 'event_count' && !aggField)
        return failure([conversionError('C010', `${c.type} needs a condition field that can be written in SPL`, at)]);
      const fn =
        c.type === 'event_count'
          ? 'count'
          : c.type === 'value_count'
            ? `dc(${aggField})`
            : c.type === 'value_sum'
              ? `sum(${aggField})`
              : `avg(${aggField})`;
      const name = `sigil_${c.type}`;
      if (!c.condition || c.condition.comparisons.length === 0)
        return failure([conversionError('C010', `${c.type} needs a condition`, at)]);
      if (lowerBoundOnly) {
        tail = [`streamstats time_window=${timespanText(span)} ${fn} as ${name}${by}`, `where ${cmp(name)}`];
      } else {
        fixed('an upper bound cannot be checked on a sliding window event by event');
        tail = [
          `bin _time span=${timespanText(span)}`,
          `stats ${fn} as ${name}${by ? by + ' _time' : ' by _time'}`,
          `where ${cmp(name)}`,
        ];
      }
      break;
    }
    case 'value_percentile': {
      if (!aggField || !c.condition)
        return failure([conversionError('C010', 'value_percentile needs a condition field', at)]);
      const pct = Math.round(c.condition.percentile ?? 50);
      fixed('percentiles are computed per bucket');
      tail = [
        `bin _time span=${timespanText(span)}`,
        `stats perc${pct}(${aggField}) as sigil_value_percentile${by ? by + ' _time' : ' by _time'}`,
        `where ${cmp('sigil_value_percentile')}`,
      ];
      break;
    }
    case 'temporal': {
      if (queries.length < 2)
        return failure([conversionError('C010', 'a temporal correlation needs at least two rules', at)]);
      tail = [
        `streamstats time_window=${timespanText(span)} dc(sigil_rule) as sigil_rule_count${by}`,
        `where sigil_rule_count>=${queries.length}`,
      ];
      break;
    }
    case 'temporal_ordered': {
      if (queries.length !== 2)
        return failure([
          conversionError(
            'C010',
            'temporal_ordered is expressible in SPL for exactly two rules (first occurrence of one before the last occurrence of the other)',
            at,
          ),
        ]);
      fixed('the order is checked inside each bucket');
      const [a, b] = [quoteString(refName(0)), quoteString(refName(1))];
      tail = [
        `bin _time span=${timespanText(span)}`,
        `stats min(eval(if(sigil_rule=${a}, _time, null()))) as sigil_first max(eval(if(sigil_rule=${b}, _time, null()))) as sigil_last${by ? by + ' _time' : ' by _time'}`,
        'where sigil_first<sigil_last',
      ];
      break;
    }
  }
  const text = [head, ...tail].join(' | ');
  const tables = [...new Set(queries.flatMap((q) => q.tables))];
  const fields = [...new Set(queries.flatMap((q) => q.fields))];
  return { ok: true, queries: [text], tables, fields, warnings, meta: { generating: queries.length > 1 } };
}
