import type { Check } from '../../types.js';

export const referencesDuplicate: Check = {
  meta: {
    code: 'M019',
    name: 'references-duplicate',
    family: 'metadata',
    defaultSeverity: 'warning',
    summary: 'The same reference is listed twice.',
    why: 'Duplicates are usually a copy-paste slip that hides a reference meant to be there.',
    bad: 'references:\n    - https://example.org/a\n    - https://example.org/a',
    good: 'references:\n    - https://example.org/a',
    pysigma: ['duplicate_references'],
  },
  check(ctx) {
    const seen = new Set<string>();
    for (const r of ctx.document.references ?? []) {
      if (seen.has(r))
        ctx.report({
          message: `Reference listed more than once: ${r}`,
          loc: ctx.document.locs['references'],
          hint: 'Remove the duplicate.',
        });
      seen.add(r);
    }
  },
};
