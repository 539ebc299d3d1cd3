import type { Check } from '../../types.js';

/** Words SigmaHQ writes in lower case inside titles (pySigma-validators-sigmahq, check_title.py). */
const MINOR = new Set([
  'a',
  'an',
  'and',
  'as',
  'at',
  'by',
  'for',
  'from',
  'in',
  'new',
  'of',
  'on',
  'or',
  'over',
  'the',
  'through',
  'to',
  'via',
  'with',
  'without',
]);

export const titleCase: Check = {
  meta: {
    code: 'M006',
    name: 'title-case',
    family: 'metadata',
    defaultSeverity: 'warning',
    summary: 'A word of the title is in lower case (SigmaHQ uses title case).',
    why: 'Consistent Title Case keeps rule lists scannable; SigmaHQ allows only short connecting words in lower case.',
    bad: 'title: Suspicious certutil Decode\n…',
    good: 'title: Suspicious Certutil Decode\n…',
    pysigma: ['sigmahq_title_case'],
  },
  check(ctx) {
    const t = ctx.document.title;
    if (!t) return;
    const words = t
      .split(' ')
      .filter(
        (w) =>
          w.length > 0 &&
          w === w.toLowerCase() &&
          w !== w.toUpperCase() &&
          !MINOR.has(w) &&
          !/[./_]/.test(w) &&
          !/^\d/.test(w),
      );
    if (words.length)
      ctx.report({
        message: `Title words in lower case: ${words.map((w) => `'${w}'`).join(', ')}.`,
        loc: ctx.document.locs['title'],
        hint: 'Capitalise them (only a, an, and, as, at, by, for, from, in, new, of, on, or, over, the, through, to, via, with, without stay lower case).',
      });
  },
};
