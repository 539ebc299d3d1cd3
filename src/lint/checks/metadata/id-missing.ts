import type { Check } from '../../types.js';

export const idMissing: Check = {
  meta: {
    code: 'M001',
    name: 'id-missing',
    family: 'metadata',
    defaultSeverity: 'warning',
    summary: 'The rule has no `id`.',
    why: 'A stable UUID is how rules are referenced by correlations, filters, `related` entries, exclusions and SIEM deployments; without one a renamed file is a new rule.',
    bad: 'title: Certutil Decode\nlogsource: {category: process_creation, product: windows}\ndetection: {selection: {Image|endswith: \\certutil.exe}, condition: selection}',
    good: 'title: Certutil Decode\nid: 3c1b2f0e-8a4d-4e5b-9c6d-7e8f9a0b1c2d\nlogsource: {category: process_creation, product: windows}\ndetection: {selection: {Image|endswith: \\certutil.exe}, condition: selection}',
    pysigma: ['identifier_existence'],
  },
  check(ctx) {
    if (ctx.document.id === undefined)
      ctx.report({
        message: 'The rule has no id.',
        loc: ctx.loc,
        hint: 'Add a random UUID (v4): id: <output of uuidgen>.',
      });
  },
};
