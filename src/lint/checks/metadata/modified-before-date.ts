import type { Check } from '../../types.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export const modifiedBeforeDate: Check = {
  meta: {
    code: 'M008',
    name: 'modified-before-date',
    family: 'metadata',
    defaultSeverity: 'error',
    summary: '`modified` is earlier than `date`.',
    why: 'A rule cannot be modified before it was created: one of the two dates is wrong (often day and month swapped).',
    bad: 'date: 2024-05-17\nmodified: 2023-01-02\n…',
    good: 'date: 2023-01-02\nmodified: 2024-05-17\n…',
    pysigma: ['sigmahq_date'],
  },
  check(ctx) {
    const { date, modified } = ctx.document;
    if (date && modified && DATE.test(date) && DATE.test(modified) && modified < date) {
      ctx.report({
        message: `modified (${modified}) is before date (${date}).`,
        loc: ctx.document.locs['modified'],
        hint: 'Check both dates (YYYY-MM-DD).',
      });
    }
  },
};
