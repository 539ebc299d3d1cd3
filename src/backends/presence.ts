/**
 * Fields a rule compares on presence or emptiness: `exists`, `null`, `''` and `*` (any value).
 * Sigma tells an absent field from an empty one; a target whose fields read absent and empty
 * alike (Splunk's extracted fields, typed string columns in Kusto) says so per rule (C118).
 */
import { forEachLeaf } from '../ast/fold.js';
import { patternShape, type Predicate } from '../ast/semantics.js';

export function presenceFields(predicates: readonly Predicate[]): string[] {
  const fields = new Set<string>();
  for (const p of predicates)
    forEachLeaf(p, (leaf) => {
      if (leaf.field === null) return;
      if (leaf.kind === 'exists' || leaf.kind === 'null') fields.add(leaf.field);
      else if (leaf.kind === 'string') {
        const shape = patternShape(leaf.pattern);
        if (shape.op === 'any' || (shape.op === 'eq' && shape.text === '')) fields.add(leaf.field);
      }
    });
  return [...fields].sort();
}
