/** Helpers for checks: iterate over the field matches of a document's detection. */
import type { Detection, DetectionNode, FieldMatch, SigmaDocument, StringValue } from '../ast/types.js';

export interface MatchRef {
  /** The search identifier the match belongs to. */
  identifier: string;
  match: FieldMatch;
}

export function detectionOf(doc: SigmaDocument): Detection | undefined {
  if (doc.kind === 'rule') return doc.detection;
  if (doc.kind === 'filter') return doc.filter.detection;
  return undefined;
}

export function* nodeMatches(node: DetectionNode): Generator<FieldMatch> {
  if (node.type === 'match') yield node;
  else for (const i of node.items) yield* nodeMatches(i);
}

export function* fieldMatches(doc: SigmaDocument): Generator<MatchRef> {
  const det = detectionOf(doc);
  if (!det) return;
  for (const id of det.identifiers) for (const match of nodeMatches(id.node)) yield { identifier: id.name, match };
}

export function* stringValues(doc: SigmaDocument): Generator<{ identifier: string; match: FieldMatch; value: StringValue }> {
  for (const { identifier, match } of fieldMatches(doc)) {
    for (const value of match.values) if (value.type === 'string') yield { identifier, match, value };
  }
}

/** Display name of a match's key as written (`Image|endswith`). */
export function matchKey(m: FieldMatch): string {
  return [m.field ?? '', ...m.modifiers].join('|') || 'keywords';
}
