/**
 * Conditions a pipeline adds (routes' `conditions`, `add_condition`, `value_map` targets) as
 * predicates. Used by the engine, the transformations and the loader, which checks them.
 */
import { and, or, type PatternPart, type Predicate } from '../ast/semantics.js';
import type { ConditionMap, Scalar } from './types.js';

const CONDITION_MODIFIERS = new Set(['contains', 'startswith', 'endswith', 'cased']);

/**
 * Lowers a condition map (`{ "Field|mod": value(s) }`) to a predicate. Pipeline values are
 * vendor constants (ActionType names, channel names): they compare exactly (case-sensitive).
 */
export function conditionMapToPredicate(map: ConditionMap, cased = true): Predicate {
  const items: Predicate[] = [];
  for (const [key, raw] of Object.entries(map)) {
    const [field, ...mods] = key.split('|');
    for (const m of mods)
      if (!CONDITION_MODIFIERS.has(m)) throw new Error(`pipeline condition '${key}': modifier '${m}' is not allowed`);
    const values: Scalar[] = Array.isArray(raw) ? raw : [raw];
    const alts = values.map((v): Predicate => {
      if (typeof v === 'number') return { kind: 'number', field: field!, op: 'eq', value: v, raw: String(v) };
      if (typeof v === 'boolean') return { kind: 'boolean', field: field!, value: v };
      const pattern: PatternPart[] = [];
      if (mods.includes('contains') || mods.includes('endswith')) pattern.push({ wildcard: 'multi' });
      if (v !== '') pattern.push(v);
      if (mods.includes('contains') || mods.includes('startswith')) pattern.push({ wildcard: 'multi' });
      return { kind: 'string', field: field!, pattern, cased };
    });
    items.push(or(alts));
  }
  return and(items);
}
