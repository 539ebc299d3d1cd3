import type { Check } from '../../types.js';
import { detectionOf } from '../../walk.js';

export const themSingleSelection: Check = {
  meta: {
    code: 'D001',
    name: 'them-single-selection',
    family: 'detection',
    defaultSeverity: 'warning',
    summary: "The condition uses 'them' but the detection has only one search identifier.",
    why: "'1 of them' over a single selection is just that selection; naming it says what the rule means.",
    bad: 'detection:\n    selection:\n        Image|endswith: \\certutil.exe\n    condition: 1 of them',
    good: 'detection:\n    selection:\n        Image|endswith: \\certutil.exe\n    condition: selection',
    pysigma: ['them_condition_with_single_detection', 'sigmahq_ofthem_condition'],
  },
  check(ctx) {
    const det = detectionOf(ctx.document);
    if (!det || det.identifiers.length !== 1) return;
    if (det.conditionText.some((c) => /\bthem\b/.test(c)))
      ctx.report({
        message: "'them' refers to a single search identifier.",
        loc: ctx.document.locs['detection'] ?? det.loc,
        hint: `Write 'condition: ${det.identifiers[0]!.name}'.`,
        fix: det.identifiers[0]!.name,
      });
  },
};
