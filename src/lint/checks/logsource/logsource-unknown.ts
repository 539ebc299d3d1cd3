import type { Check } from '../../types.js';
import { fieldsFor, logsourceKey } from '../../taxonomy.js';

export const logsourceUnknown: Check = {
  meta: {
    code: 'L001',
    name: 'logsource-unknown',
    family: 'logsource',
    defaultSeverity: 'warning',
    summary: 'The logsource (product/category/service) is not in the SigmaHQ taxonomy.',
    why: 'Pipelines route rules to tables and indexes by logsource; an unknown one (often a typo like `process_creations`) converts to nothing useful.',
    bad: 'logsource:\n    category: process_creations\n    product: windows',
    good: 'logsource:\n    category: process_creation\n    product: windows',
    pysigma: ['sigmahq_logsource_unknown'],
  },
  check(ctx) {
    const d = ctx.document;
    if (d.kind === 'correlation') return;
    if (!fieldsFor(ctx.taxonomy, d.logsource))
      ctx.report({
        message: `Unknown logsource '${logsourceKey(d.logsource)}' (product|category|service).`,
        loc: d.logsource.loc,
        hint: 'Check the spelling against the logsource taxonomy (sigma-appendix-taxonomy.md).',
      });
  },
};
