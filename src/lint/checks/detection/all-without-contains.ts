import type { Check } from '../../types.js';
import { fieldMatches, matchKey } from '../../walk.js';

export const allWithoutContains: Check = {
  meta: {
    code: 'D003',
    name: 'all-without-contains',
    family: 'detection',
    defaultSeverity: 'error',
    summary:
      "A field uses 'all' with several different values but no 'contains' (or other position) modifier: it can never match.",
    why: 'A field cannot equal two different values at once; the author almost always meant `|contains|all`.',
    bad: "CommandLine|all:\n    - '-decode'\n    - '.txt'",
    good: "CommandLine|contains|all:\n    - '-decode'\n    - '.txt'",
    pysigma: ['invalid_modifier_combinations'],
  },
  check(ctx) {
    for (const { match } of fieldMatches(ctx.document)) {
      const m = match.modifiers;
      if (
        match.field === null ||
        !m.includes('all') ||
        m.some(
          (x) =>
            x === 'contains' ||
            x === 'startswith' ||
            x === 'endswith' ||
            x === 're' ||
            x === 'cidr' ||
            x === 'neq' ||
            x === 'gt' ||
            x === 'gte' ||
            x === 'lt' ||
            x === 'lte',
        )
      )
        continue;
      const distinct = new Set(match.values.map((v) => JSON.stringify({ ...v, loc: undefined })));
      if (distinct.size > 1)
        ctx.report({
          message: `'${matchKey(match)}' requires the field to equal ${distinct.size} different values at once: it never matches.`,
          loc: match.loc,
          hint: `Write '${match.field}|contains|all' to require every value as a substring.`,
        });
    }
  },
};
