/** Tag parsing shared by the tag checks and the coverage report. */
import type { AttackData } from './attack.js';

export interface TagRef {
  tag: string;
  namespace: string;
  name: string;
  index: number;
}

const NO_TAGS: readonly TagRef[] = [];
// Seven tag checks read every document's tags: split them once per tags list (the AST is immutable).
const splitCache = new WeakMap<readonly string[], readonly TagRef[]>();

export function splitTags(tags: readonly string[] | undefined): readonly TagRef[] {
  if (!tags) return NO_TAGS;
  let refs = splitCache.get(tags);
  if (refs === undefined) {
    refs = tags.map((tag, index) => {
      const dot = tag.indexOf('.');
      return dot < 0
        ? { tag, namespace: '', name: tag, index }
        : { tag, namespace: tag.slice(0, dot), name: tag.slice(dot + 1), index };
    });
    splitCache.set(tags, refs);
  }
  return refs;
}

/** `t1546.003` → `T1546.003`; undefined when the name is not a technique id. */
export function techniqueId(name: string): string | undefined {
  return /^t\d{4}(\.\d{3})?$/i.test(name) ? name.toUpperCase() : undefined;
}

export type AttackTagKind = 'tactic' | 'technique' | 'group' | 'software' | 'campaign' | 'mitigation' | 'unknown';

export function attackTagKind(name: string): AttackTagKind {
  if (/^t\d{4}(\.\d{3})?$/i.test(name)) return 'technique';
  if (/^g\d{4}$/i.test(name)) return 'group';
  if (/^s\d{4}$/i.test(name)) return 'software';
  if (/^c\d{4}$/i.test(name)) return 'campaign';
  if (/^m\d{4}$/i.test(name)) return 'mitigation';
  if (/^[a-z][a-z-_]*$/.test(name)) return 'tactic';
  return 'unknown';
}

/** Whether the snapshot knows the tag's target (tactic shortnames accept `_` for `-`). */
export function attackKnows(data: AttackData, kind: AttackTagKind, name: string): boolean {
  const id = name.toUpperCase();
  switch (kind) {
    case 'tactic':
      return name.replace(/_/g, '-') in data.tactics;
    case 'technique':
      return id in data.techniques;
    case 'group':
      return id in data.groups;
    case 'software':
      return id in data.software;
    case 'campaign':
      return id in data.campaigns;
    case 'mitigation':
      return id in data.mitigations;
    default:
      return false;
  }
}
