import type { Check } from '../../types.js';
import { fieldMatches } from '../../walk.js';

export const fieldUserLocalized: Check = {
  meta: {
    code: 'D021',
    name: 'field-user-localized',
    family: 'detection',
    defaultSeverity: 'warning',
    summary: "A user field is compared with a localized account name such as 'NT AUTHORITY\\SYSTEM'.",
    why: 'Windows logs well-known accounts under their localized names (`NT-AUTORITÄT\\SYSTEM` on a German system), so a rule that compares a user field with the English name misses every non-English host; match the SID or use `contains` on the invariant part.',
    bad: "detection:\n    selection:\n        User: 'NT AUTHORITY\\SYSTEM'\n    condition: selection",
    good: "detection:\n    selection:\n        User|contains: # covers many language settings\n            - 'AUTHORI'\n            - 'AUTORI'\n    condition: selection",
    pysigma: ['sigmahq_field_user'],
  },
  check(ctx) {
    if (ctx.document.kind !== 'rule') return;
    for (const { match } of fieldMatches(ctx.document)) {
      // pySigma-validators-sigmahq: a field whose name contains 'user', compared with one value
      // that contains AUTORI/AUTHORI (case-sensitive: the upper-case spelling of the account).
      if (match.field === null || !match.field.toLowerCase().includes('user') || match.values.length !== 1) continue;
      const v = match.values[0]!;
      if (v.type !== 'string') continue;
      if (v.raw.includes('AUTORI') || v.raw.includes('AUTHORI')) {
        ctx.report({
          message: `Field '${match.field}' is compared with the localized account name '${v.raw}'.`,
          loc: v.loc ?? match.loc,
          hint: "Use `|contains` with both 'AUTHORI' and 'AUTORI' (as SigmaHQ does), or match the account's SID.",
        });
      }
    }
  },
};
