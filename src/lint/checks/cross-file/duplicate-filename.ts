import type { Check, DocumentInfo } from '../../types.js';

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
    create: () => new Map<string, DocumentInfo[]>(),
    collect(state, doc) {
      if (!doc.file || doc.file === '<stdin>') return;
      const m = state as Map<string, DocumentInfo[]>;
      const k = base(doc.file);
      const list = m.get(k) ?? [];
      if (!list.some((o) => o.file === doc.file)) m.set(k, [...list, doc]);
    },
    finish(state, ctx) {
      for (const [name, docs] of state as Map<string, DocumentInfo[]>) {
        if (docs.length < 2) continue;
        for (const d of docs)
          ctx.report(d, {
            message: `File name '${name}' is also used by ${docs
              .filter((o) => o !== d)
              .map((o) => o.file)
              .join(', ')}.`,
            loc: d.loc,
            hint: 'Rename one of the files.',
          });
      }
    },
  },
};
