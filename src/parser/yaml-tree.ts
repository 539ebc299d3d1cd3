/**
 * The positioned YAML node tree that both YAML readers build (the fast path in yaml-fast.ts
 * and the js-yaml path in yaml.ts), and what reads it: offsets to line/column, input limits,
 * YAML 1.2 core-schema scalar resolution, conversion to plain data. Imports neither reader,
 * so both can import it.
 */
import type { Loc } from '../ast/types.js';
import type { Diagnostic } from '../diagnostics.js';

export type ScalarData = string | number | boolean | null;

export interface YScalar {
  kind: 'scalar';
  value: ScalarData;
  /** The decoded text of the scalar (before type resolution). */
  text: string;
  /** True when the scalar was quoted or a block scalar (never resolved to a non-string). */
  quoted: boolean;
  /** Offset where the scalar's content starts, and the source slice holding it. */
  start: number;
  end: number;
  style: number;
}
export interface YMap {
  kind: 'map';
  entries: { key: YNode; value: YNode }[];
  start: number;
  flow: boolean;
}
export interface YSeq {
  kind: 'seq';
  items: YNode[];
  start: number;
  flow: boolean;
}
export type YNode = YScalar | YMap | YSeq;

export interface YDocument {
  contents: YNode | null;
  /** Offset of the document's first node (or where it would be). */
  start: number;
  /**
   * Number of nodes the document holds once aliases are expanded. Every tree walk is linear in
   * this, so a document over LIMITS.maxNodeVisits is refused before it is walked: aliases can
   * make a small file describe an exponentially (or quadratically) large tree.
   */
  expandedSize: number;
  /** Problems found while building this document's tree (duplicate keys, bad aliases). */
  diagnostics: Diagnostic[];
}

/** Maps offsets to 1-based line/column. */
export class LineIndex {
  private readonly starts: number[];
  constructor(text: string) {
    const starts = [0];
    let i = text.indexOf('\n');
    while (i !== -1) {
      starts.push(i + 1);
      i = text.indexOf('\n', i + 1);
    }
    // YAML also breaks lines at a lone CR (old Mac line endings); rare, so only then rescan.
    if (text.includes('\r')) {
      starts.length = 1;
      for (let k = 0; k < text.length; k++) {
        const c = text.charCodeAt(k);
        if (c === 10 || (c === 13 && text.charCodeAt(k + 1) !== 10)) starts.push(k + 1);
      }
    }
    this.starts = starts;
  }
  loc(offset: number): Loc {
    const s = this.starts;
    let lo = 0;
    let hi = s.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (s[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - s[lo]! + 1, offset };
  }
}

export interface YamlParseResult {
  documents: YDocument[];
  diagnostics: Diagnostic[];
}

export const LIMITS = {
  /** Bytes of one input file. A Sigma rule is a few kilobytes; anything past this is not a rule. */
  maxBytes: 5 * 1024 * 1024,
  /** YAML nesting depth. */
  maxDepth: 64,
  /** Node visits when a tree with aliases is walked (bounds alias bombs). */
  maxNodeVisits: 200_000,
};

const CORE_NULL = /^(?:~|null|Null|NULL|)$/;
const CORE_TRUE = /^(?:true|True|TRUE)$/;
const CORE_FALSE = /^(?:false|False|FALSE)$/;
const CORE_INT10 = /^[-+]?[0-9]+$/;
const CORE_INT8 = /^0o[0-7]+$/;
const CORE_INT16 = /^0x[0-9a-fA-F]+$/;
const CORE_FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
const CORE_INF = /^[-+]?\.(?:inf|Inf|INF)$/;
const CORE_NAN = /^\.(?:nan|NaN|NAN)$/;

/** YAML 1.2 core schema resolution of a plain scalar. */
export function resolvePlain(text: string): ScalarData {
  const c = text.charCodeAt(0);
  // Fast path: most scalars start with a letter other than n/t/f/N/T/F or with a quote-free word.
  if (text.length === 0 || ((c === 126 || c === 110 || c === 78) && CORE_NULL.test(text))) return null;
  if ((c === 116 || c === 84) && CORE_TRUE.test(text)) return true;
  if ((c === 102 || c === 70) && CORE_FALSE.test(text)) return false;
  if ((c >= 48 && c <= 57) || c === 45 || c === 43 || c === 46) {
    if (CORE_INT10.test(text)) return Number(text);
    if (CORE_INT8.test(text)) return parseInt(text.slice(2), 8);
    if (CORE_INT16.test(text)) return parseInt(text.slice(2), 16);
    if (CORE_FLOAT.test(text)) return Number(text);
    if (CORE_INF.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
    if (CORE_NAN.test(text)) return NaN;
  }
  return text;
}

/**
 * Converts a node tree to plain JSON-like data, visiting at most `budget.left` nodes
 * (aliases can make a small file describe an exponentially large tree).
 */
export function toPlain(node: YNode, budget: { left: number }): unknown {
  if (--budget.left < 0) throw new BudgetExceeded();
  switch (node.kind) {
    case 'scalar':
      return node.value;
    case 'seq':
      return node.items.map((n) => toPlain(n, budget));
    case 'map': {
      const out: Record<string, unknown> = {};
      for (const { key, value } of node.entries) {
        const k = key.kind === 'scalar' ? key.text : '[complex key]';
        if (k === '__proto__')
          Object.defineProperty(out, k, {
            value: toPlain(value, budget),
            enumerable: true,
            writable: true,
            configurable: true,
          });
        else out[k] = toPlain(value, budget);
      }
      return out;
    }
  }
}

export class BudgetExceeded extends Error {
  constructor() {
    super('node budget exceeded');
  }
}
