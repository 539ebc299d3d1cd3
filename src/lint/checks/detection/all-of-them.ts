import type { Check } from '../../types.js';
import { detectionOf } from '../../walk.js';

export const allOfThem: Check = {
  meta: {
    code: 'D002',
    name: 'all-of-them',
    family: 'detection',
    defaultSeverity: 'warning',
    summary: "The condition uses 'all of them'.",
    why: "'all of them' silently changes meaning when someone adds a filter selection later; 'all of selection_*' keeps the intent explicit.",
    bad: 'condition: all of them',
    good: 'condition: all of selection_*',
    pysigma: ['all_of_them_condition'],
  },
  check(ctx) {
    const det = detectionOf(ctx.document);
    if (det?.conditionText.some((c) => /all\s+of\s+them/.test(c)))
      ctx.report({
        message: "'all of them' is discouraged.",
        loc: det.conditions[0]?.loc ?? det.loc,
        hint: "Name the selections: 'all of selection_*'.",
      });
  },
};
