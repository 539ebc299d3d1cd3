import type { Check } from '../../types.js';
import { detectionOf, ofNodes } from '../../walk.js';

export const ofselectionSingle: Check = {
  meta: {
    code: 'D014',
    name: 'ofselection-single',
    family: 'detection',
    defaultSeverity: 'warning',
    summary: 'An `1 of x_*` / `all of x_*` pattern matches fewer than two search identifiers.',
    why: 'A pattern that matches one identifier is just that identifier with extra indirection; SigmaHQ only allows it for `selection_*` and `filter_*` groups, which are meant to grow.',
    bad: 'detection:\n    sel_img:\n        Image|endswith: \\certutil.exe\n    condition: 1 of sel_*',
    good: 'detection:\n    sel_img:\n        Image|endswith: \\certutil.exe\n    condition: sel_img',
    pysigma: ['sigmahq_ofselection_condition'],
  },
  check(ctx) {
    const det = detectionOf(ctx.document);
    if (!det) return;
    for (const cond of det.conditions) {
      for (const of of ofNodes(cond)) {
        const p = of.pattern;
        // pySigma-validators-sigmahq exempts the conventional growing groups.
        if (!p.endsWith('_*') || p.startsWith('filter_') || p.startsWith('selection_')) continue;
        if (of.names.length < 2)
          ctx.report({
            message: `'${of.quantifier === 'all' ? 'all' : '1'} of ${p}' matches ${of.names.length === 1 ? `only '${of.names[0]}'` : 'no identifier'}.`,
            loc: of.loc,
            hint: of.names.length === 1 ? `Refer to '${of.names[0]}' directly.` : 'Fix the pattern.',
          });
      }
    }
  },
};
