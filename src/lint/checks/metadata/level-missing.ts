import type { Check } from '../../types.js';

export const levelMissing: Check = {
  meta: {
    code: 'M014',
    name: 'level-missing',
    family: 'metadata',
    defaultSeverity: 'warning',
    summary: 'The rule has no `level`.',
    why: 'The level sets alert priority; without it SIEMs fall back to a default the author did not choose.',
    bad: 'title: Certutil Decode\n…',
    good: 'title: Certutil Decode\nlevel: medium\n…',
    pysigma: ['level_existence', 'sigmahq_level_existence'],
  },
  check(ctx) {
    if (ctx.document.kind !== 'filter' && ctx.document.level === undefined)
      ctx.report({
        message: 'The rule has no level.',
        loc: ctx.loc,
        hint: 'Add level: informational, low, medium, high or critical.',
      });
  },
};
