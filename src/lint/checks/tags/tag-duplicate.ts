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
    fixable: true,
  },
  check(ctx) {
    const seen = new Set<string>();
    (ctx.document.tags ?? []).forEach((t, i) => {
      if (seen.has(t))
        ctx.report({
          message: `Tag '${t}' is listed more than once.`,
          loc: ctx.document.locs['tags'],
          hint: 'Remove the duplicate.',
          edit: { op: 'delete', path: ['tags', i], from: t },
        });
      seen.add(t);
    });
  },
};
