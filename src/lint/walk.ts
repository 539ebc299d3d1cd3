/**
 * Helpers for checks: the field matches of a document's detection. Most detection checks read
 * them, so each document's list is built once (and cached by document: the AST is immutable).
 */
import type {
  Condition,
  ConditionOf,
  Detection,
  DetectionNode,
  FieldMatch,
  SigmaDocument,
  StringValue,
} from '../ast/types.js';
import { foldCondition } from '../ast/fold.js';

export interface MatchRef {
  /** The search identifier the match belongs to. */
  identifier: string;
  match: FieldMatch;
}

export interface StringValueRef extends MatchRef {
  value: StringValue;
}

export function detectionOf(doc: SigmaDocument): Detection | undefined {
  if (doc.kind === 'rule') return doc.detection;
  if (doc.kind === 'filter') return doc.filter.detection;
  return undefined;
}

function collectMatches(node: DetectionNode, into: FieldMatch[]): void {
  if (node.type === 'match') into.push(node);
  else for (const i of node.items) collectMatches(i, into);
}

const matchesByDoc = new WeakMap<SigmaDocument, readonly MatchRef[]>();
const stringsByDoc = new WeakMap<SigmaDocument, readonly StringValueRef[]>();

/** Every field match of the document's detection with its search identifier, in source order. */
export function fieldMatches(doc: SigmaDocument): readonly MatchRef[] {
  let refs = matchesByDoc.get(doc);
  if (refs === undefined) {
    const list: MatchRef[] = [];
    const det = detectionOf(doc);
    if (det) {
      const matches: FieldMatch[] = [];
      for (const id of det.identifiers) {
        matches.length = 0;
        collectMatches(id.node, matches);
        for (const match of matches) list.push({ identifier: id.name, match });
      }
    }
    refs = list;
    matchesByDoc.set(doc, refs);
  }
  return refs;
}

/** Every string value of the document's field matches, in source order. */
export function stringValues(doc: SigmaDocument): readonly StringValueRef[] {
  let refs = stringsByDoc.get(doc);
  if (refs === undefined) {
    const list: StringValueRef[] = [];
    for (const { identifier, match } of fieldMatches(doc)) {
      for (const value of match.values) if (value.type === 'string') list.push({ identifier, match, value });
    }
    refs = list;
    stringsByDoc.set(doc, refs);
  }
  return refs;
}

/** Display name of a match's key as written (`Image|endswith`). */
export function matchKey(m: FieldMatch): string {
  return [m.field ?? '', ...m.modifiers].join('|') || 'keywords';
}

/** The `1 of` / `all of` nodes of a condition, left to right. */
export function ofNodes(c: Condition): ConditionOf[] {
  return foldCondition<ConditionOf[]>(c, {
    and: (items) => items.flat(),
    or: (items) => items.flat(),
    not: (item) => item,
    ref: () => [],
    of: (node) => [node],
  });
}
