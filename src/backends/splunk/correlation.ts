/**
 * Sigma correlations → SPL. The base rules' events are gathered (one rule: its own query; several:
 * `| multisearch` with one subsearch per rule, each tagged with `sigil_rule`, then `sort 0 _time`,
 * since streamstats' time_window needs events in time order); each rule's mapped group-by and
 * value fields are copied into the correlation's names (`eval`), then:
 *
 * - event_count / value_count / value_sum / value_avg with lower bounds only (gt/gte), and
 *   temporal: `streamstats time_window=<span>`, a sliding window over each group (exact; `dc()`
 *   is Splunk's exact distinct count, `estdc()` the estimate);
 * - temporal_ordered (two rules): `streamstats time_window=<span> count(eval(sigil_rule=…))` — an
 *   event of the second rule with one of the first earlier in its window (exact); three or more
 *   rules: one `streamstats max()` per rule carrying the latest start of an ordered chain (exact);
 * - upper bounds (lt/lte/eq/neq) and value_percentile: `bin _time span=<span>` + `stats`, fixed
 *   buckets, reported as warning C102 (percentiles with `exactperc`, as `perc` is an estimate).
 *
 * `multisearch` is a generating command: Splunk requires such a query to start with `|`.
 *
 * splunk-cim: a correlation reads events, not tstats' counts: its rule searches the data model
 * with `| datamodel <model> <dataset> search` (then `sort 0 _time`). Several rules are refused
 * (C010): multisearch takes only streaming searches; append finalises a subsearch at its limits
 * (maxout, maxtime), and whether union treats a data model dataset as streaming (free of those
 * limits) is not documented.
 */
import type { ComparisonOp, CorrelationRule } from '../../ast/types.js';
import { conversionError, conversionWarning } from '../diagnostics.js';
import { timespanText } from '../timespan.js';
import {
  failure,
  type ConversionError,
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
    const q = ruleQuery(r, ctx, { events: true });
    if (Array.isArray(q))
      return failure([
        conversionError(
          'C011',
          `base rule '${r.rule.title ?? r.rule.id ?? '?'}' cannot be converted: ${q.map((e) => e.message).join('; ')}`,
          at,
        ),
        ...q,
      ]);
    if (q.generating && referenced.length > 1)
      return failure([
        conversionError(
          'C010',
          `a correlation over ${referenced.length} rules cannot gather their data model (splunk-cim) searches exactly: multisearch runs only streaming searches, and \`| datamodel\` and \`| tstats\` are generating commands; append finalises each subsearch at its limits (maxout, maxtime) without saying so, and union is documented to do the same for a dataset it does not stream, without saying which data model datasets it streams`,
          { ...at, hint: 'convert this correlation with splunk-windows, or correlate over one rule' },
        ),
      ]);
    queries.push(q);
  }
  if (queries.length === 0) return failure([conversionError('C011', 'the correlation names no rules', at)]);
  const refName = (i: number): string => c.rules[i] ?? String(i);

  // Group-by names, aliases and the aggregated field: each rule's mapped field (convert.ts runs
  // them through the rule's pipelines) is copied into the correlation's name for it.
  const names = [...c.groupBy, ...(c.condition?.field !== undefined ? [c.condition.field] : [])];
  const aliasEvals = (i: number): string[] | ConversionError => {
    const out: string[] = [];
    for (const name of new Set(names)) {
      const field = referenced[i]!.correlationFields?.[name] ?? name;
      if (field === name) continue;
      const target = evalField(name);
      const source = evalField(field);
      if (!target || !source)
        return conversionError('C035', `the correlation field '${name}' cannot be written in an SPL eval`, {
          ...at,
          field: name,
        });
      out.push(`eval ${target}=${source}`);
    }
    return out;
  };
  const evals: string[][] = [];
  for (let i = 0; i < queries.length; i++) {
    const e = aliasEvals(i);
    if (!Array.isArray(e)) return failure([e]);
    evals.push(e);
  }
  let head: string;
  if (queries.length === 1) {
    // A data model search (`| datamodel`) promises no order: streamstats needs time order.
    head = [queries[0]!.text, ...evals[0]!, ...(queries[0]!.generating ? ['sort 0 _time'] : [])].join(' | ');
  } else {
    const subs = queries.map(
      (q, i) => `[search ${[q.text, ...evals[i]!, `eval sigil_rule=${quoteString(refName(i))}`].join(' | ')}]`,
    );
    // streamstats' time_window needs events in time order; multisearch interleaves its searches.
    head = `| multisearch ${subs.join(' ')} | sort 0 _time`;
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
        // A sum or an average does not only grow: its window must end at each event, so the
        // events go oldest first (a plain search returns them newest first).
        const order =
          (c.type === 'value_sum' || c.type === 'value_avg') && queries.length === 1 && !queries[0]!.generating
            ? ['sort 0 _time']
            : [];
        tail = [...order, `streamstats time_window=${timespanText(span)} ${fn} as ${name}${by}`, `where ${cmp(name)}`];
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
      fixed('percentiles are computed per bucket, with exactperc (perc is an estimate)');
      tail = [
        `bin _time span=${timespanText(span)}`,
        `stats exactperc${pct}(${aggField}) as sigil_value_percentile${by ? by + ' _time' : ' by _time'}`,
        `where ${cmp('sigil_value_percentile')}`,
      ];
      break;
    }
    case 'temporal': {
      if (queries.length < 2)
        return failure([conversionError('C010', 'a temporal correlation needs at least two rules', at)]);
      // The condition counts the distinct rules seen; without one, every rule.
      const rulesNeeded = c.condition?.comparisons.length
        ? cmp('sigil_rule_count')
        : `sigil_rule_count>=${queries.length}`;
      if (lowerBoundOnly) {
        tail = [
          `streamstats time_window=${timespanText(span)} dc(sigil_rule) as sigil_rule_count${by}`,
          `where ${rulesNeeded}`,
        ];
      } else {
        fixed('an upper bound cannot be checked on a sliding window event by event');
        tail = [
          `bin _time span=${timespanText(span)}`,
          `stats dc(sigil_rule) as sigil_rule_count${by ? by + ' _time' : ' by _time'}`,
          `where ${rulesNeeded}`,
        ];
      }
      break;
    }
    case 'temporal_ordered': {
      const n = queries.length;
      if (n < 2) return failure([conversionError('C010', 'temporal_ordered needs at least two rules', at)]);
      const last = quoteString(refName(n - 1));
      if (n === 2) {
        // Exact: in time order, a second-rule event with a first-rule event in the window before it.
        const first = quoteString(refName(0));
        tail = [
          `streamstats time_window=${timespanText(span)} count(eval(sigil_rule=${first})) as sigil_first_count${by}`,
          `where sigil_rule==${last} AND sigil_first_count>0`,
        ];
        break;
      }
      // Exact, one streamstats per rule but the last: sigil_chain_k is, at each event, the latest
      // start of an ordered chain of rules 0..k ending in the window before it (the latest start
      // leaves the most room for the rest); an event of the last rule closes a chain that began
      // at most the timespan before it.
      tail = [];
      for (let k = 0; k < n - 1; k++) {
        const start = k === 0 ? '_time' : `sigil_chain_${k - 1}`;
        tail.push(
          `eval sigil_start_${k}=if(sigil_rule==${quoteString(refName(k))}, ${start}, null())`,
          `streamstats time_window=${timespanText(span)} max(sigil_start_${k}) as sigil_chain_${k}${by}`,
        );
      }
      tail.push(`where sigil_rule==${last} AND _time-sigil_chain_${n - 2}<=${span}`);
      break;
    }
  }
  const text = [head, ...tail].join(' | ');
  const tables = [...new Set(queries.flatMap((q) => q.tables))];
  const fields = [...new Set(queries.flatMap((q) => q.fields))];
  return {
    ok: true,
    queries: [text],
    tables,
    fields,
    warnings,
    meta: { generating: queries.length > 1 || queries[0]!.generating },
  };
}
