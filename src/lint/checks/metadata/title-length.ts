import type { Check } from '../../types.js';

const MAX = 120;

export const titleLength: Check = {
  meta: {
    code: 'M003',
    name: 'title-length',
    family: 'metadata',
    defaultSeverity: 'warning',
    summary: `The title is longer than ${MAX} characters.`,
    why: 'Titles show up in alert queues and SIEM rule lists where long ones are cut off; SigmaHQ limits them to 120 characters.',
    bad: 'title: Detection Of A Suspicious Execution Of The Windows Certificate Utility Certutil With The Decode Flag Which Attackers Use To Drop Payloads\n…',
    good: 'title: Suspicious Certutil Decode\n…',
    pysigma: ['sigmahq_title_length'],
  },
  check(ctx) {
    const t = ctx.document.title;
    if (t !== undefined && t.length > MAX)
      ctx.report({
        message: `The title has ${t.length} characters (at most ${MAX}).`,
        loc: ctx.document.locs['title'],
        hint: 'Move details into the description.',
      });
  },
};
