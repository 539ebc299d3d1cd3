/**
 * YAML → positioned node tree. Most files are read by the fast path in yaml-fast.ts; this
 * module's js-yaml path (parseYamlEvents) is the reference and the fallback, and the only
 * source of YAML syntax errors. See docs/yaml.md.
 *
 * The reference path builds the tree from js-yaml's event stream.
 *
 * Why events: js-yaml 5's `parseEvents` is the fastest YAML 1.2 parser on npm that gives
 * source offsets for every node (about 3× faster than `yaml`'s document API on the corpus),
 * and building our own small tree lets us detect duplicate keys without stopping, bound
 * alias expansion, and resolve scalars with YAML 1.2 core-schema rules (an unquoted
 * `2019-10-23` stays a string).
 */
import { parseEvents, getScalarValue, EVENT_ID, SCALAR_STYLE, type ScalarEvent } from 'js-yaml';
import type { Loc } from '../ast/types.js';
import { makeDiagnostic, type Diagnostic } from '../diagnostics.js';
import { truncate } from '../util/text.js';
import { parseYamlFast } from './yaml-fast.js';
import {
  LIMITS,
  resolvePlain,
  type LineIndex,
  type ScalarData,
  type YamlParseResult,
  type YDocument,
  type YMap,
  type YNode,
  type YScalar,
  type YSeq,
} from './yaml-tree.js';

// The node tree's vocabulary, for the modules outside the parser that read YAML through this one.
export { LineIndex, LIMITS, resolvePlain, type YamlParseResult } from './yaml-tree.js';

function resolveTagged(tag: string, text: string): ScalarData {
  switch (tag) {
    case '!!str':
    case '!':
    case 'tag:yaml.org,2002:str':
      return text;
    case '!!int':
    case '!!float': {
      const v = resolvePlain(text);
      return typeof v === 'number' ? v : text;
    }
    case '!!bool': {
      const v = resolvePlain(text);
      return typeof v === 'boolean' ? v : text;
    }
    case '!!null':
      return null;
    default:
      return text;
  }
}

/**
 * Parses a YAML stream into node trees. Aliases are resolved to the anchored node (shared,
 * not copied); walkers bound their visits with LIMITS.maxNodeVisits.
 * Duplicate keys are reported (P003) and the first occurrence wins.
 *
 * Most rules take the hand-written fast path (yaml-fast.ts, several times faster), which
 * builds exactly the tree below or gives up; then js-yaml reads the text (and reports any
 * syntax error).
 */
export function parseYaml(text: string, lines: LineIndex): YamlParseResult {
  let fast: YamlParseResult | null = null;
  try {
    fast = parseYamlFast(text, lines);
  } catch {
    // A fault in the fast path must never cost a parse: js-yaml, the reference, decides.
  }
  return fast ?? parseYamlEvents(text, lines);
}

/** The reference path: js-yaml's event stream turned into the node tree. */
export function parseYamlEvents(text: string, lines: LineIndex): YamlParseResult {
  const diagnostics: Diagnostic[] = [];
  let events;
  try {
    events = parseEvents(text, { maxDepth: LIMITS.maxDepth });
  } catch (e) {
    diagnostics.push(yamlErrorToDiagnostic(e, text, lines));
    return { documents: [], diagnostics };
  }

  const documents: YDocument[] = [];
  const anchors = new Map<string, YNode>();
  // Stack of open collections; for maps, a pending key.
  // `size` counts the expanded nodes below an open collection (see YDocument.expandedSize).
  type Frame = { node: YMap; pendingKey: YNode | null; seen: Set<string>; size: number } | { node: YSeq; size: number };
  const stack: Frame[] = [];
  const sizes = new WeakMap<YNode, number>();
  let doc: YDocument | null = null;

  /** Adds a finished node's expanded size to its parent (or to the document). */
  const count = (size: number): void => {
    const top = stack[stack.length - 1];
    if (top) top.size += size;
    else if (doc) doc.expandedSize += size;
  };

  const attach = (node: YNode): void => {
    const top = stack[stack.length - 1];
    // An empty scalar (`key:` with nothing after it) has no position of its own: use its
    // key's, else its collection's, so diagnostics about it point somewhere useful.
    if (node.kind === 'scalar' && node.start < 0) {
      const key = top && top.node.kind === 'map' ? (top as { pendingKey: YNode | null }).pendingKey : null;
      node.start = node.end = key ? key.start : top ? top.node.start : 0;
    }
    if (!top) {
      if (doc) doc.contents = node;
      return;
    }
    if (top.node.kind === 'seq') {
      top.node.items.push(node);
      return;
    }
    const frame = top as { node: YMap; pendingKey: YNode | null; seen: Set<string>; size: number };
    if (frame.pendingKey === null) {
      frame.pendingKey = node;
      return;
    }
    const key = frame.pendingKey;
    frame.pendingKey = null;
    if (key.kind === 'scalar') {
      const k = key.text;
      if (frame.seen.has(k)) {
        (doc?.diagnostics ?? diagnostics).push(
          makeDiagnostic(
            'P003',
            `Duplicate key '${truncate(k)}' in this mapping; the first one is kept.`,
            lines.loc(key.start),
            'Remove or rename one of the two keys: YAML keys must be unique.',
          ),
        );
        return;
      }
      frame.seen.add(k);
    }
    frame.node.entries.push({ key, value: node });
  };

  const anchorName = (s: number, e: number): string | null => (s >= 0 ? text.slice(s, e) : null);

  for (const ev of events) {
    switch (ev.type) {
      case EVENT_ID.DOCUMENT:
        doc = { contents: null, start: -1, expandedSize: 0, diagnostics: [] };
        documents.push(doc);
        anchors.clear();
        break;
      case EVENT_ID.MAPPING: {
        const node: YMap = { kind: 'map', entries: [], start: ev.start, flow: ev.style === 2 };
        if (doc && doc.start < 0) doc.start = ev.start;
        const a = anchorName(ev.anchorStart, ev.anchorEnd);
        if (a) anchors.set(a, node);
        attach(node);
        stack.push({ node, pendingKey: null, seen: new Set(), size: 1 });
        break;
      }
      case EVENT_ID.SEQUENCE: {
        const node: YSeq = { kind: 'seq', items: [], start: ev.start, flow: ev.style === 2 };
        if (doc && doc.start < 0) doc.start = ev.start;
        const a = anchorName(ev.anchorStart, ev.anchorEnd);
        if (a) anchors.set(a, node);
        attach(node);
        stack.push({ node, size: 1 });
        break;
      }
      case EVENT_ID.SCALAR: {
        const node = scalarNode(text, ev);
        if (doc && doc.start < 0) doc.start = node.start;
        const a = anchorName(ev.anchorStart, ev.anchorEnd);
        if (a) anchors.set(a, node);
        attach(node);
        sizes.set(node, 1);
        count(1);
        break;
      }
      case EVENT_ID.ALIAS: {
        const name = text.slice(ev.anchorStart, ev.anchorEnd);
        const target = anchors.get(name);
        if (!target) {
          (doc?.diagnostics ?? diagnostics).push(
            makeDiagnostic(
              'P002',
              `Unknown YAML alias '*${truncate(name)}'.`,
              lines.loc(Math.max(0, ev.anchorStart - 1)),
              'Define the anchor (&name) before using the alias.',
            ),
          );
          attach({
            kind: 'scalar',
            value: null,
            text: '',
            quoted: false,
            start: ev.anchorStart,
            end: ev.anchorEnd,
            style: 1,
          });
        } else if (stack.some((f) => f.node === target)) {
          // An alias inside its own anchor describes an infinite tree.
          (doc?.diagnostics ?? diagnostics).push(
            makeDiagnostic(
              'P004',
              `The YAML alias '*${truncate(name)}' refers to a node that contains it (an infinite structure).`,
              lines.loc(Math.max(0, ev.anchorStart - 1)),
              'Remove the YAML aliases (*name): Sigma rules do not need them.',
            ),
          );
          attach({
            kind: 'scalar',
            value: null,
            text: '',
            quoted: false,
            start: ev.anchorStart,
            end: ev.anchorEnd,
            style: 1,
          });
          count(1);
        } else {
          attach(target);
          count(sizes.get(target) ?? 1);
        }
        break;
      }
      case EVENT_ID.POP: {
        const frame = stack.pop();
        if (frame) {
          sizes.set(frame.node, frame.size);
          count(frame.size);
        }
        break;
      }
    }
  }
  return { documents, diagnostics };
}

function scalarNode(text: string, ev: ScalarEvent): YScalar {
  const missing = ev.valueStart < 0;
  const decoded = missing ? '' : ev.fast ? text.slice(ev.valueStart, ev.valueEnd) : getScalarValue(text, ev);
  const tag = ev.tagStart >= 0 ? text.slice(ev.tagStart, ev.tagEnd) : null;
  const plain = ev.style === SCALAR_STYLE.PLAIN;
  let value: ScalarData;
  if (tag) value = resolveTagged(tag, decoded);
  else value = plain ? resolvePlain(decoded) : decoded;
  // -1 (no position) for an empty scalar without anchor or tag; `attach` fills it in.
  const start = missing ? Math.max(ev.anchorStart, ev.tagStart) : ev.valueStart;
  return {
    kind: 'scalar',
    value,
    text: decoded,
    quoted: !plain || tag === '!!str',
    start: start - (ev.style === SCALAR_STYLE.SINGLE_QUOTED || ev.style === SCALAR_STYLE.DOUBLE_QUOTED ? 1 : 0),
    end: missing ? Math.max(start, 0) : ev.valueEnd,
    style: ev.style,
  };
}

function yamlErrorToDiagnostic(e: unknown, text: string, lines: LineIndex): Diagnostic {
  const err = e as { reason?: string; message?: string; mark?: { position?: number; line?: number; column?: number } };
  const reason = err.reason ?? err.message ?? String(e);
  let at: Loc = { line: 1, column: 1, offset: 0 };
  if (err.mark && typeof err.mark.position === 'number') at = lines.loc(Math.min(err.mark.position, text.length));
  else if (err.mark && typeof err.mark.line === 'number')
    at = { line: err.mark.line + 1, column: (err.mark.column ?? 0) + 1, offset: 0 };
  if (/maxDepth|nesting/i.test(reason)) {
    return makeDiagnostic(
      'P004',
      `YAML nesting is deeper than ${LIMITS.maxDepth} levels.`,
      at,
      'A Sigma rule needs a few levels; flatten the structure.',
    );
  }
  // js-yaml reports an unclosed quote where the scalar runs into the next lines ("deficient
  // indentation"); point at the opening quote instead, which is what the author must fix.
  if (/indentation|end of the stream/i.test(reason)) {
    const open = findUnterminatedQuote(text, lines, at.line);
    if (open)
      return makeDiagnostic(
        'P002',
        `YAML syntax error: the ${open.quote === "'" ? 'single' : 'double'}-quoted string starting here is never closed.`,
        open.loc,
        `Close the string with ${open.quote}${open.quote === "'" ? " (write '' for a quote inside it)" : ' (write \\" for a quote inside it)'}.`,
      );
  }
  return makeDiagnostic('P002', `YAML syntax error: ${reason}.`, at, yamlHint(reason));
}

const QUOTED_VALUE_START = /^(\s*(?:-\s+)?(?:[^'"#\s][^'"#]*?:\s+)?)(['"])/;

/** Looks back from an error line for a line whose quoted value opens and does not close on it. */
function findUnterminatedQuote(
  text: string,
  lines: LineIndex,
  errorLine: number,
): { quote: string; loc: Loc } | undefined {
  const all = text.split('\n', errorLine);
  for (let l = Math.min(errorLine, all.length) - 1; l >= Math.max(0, errorLine - 20); l--) {
    const line = all[l]!;
    const m = QUOTED_VALUE_START.exec(line);
    if (!m) continue;
    const quote = m[2]!;
    const rest = line.slice(m[1]!.length + 1);
    const closed = quote === "'" ? rest.replace(/''/g, '').includes("'") : rest.replace(/\\./g, '').includes('"');
    if (closed) return undefined;
    const lineStart = lines.loc(0).offset + all.slice(0, l).reduce((n, s) => n + s.length + 1, 0);
    return { quote, loc: lines.loc(lineStart + m[1]!.length) };
  }
  return undefined;
}

function yamlHint(reason: string): string {
  if (/indent/i.test(reason))
    return 'Check the indentation: nested keys must be indented consistently with spaces (no tabs).';
  if (/tab/i.test(reason)) return 'YAML does not allow tabs for indentation; use spaces.';
  if (/quote|escape/i.test(reason))
    return "Check the quoting: in single quotes write '' for a quote; in double quotes escape \\ and \".";
  return 'Fix the YAML syntax at this position (a YAML linter or editor highlights it).';
}
