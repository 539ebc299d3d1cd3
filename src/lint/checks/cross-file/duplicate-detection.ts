import { lowerDetection, type Predicate } from '../../../ast/semantics.js';
import { foldPredicate, forEachLeaf } from '../../../ast/fold.js';
import type { Check, DocumentInfo } from '../../types.js';
import { othersIn } from './groups.js';

/** The lowered detection of a rule (undefined for rules without one, or with errors in it). */
function lowered(doc: DocumentInfo): Predicate | undefined {
  const d = doc.document;
  if (d.kind !== 'rule' || d.detection.conditions.length === 0) return undefined;
  try {
    return lowerDetection(d.detection);
  } catch {
    return undefined;
  }
}

function logsourceKey(doc: DocumentInfo): string {
  const ls = doc.document.kind === 'rule' ? doc.document.logsource : {};
  return `${ls.product ?? ''}|${ls.category ?? ''}|${ls.service ?? ''}`;
}

/** A canonical text of what a rule matches: logsource + lowered predicate with OR/AND items sorted. */
function fingerprint(doc: DocumentInfo, pred: Predicate): string {
  const canon = foldPredicate<string>(pred, {
    and: (items) => `and(${items.sort().join(',')})`,
    or: (items) => `or(${items.sort().join(',')})`,
    not: (item) => `not(${item})`,
    leaf: (leaf) => JSON.stringify(leaf), // leaves have a fixed key order (semantics.ts builds them)
  });
  return `${logsourceKey(doc)}|${canon.toLowerCase()}`;
}

/**
 * A cheap key that equal fingerprints always share (the logsource, and the lower-cased fields of
 * the leaves, sorted): the full fingerprint, which serialises every value, is only computed for
 * rules that share this key with another rule.
 */
function shapeKey(doc: DocumentInfo, pred: Predicate): string {
  const fields: string[] = [];
  forEachLeaf(pred, (leaf) => fields.push(String(leaf.field).toLowerCase()));
  return `${logsourceKey(doc)}|${fields.sort().join('\u0000')}`;
}

export const duplicateDetection: Check = {
  meta: {
    code: 'X003',
    name: 'duplicate-detection',
    family: 'cross-file',
    defaultSeverity: 'warning',
    summary: 'Two rules have the same logsource and the same detection logic.',
    why: 'Duplicate logic fires twice for every event and splits maintenance; merge the rules or make them differ.',
    bad: '# a.yml and b.yml, different titles, same logsource and\ndetection:\n    selection:\n        Image|endswith: \\certutil.exe\n    condition: selection',
    good: '# one rule, or b.yml narrowed:\ndetection:\n    selection:\n        Image|endswith: \\certutil.exe\n        CommandLine|contains: -urlcache\n    condition: selection',
  },
  crossFile: {
    create: () => new Map<string, { doc: DocumentInfo; pred: Predicate }[]>(),
    collect(state, doc) {
      const pred = lowered(doc);
      if (!pred) return;
      const m = state as Map<string, { doc: DocumentInfo; pred: Predicate }[]>;
      const key = shapeKey(doc, pred);
      const list = m.get(key);
      if (list) list.push({ doc, pred });
      else m.set(key, [{ doc, pred }]);
    },
    finish(state, ctx) {
      for (const candidates of (state as Map<string, { doc: DocumentInfo; pred: Predicate }[]>).values()) {
        if (candidates.length < 2) continue;
        const groups = new Map<string, DocumentInfo[]>();
        for (const { doc, pred } of candidates) {
          const f = fingerprint(doc, pred);
          const list = groups.get(f);
          if (list) list.push(doc);
          else groups.set(f, [doc]);
        }
        for (const docs of groups.values()) {
          if (docs.length < 2) continue;
          for (const d of docs) {
            const others = othersIn(
              docs,
              d,
              (o) => `${o.file ?? '<input>'} (${o.document.id ?? o.document.title ?? ''})`,
            );
            ctx.report(d, {
              message: `Same logsource and detection logic as ${others}.`,
              loc: d.document.locs['detection'],
              hint: 'Merge the rules (keep one, list the other under related:) or make the detections differ.',
            });
          }
        }
      }
    },
  },
};
