import type { Check } from '../../types.js';

export const logsourceCustomAttribute: Check = {
  meta: {
    code: 'L004',
    name: 'logsource-custom-attribute',
    family: 'logsource',
    defaultSeverity: 'warning',
    summary: 'The logsource has a key other than product, category, service and definition.',
    why: 'Backends and pipelines ignore other keys: the restriction the author meant to express is silently lost.',
    bad: 'logsource:\n    product: windows\n    categroy: process_creation',
    good: 'logsource:\n    product: windows\n    category: process_creation',
    pysigma: ['fieldname_logsource'],
  },
  check(ctx) {
    const d = ctx.document;
    if (d.kind === 'correlation') return;
    for (const k of Object.keys(d.logsource.custom ?? {}))
      ctx.report({
        message: `Unknown logsource key '${k}'.`,
        loc: d.logsource.loc,
        hint: 'Use product, category, service (and definition for prose).',
      });
  },
};
