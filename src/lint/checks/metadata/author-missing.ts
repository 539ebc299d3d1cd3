import type { Check } from '../../types.js';

export const authorMissing: Check = {
  meta: {
    code: 'M022',
    name: 'author-missing',
    family: 'metadata',
    defaultSeverity: 'warning',
    summary: 'The rule has no `author`.',
    why: 'Users need someone to ask about a rule, and authors deserve credit.',
    bad: 'title: Certutil Decode\n…',
    good: 'title: Certutil Decode\nauthor: Jane Doe\n…',
    pysigma: ['sigmahq_author_existence'],
  },
  check(ctx) {
    if (ctx.document.kind !== 'filter' && !ctx.document.author)
      ctx.report({
        message: 'The rule has no author.',
        loc: ctx.loc,
        hint: 'Add author: Your Name (comma-separated for several).',
      });
  },
};
