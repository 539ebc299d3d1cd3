/** Evaluator (E…) diagnostics. Codes are stable: never reuse or renumber one. */
import type { Diagnostic, DiagnosticDef, Severity } from '../diagnostics.js';
import type { Loc } from '../ast/types.js';

export const EVAL_DIAGNOSTICS = {
  E001: { severity: 'error', summary: 'The rule cannot be evaluated: its detection does not lower to a predicate (unknown identifier, unresolved placeholder, encoding of a wildcard).' },
  E002: { severity: 'error', summary: 'A regular expression uses syntax the linear-time engine (RE2) does not support (lookaround, backreference…).' },
  E003: { severity: 'error', summary: 'An events file holds invalid JSON.' },
  E004: { severity: 'error', summary: 'A rule test file is invalid.' },
  E005: { severity: 'error', summary: 'A rule test refers to a rule or an events file that cannot be found.' },
  E006: { severity: 'warning', summary: 'A correlation rule cannot be evaluated (unknown rule reference, missing condition).' },
} as const satisfies Record<string, DiagnosticDef>;

export type EvalCode = keyof typeof EVAL_DIAGNOSTICS;

export function evalDiagnostic(code: EvalCode, message: string, at?: Loc | { line: number; column: number }, hint?: string, severity?: Severity): Diagnostic {
  const d: Diagnostic = { code, severity: severity ?? EVAL_DIAGNOSTICS[code].severity, message, line: at?.line ?? 1, column: at?.column ?? 1 };
  if (hint) d.hint = hint;
  return d;
}
