import type { Check } from '../../types.js';

export const modifiedRedundant: Check = {
  meta: {
    code: 'M010',
    name: 'modified-redundant',
    family: 'metadata',
    defaultSeverity: 'warning',
    summary: '`modified` equals `date`.',
    why: 'A rule modified on the day it was created has not been modified: the field only adds noise.',
    bad: 'date: 2024-05-17\nmodified: 2024-05-17\n…',
    good: 'date: 2024-05-17\n…',
    pysigma: ['sigmahq_redundant_modified'],
  },
  check(ctx) {
    const { date, modified } = ctx.document;
    if (date !== undefined && date === modified)
      ctx.report({
        message: "'modified' is the same as 'date'.",
        loc: ctx.document.locs['modified'],
        hint: "Remove 'modified'.",
      });
  },
};
