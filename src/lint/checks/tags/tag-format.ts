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
  },
  check(ctx) {
    for (const tag of ctx.document.tags ?? []) {
      if (!FORMAT.test(tag))
        ctx.report({
          message: `Tag '${tag}' is not namespace.name in lower case.`,
          loc: ctx.document.locs['tags'],
          hint: 'Write tags like attack.t1059.001 or attack.execution.',
          fix: tag.toLowerCase().replace(/\s+/g, '-'),
        });
    }
  },
};
