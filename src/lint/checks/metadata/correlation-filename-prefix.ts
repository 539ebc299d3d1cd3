import type { Check } from '../../types.js';
import { baseName } from '../files/filename.js';

export const correlationFilenamePrefix: Check = {
  meta: {
    code: 'M030',
    name: 'correlation-filename-prefix',
    family: 'metadata',
    defaultSeverity: 'warning',
    summary: "A file holding a correlation rule does not start with 'correlation_'.",
    why: 'SigmaHQ keeps correlation files (alone or combined with their base rules) recognisable by name, so tools and reviewers can tell them from single-event rules.',
    bad: '# rules/windows/builtin/security/win_security_brute_force.yml\ncorrelation:\n    type: event_count\n…',
    good: '# rules/windows/builtin/security/correlation_win_security_brute_force.yml\ncorrelation:\n    type: event_count\n…',
    pysigma: ['sigmahq_correlation_filename_prefix'],
  },
  check(ctx) {
    if (ctx.document.kind !== 'correlation') return;
    const name = baseName(ctx);
    if (name === undefined || name.startsWith('correlation_')) return;
    ctx.report({
      message: `Correlation file '${name}' does not start with 'correlation_'.`,
      loc: ctx.loc,
      hint: `Rename it to correlation_${name}.`,
    });
  },
};
