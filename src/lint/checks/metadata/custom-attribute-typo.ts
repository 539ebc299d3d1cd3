import type { Check } from '../../types.js';

/** Misspellings of specification keys that end up as silent custom attributes (pySigma's list, extended). */
const TYPOS: Record<string, string> = {
  realted: 'related',
  relatde: 'related',
  relted: 'related',
  rlated: 'related',
  reference: 'references',
  refrences: 'references',
  tag: 'tags',
  falsepositive: 'falsepositives',
  false_positives: 'falsepositives',
  desciption: 'description',
  descripton: 'description',
  autor: 'author',
  authors: 'author',
  modifed: 'modified',
  stauts: 'status',
  titel: 'title',
  levle: 'level',
  logsoruce: 'logsource',
};

export const customAttributeTypo: Check = {
  meta: {
    code: 'M025',
    name: 'custom-attribute-typo',
    family: 'metadata',
    defaultSeverity: 'warning',
    summary: 'A top-level key looks like a misspelt specification key (`realted`, `reference`).',
    why: 'A misspelt key is kept as a custom attribute and silently ignored: the references or relations the author wrote are lost.',
    bad: 'reference:\n    - https://example.org/a',
    good: 'references:\n    - https://example.org/a',
    pysigma: ['custom_attributes'],
  },
  check(ctx) {
    for (const key of Object.keys(ctx.document.custom)) {
      const right = TYPOS[key.toLowerCase()];
      if (right)
        ctx.report({
          message: `'${key}' looks like a misspelling of '${right}'.`,
          loc: ctx.document.locs[key],
          hint: `Rename the key to '${right}'.`,
        });
    }
  },
};
