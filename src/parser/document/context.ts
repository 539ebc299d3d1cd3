/**
 * What every part of the document builder shares: the build context, diagnostics at a node,
 * and readers of plain keys and values.
 */
import type { JsonValue, Loc } from '../../ast/types.js';
import { makeDiagnostic, type Diagnostic, type ParseCode, type Severity } from '../../diagnostics.js';
import { truncate } from '../../util/text.js';
import { toPlain, type LineIndex, type YNode } from '../yaml-tree.js';

export interface BuildContext {
  lines: LineIndex;
  text: string;
  diagnostics: Diagnostic[];
  budget: { left: number };
}

export function locOf(ctx: BuildContext, node: YNode): Loc {
  return ctx.lines.loc(node.start);
}

export function report(
  ctx: BuildContext,
  code: ParseCode,
  message: string,
  node: YNode | Loc | undefined,
  hint?: string,
  severity?: Severity,
): void {
  const at = node === undefined ? undefined : 'kind' in node ? locOf(ctx, node) : node;
  ctx.diagnostics.push(makeDiagnostic(code, message, at, hint, severity));
}

/** Sets a key from the document as an own property: `__proto__` must not replace the prototype. */
export function setOwn<T>(obj: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__')
    Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

export function plain(ctx: BuildContext, node: YNode): JsonValue {
  return toPlain(node, ctx.budget) as JsonValue;
}

export function describe(node: YNode): string {
  if (node.kind === 'map') return 'a mapping';
  if (node.kind === 'seq') return 'a list';
  if (node.value === null) return 'null';
  return `a ${typeof node.value}`;
}

export function keyText(node: YNode): string | null {
  return node.kind === 'scalar' ? node.text : null;
}

/** Reads a scalar as text; numbers and booleans are accepted as their text (YAML wrote them unquoted). */
export function scalarString(ctx: BuildContext, key: string, node: YNode): string | undefined {
  if (node.kind === 'scalar' && node.value !== null) return node.text;
  report(ctx, 'P006', `'${key}' must be a string, not ${describe(node)}.`, node, `Write '${key}: some text'.`);
  return undefined;
}

export function stringList(ctx: BuildContext, key: string, node: YNode): string[] | undefined {
  if (node.kind === 'scalar' && node.value !== null) {
    report(
      ctx,
      'P006',
      `'${key}' should be a list, not a single string.`,
      node,
      `Write it as a list:\n${key}:\n    - ${truncate(node.text)}`,
      'warning',
    );
    return [node.text];
  }
  if (node.kind !== 'seq') {
    report(
      ctx,
      'P006',
      `'${key}' must be a list of strings, not ${describe(node)}.`,
      node,
      `Write:\n${key}:\n    - item`,
    );
    return undefined;
  }
  const out: string[] = [];
  for (const item of node.items) {
    if (item.kind === 'scalar' && item.value !== null) out.push(item.text);
    else
      report(
        ctx,
        'P006',
        `Each entry of '${key}' must be a string, not ${describe(item)}.`,
        item,
        'Quote the entry or remove it.',
      );
  }
  return out;
}
