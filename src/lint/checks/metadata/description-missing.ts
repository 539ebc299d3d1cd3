import type { Check } from '../../types.js';

export const descriptionMissing: Check = {
  meta: {
    code: 'M016',
    name: 'description-missing',
    family: 'metadata',
    defaultSeverity: 'warning',
    summary: 'The rule has no `description`.',
    why: 'The analyst triaging an alert reads the description first: what the rule looks for and why it matters.',
    bad: 'title: Certutil Decode\n…',
    good: 'title: Certutil Decode\ndescription: Detects certutil decoding a file, a common way to drop payloads.\n…',
    pysigma: ['description_existence', 'sigmahq_description_existence'],
  },
  check(ctx) {
    if (ctx.document.description === undefined)
      ctx.report({
        message: 'The rule has no description.',
        loc: ctx.loc,
        hint: 'Describe what the rule detects and why it is suspicious.',
      });
  },
};
