import type { Check } from '../../types.js';

export const modifiedWithoutDate: Check = {
  meta: {
    code: 'M009',
    name: 'modified-without-date',
    family: 'metadata',
    defaultSeverity: 'warning',
    summary: 'The rule has `modified` but no `date`.',
    why: '`modified` records a change to a rule whose creation date is `date`; without it the history is incomplete.',
    bad: 'modified: 2024-05-17\n…',
    good: 'date: 2023-01-02\nmodified: 2024-05-17\n…',
  },
  check(ctx) {
    if (ctx.document.modified !== undefined && ctx.document.date === undefined)
      ctx.report({
        message: "'modified' is set but 'date' is missing.",
        loc: ctx.document.locs['modified'],
        hint: 'Add the creation date: date: YYYY-MM-DD.',
      });
  },
};
