/** Small helpers shared by the parser tests. */
import { parse, type ParseResult } from '../../src/parser/index.js';
import type { Diagnostic } from '../../src/diagnostics.js';
import type { CorrelationRule, FieldMatch, FilterRule, SigmaDocument, SigmaRule } from '../../src/ast/types.js';

export function allDiagnostics(r: ParseResult): Diagnostic[] {
  return [...r.diagnostics, ...r.documents.flatMap((d) => d.diagnostics)];
}

/** Diagnostics as `CODE@line:column` strings (severity `warning` marked with a `w`). */
export function codes(text: string | Uint8Array): string[] {
  return allDiagnostics(parse(text)).map(
    (d) => `${d.code}${d.severity === 'warning' ? 'w' : ''}@${d.line}:${d.column}`,
  );
}

/** The header every detection snippet gets: 3 lines, so `detection:` is line 3 and its first entry line 4. */
export const HEAD = 'title: t\nlogsource: {product: windows}\ndetection:\n';

/** A rule whose detection body is `lines` (each indented by two spaces, starting on line 4). */
export function ruleText(...lines: string[]): string {
  return HEAD + lines.map((l) => '  ' + l).join('\n') + '\n';
}

export function docs(text: string): SigmaDocument[] {
  return parse(text).documents.flatMap((d) => (d.document ? [d.document] : []));
}

export function rule(text: string): SigmaRule {
  const r = parse(text);
  const d = r.documents[0]?.document;
  if (!d || d.kind !== 'rule') throw new Error(`not a rule: ${JSON.stringify(allDiagnostics(r))}`);
  return d;
}

export function correlation(text: string): CorrelationRule {
  const d = parse(text).documents[0]?.document;
  if (!d || d.kind !== 'correlation') throw new Error('not a correlation');
  return d;
}

export function filter(text: string): FilterRule {
  const d = parse(text).documents[0]?.document;
  if (!d || d.kind !== 'filter') throw new Error('not a filter');
  return d;
}

/** The first field match of identifier `sel` (a map) of a rule built from `ruleText(...)`. */
export function firstMatch(text: string, identifier = 'sel'): FieldMatch {
  const r = rule(text);
  const id = r.detection.identifiers.find((i) => i.name === identifier);
  if (!id) throw new Error(`no identifier ${identifier}`);
  const node = id.node.type === 'allOf' ? id.node.items[0]! : id.node;
  if (node.type !== 'match') throw new Error('not a match');
  return node;
}

/** Drops `loc` recursively (for structural comparisons). */
export function noLoc<T>(v: T): T {
  return JSON.parse(JSON.stringify(v, (k, x) => (k === 'loc' ? undefined : x))) as T;
}
