/**
 * AST equality for round trips (emit → parse, fmt → parse): source positions are not part of
 * what a rule says, and the order of top-level keys may change to the canonical one.
 */
import type { SigmaDocument } from '../../ast/types.js';
import { MODIFIER_ALIASES } from './emit.js';

export interface CompareOptions {
  /** Treat modifier aliases (`wide`) as their main spelling (`utf16le`), as the emitter writes them. */
  normalizeModifiers?: boolean;
}

/** A plain-data view of a document without `loc`/`locs`, with `keyOrder` sorted. */
function comparableAst(doc: SigmaDocument, options: CompareOptions = {}): unknown {
  return strip(doc, options);
}

function strip(v: unknown, options: CompareOptions): unknown {
  if (Array.isArray(v)) return v.map((x) => strip(x, options));
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    if (k === 'loc' || k === 'locs' || x === undefined) continue;
    if (k === 'keyOrder' && Array.isArray(x)) out[k] = [...(x as string[])].sort();
    else if (k === 'modifiers' && Array.isArray(x) && options.normalizeModifiers)
      out[k] = (x as string[]).map((m) => MODIFIER_ALIASES[m as keyof typeof MODIFIER_ALIASES] ?? m);
    else out[k] = strip(x, options);
  }
  return out;
}

/** Deep equality of two documents' comparable views; returns the first differing path, or null. */
export function firstDifference(a: SigmaDocument, b: SigmaDocument, options: CompareOptions = {}): string | null {
  return diff(comparableAst(a, options), comparableAst(b, options), '');
}

function diff(a: unknown, b: unknown, path: string): string | null {
  if (a === b) return null;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') {
    if (typeof a === 'number' && typeof b === 'number' && Number.isNaN(a) && Number.isNaN(b)) return null;
    return path || '/';
  }
  if (Array.isArray(a) !== Array.isArray(b)) return path || '/';
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  for (const k of new Set([...ka, ...kb])) {
    const d = diff((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}/${k}`);
    if (d) return d;
  }
  return null;
}
