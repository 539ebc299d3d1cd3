import type { Check } from '../../types.js';

export const tagDuplicate: Check = {
  meta: {
    code: 'T003',
    name: 'tag-duplicate',
    family: 'tags',
    defaultSeverity: 'warning',
    summary: 'The same tag appears twice.',
    why: 'Duplicates are a copy-paste slip and inflate coverage counts.',
    bad: 'tags:\n    - attack.execution\n    - attack.execution',
    good: 'tags:\n    - attack.execution',
    pysigma: ['duplicate_tag'],
  },
  check(ctx) {
    const seen = new Set<string>();
    for (const t of ctx.document.tags ?? []) {
      if (seen.has(t))
        ctx.report({
          message: `Tag '${t}' is listed more than once.`,
          loc: ctx.document.locs['tags'],
          hint: 'Remove the duplicate.',
        });
      seen.add(t);
    }
  },
};
