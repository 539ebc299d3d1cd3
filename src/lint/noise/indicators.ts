/**
 * Indicators: what a leaf of a lowered detection checks, as a (canonical field, operator,
 * value) triple. The same triple in two rules is the same indicator, whichever vendor's field
 * name they used (canonicalField maps FolderPath, process_path … back to Image).
 */
import type { Detection, SigmaDocument } from '../../ast/types.js';
import { lowerNode, patternShape, type PatternPart, type Predicate } from '../../ast/semantics.js';
import { forEachLeaf } from '../../ast/fold.js';
import { canonicalField, fieldTablesGeneration } from '../../pipelines/field-tables.js';

export interface Indicator {
  /** Canonical field name; `*` for keyword searches. */
  field: string;
  op: string;
  /** The value (lower-cased unless the match is case-sensitive). */
  value: string;
  /** The identifier (clause) it comes from. */
  clause: string;
  leaf: Predicate;
}

export function indicatorKey(i: Pick<Indicator, 'field' | 'op' | 'value'>): string {
  return `${i.field.toLowerCase()}|${i.op}|${i.value}`;
}

/** canonicalField's answers, for the pipelines registered when they were asked (a new one can map more names). */
let fieldCache = { generation: -1, names: new Map<string, string>() };

function canonical(field: string | null): string {
  if (field === null) return '*';
  const generation = fieldTablesGeneration();
  if (fieldCache.generation !== generation) fieldCache = { generation, names: new Map() };
  let c = fieldCache.names.get(field);
  if (c === undefined) {
    c = canonicalField(field);
    fieldCache.names.set(field, c);
  }
  return c;
}

function patternText(pattern: readonly PatternPart[]): string {
  return pattern
    .map((p) =>
      typeof p === 'string'
        ? p
        : 'wildcard' in p
          ? p.wildcard === 'multi'
            ? '*'
            : '?'
          : 'anyOf' in p
            ? '-'
            : `%${p.placeholder}%`,
    )
    .join('');
}

function mergeWindash(pattern: readonly PatternPart[]): PatternPart[] {
  const out: PatternPart[] = [];
  for (const p of pattern) {
    const q: PatternPart = typeof p !== 'string' && 'anyOf' in p ? '-' : p;
    const last = out[out.length - 1];
    if (typeof q === 'string' && typeof last === 'string') out[out.length - 1] = last + q;
    else out.push(q);
  }
  return out;
}

/** The indicator of a leaf predicate (not and/or/not). */
export function leafIndicator(leaf: Predicate, clause: string): Indicator | undefined {
  switch (leaf.kind) {
    case 'string': {
      // A windash class stands for '-' (its canonical form) so that `-decode` and `/decode` variants share an indicator.
      const pattern = leaf.pattern.some((p) => typeof p !== 'string' && 'anyOf' in p)
        ? mergeWindash(leaf.pattern)
        : leaf.pattern;
      const shape = patternShape(pattern);
      const text = shape.op === 'any' ? '*' : shape.op === 'complex' ? patternText(pattern) : shape.text;
      const value = leaf.cased ? text : text.toLowerCase();
      return { field: canonical(leaf.field), op: shape.op === 'complex' ? 'wildcard' : shape.op, value, clause, leaf };
    }
    case 'regex':
      return { field: canonical(leaf.field), op: 're', value: leaf.pattern, clause, leaf };
    case 'number':
      return {
        field: canonical(leaf.field),
        op: leaf.timePart ? `${leaf.op}:${leaf.timePart}` : leaf.op,
        value: String(leaf.value),
        clause,
        leaf,
      };
    case 'boolean':
      return { field: canonical(leaf.field), op: 'eq', value: String(leaf.value), clause, leaf };
    case 'null':
      return { field: canonical(leaf.field), op: 'null', value: '', clause, leaf };
    case 'exists':
      return { field: canonical(leaf.field), op: 'exists', value: String(leaf.value), clause, leaf };
    case 'cidr':
      return {
        field: canonical(leaf.field),
        op: 'cidr',
        value: `${leaf.cidr.network}/${leaf.cidr.prefix}`,
        clause,
        leaf,
      };
    case 'fieldref':
      return {
        field: canonical(leaf.field),
        op: `fieldref:${leaf.position}`,
        value: canonical(leaf.ref),
        clause,
        leaf,
      };
    default:
      return undefined;
  }
}

/** Every indicator of a rule's detection, by clause (identifier), positive and in filters. */
export function documentIndicators(doc: SigmaDocument): Indicator[] {
  const det: Detection | undefined =
    doc.kind === 'rule' ? doc.detection : doc.kind === 'filter' ? doc.filter.detection : undefined;
  if (!det) return [];
  const out: Indicator[] = [];
  for (const id of det.identifiers) {
    let p: Predicate;
    try {
      p = lowerNode(id.node);
    } catch {
      continue;
    }
    forEachLeaf(p, (leaf) => {
      const i = leafIndicator(leaf, id.name);
      if (i) out.push(i);
    });
  }
  return out;
}
