import type { Check } from '../../types.js';

export const statusRetired: Check = {
  meta: {
    code: 'M013',
    name: 'status-retired',
    family: 'metadata',
    defaultSeverity: 'warning',
    summary: 'The rule has status `deprecated` or `unsupported`.',
    why: 'Deprecated and unsupported rules are not meant to be deployed; SigmaHQ keeps them out of its rule folders.',
    bad: 'status: deprecated\n…',
    good: 'status: test\n…',
    pysigma: ['status_unsupported', 'sigmahq_status'],
  },
  check(ctx) {
    const s = ctx.document.status;
    if (s === 'deprecated' || s === 'unsupported')
      ctx.report({
        message: `The rule's status is '${s}'.`,
        loc: ctx.document.locs['status'],
        hint: 'Move it to the deprecated/ or unsupported/ folder, or fix and re-test it.',
      });
  },
};
