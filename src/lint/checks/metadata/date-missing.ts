import type { Check } from '../../types.js';

export const dateMissing: Check = {
  meta: {
    code: 'M007',
    name: 'date-missing',
    family: 'metadata',
    defaultSeverity: 'warning',
    summary: 'The rule has no `date`.',
    why: 'The creation date tells users how old a rule is and orders `modified`; SigmaHQ requires it.',
    bad: 'title: Certutil Decode\nid: 3c1b2f0e-8a4d-4e5b-9c6d-7e8f9a0b1c2d\n…',
    good: 'title: Certutil Decode\nid: 3c1b2f0e-8a4d-4e5b-9c6d-7e8f9a0b1c2d\ndate: 2024-05-17\n…',
    pysigma: ['date_existence', 'sigmahq_date_existence'],
  },
  check(ctx) {
    if (ctx.document.date === undefined)
      ctx.report({ message: 'The rule has no date.', loc: ctx.loc, hint: 'Add the creation date: date: YYYY-MM-DD.' });
  },
};
