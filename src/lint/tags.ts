/** Tag parsing shared by the tag checks and the coverage report. */
import type { AttackData } from './attack.js';
import { closest } from '../util/text.js';

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

/** The highest id number the snapshot knows, per id prefix (`T`, `G`, `S`, `C`, `M`) and per technique's sub-techniques. */
interface IdCeilings {
  byPrefix: Map<string, number>;
  subByParent: Map<string, number>;
}
const ceilingsCache = new WeakMap<AttackData, IdCeilings>();

function ceilingsOf(data: AttackData): IdCeilings {
  let c = ceilingsCache.get(data);
  if (c) return c;
  c = { byPrefix: new Map(), subByParent: new Map() };
  const note = (prefix: string, id: string): void => {
    const n = Number(id.slice(1, 5));
    if (n > (c!.byPrefix.get(prefix) ?? 0)) c!.byPrefix.set(prefix, n);
  };
  for (const id of Object.keys(data.techniques)) {
    note('T', id);
    const dot = id.indexOf('.');
    if (dot > 0) {
      const parent = id.slice(0, dot);
      const sub = Number(id.slice(dot + 1));
      if (sub > (c.subByParent.get(parent) ?? 0)) c.subByParent.set(parent, sub);
    }
  }
  for (const id of Object.keys(data.groups)) note('G', id);
  for (const id of Object.keys(data.software)) note('S', id);
  for (const id of Object.keys(data.campaigns)) note('C', id);
  for (const id of Object.keys(data.mitigations)) note('M', id);
  ceilingsCache.set(data, c);
  return c;
}

/**
 * Why an attack tag the snapshot does not know may still be right: it is shaped like an id of a
 * newer ATT&CK release (a number past the highest the snapshot knows, or a tactic shortname that
 * is no near-miss of a known one). `undefined` when it is more likely a mistake; then `typo`
 * suggests the known tactic it is close to.
 */
export function newerAttackId(
  data: AttackData,
  kind: AttackTagKind,
  name: string,
): { newer: true } | { newer: false; typo?: string } {
  if (kind === 'unknown') return { newer: false };
  if (kind === 'tactic') {
    const typo = closest(name.replace(/_/g, '-'), Object.keys(data.tactics), 2);
    return typo ? { newer: false, typo } : { newer: true };
  }
  const id = name.toUpperCase();
  const c = ceilingsOf(data);
  const number = Number(id.slice(1, 5));
  if (number > (c.byPrefix.get(id[0]!) ?? 0)) return { newer: true };
  const dot = id.indexOf('.');
  if (kind === 'technique' && dot > 0) {
    const parent = id.slice(0, dot);
    if (parent in data.techniques && Number(id.slice(dot + 1)) > (c.subByParent.get(parent) ?? 0))
      return { newer: true };
  }
  return { newer: false };
}
