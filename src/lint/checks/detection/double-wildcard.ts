import type { Check } from '../../types.js';
import { stringValues } from '../../walk.js';

export const doubleWildcard: Check = {
  meta: {
    code: 'D007',
    name: 'double-wildcard',
    family: 'detection',
    defaultSeverity: 'warning',
    summary: "A value has two '*' wildcards in a row.",
    why: "'**' means the same as '*': it is a slip, often from concatenating a contains-style value with a wildcard.",
    bad: "CommandLine: '*certutil**decode*'",
    good: 'CommandLine|contains|all:\n    - certutil\n    - decode',
    pysigma: ['double_wildcard'],
  },
  check(ctx) {
    for (const { match, value } of stringValues(ctx.document)) {
      const multi = value.parts.map((p) => typeof p !== 'string' && 'wildcard' in p && p.wildcard === 'multi');
      if (multi.some((m, i) => m && multi[i + 1]))
        ctx.report({
          message: `'${value.raw}' has consecutive '*' wildcards.`,
          loc: value.loc ?? match.loc,
          hint: "Use a single '*'.",
        });
    }
  },
};
