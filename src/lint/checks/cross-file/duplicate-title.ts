import type { Check, DocumentInfo } from '../../types.js';
import { othersIn } from './groups.js';

export const duplicateTitle: Check = {
  meta: {
    code: 'X002',
    name: 'duplicate-title',
    family: 'cross-file',
    defaultSeverity: 'warning',
    summary: 'Two documents share the same `title`.',
    why: 'Alerts are named by title: analysts cannot tell two rules with the same title apart.',
    bad: '# a.yml\ntitle: Certutil Decode\n# b.yml\ntitle: Certutil Decode',
    good: '# a.yml\ntitle: Certutil Decode\n# b.yml\ntitle: Certutil Decode From Temp Folder',
    pysigma: ['duplicate_title'],
  },
  crossFile: {
    create: () => new Map<string, DocumentInfo[]>(),
    collect(state, doc) {
      const t = doc.document.title;
      if (!t) return;
      const m = state as Map<string, DocumentInfo[]>;
      const list = m.get(t);
      if (list) list.push(doc);
      else m.set(t, [doc]);
    },
    finish(state, ctx) {
      for (const [title, docs] of state as Map<string, DocumentInfo[]>) {
        if (docs.length < 2) continue;
        for (const d of docs) {
          ctx.report(d, {
            message: `The title '${title}' is also used by ${othersIn(docs, d)}.`,
            loc: d.document.locs['title'],
            hint: 'Make the title say what distinguishes this rule.',
          });
        }
      }
    },
  },
};
