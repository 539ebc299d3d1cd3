import type { Check } from '../../types.js';

export const referencesMitreLink: Check = {
  meta: {
    code: 'M021',
    name: 'references-mitre-link',
    family: 'metadata',
    defaultSeverity: 'warning',
    summary: 'A reference links to attack.mitre.org instead of using an ATT&CK tag.',
    why: 'ATT&CK mappings belong in tags (`attack.t1053.003`), which tools read and coverage reports count.',
    bad: 'references:\n    - https://attack.mitre.org/techniques/T1053/003/',
    good: 'tags:\n    - attack.t1053.003',
    pysigma: ['sigmahq_mitre_link'],
  },
  check(ctx) {
    for (const r of ctx.document.references ?? []) {
      if (r.startsWith('https://attack.mitre.org/'))
        ctx.report({
          message: `MITRE ATT&CK link in references: ${r}`,
          loc: ctx.document.locs['references'],
          hint: 'Use a tag such as attack.t1053.003 instead.',
        });
    }
  },
};
