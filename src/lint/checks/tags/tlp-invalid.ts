import type { Check } from '../../types.js';
import { splitTags } from '../../tags.js';

const TLP = ['clear', 'white', 'green', 'amber', 'amber-strict', 'red'];

export const tlpInvalid: Check = {
  meta: {
    code: 'T008',
    name: 'tlp-invalid',
    family: 'tags',
    defaultSeverity: 'warning',
    summary: 'A `tlp.` tag is not a TLP 1.0 or 2.0 colour.',
    why: 'Sharing platforms act on TLP labels; a wrong one can leak a rule meant to stay private.',
    bad: 'tags:\n    - tlp.yellow',
    good: 'tags:\n    - tlp.amber',
    pysigma: ['tlptag', 'tlpv1_tag', 'tlpv2_tag'],
  },
  check(ctx) {
    for (const t of splitTags(ctx.document.tags)) {
      if (t.namespace === 'tlp' && !TLP.includes(t.name))
        ctx.report({
          message: `'${t.tag}' is not a TLP label.`,
          loc: ctx.document.locs['tags'],
          hint: `Use one of: ${TLP.map((x) => 'tlp.' + x).join(', ')}.`,
        });
    }
  },
};
