import type { Check } from '../../types.js';

export const descriptionLink: Check = {
  meta: {
    code: 'M018',
    name: 'description-link',
    family: 'metadata',
    defaultSeverity: 'warning',
    summary: 'The description holds a link (or "internal research") while `references` is empty.',
    why: 'Links belong in `references`, where tools and readers look for them.',
    bad: 'description: See https://example.org/post for details.\n…',
    good: 'description: Detects certutil decoding a file.\nreferences:\n    - https://example.org/post\n…',
    pysigma: ['sigmahq_link_in_description'],
  },
  check(ctx) {
    const d = ctx.document.description?.toLowerCase();
    if (!d || (ctx.document.references?.length ?? 0) > 0) return;
    const word = ['http://', 'https://', 'internal research'].find((w) => d.includes(w));
    if (word)
      ctx.report({
        message: `The description contains '${word}' but the rule has no references.`,
        loc: ctx.document.locs['description'],
        hint: "Move links to 'references'.",
      });
  },
};
