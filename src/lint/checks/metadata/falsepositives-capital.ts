import type { Check } from '../../types.js';

export const falsepositivesCapital: Check = {
  meta: {
    code: 'M023',
    name: 'falsepositives-capital',
    family: 'metadata',
    defaultSeverity: 'warning',
    summary: 'A `falsepositives` entry starts with a lower-case letter.',
    why: 'SigmaHQ writes each false-positive entry as a capitalised phrase.',
    bad: 'falsepositives:\n    - legitimate admin scripts',
    good: 'falsepositives:\n    - Legitimate admin scripts',
    pysigma: ['sigmahq_falsepositives_capital'],
  },
  check(ctx) {
    for (const fp of ctx.document.falsepositives ?? []) {
      const c = fp[0];
      if (c !== undefined && c.toUpperCase() !== c)
        ctx.report({
          message: `False-positive entry starts in lower case: '${fp}'.`,
          loc: ctx.document.locs['falsepositives'],
          hint: 'Capitalise the first letter.',
          fix: c.toUpperCase() + fp.slice(1),
        });
    }
  },
};
