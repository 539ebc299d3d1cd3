import type { Check, DocumentInfo } from '../../types.js';
import { othersIn } from './groups.js';

const base = (f: string): string => f.replace(/\\/g, '/').split('/').pop() ?? f;

export const duplicateFilename: Check = {
  meta: {
    code: 'X004',
    name: 'duplicate-filename',
    family: 'cross-file',
    defaultSeverity: 'warning',
    summary: 'Two rule files in different folders have the same file name.',
    why: 'Tools that flatten rule folders (SIEM imports, packages) overwrite one file with the other.',
    bad: 'rules/windows/proc_creation_win_certutil.yml\nrules-threat-hunting/windows/proc_creation_win_certutil.yml',
    good: 'rules/windows/proc_creation_win_certutil_decode.yml\nrules-threat-hunting/windows/proc_creation_win_certutil_susp_use.yml',
    pysigma: ['duplicate_filename'],
  },
  crossFile: {
    // Per file name: the documents, one per file (a multi-document file counts once).
    create: () => new Map<string, Map<string, DocumentInfo>>(),
    collect(state, doc) {
      if (!doc.file || doc.file === '<stdin>') return;
      const m = state as Map<string, Map<string, DocumentInfo>>;
      const k = base(doc.file);
      let files = m.get(k);
      if (!files) m.set(k, (files = new Map()));
      if (!files.has(doc.file)) files.set(doc.file, doc);
    },
    finish(state, ctx) {
      for (const [name, files] of state as Map<string, Map<string, DocumentInfo>>) {
        if (files.size < 2) continue;
        const docs = [...files.values()];
        for (const d of docs)
          ctx.report(d, {
            message: `File name '${name}' is also used by ${othersIn(docs, d)}.`,
            loc: d.loc,
            hint: 'Rename one of the files.',
          });
      }
    },
  },
};
