import type { Check } from '../../types.js';
import { stringValues } from '../../walk.js';

const CONTROL = /[\x00-\x1f]/;

export const controlCharacter: Check = {
  meta: {
    code: 'D011',
    name: 'control-character',
    family: 'detection',
    defaultSeverity: 'error',
    summary: 'A value contains a control character, usually a `\\t` or `\\n` from a double-quoted YAML string.',
    why: 'In a double-quoted YAML string "C:\\temp" is C:, a TAB and "emp": the rule looks for a path that does not exist. Single quotes keep backslashes literal.',
    bad: 'Image|startswith: "C:\\temp\\"',
    good: "Image|startswith: 'C:\\temp\\'",
    pysigma: ['control_character'],
  },
  check(ctx) {
    for (const { match, value } of stringValues(ctx.document)) {
      // The first control character of the literal text (a UTF-16 unit below 0x20 is never half of a surrogate pair).
      let ch: string | undefined;
      for (const p of value.parts) {
        if (typeof p !== 'string') continue;
        const m = CONTROL.exec(p);
        if (m) {
          ch = m[0];
          break;
        }
      }
      if (ch !== undefined)
        ctx.report({
          message: `A value of '${match.field ?? 'keywords'}' contains the control character U+${ch.charCodeAt(0).toString(16).padStart(4, '0')}.`,
          loc: value.loc ?? match.loc,
          hint: "Use single quotes ('C:\\temp\\') or double the backslashes in double quotes.",
        });
    }
  },
};
