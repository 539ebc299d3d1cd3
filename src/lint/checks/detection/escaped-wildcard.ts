import type { Check } from '../../types.js';
import { stringValues } from '../../walk.js';

export const escapedWildcard: Check = {
  meta: {
    code: 'D009',
    name: 'escaped-wildcard',
    family: 'detection',
    defaultSeverity: 'warning',
    summary: "A value contains an escaped '\\*' or '\\?' (a literal star or question mark).",
    why: "In Sigma '\\*' is a literal star. Authors writing Windows paths often mean a backslash followed by a wildcard, which needs '\\\\*'.",
    bad: "TargetFilename|startswith: 'C:\\Users\\*\\AppData'",
    good: "TargetFilename|startswith: 'C:\\Users\\\\*\\AppData'",
    pysigma: ['escaped_wildcard'],
  },
  check(ctx) {
    for (const { match, value } of stringValues(ctx.document)) {
      // Literal (escaped) text is held in the string parts; wildcards are separate parts.
      if (!value.parts.some((p) => typeof p === 'string' && /[*?]/.test(p))) continue;
      const star = value.parts.some((p) => typeof p === 'string' && p.includes('*'));
      ctx.report({
        message: `'${value.raw}' contains an escaped wildcard (a literal '${star ? '*' : '?'}').`,
        loc: value.loc ?? match.loc,
        hint: "If a backslash followed by a wildcard was meant, write '\\\\*'; if the literal character is meant, keep it.",
      });
    }
  },
};
