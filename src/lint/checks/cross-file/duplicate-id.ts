import type { Check, DocumentInfo } from '../../types.js';
import { othersIn } from './groups.js';

export const duplicateId: Check = {
  meta: {
    code: 'X001',
    name: 'duplicate-id',
    family: 'cross-file',
    defaultSeverity: 'error',
    summary: 'Two documents share the same `id`.',
    why: 'Ids identify rules in SIEMs, correlations, filters and exclusions: a duplicate makes one rule overwrite or shadow the other.',
    bad: '# a.yml\nid: 3c1b2f0e-8a4d-4e5b-9c6d-7e8f9a0b1c2d\n# b.yml\nid: 3c1b2f0e-8a4d-4e5b-9c6d-7e8f9a0b1c2d',
    good: '# a.yml\nid: 3c1b2f0e-8a4d-4e5b-9c6d-7e8f9a0b1c2d\n# b.yml\nid: 9b0e61a2-54f5-4c6f-bd9e-7d8d5c4b3a21',
    pysigma: ['identifier_uniqueness'],
  },
  crossFile: {
    create: () => new Map<string, DocumentInfo[]>(),
    collect(state, doc) {
      const id = doc.document.id?.toLowerCase();
      if (!id) return;
      const m = state as Map<string, DocumentInfo[]>;
      const list = m.get(id);
      if (list) list.push(doc);
      else m.set(id, [doc]);
    },
    finish(state, ctx) {
      for (const [id, docs] of state as Map<string, DocumentInfo[]>) {
        if (docs.length < 2) continue;
        for (const d of docs) {
          ctx.report(d, {
            message: `The id ${id} is also used by ${othersIn(docs, d)}.`,
            loc: d.document.locs['id'],
            hint: 'Give one of the rules a new UUID (and a related: entry if it was derived).',
          });
        }
      }
    },
  },
};
