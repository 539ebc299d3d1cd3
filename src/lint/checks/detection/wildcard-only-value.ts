import type { Check } from '../../types.js';
import { stringValues } from '../../walk.js';

export const wildcardOnlyValue: Check = {
  meta: {
    code: 'D006',
    name: 'wildcard-only-value',
    family: 'detection',
    defaultSeverity: 'warning',
    summary: "A value is only '*'.",
    why: "'*' matches any non-empty value and says nothing about what is suspicious; if presence is what matters, the exists modifier says so and converts efficiently.",
    bad: "selection:\n    CommandLine: '*'",
    good: 'selection:\n    CommandLine|exists: true',
  },
  check(ctx) {
    for (const { match, value } of stringValues(ctx.document)) {
      if (
        value.parts.length > 0 &&
        value.parts.every((p) => typeof p !== 'string' && 'wildcard' in p && p.wildcard === 'multi')
      ) {
        ctx.report({
          message: `'${match.field ?? 'keywords'}: ${value.raw}' matches any value.`,
          loc: value.loc ?? match.loc,
          hint: `Write '${match.field ?? 'Field'}|exists: true' if presence is what matters.`,
        });
      }
    }
  },
};
