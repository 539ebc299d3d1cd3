/**
 * Operations on lowered string patterns (`PatternPart[]`) that the lowering, the pipelines and
 * the backends share.
 */
import type { PatternPart } from './predicate.js';

/** The pattern with adjacent text parts joined and empty text parts dropped. */
export function mergeAdjacentText(parts: readonly PatternPart[]): PatternPart[] {
  const out: PatternPart[] = [];
  for (const p of parts) {
    const last = out[out.length - 1];
    if (typeof p === 'string') {
      if (p === '') continue;
      if (typeof last === 'string') out[out.length - 1] = last + p;
      else out.push(p);
    } else out.push(p);
  }
  return out;
}

/**
 * Every pattern obtained by replacing each character class (windash) with one of its characters,
 * in order, with the text around it merged; other parts are kept, and a pattern without classes
 * is its only alternative. Undefined when there would be more than `limit` of them.
 */
export function expandClasses(pattern: readonly PatternPart[], limit: number): PatternPart[][] | undefined {
  if (!pattern.some((p) => typeof p !== 'string' && 'anyOf' in p)) return [pattern.slice()];
  let alternatives: PatternPart[][] = [[]];
  for (const part of pattern) {
    if (typeof part !== 'string' && 'anyOf' in part) {
      const next: PatternPart[][] = [];
      for (const a of alternatives) for (const ch of part.anyOf) next.push([...a, ch]);
      alternatives = next;
      if (alternatives.length > limit) return undefined;
    } else alternatives = alternatives.map((a) => [...a, part]);
  }
  return alternatives.map(mergeAdjacentText);
}
