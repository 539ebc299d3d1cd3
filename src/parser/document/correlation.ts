/** A correlation document (Sigma correlation rules specification). */
import type {
  ComparisonOp,
  Correlation,
  CorrelationCondition,
  CorrelationRule,
  CorrelationType,
} from '../../ast/types.js';
import { closest, truncate } from '../../util/text.js';
import type { YMap, YNode, YScalar } from '../yaml-tree.js';
import { describe, keyText, locOf, report, setOwn, stringList, type BuildContext } from './context.js';
import { readMetadata } from './metadata.js';

const CORRELATION_STRUCTURAL = new Set(['correlation']);

const CORRELATION_TYPES: readonly CorrelationType[] = [
  'event_count',
  'value_count',
  'temporal',
  'temporal_ordered',
  'value_sum',
  'value_avg',
  'value_percentile',
];
const TIMESPAN_RE = /^(\d+)([smhdwMy])$/;
const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800, M: 2592000, y: 31536000 };
const COMPARISON_OPS: readonly ComparisonOp[] = ['gt', 'gte', 'lt', 'lte', 'eq', 'neq'];

export function buildCorrelation(ctx: BuildContext, map: YMap, node: YNode): CorrelationRule {
  const meta = readMetadata(ctx, map, CORRELATION_STRUCTURAL);
  const correlation: Correlation = {
    type: 'event_count',
    rules: [],
    aliases: {},
    groupBy: [],
    timespan: { raw: '', seconds: 0 },
    generate: false,
    loc: locOf(ctx, node),
  };
  const out: CorrelationRule = { kind: 'correlation', ...meta, correlation };
  if (node.kind !== 'map') {
    report(
      ctx,
      'P031',
      `'correlation' must be a mapping, not ${describe(node)}.`,
      node,
      'See the Sigma correlation rules specification.',
    );
    return out;
  }
  const get = (k: string): YNode | undefined => node.entries.find((e) => keyText(e.key) === k)?.value;
  const typeNode = get('type');
  if (!typeNode || typeNode.kind !== 'scalar' || !CORRELATION_TYPES.includes(typeNode.text as CorrelationType)) {
    report(
      ctx,
      'P031',
      typeNode
        ? `Unknown correlation type '${typeNode.kind === 'scalar' ? truncate(typeNode.text) : describe(typeNode)}'.`
        : "The correlation has no 'type'.",
      typeNode ?? node,
      `Use one of: ${CORRELATION_TYPES.join(', ')}.`,
    );
  } else correlation.type = typeNode.text as CorrelationType;

  const rulesNode = get('rules');
  if (!rulesNode)
    report(ctx, 'P031', "The correlation has no 'rules'.", node, 'List the ids or names of the correlated rules.');
  else {
    correlation.rules = stringList(ctx, 'correlation.rules', rulesNode) ?? [];
    if (rulesNode.kind === 'seq' && rulesNode.items.length === 0)
      report(
        ctx,
        'P031',
        "The correlation's 'rules' list is empty.",
        rulesNode,
        'List the ids or names of the correlated rules.',
      );
  }

  const gb = get('group-by');
  if (gb) correlation.groupBy = stringList(ctx, 'correlation.group-by', gb) ?? [];

  const ts = get('timespan') ?? get('timeframe');
  if (!ts) report(ctx, 'P031', "The correlation has no 'timespan'.", node, "Add e.g. 'timespan: 5m' (s, m, h, d).");
  else if (ts.kind !== 'scalar' || !TIMESPAN_RE.test(ts.text)) {
    report(
      ctx,
      'P031',
      `Invalid timespan '${ts.kind === 'scalar' ? truncate(ts.text) : describe(ts)}'.`,
      ts,
      'Write a number and a unit: 30s, 5m, 1h, 7d.',
    );
  } else {
    const m = TIMESPAN_RE.exec(ts.text)!;
    correlation.timespan = { raw: ts.text, seconds: Number(m[1]) * UNIT_SECONDS[m[2]!]! };
    if (correlation.timespan.seconds === 0)
      report(ctx, 'P031', `The timespan '${ts.text}' is empty.`, ts, 'Give a positive time window, e.g. 5m.');
    if (get('timeframe') && !get('timespan'))
      report(ctx, 'P035', "'timeframe' is the old name of 'timespan'.", ts, "Rename it to 'timespan'.", 'warning');
  }

  const gen = get('generate');
  if (gen) {
    if (gen.kind === 'scalar' && typeof gen.value === 'boolean') correlation.generate = gen.value;
    else report(ctx, 'P031', "'generate' must be true or false.", gen, "Write 'generate: true'.");
  }

  const aliases = get('aliases');
  if (aliases) {
    if (aliases.kind !== 'map')
      report(
        ctx,
        'P031',
        "'aliases' must map alias names to {rule: field} mappings.",
        aliases,
        'See "Field Name Aliases" in the correlation specification.',
      );
    else
      for (const { key, value } of aliases.entries) {
        const alias = keyText(key);
        if (alias === null) continue;
        if (value.kind !== 'map') {
          report(
            ctx,
            'P031',
            `Alias '${alias}' must map each rule to its field name.`,
            value,
            `Write:\n  ${alias}:\n    rule_a: FieldA\n    rule_b: FieldB`,
          );
          continue;
        }
        const m: Record<string, string> = {};
        for (const e of value.entries) {
          const r = keyText(e.key);
          if (r !== null && e.value.kind === 'scalar') setOwn(m, r, e.value.text);
          else report(ctx, 'P031', `Alias '${alias}': each entry maps a rule to a field name.`, e.value);
        }
        setOwn(correlation.aliases, alias, m);
      }
  }

  const cond = get('condition');
  const type = correlation.type;
  const temporal = type === 'temporal' || type === 'temporal_ordered';
  const needsField =
    type === 'value_count' || type === 'value_sum' || type === 'value_avg' || type === 'value_percentile';
  if (!cond) {
    if (!temporal)
      report(ctx, 'P031', `A ${type} correlation needs a 'condition'.`, node, 'Write e.g.\ncondition:\n    gte: 10');
  } else correlation.condition = readCorrelationCondition(ctx, cond, needsField, type);
  if (!gb) {
    // The specification lists group-by as mandatory for every type; backends can do without it.
    report(
      ctx,
      'P031',
      `A ${type} correlation needs 'group-by'.`,
      node,
      'List the fields that scope the correlation (e.g. User, Computer).',
      'warning',
    );
  }
  // Alias entries name the rules whose events carry the field: each must be a correlated rule.
  const aliasesNode = get('aliases');
  if (aliasesNode?.kind === 'map' && rulesNode) {
    for (const { key, value } of aliasesNode.entries) {
      if (value.kind !== 'map') continue;
      for (const e of value.entries) {
        const r = keyText(e.key);
        if (r !== null && !correlation.rules.includes(r)) {
          report(
            ctx,
            'P031',
            `Alias '${keyText(key) ?? '?'}' maps rule '${truncate(r)}', which is not in this correlation's 'rules'.`,
            e.key,
            `Use one of: ${correlation.rules.join(', ')}.`,
          );
        }
      }
    }
  }
  if (temporal && correlation.rules.length < 2 && rulesNode)
    report(
      ctx,
      'P031',
      `A ${type} correlation needs at least two rules.`,
      rulesNode,
      'List the rules whose events must occur together.',
    );
  return out;
}

function readCorrelationCondition(
  ctx: BuildContext,
  node: YNode,
  needsField: boolean,
  type: CorrelationType,
): CorrelationCondition | undefined {
  if (node.kind !== 'map') {
    report(
      ctx,
      'P031',
      `The correlation condition must be a mapping like {gte: 10}, not ${describe(node)}.`,
      node,
      'Write:\ncondition:\n    gte: 10',
    );
    return undefined;
  }
  const out: CorrelationCondition = { comparisons: [] };
  let comparisonKeys = 0;
  let fieldKey = false;
  for (const { key, value } of node.entries) {
    const k = keyText(key);
    if (k === 'field') {
      fieldKey = true;
      if (value.kind === 'scalar' && typeof value.value === 'string') out.field = value.text;
      else if (value.kind === 'seq' && value.items.length === 1 && value.items[0]!.kind === 'scalar')
        out.field = (value.items[0] as YScalar).text;
      else report(ctx, 'P031', "'field' must name one field.", value);
      continue;
    }
    if (k === 'percentile') {
      if (value.kind === 'scalar' && typeof value.value === 'number') out.percentile = value.value;
      else report(ctx, 'P031', "'percentile' must be a number.", value);
      continue;
    }
    if (k !== null && (COMPARISON_OPS as readonly string[]).includes(k)) {
      comparisonKeys++;
      if (value.kind === 'scalar' && typeof value.value === 'number' && Number.isFinite(value.value))
        out.comparisons.push({ op: k as ComparisonOp, value: value.value });
      else
        report(
          ctx,
          'P031',
          `'${k}' must be compared with a number, not ${describe(value)}.`,
          value,
          `Write '${k}: 10'.`,
        );
      continue;
    }
    const guess = k ? closest(k, [...COMPARISON_OPS, 'field'], Math.max(2, Math.floor(k.length / 3))) : undefined;
    report(
      ctx,
      'P031',
      `Unknown key '${k ?? '?'}' in the correlation condition.`,
      key,
      guess ? `Did you mean '${guess}'?` : 'Use gt, gte, lt, lte, eq, neq and (for value_* types) field.',
    );
  }
  // (A comparison or field that was present but invalid has been reported above.)
  if (comparisonKeys === 0)
    report(ctx, 'P031', 'The correlation condition has no comparison.', node, 'Add e.g. gte: 10.');
  if (needsField && !fieldKey)
    report(
      ctx,
      'P031',
      `A ${type} correlation condition needs 'field'.`,
      node,
      "Add 'field: TargetUserName' (the field whose values are counted or aggregated).",
    );
  return out;
}
