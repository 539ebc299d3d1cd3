import type { Check } from '../../types.js';

export const statusMissing: Check = {
  meta: {
    code: 'M011',
    name: 'status-missing',
    family: 'metadata',
    defaultSeverity: 'warning',
    summary: 'The rule has no `status`.',
    why: 'The status (stable, test, experimental…) tells users how far a rule can be trusted; deployments filter on it.',
    bad: 'title: Certutil Decode\n…',
    good: 'title: Certutil Decode\nstatus: test\n…',
    pysigma: ['status_existence', 'sigmahq_status_existence'],
  },
  check(ctx) {
    if (ctx.document.status === undefined)
      ctx.report({
        message: 'The rule has no status.',
        loc: ctx.loc,
        hint: 'Add status: experimental (or test, stable).',
      });
  },
};
