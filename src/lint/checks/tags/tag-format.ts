import type { Check } from '../../types.js';

const FORMAT = /^[a-z0-9\-_]+\.[a-z0-9\-_.]+$/;

export const tagFormat: Check = {
  meta: {
    code: 'T001',
    name: 'tag-format',
    family: 'tags',
    defaultSeverity: 'warning',
    summary: 'A tag is not `namespace.name` in lower-case letters, digits, `-`, `_` and `.`.',
    why: 'Tools match tags literally: `attack.T1059` or `attack execution` are not recognised as ATT&CK tags.',
    bad: 'tags:\n    - attack.T1059.001',
    good: 'tags:\n    - attack.t1059.001',
    pysigma: ['tag_format'],
    fixable: true,
  },
  check(ctx) {
    (ctx.document.tags ?? []).forEach((tag, i) => {
      if (FORMAT.test(tag)) return;
      const fix = tag.toLowerCase().replace(/\s+/g, '-');
      ctx.report({
        message: `Tag '${tag}' is not namespace.name in lower case.`,
        loc: ctx.document.locs['tags'],
        hint: 'Write tags like attack.t1059.001 or attack.execution.',
        fix,
        // Applied only when lower case (and '-' for spaces) gives a well-formed tag.
        ...(FORMAT.test(fix) ? { edit: { op: 'set' as const, path: ['tags', i], from: tag, value: fix } } : {}),
      });
    });
  },
};
