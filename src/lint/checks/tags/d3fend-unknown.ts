import type { Check } from '../../types.js';
import { splitTags } from '../../tags.js';

export const d3fendUnknown: Check = {
  meta: {
    code: 'T007',
    name: 'd3fend-unknown',
    family: 'tags',
    defaultSeverity: 'warning',
    summary: 'A `d3fend.` tag names a D3FEND technique, tactic or artifact the snapshot does not know.',
    why: 'Mistyped D3FEND tags drop the rule out of defensive-coverage views.',
    bad: 'tags:\n    - d3fend.d3-xyz',
    good: 'tags:\n    - d3fend.d3-pa',
    pysigma: ['d3_fendtag'],
  },
  check(ctx) {
    if (!ctx.document.tags?.some((t) => t.startsWith('d3fend.'))) return;
    const known = new Set(ctx.attack.d3fend.tags);
    for (const t of splitTags(ctx.document.tags)) {
      if (t.namespace === 'd3fend' && !known.has(t.name.toLowerCase()))
        ctx.report({
          message: `'${t.tag}' is not a D3FEND technique, tactic or artifact known to the snapshot.`,
          loc: ctx.document.locs['tags'],
          hint: 'Use a D3FEND id such as d3fend.d3-pa (Process Analysis).',
        });
    }
  },
};
