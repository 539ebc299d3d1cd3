import type { Check } from '../../types.js';
import { fieldMatches, matchKey } from '../../walk.js';

export const windashWithAll: Check = {
  meta: {
    code: 'D005',
    name: 'windash-with-all',
    family: 'detection',
    defaultSeverity: 'error',
    summary: "'windash' is combined with 'all'.",
    why: 'pySigma expands windash into alternative values appended to the same list, so with all every dash variant would be required at once; SigmaHQ rejects the combination to stay portable.',
    bad: "CommandLine|windash|contains|all:\n    - ' -enc '\n    - ' -nop '",
    good: "selection_enc:\n    CommandLine|windash|contains: ' -enc '\nselection_nop:\n    CommandLine|windash|contains: ' -nop '\ncondition: all of selection_*",
    pysigma: ['invalid_modifier_combinations'],
  },
  check(ctx) {
    for (const { match } of fieldMatches(ctx.document)) {
      if (match.modifiers.includes('windash') && match.modifiers.includes('all'))
        ctx.report({
          message: `'${matchKey(match)}' combines windash with all.`,
          loc: match.loc,
          hint: 'Split the values into selections and combine them with all of selection_*.',
        });
    }
  },
};
