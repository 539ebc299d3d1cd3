import type { Check } from '../../types.js';

export const titleStart: Check = {
  meta: {
    code: 'M004',
    name: 'title-start',
    family: 'metadata',
    defaultSeverity: 'warning',
    summary: "The title starts with 'Detect' or 'Detects'.",
    why: "Every rule detects something; SigmaHQ's title convention drops the word so that titles name the behaviour.",
    bad: 'title: Detects Certutil Decode\n…',
    good: 'title: Certutil Decode\n…',
    pysigma: ['sigmahq_title_start'],
  },
  check(ctx) {
    const t = ctx.document.title;
    if (t && /^Detects? /.test(t))
      ctx.report({
        message: `The title starts with '${t.split(' ')[0]}'.`,
        loc: ctx.document.locs['title'],
        hint: 'Name the behaviour, e.g. "Certutil Decode".',
        fix: t.replace(/^Detects? /, ''),
      });
  },
};
