import type { Check } from '../../types.js';
import { splitTags } from '../../tags.js';

const NAMESPACES = ['attack', 'car', 'cve', 'd3fend', 'detection', 'stp', 'tlp'];

export const tagNamespace: Check = {
  meta: {
    code: 'T002',
    name: 'tag-namespace',
    family: 'tags',
    defaultSeverity: 'warning',
    summary: `A tag's namespace is not one of ${NAMESPACES.join(', ')}.`,
    why: "The specification's tag appendix defines these namespaces; anything else is usually a typo (`atack.`) or private vocabulary.",
    bad: 'tags:\n    - mitre.t1059',
    good: 'tags:\n    - attack.t1059',
    pysigma: ['namespace_tag'],
  },
  check(ctx) {
    for (const t of splitTags(ctx.document.tags)) {
      if (!NAMESPACES.includes(t.namespace))
        ctx.report({
          message: `Tag '${t.tag}' has the unknown namespace '${t.namespace}'.`,
          loc: ctx.document.locs['tags'],
          hint: `Use one of: ${NAMESPACES.join(', ')}.`,
        });
    }
  },
};
