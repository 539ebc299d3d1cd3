import { lowerDetection, type Predicate } from '../../../ast/semantics.js';
import type { Check, DocumentInfo } from '../../types.js';

/** A canonical text of what a rule matches: logsource + lowered predicate with OR/AND items sorted. */
function fingerprint(doc: DocumentInfo): string | undefined {
  const d = doc.document;
  if (d.kind !== 'rule' || d.detection.conditions.length === 0) return undefined;
  let pred: Predicate;
  try {
    pred = lowerDetection(d.detection);
  } catch {
    return undefined;
  }
  const canon = (p: Predicate): string => {
    switch (p.kind) {
      case 'and':
      case 'or':
        return `${p.kind}(${p.items.map(canon).sort().join(',')})`;
      case 'not':
        return `not(${canon(p.item)})`;
      default:
        return JSON.stringify(p); // leaves have a fixed key order (semantics.ts builds them)
    }
  };
  const ls = d.logsource;
  return `${ls.product ?? ''}|${ls.category ?? ''}|${ls.service ?? ''}|${canon(pred).toLowerCase()}`;
}

export const duplicateDetection: Check = {
  meta: {
    code: 'X003', name: 'duplicate-detection', family: 'cross-file', defaultSeverity: 'warning',
    summary: 'Two rules have the same logsource and the same detection logic.',
    why: 'Duplicate logic fires twice for every event and splits maintenance; merge the rules or make them differ.',
    bad: '# a.yml and b.yml, different titles, same logsource and\ndetection:\n    selection:\n        Image|endswith: \\certutil.exe\n    condition: selection',
    good: '# one rule, or b.yml narrowed:\ndetection:\n    selection:\n        Image|endswith: \\certutil.exe\n        CommandLine|contains: -urlcache\n    condition: selection',
  },
  crossFile: {
    create: () => new Map<string, DocumentInfo[]>(),
    collect(state, doc) {
      const f = fingerprint(doc);
      if (!f) return;
      const m = state as Map<string, DocumentInfo[]>;
      const list = m.get(f);
      if (list) list.push(doc);
      else m.set(f, [doc]);
    },
    finish(state, ctx) {
      for (const docs of (state as Map<string, DocumentInfo[]>).values()) {
        if (docs.length < 2) continue;
        for (const d of docs) {
          const others = docs.filter((o) => o !== d).map((o) => `${o.file ?? '<input>'} (${o.document.id ?? o.document.title ?? ''})`);
          ctx.report(d, { message: `Same logsource and detection logic as ${others.join(', ')}.`, loc: d.document.locs['detection'], hint: 'Merge the rules (keep one, list the other under related:) or make the detections differ.' });
        }
      }
    },
  },
};
