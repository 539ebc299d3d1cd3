import type { Modifier, Value } from '../../../ast/types.js';
import type { Check } from '../../types.js';
import { fieldMatches } from '../../walk.js';

/** Modifiers under which pySigma-validators-sigmahq compares values case-sensitively. */
const CASE_SENSITIVE: ReadonlySet<Modifier> = new Set<Modifier>([
  'base64',
  'base64offset',
  're',
  'i',
  'm',
  's',
  'cased',
]);

/** A value's text as written (pySigma compares `str(value)`). */
function valueText(v: Value): string | undefined {
  switch (v.type) {
    case 'string':
    case 'number':
    case 'cidr':
      return v.raw;
    case 'regex':
      return v.pattern;
    case 'fieldref':
      return v.field;
    case 'boolean':
      return String(v.value);
    default:
      return undefined;
  }
}

export const fieldDuplicateValue: Check = {
  meta: {
    code: 'D020',
    name: 'field-duplicate-value',
    family: 'detection',
    defaultSeverity: 'warning',
    summary: "A field's value list repeats a value (ignoring case unless a case-sensitive modifier applies).",
    why: 'Sigma matches case-insensitively by default, so `\\Rundll32.exe` and `\\rundll32.exe` are the same value: the repeat adds nothing and usually hides a copy-paste slip where another value was meant.',
    bad: 'detection:\n    selection:\n        Image|endswith:\n            - \\rundll32.exe\n            - \\Rundll32.exe\n    condition: selection',
    good: 'detection:\n    selection:\n        Image|endswith:\n            - \\rundll32.exe\n            - \\regsvr32.exe\n    condition: selection',
    pysigma: ['sigmahq_field_duplicate_value'],
  },
  check(ctx) {
    if (ctx.document.kind !== 'rule') return;
    for (const { match } of fieldMatches(ctx.document)) {
      // Keyword lists are not field lists: pySigma skips items without a field.
      if (match.field === null) continue;
      const cased = match.modifiers.some((m) => CASE_SENSITIVE.has(m));
      const seen = new Set<string>();
      for (const v of match.values) {
        const text = valueText(v);
        if (text === undefined) continue;
        const key = cased ? text : text.toLowerCase();
        if (seen.has(key)) {
          // Like pySigma: the first repeat of a field is reported, once.
          ctx.report({
            message: `Field '${match.field}' lists the value '${text}' twice${cased ? '' : ' (case-insensitively)'}.`,
            loc: v.loc ?? match.loc,
            hint: 'Remove the repeat or replace it with the value that was meant.',
          });
          break;
        }
        seen.add(key);
      }
    }
  },
};
