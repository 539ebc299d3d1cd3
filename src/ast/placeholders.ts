/**
 * `expand` placeholders (`%name%`) replaced by their values: a pattern stands for one pattern
 * per combination of values (the cross product), at most MAX_EXPANSION of them. The one copy
 * used by the pipelines (which keep a placeholder without values for a later pipeline) and the
 * evaluator (which needs a value for every placeholder).
 */
import type { PatternPart } from './predicate.js';
import { MAX_EXPANSION } from './semantics.js';

/** The placeholders of a pattern expand to more than MAX_EXPANSION patterns. */
export class PlaceholderLimitError extends Error {}

/**
 * The patterns `pattern` stands for once each placeholder is replaced by each of its values.
 * `valuesOf(name)` gives a placeholder's values, or undefined to keep the placeholder as it is
 * (it may throw to refuse a placeholder without values). Literal text is not merged.
 */
export function substitutePlaceholders(
  pattern: readonly PatternPart[],
  valuesOf: (name: string) => readonly string[] | undefined,
): PatternPart[][] {
  let alts: PatternPart[][] = [[]];
  for (const part of pattern) {
    const values = typeof part !== 'string' && 'placeholder' in part ? valuesOf(part.placeholder) : undefined;
    if (values === undefined) {
      for (const a of alts) a.push(part);
      continue;
    }
    const next: PatternPart[][] = [];
    for (const a of alts) for (const v of values) next.push([...a, v]);
    if (next.length > MAX_EXPANSION)
      throw new PlaceholderLimitError(`placeholders expand to more than ${MAX_EXPANSION} patterns`);
    alts = next;
  }
  return alts;
}
