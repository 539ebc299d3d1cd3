import type { Check } from '../../types.js';

const MIN = 16;

export const descriptionShort: Check = {
  meta: {
    code: 'M017',
    name: 'description-short',
    family: 'metadata',
    defaultSeverity: 'warning',
    summary: `The description is shorter than ${MIN} characters.`,
    why: 'A few words rarely tell an analyst what the rule looks for and why.',
    bad: 'description: Certutil\n…',
    good: 'description: Detects certutil decoding a file, a common way to drop payloads.\n…',
    pysigma: ['description_length', 'sigmahq_description_length'],
  },
  check(ctx) {
    const d = ctx.document.description;
    if (d !== undefined && d.length < MIN)
      ctx.report({
        message: `The description has ${d.length} characters (at least ${MIN}).`,
        loc: ctx.document.locs['description'],
        hint: 'Describe what the rule detects and why it is suspicious.',
      });
  },
};
