import type { Check } from '../../types.js';
import { fieldMatches, matchKey } from '../../walk.js';

export const base64offsetWithoutContains: Check = {
  meta: {
    code: 'D004',
    name: 'base64offset-without-contains',
    family: 'detection',
    defaultSeverity: 'error',
    summary: "'base64offset' is used without 'contains'.",
    why: 'base64offset produces fragments of an encoded stream; they are always surrounded by other characters, so without contains nothing matches.',
    bad: 'CommandLine|base64offset: Invoke-Mimikatz',
    good: 'CommandLine|base64offset|contains: Invoke-Mimikatz',
    pysigma: ['invalid_modifier_combinations'],
  },
  check(ctx) {
    for (const { match } of fieldMatches(ctx.document)) {
      if (match.modifiers.includes('base64offset') && !match.modifiers.includes('contains'))
        ctx.report({
          message: `'${matchKey(match)}' uses base64offset without contains: it never matches.`,
          loc: match.loc,
          hint: "Add '|contains' after '|base64offset'.",
        });
    }
  },
};
