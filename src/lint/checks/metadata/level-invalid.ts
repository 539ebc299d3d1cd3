import type { Check } from '../../types.js';

const LEVELS = ['informational', 'low', 'medium', 'high', 'critical'];

export const levelInvalid: Check = {
  meta: {
    code: 'M015',
    name: 'level-invalid',
    family: 'metadata',
    defaultSeverity: 'error',
    summary: 'The `level` is not one the specification defines.',
    why: 'Backends map the level to a severity; an unknown value breaks that mapping.',
    bad: 'level: severe\n…',
    good: 'level: high\n…',
  },
  check(ctx) {
    const l = ctx.document.level;
    if (l !== undefined && !LEVELS.includes(l))
      ctx.report({
        message: `Unknown level '${l}'.`,
        loc: ctx.document.locs['level'],
        hint: `Use one of: ${LEVELS.join(', ')}.`,
      });
  },
};
