/**
 * Phase-1 data, which depends on the condition's text only (not on the detection's
 * identifiers nor on file positions): the tree with character offsets, and what was found.
 */
import type { ParseCode } from '../../diagnostics.js';

/** Parentheses / `not` nesting deeper than this is rejected (P013) before it can exhaust the stack. */
export const MAX_CONDITION_DEPTH = 200;
/** At most this many syntax errors are reported for one condition. */
export const MAX_SYNTAX_ERRORS = 20;

/** A condition tree with character offsets (`at`) in place of locations and no resolution. */
export type Raw =
  | { type: 'and' | 'or'; items: Raw[]; at: number }
  | { type: 'not'; item: Raw; at: number }
  | { type: 'ref'; name: string; at: number }
  | RawOf;
export interface RawOf {
  type: 'of';
  quantifier: 'any' | 'all';
  /** The quantifier as written, lower-cased (`1`, `any`, `all`), for messages. */
  written: string;
  /** `them` (normalised to lower case) or an identifier pattern. */
  pattern: string;
  them: boolean;
  at: number;
  patternAt: number;
}

/** A parsed operand: its tree and the offset of its first token (which may be a `(`). */
export interface Parsed {
  raw: Raw;
  start: number;
}

export interface Finding {
  index: number;
  code: ParseCode;
  message: string;
  hint?: string;
  /** `{column}` in the message is replaced by the column of this offset. */
  columnOf?: number;
}

export interface Syntax {
  /** Present when there is no syntax error and no aggregation. */
  tree?: Raw;
  /** P013 / P014, in text order. */
  findings: Finding[];
  /** Every reference and `of` actually written (also when there are syntax errors), in text order. */
  refs: { name: string; at: number }[];
  ofs: RawOf[];
  /** Identifiers spelled `near` (Sigma 1 unless the detection defines such an identifier). */
  nears: { name: string; at: number }[];
}

export function emptySyntax(): Syntax {
  return { findings: [], refs: [], ofs: [], nears: [] };
}
