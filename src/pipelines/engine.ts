/**
 * The pipeline engine: runs pipelines (data, see types.ts) in order on a rule's lowered
 * detection and logsource, giving a `ProcessedRule` for a backend. Never throws for a rule:
 * what a pipeline cannot express becomes a per-rule `ConversionError`.
 */
import { forEachLeaf } from '../ast/fold.js';
import type { SigmaRule } from '../ast/types.js';
import { LoweringError, lowerDetection, type Predicate } from '../ast/semantics.js';
import { conversionError, conversionWarning } from '../backends/diagnostics.js';
import { conditionMapToPredicate } from './conditions.js';
import { logsourceMatches, whenHolds } from './match.js';
import { eventIdsOf, ruleEventIds, selectRoute } from './routes.js';
import { StepError, applyTransformation, type Tri } from './transforms.js';
import type { PipelineSpec, ProcessedRule } from './types.js';
import type { ConversionError } from '../backends/types.js';

const describeLogsource = (ls: SigmaRule['logsource']): string =>
  (['product', 'category', 'service'] as const)
    .filter((k) => ls[k])
    .map((k) => `${k}: ${ls[k]}`)
    .join(', ') || 'none';

/** Runs the pipelines in order on a rule. */
export function processRule(rule: SigmaRule, pipelines: readonly PipelineSpec[]): ProcessedRule {
  const result: ProcessedRule = {
    rule,
    predicate: { kind: 'and', items: [] },
    filters: [],
    extend: {},
    fieldMap: {},
    state: {},
    pipelines: pipelines.map((p) => p.name),
    errors: [],
    warnings: [],
  };
  const at = rule.detection.loc ? { loc: rule.detection.loc } : {};
  let pred: Predicate;
  try {
    pred = lowerDetection(rule.detection);
  } catch (e) {
    if (!(e instanceof LoweringError)) throw e;
    result.errors.push(conversionError('C006', e.message, at));
    return result;
  }
  const ls = rule.logsource;
  const eventIds = eventIdsOf(pred);
  let detection: Tri = pred;
  for (const spec of pipelines) {
    if (result.table === undefined && spec.routes) {
      const route = selectRoute(spec.routes, ls, eventIds);
      if (route) {
        result.table = route.table;
        if (route.union?.length) result.union = [...route.union];
        if (route.conditions) result.filters.push(conditionMapToPredicate(route.conditions));
        if (route.extend) Object.assign(result.extend, route.extend);
        if (route.unverified) result.warnings.push(conversionWarning('C103', `${route.table}: ${route.unverified}`));
      }
    }
    for (const t of spec.transformations) {
      if (!whenHolds(t.when, ls, result.table, eventIds)) continue;
      try {
        detection = applyTransformation(t, detection, result, spec);
        // Added conditions and route filters go through later renames and rewrites too — but not
        // through value maps: those translate a rule's Sigma values, while a route's conditions
        // are already written in the target's vocabulary (EventType: RegistryValueSet).
        if (
          t.type !== 'add_condition' &&
          t.type !== 'fail' &&
          t.type !== 'set_state' &&
          t.type !== 'field_template' &&
          t.type !== 'value_map'
        ) {
          result.filters = result.filters.map((f) => {
            const r = applyTransformation(t, f, result, spec);
            return typeof r === 'boolean' ? f : r;
          });
        }
      } catch (e) {
        if (!(e instanceof StepError)) throw e;
        result.errors.push({ ...e.error, ...(at.loc && !e.error.loc ? at : {}) });
      }
    }
  }
  // A log whose routes take only some of its events (`eventIds`): say which, before the
  // backends' generic "no route" (C001) for the rule.
  if (result.table === undefined) {
    const partial = pipelines.flatMap((s) =>
      (s.routes ?? []).filter((r) => r.eventIds !== undefined && logsourceMatches(r.logsource, ls)),
    );
    if (partial.length) {
      const ids = [...new Set(partial.flatMap((r) => r.eventIds!))].sort((a, b) => a - b).join(', ');
      const own =
        eventIds === undefined || eventIds.size === 0
          ? 'this rule does not restrict EventID to exact values'
          : `this rule can match ${[...eventIds].sort().join(', ')}`;
      result.errors.unshift(
        conversionError(
          'C001',
          `no route takes this rule: the routes for (${describeLogsource(ls)}) take only rules that match nothing but their event IDs (${ids}); ${own}`,
          {
            ...at,
            hint: 'this pipeline has no table for the other events; a pipeline file can add a route for them (docs/pipelines/README.md)',
          },
        ),
      );
    }
  }
  if (detection === false) {
    result.errors.push(conversionError('C008', 'after dropping fields, the detection can never match', at));
  } else {
    result.predicate = detection === true ? { kind: 'and', items: [] } : detection;
  }
  // Placeholders whose expansion was refused (C016) have values: not reported as unresolved.
  const unresolved = result.errors.some((e) => e.code === 'C016') ? [] : [...placeholdersIn(result.predicate)];
  for (const name of unresolved) {
    result.errors.push(
      conversionError(
        'C005',
        `placeholder %${name}% has no value in the pipelines (${result.pipelines.join(', ') || 'none'})`,
        { ...at, hint: `define it under 'vars:' in a pipeline, e.g. vars: { ${name}: [value1, value2] }` },
      ),
    );
  }
  return result;
}

/**
 * The target field of each Sigma field name for one rule, through the same transformations as
 * the rule's detection (routes decide which apply): the fields a correlation groups by or
 * aggregates are fields of its base rules' events. A field that a pipeline drops, splits over
 * several columns or cannot map is an error (the grouping would change).
 */
export function mapRuleFields(
  rule: SigmaRule,
  pipelines: readonly PipelineSpec[],
  fields: readonly string[],
): { fields: Record<string, string>; errors: ConversionError[] } {
  const out: Record<string, string> = {};
  const errors: ConversionError[] = [];
  const eventIds = ruleEventIds(rule);
  for (const field of new Set(fields)) {
    const scratch: ProcessedRule = {
      rule,
      predicate: { kind: 'and', items: [] },
      filters: [],
      extend: {},
      fieldMap: {},
      state: {},
      pipelines: [],
      errors: [],
      warnings: [],
    };
    let leaf: Tri = { kind: 'exists', field, value: true };
    let failed: string | undefined;
    for (const spec of pipelines) {
      if (scratch.table === undefined && spec.routes) {
        const route = selectRoute(spec.routes, rule.logsource, eventIds);
        if (route) scratch.table = route.table;
      }
      for (const t of spec.transformations) {
        if (failed !== undefined || typeof leaf === 'boolean') break;
        if (t.type === 'add_condition' || t.type === 'set_state' || (t.type === 'fail' && !t.fields && !t.except))
          continue;
        if (!whenHolds(t.when, rule.logsource, scratch.table, eventIds)) continue;
        try {
          leaf = applyTransformation(t, leaf, scratch, spec);
        } catch (e) {
          if (!(e instanceof StepError)) throw e;
          failed = e.error.message;
        }
      }
    }
    if (failed === undefined && typeof leaf !== 'boolean' && leaf.kind === 'exists') out[field] = leaf.field;
    else
      errors.push(
        conversionError(
          'C035',
          `the correlation field '${field}' of rule '${rule.name ?? rule.id ?? rule.title ?? '?'}' does not map to one field of the target${
            failed !== undefined ? ` (${failed})` : typeof leaf === 'boolean' ? ' (a pipeline drops it)' : ''
          }`,
          {
            field,
            hint: 'group or aggregate by a field the pipelines map to one column, or map it in a pipeline file',
          },
        ),
      );
  }
  return { fields: out, errors };
}

function placeholdersIn(p: Predicate): Set<string> {
  const out = new Set<string>();
  forEachLeaf(p, (leaf) => {
    if (leaf.kind === 'string')
      for (const x of leaf.pattern) if (typeof x !== 'string' && 'placeholder' in x) out.add(x.placeholder);
  });
  return out;
}
