import type { Check } from '../../types.js';

/** Keys SigmaHQ's repository accepts besides the specification's (pySigma-validators-sigmahq config). */
const ALLOWED = new Set(['sigil', 'regression_tests_path', 'simulation']);

export const unknownField: Check = {
  meta: {
    code: 'M026',
    name: 'unknown-field',
    family: 'metadata',
    defaultSeverity: 'info',
    summary: 'The rule has a top-level key the specification does not define.',
    why: 'Custom attributes are allowed but ignored by every tool; in a shared repository they are usually typos or leftovers.',
    bad: 'title: Certutil Decode\nseverity: high\n…',
    good: 'title: Certutil Decode\nlevel: high\n…',
    pysigma: ['sigmahq_unknown_field'],
  },
  check(ctx) {
    const keys = Object.keys(ctx.document.custom).filter((k) => !ALLOWED.has(k));
    for (const k of keys)
      ctx.report({
        message: `Unknown top-level key '${k}'.`,
        loc: ctx.document.locs[k],
        hint: 'Remove it, or keep it if your tooling reads it (custom attributes are ignored by Sigma tools).',
      });
  },
};
