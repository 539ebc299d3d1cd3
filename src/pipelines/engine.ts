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
import { StepError, applyTransformation, type Tri } from './transforms.js';
import type { PipelineSpec, ProcessedRule } from './types.js';

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
  let detection: Tri = pred;
  for (const spec of pipelines) {
    if (result.table === undefined && spec.routes) {
      const route = spec.routes.find((r) => logsourceMatches(r.logsource, ls));
      if (route) {
        result.table = route.table;
        if (route.conditions) result.filters.push(conditionMapToPredicate(route.conditions));
        if (route.extend) Object.assign(result.extend, route.extend);
        if (route.unverified) result.warnings.push(conversionWarning('C103', `${route.table}: ${route.unverified}`));
      }
    }
    for (const t of spec.transformations) {
      if (!whenHolds(t.when, ls, result.table)) continue;
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

function placeholdersIn(p: Predicate): Set<string> {
  const out = new Set<string>();
  forEachLeaf(p, (leaf) => {
    if (leaf.kind === 'string')
      for (const x of leaf.pattern) if (typeof x !== 'string' && 'placeholder' in x) out.add(x.placeholder);
  });
  return out;
}
