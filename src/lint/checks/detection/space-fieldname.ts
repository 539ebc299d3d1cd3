import type { Check } from '../../types.js';
import { fieldMatches } from '../../walk.js';

export const spaceFieldname: Check = {
  meta: {
    code: 'D019',
    name: 'space-fieldname',
    family: 'detection',
    defaultSeverity: 'warning',
    summary: 'A field name contains a space.',
    why: "Sigma field names use underscores; a space (`Provider Name`) is usually a copy of a display label, is not in any taxonomy and breaks most backends' field syntax.",
    bad: 'detection:\n    selection:\n        Provider Name: Microsoft-Windows-Kernel-General\n    condition: selection',
    good: 'detection:\n    selection:\n        Provider_Name: Microsoft-Windows-Kernel-General\n    condition: selection',
    pysigma: ['sigmahq_space_field_name', 'sigmahq_space_fieldname'],
  },
  check(ctx) {
    if (ctx.document.kind !== 'rule') return;
    for (const { match } of fieldMatches(ctx.document)) {
      const f = match.field;
      if (f !== null && f.includes(' '))
        ctx.report({
          message: `Field '${f}' contains a space.`,
          loc: match.loc,
          hint: `Use '${f.replaceAll(' ', '_')}'.`,
          fix: f.replaceAll(' ', '_'),
        });
    }
  },
};
