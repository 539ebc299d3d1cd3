import type { Check } from '../../types.js';

export const titleEnd: Check = {
  meta: {
    code: 'M005',
    name: 'title-end',
    family: 'metadata',
    defaultSeverity: 'warning',
    summary: 'The title ends with a dot.',
    why: 'A title is a name, not a sentence (SigmaHQ title convention).',
    bad: 'title: Certutil Decode.\n…',
    good: 'title: Certutil Decode\n…',
    pysigma: ['sigmahq_title_end'],
  },
  check(ctx) {
    const t = ctx.document.title;
    if (t && t.endsWith('.'))
      ctx.report({
        message: 'The title ends with a dot.',
        loc: ctx.document.locs['title'],
        hint: 'Remove the trailing dot.',
        fix: t.replace(/\.+$/, ''),
      });
  },
};
