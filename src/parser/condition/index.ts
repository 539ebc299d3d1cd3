/**
 * The Sigma condition language (`selection and not 1 of filter_*`).
 *
 * Grammar, least to most binding (Sigma specification, section "Condition"):
 *
 *   condition := or
 *   or        := and ('or' and)*
 *   and       := operand ('and' operand)*
 *   operand   := 'not'* ( '(' or ')' | quantifier 'of' ('them' | pattern) | identifier )
 *   quantifier:= '1' | 'any' | 'all'
 *
 * Keywords are case-insensitive; identifiers are case-sensitive and made of ASCII letters,
 * digits, `_`, `-`, `.` (and `*` in `of` patterns). Same-operator operands are flattened
 * (`a and (b and c)` → one `and` with three items).
 *
 * Parsing has two phases:
 *  1. syntax (syntax.ts, with the chevrotain lexer in tokens.ts and parser in grammar.ts):
 *     text → a tree with character offsets, syntax errors (P013) and aggregations (P014).
 *     It depends on the text only and is cached by text.
 *  2. resolution (resolve.ts), per call: identifiers → P011 / P015 and `of` names; offsets →
 *     `loc` via `position`.
 * Diagnostic texts are in messages.ts.
 *
 * Nothing here throws: every problem is a Diagnostic.
 */
import type { Loc } from '../../ast/types.js';
import { makeDiagnostic } from '../../diagnostics.js';
import { resolve, type ConditionParseResult } from './resolve.js';
import { syntaxOf } from './syntax.js';

export type { ConditionParseResult } from './resolve.js';

/**
 * Parses a Sigma condition string.
 *
 * @param text the condition string.
 * @param identifiers the search identifiers defined in the detection, in definition order.
 * @param position maps a 0-based character index in `text` to a file location; used for every
 *   `loc` and every diagnostic. For errors at the end of the input it is called with
 *   `text.length` (one past the last character).
 *
 * Returns the condition when there are no errors or only resolution errors (P011, P015);
 * syntax errors (P013) and Sigma 1 aggregations (P014) give no condition. Never throws.
 */
export function parseCondition(
  text: string,
  identifiers: readonly string[],
  position: (index: number) => Loc,
): ConditionParseResult {
  try {
    return resolve(syntaxOf(typeof text === 'string' ? text : ''), identifiers, position);
  } catch (e) {
    // Not expected; a condition must never crash the caller.
    const at = safePosition(position, 0);
    return { diagnostics: [makeDiagnostic('P013', `cannot parse the condition: ${String(e)}`, at)] };
  }
}

function safePosition(position: (index: number) => Loc, index: number): Loc | undefined {
  try {
    return position(index);
  } catch {
    return undefined;
  }
}
