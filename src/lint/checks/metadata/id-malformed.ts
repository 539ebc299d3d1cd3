import { isUuid } from '../../../util/text.js';
import type { Check } from '../../types.js';

export const idMalformed: Check = {
  meta: {
    code: 'M002',
    name: 'id-malformed',
    family: 'metadata',
    defaultSeverity: 'error',
    summary: 'The `id` is not a UUID.',
    why: 'The Sigma specification defines `id` as a UUID; pySigma refuses to load rules with other identifiers, so the rule would silently drop out of conversions in other tools.',
    bad: 'title: Certutil Decode\nid: certutil-decode-1\n…',
    good: 'title: Certutil Decode\nid: 3c1b2f0e-8a4d-4e5b-9c6d-7e8f9a0b1c2d\n…',
  },
  check(ctx) {
    const id = ctx.document.id;
    if (id !== undefined && !isUuid(id))
      ctx.report({
        message: `The id '${id}' is not a UUID.`,
        loc: ctx.document.locs['id'],
        hint: 'Use a random UUID (v4), e.g. from uuidgen.',
      });
  },
};
