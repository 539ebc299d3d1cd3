import type { Check } from '../../types.js';
import { detectionOf, ofNodes } from '../../walk.js';

export const missingAsterisk: Check = {
  meta: {
    code: 'D018',
    name: 'missing-asterisk',
    family: 'detection',
    defaultSeverity: 'warning',
    summary: 'A `1 of x` / `all of x` condition names a search identifier without a `*` pattern.',
    why: '`1 of` and `all of` quantify over a group of identifiers; over a single name without `*` they are just that name with extra indirection, and usually a forgotten `*` (`1 of selection` meant `1 of selection_*`).',
    bad: 'detection:\n    selection:\n        Image|endswith: \\certutil.exe\n    selection_cli:\n        CommandLine|contains: -decode\n    condition: all of selection',
    good: 'detection:\n    selection_img:\n        Image|endswith: \\certutil.exe\n    selection_cli:\n        CommandLine|contains: -decode\n    condition: all of selection_*',
    pysigma: ['sigmahq_missing_asterisk_condition'],
  },
  check(ctx) {
    if (ctx.document.kind !== 'rule') return;
    const det = detectionOf(ctx.document);
    if (!det) return;
    for (const cond of det.conditions) {
      for (const of of ofNodes(cond)) {
        // pySigma-validators-sigmahq: every `of` target other than `them` must end with '*'.
        if (of.pattern === 'them' || of.pattern.endsWith('*')) continue;
        const q = of.quantifier === 'all' ? 'all' : '1';
        ctx.report({
          message: `'${q} of ${of.pattern}' has no '*' pattern.`,
          loc: of.loc,
          hint: `Write '${q} of ${of.pattern}*' for a group, or refer to '${of.pattern}' directly.`,
        });
      }
    }
  },
};
