/**
 * Index atoms: cheap facts about an event, at least one of which holds whenever a rule
 * matches (the rule's *trigger*). Derived from the lowered predicate only where sound:
 *   - a conjunction needs any one of its items (the cheapest is taken);
 *   - a disjunction needs the union of its items' atoms (none if one item has none);
 *   - a `not`, a comparison, a cidr, a fieldref gives none.
 * Atom kinds, on the lower-cased string forms of a field (field `null`: of any value
 * anywhere in the event, as keyword searches see them):
 *   - value: the part of a value after its last `\` ("basename") equals the key; from `eq`
 *     text, from `endswith` text that contains a `\`, and from numbers (canonical text);
 *   - literal: a value contains the text. From every literal run of a pattern (a full
 *     match contains each run; case-insensitive patterns compare lower-cased runs with the
 *     lower-cased value, so the lower-cased run occurs in it), from ASCII runs of cased
 *     patterns (lower-casing keeps ASCII text contiguous), and from a regex's required
 *     literals (regex-literals.ts; ASCII only, and for case-insensitive regexes cut at
 *     `s`, because RE2 folds U+017F (ſ) to `s` and lower-casing does not).
 * Among sound choices the cheapest is taken by a prior cost ≈ the chance that an ordinary
 * event has the atom: long literals are rare, short ones, hex runs and text many rules use
 * (`.exe`, `\windows\`) are common, and so are values of low-cardinality fields.
 */
import { forEachLeaf } from '../ast/fold.js';
import type { Predicate } from '../ast/semantics.js';
import { patternShape } from '../ast/semantics.js';
import { splitInlineFlags } from '../parser/regex.js';
import { requiredLiterals } from './regex-literals.js';
import { pushAll } from '../util/array.js';

type Atom = { kind: 'value'; field: string; key: string } | { kind: 'literal'; field: string | null; text: string };

export interface Trigger {
  atoms: Atom[];
  cost: number;
}

/** Fields with few distinct values in Windows telemetry: their values say little about an event. */
const LOW_CARDINALITY = new Set([
  'eventid',
  'channel',
  'provider_name',
  'level',
  'task',
  'opcode',
  'keywords',
  'version',
  'company',
  'product',
  'integritylevel',
  'user',
  'initiated',
  'protocol',
  'signed',
  'signature',
  'signaturestatus',
  'eventtype',
  'querystatus',
  'logontype',
  'status',
  'accessmask',
  'objecttype',
  'elevatedtoken',
]);

/**
 * Text found in most Windows events (system paths, vendor names, hive prefixes): a literal
 * inside it says little, however long (`\windows\`, `microsoft`). Lower-case, NUL-separated.
 */
const COMMON_TEXT = [
  'c:\\windows\\system32\\',
  'c:\\windows\\syswow64\\',
  'c:\\windows\\explorer.exe',
  'c:\\program files (x86)\\',
  'c:\\program files\\',
  'c:\\programdata\\',
  'c:\\users\\',
  '\\appdata\\local\\temp\\',
  '\\appdata\\roaming\\',
  '\\microsoft\\windows\\',
  'microsoft corporation',
  'microsoft® windows® operating system',
  'nt authority\\system',
  'hklm\\software\\microsoft\\windows\\currentversion\\',
  'hkcu\\software\\',
  'hku\\',
  'hklm\\system\\currentcontrolset\\services\\',
  'svchost.exe -k ',
  'cmd.exe /c ',
  'powershell.exe',
  'microsoft-windows-sysmon/operational',
  'microsoft-windows-security-auditing',
  'operating system',
  'system',
  'high',
  'medium',
  '.exe',
  '.dll',
  'true',
  'false',
].join('\u0000');

/** Whether the text occurs in the sample of everyday Windows text above. */
export function isCommonText(text: string): boolean {
  return text !== '' && COMMON_TEXT.includes(text);
}

const ASCII = /^[\x00-\x7f]*$/;
const HEXISH = /^[0-9a-f]*$/;

export function basename(s: string): string {
  return s.slice(s.lastIndexOf('\\') + 1);
}

function fieldFloor(field: string | null): number {
  return field !== null && LOW_CARDINALITY.has(field.toLowerCase()) ? 0.3 : 0;
}

/** Prior cost of a value atom: short values (true, system, 443) are common; long names are rare. */
function valueCost(field: string, key: string): number {
  const common = isCommonText(key) ? 0.25 : 0;
  return Math.max(fieldFloor(field), common, key.length >= 8 ? 0.005 : 0.05);
}

/**
 * Prior cost of a literal atom: by length, raised for hex/digit runs (hashes, GUIDs and
 * addresses are in every event), for keyword atoms (they see every value of the event) and
 * by how many rule leaves use the same text (text rules share is text events share).
 */
function literalCost(field: string | null, text: string, uses: number): number {
  const n = text.length;
  let cost = n === 1 ? 0.6 : n === 2 ? 0.35 : n === 3 ? 0.12 : n === 4 ? 0.06 : n <= 6 ? 0.03 : n <= 10 ? 0.012 : 0.006;
  if (HEXISH.test(text) && n < 12) cost *= 3;
  if (field === null) cost *= 2;
  cost += 0.004 * uses;
  if (isCommonText(text)) cost = Math.max(cost, 0.25);
  return Math.min(0.9, Math.max(fieldFloor(field), cost));
}

/** Literal texts a string or regex leaf requires, lower-cased (empty when it needs none we can use). */
function leafLiterals(p: Predicate): string[] {
  if (p.kind === 'string') {
    if (p.pattern.some((x) => typeof x === 'object' && 'placeholder' in x)) return [];
    const runs = p.pattern.filter((x): x is string => typeof x === 'string' && x !== '');
    return (p.cased ? runs.filter((r) => ASCII.test(r)) : runs).map((r) => r.toLowerCase());
  }
  if (p.kind === 'regex') {
    const inline = splitInlineFlags(p.pattern);
    const insensitive = (p.flags + inline.flags).includes('i');
    const runs = requiredLiterals(inline.source) ?? [];
    const out: string[] = [];
    for (const r of runs) {
      if (!ASCII.test(r)) continue;
      const low = r.toLowerCase();
      if (insensitive) out.push(...low.split('s').filter((x) => x !== ''));
      else out.push(low);
    }
    return out;
  }
  return [];
}

/** Counts, per literal text, how many leaves use it (shared text is common text). */
export function countLiterals(preds: readonly Predicate[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const p of preds)
    forEachLeaf(p, (leaf) => {
      for (const t of new Set(leafLiterals(leaf))) counts.set(t, (counts.get(t) ?? 0) + 1);
    });
  return counts;
}

/** Options for one leaf: alternative single-atom triggers. */
function leafOptions(p: Predicate, uses: (text: string) => number): Trigger[] {
  if (p.kind === 'number') {
    if (p.op !== 'eq' || p.timePart) return [];
    const key = String(p.value);
    return [{ atoms: [{ kind: 'value', field: p.field, key }], cost: valueCost(p.field, key) }];
  }
  if (p.kind !== 'string' && p.kind !== 'regex') return [];
  const field = p.field;
  const out: Trigger[] = leafLiterals(p).map((text) => ({
    atoms: [{ kind: 'literal', field, text }],
    cost: literalCost(field, text, uses(text)),
  }));
  if (
    p.kind === 'string' &&
    field !== null &&
    !p.cased &&
    !p.pattern.some((x) => typeof x === 'object' && 'placeholder' in x)
  ) {
    const shape = patternShape(p.pattern);
    if (shape.op === 'eq' || (shape.op === 'endswith' && shape.text.includes('\\'))) {
      const key = basename(shape.text.toLowerCase());
      out.push({ atoms: [{ kind: 'value', field, key }], cost: valueCost(field, key) });
    }
  }
  return out;
}

/** At most this many groups per rule; a further group is kept only when it filters at all. */
const MAX_GROUPS = 3;
const EXTRA_GROUP_MAX_COST = 0.95;

/**
 * The trigger groups of a rule: every group must fire before the rule is tested. A
 * conjunction at the root gives up to MAX_GROUPS (its cheapest items' triggers: every
 * item holds when the rule matches), anything else one. Null when nothing can be required.
 */
export function triggerGroups(p: Predicate, uses: (text: string) => number): Trigger[] | null {
  const items: Predicate[] = [];
  const flatten = (q: Predicate): void => {
    if (q.kind === 'and') q.items.forEach(flatten);
    else items.push(q);
  };
  flatten(p);
  const triggers = items.map((i) => triggerOf(i, uses)).filter((t): t is Trigger => t !== null);
  if (triggers.length === 0) return null;
  triggers.sort((a, b) => a.cost - b.cost);
  return triggers.filter((t, i) => i === 0 || (i < MAX_GROUPS && t.cost <= EXTRA_GROUP_MAX_COST));
}

/** The cheapest sound trigger of a predicate, or null when the predicate needs none of our atoms. */
function triggerOf(p: Predicate, uses: (text: string) => number): Trigger | null {
  switch (p.kind) {
    case 'and': {
      let best: Trigger | null = null;
      for (const i of p.items) {
        const t = triggerOf(i, uses);
        if (t && (!best || t.cost < best.cost)) best = t;
      }
      return best;
    }
    case 'or': {
      // Chance that one of the items' atoms holds, as if they were independent.
      const atoms: Atom[] = [];
      let none = 1;
      for (const i of p.items) {
        const t = triggerOf(i, uses);
        if (!t) return null;
        pushAll(atoms, t.atoms);
        none *= 1 - t.cost;
      }
      return { atoms, cost: 1 - none };
    }
    case 'not':
      return null;
    default: {
      let best: Trigger | null = null;
      for (const o of leafOptions(p, uses)) if (!best || o.cost < best.cost) best = o;
      return best;
    }
  }
}
