import type { Check } from '../../types.js';

/** pySigma-validators-sigmahq `SigmahqStatusToHighValidator.min_days`. */
const MIN_DAYS = 60;
const MATURE = new Set(['test', 'stable']);
const DAY_MS = 86_400_000;

export const statusTooYoung: Check = {
  meta: {
    code: 'M027',
    name: 'status-too-young',
    family: 'metadata',
    defaultSeverity: 'warning',
    summary: `A rule dated less than ${MIN_DAYS} days ago already has status test or stable.`,
    why: 'SigmaHQ promotes a rule from experimental only after it has been exposed to real data for a while; a new rule claiming test or stable has not earned it (unless regression tests back it: `regression_tests_path`).',
    bad: 'status: stable\ndate: <today>\n…',
    good: 'status: experimental\ndate: <today>\n…',
    pysigma: ['sigmahq_status_to_high'],
  },
  check(ctx) {
    const d = ctx.document;
    if (!d.status || !MATURE.has(d.status) || !d.date) return;
    if ('regression_tests_path' in d.custom) return;
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(d.date);
    if (!m) return;
    const dated = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
    const now = new Date();
    const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
    const age = Math.round((today - dated) / DAY_MS);
    if (age <= MIN_DAYS)
      ctx.report({
        message: `Status '${d.status}' on a rule dated ${d.date} (${age} days old; SigmaHQ requires more than ${MIN_DAYS}).`,
        loc: d.locs['status'],
        hint: "Use 'status: experimental' until the rule has been tested, or add regression tests (regression_tests_path).",
        fix: 'experimental',
      });
  },
};
