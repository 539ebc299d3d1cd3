import type { Check } from '../../types.js';

const STATUSES = ['stable', 'test', 'experimental', 'deprecated', 'unsupported'];

export const statusInvalid: Check = {
  meta: {
    code: 'M012',
    name: 'status-invalid',
    family: 'metadata',
    defaultSeverity: 'error',
    summary: 'The `status` is not one the specification defines.',
    why: 'Tools filter rules by status; an unknown value (a typo, a capital letter) makes the rule invisible to those filters.',
    bad: 'status: Testing\n…',
    good: 'status: test\n…',
  },
  check(ctx) {
    const s = ctx.document.status;
    if (s !== undefined && !STATUSES.includes(s))
      ctx.report({
        message: `Unknown status '${s}'.`,
        loc: ctx.document.locs['status'],
        hint: `Use one of: ${STATUSES.join(', ')}.`,
      });
  },
};
