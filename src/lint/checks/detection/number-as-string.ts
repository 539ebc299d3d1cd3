import type { Check } from '../../types.js';
import { stringValues } from '../../walk.js';

export const numberAsString: Check = {
  meta: {
    code: 'D010',
    name: 'number-as-string',
    family: 'detection',
    defaultSeverity: 'warning',
    summary: 'A number is written as a quoted string.',
    why: "Backends compare numeric fields numerically; a quoted '4688' may convert to a string comparison that misses integer-typed fields.",
    bad: "EventID: '4688'",
    good: 'EventID: 4688',
    pysigma: ['number_as_string'],
  },
  check(ctx) {
    for (const { match, value } of stringValues(ctx.document)) {
      if (
        match.modifiers.some(
          (m) =>
            m === 'contains' ||
            m === 'startswith' ||
            m === 'endswith' ||
            m.startsWith('base64') ||
            m.startsWith('utf16') ||
            m === 'wide' ||
            m === 'windash',
        )
      )
        continue;
      const only = value.parts.length === 1 ? value.parts[0] : undefined;
      if (typeof only === 'string' && /^[-+]?\d+$/.test(only))
        ctx.report({
          message: `'${match.field ?? 'keywords'}: '${value.raw}'' is a number written as a string.`,
          loc: value.loc ?? match.loc,
          hint: 'Remove the quotes.',
          fix: only,
        });
    }
  },
};
