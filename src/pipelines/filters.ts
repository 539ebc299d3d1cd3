/**
 * Sigma filters (meta filters, Sigma Filters Specification v2.1): a filter document names rules
 * (by id or name) and a detection whose matches those rules must no longer report. Applying one
 * is an AST → AST step: the rule gets the filter's search identifiers (renamed so that they
 * cannot collide with its own) and each of its conditions becomes `(condition) and not
 * (filter condition)`. Everything downstream — backends, the evaluator, the Sigma emitter, the
 * noise score — then sees an ordinary rule, so a filtered rule converts and evaluates exactly as
 * its filtered detection reads.
 *
 * A filter applies only where the rule's logsource is the filter's or narrower (each of the
 * filter's category / product / service is absent or equal, case-insensitively): a filter
 * written for process_creation events says nothing about a rule on registry events, and
 * applying it there would silently change what the rule means. Such a pair is reported.
 */
import type { Condition, FilterRule, LogSource, SearchIdentifier, SigmaRule } from '../ast/types.js';
import { foldCondition } from '../ast/fold.js';
import { printCondition } from '../parser/condition-print.js';

interface FilterMismatch {
  filter: FilterRule;
  reason: string;
}

export interface FilteredRule {
  /** The rule with every applicable filter folded into its detection (the input when none applies). */
  rule: SigmaRule;
  /** The filters applied, in order. */
  applied: FilterRule[];
  /** Filters that name the rule but cannot apply to it, with the reason. */
  mismatched: FilterMismatch[];
}

/** True when the filter names the rule (by id, case-insensitively, or by name). */
export function filterNamesRule(filter: FilterRule, rule: SigmaRule): boolean {
  const id = rule.id?.toLowerCase();
  return filter.filter.rules.some(
    (ref) => (id !== undefined && ref.toLowerCase() === id) || (rule.name !== undefined && ref === rule.name),
  );
}

/** Why a filter's logsource does not cover the rule's, or undefined when it does. */
function logsourceMismatch(filter: LogSource, rule: LogSource): string | undefined {
  for (const key of ['category', 'product', 'service'] as const) {
    const want = filter[key];
    if (want === undefined) continue;
    const have = rule[key];
    if (have === undefined || have.toLowerCase() !== want.toLowerCase()) {
      return `the filter is for ${key} '${want}', the rule ${have === undefined ? `has no ${key}` : `is for ${key} '${have}'`}`;
    }
  }
  return undefined;
}

/** Applies every filter that names the rule. Pure: the input rule is not modified. */
export function applyFilters(rule: SigmaRule, filters: readonly FilterRule[]): FilteredRule {
  const applied: FilterRule[] = [];
  const mismatched: FilterMismatch[] = [];
  let current = rule;
  for (const filter of filters) {
    if (!filterNamesRule(filter, rule)) continue;
    const reason = logsourceMismatch(filter.logsource, rule.logsource);
    if (reason) {
      mismatched.push({ filter, reason });
      continue;
    }
    if (filter.filter.detection.conditions.length === 0) {
      mismatched.push({ filter, reason: 'the filter has no condition' });
      continue;
    }
    current = foldFilter(current, filter, applied.length + 1);
    applied.push(filter);
  }
  return { rule: current, applied, mismatched };
}

/** The rule with one filter folded in; `ordinal` keeps the identifiers of several filters apart. */
function foldFilter(rule: SigmaRule, filter: FilterRule, ordinal: number): SigmaRule {
  const taken = new Set(rule.detection.identifiers.map((i) => i.name));
  // A leading `_` keeps the new identifiers out of `them` if the emitted rule is parsed again.
  let prefix = `_filter${ordinal}_`;
  while ([...taken].some((t) => t.startsWith(prefix))) prefix = `_${prefix}`;
  const rename = new Map(filter.filter.detection.identifiers.map((i) => [i.name, prefix + i.name]));
  const identifiers: SearchIdentifier[] = filter.filter.detection.identifiers.map((i) => ({
    ...i,
    name: rename.get(i.name)!,
  }));
  const filterConditions = filter.filter.detection.conditions.map((c) => renameCondition(c, rename));
  const excluded: Condition =
    filterConditions.length === 1 ? filterConditions[0]! : { type: 'or', items: filterConditions };
  const conditions = rule.detection.conditions.map((c): Condition => ({
    type: 'and',
    items: [...(c.type === 'and' ? c.items : [c]), { type: 'not', item: excluded }],
  }));
  return {
    ...rule,
    detection: {
      ...rule.detection,
      identifiers: [...rule.detection.identifiers, ...identifiers],
      conditions,
      // Printed from the tree, so the text always says what the conditions mean.
      conditionText: conditions.map(printCondition),
    },
  };
}

function renameCondition(c: Condition, rename: ReadonlyMap<string, string>): Condition {
  return foldCondition<Condition>(c, {
    and: (items, node) => ({ ...node, items }),
    or: (items, node) => ({ ...node, items }),
    not: (item, node) => ({ ...node, item }),
    ref: (node) => ({ ...node, name: rename.get(node.name) ?? node.name }),
    of: (node) => {
      // Written out as the identifiers it resolved to: a pattern or `them` would mean something
      // else among the rule's own identifiers.
      const refs: Condition[] = node.names.map((n) => ({ type: 'ref', name: rename.get(n) ?? n }));
      if (refs.length === 1) return refs[0]!;
      return { type: node.quantifier === 'all' ? 'and' : 'or', items: refs };
    },
  });
}
