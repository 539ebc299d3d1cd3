/**
 * The rule index: for each rule, a set of cheap "atoms" (facts about an event) at least one
 * of which must hold whenever the rule matches. An event is tested only against the rules
 * whose atoms it has, plus the rules that have no atoms. Atoms are derived from the lowered
 * predicate only where that is sound:
 *   - a conjunction needs any one of its items (the cheapest is taken);
 *   - a disjunction needs the union of its items' atoms (none if one item has none);
 *   - a `not`, a keyword search, a regex, a cased string, a comparison gives none.
 * Atom kinds, on a field F, compared lower-cased:
 *   - value: the part of the value after its last `\` ("basename"); from `eq` text and
 *     from `endswith` text that contains a `\`, and from numbers (as their canonical text);
 *   - gram: a 3-character substring of the value; from any literal run of a pattern
 *     (every literal run of a matching pattern occurs in the value), and from a regex's
 *     required literal (regex-literals.ts; ASCII only);
 *   - nonascii: the value holds a non-ASCII character; from patterns with one (emoji,
 *     homoglyph and RTLO rules).
 * Among sound choices the cheapest is taken by a prior (gramCost, valueCost): rare grams
 * and long values are selective; hex grams, separators and short values are not.
 */
import type { PatternPart, Predicate } from '../ast/semantics.js';
import { patternShape } from '../ast/semantics.js';
import { numericValue } from './compile.js';
import { splitInlineFlags } from '../parser/regex.js';
import { bestLiteral } from './regex-literals.js';
import type { EventView } from './event-view.js';

export const GRAM = 3;

type Atom = { kind: 'value'; field: string; key: string } | { kind: 'gram'; field: string; gram: number } | { kind: 'nonascii'; field: string };

const NON_ASCII = /[^\x00-\x7f]/;

/** Fields whose values say little about an event (cost of a value atom on them is high). */
const LOW_SELECTIVITY = new Set(['eventid', 'channel', 'provider_name', 'level', 'task', 'opcode', 'keywords', 'version']);

export function basename(s: string): string {
  return s.slice(s.lastIndexOf('\\') + 1);
}

/** A 3-character window as a 24-bit integer (8 bits per character: collisions only widen the candidate set). */
export function gramAt(s: string, i: number): number {
  return ((s.charCodeAt(i) & 0xff) << 16) | ((s.charCodeAt(i + 1) & 0xff) << 8) | (s.charCodeAt(i + 2) & 0xff);
}

function literalRuns(pattern: readonly PatternPart[]): string[] {
  return pattern.filter((p): p is string => typeof p === 'string');
}

/** Prior cost of a gram: hex/digit grams are everywhere (hashes, GUIDs, addresses), so are separators. */
function gramCost(g: number, ruleCount: number): number {
  const chars = [g >> 16, (g >> 8) & 0xff, g & 0xff];
  let cost = 0.02 + 0.004 * ruleCount;
  if (chars.every((c) => (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66))) cost += 0.15;
  for (const c of chars) if (' \\.-/:_=",'.includes(String.fromCharCode(c))) cost += 0.03;
  return Math.min(0.9, cost);
}

/** Prior cost of a value atom: short values (true, system, 443) are common; long names are rare. */
function valueCost(field: string, key: string): number {
  if (LOW_SELECTIVITY.has(field.toLowerCase())) return 0.3;
  return key.length >= 8 ? 0.005 : 0.05;
}

interface Trigger {
  atoms: Atom[];
  cost: number;
}

/** Options for one leaf: alternative single-atom triggers. */
function leafOptions(p: Predicate, gramCount: (g: number) => number): Trigger[] {
  if (p.kind === 'number' && p.op === 'eq' && !p.timePart) {
    const field = p.field;
    const key = String(p.value);
    return [{ atoms: [{ kind: 'value', field, key }], cost: valueCost(field, key) }];
  }
  if (p.kind === 'regex' && p.field !== null) {
    // Grams of the regex's required literal (ASCII only: lower-casing keeps it contiguous).
    // Case-insensitive: RE2 folds U+017F (ſ) to 's', which lower-casing does not, so grams with 's' are left out.
    const inline = splitInlineFlags(p.pattern);
    const insensitive = (p.flags + inline.flags).includes('i');
    const lit = bestLiteral(inline.source);
    if (!lit || !/^[\x00-\x7f]*$/.test(lit)) return [];
    const low = lit.toLowerCase();
    const field = p.field;
    const out: Trigger[] = [];
    for (let i = 0; i + GRAM <= low.length; i++) {
      if (insensitive && low.slice(i, i + GRAM).includes('s')) continue;
      const g = gramAt(low, i);
      out.push({ atoms: [{ kind: 'gram', field, gram: g }], cost: gramCost(g, gramCount(g)) });
    }
    return out;
  }
  if (p.kind !== 'string' || p.field === null || p.cased) return [];
  if (p.pattern.some((x) => typeof x === 'object' && 'placeholder' in x)) return [];
  const field = p.field;
  const out: Trigger[] = [];
  const shape = patternShape(p.pattern);
  if (shape.op === 'eq' || (shape.op === 'endswith' && shape.text.includes('\\'))) {
    const key = basename(shape.text.toLowerCase());
    out.push({ atoms: [{ kind: 'value', field, key }], cost: valueCost(field, key) });
  }
  for (const run of literalRuns(p.pattern)) {
    const low = run.toLowerCase();
    for (let i = 0; i + GRAM <= low.length; i++) {
      const g = gramAt(low, i);
      out.push({ atoms: [{ kind: 'gram', field, gram: g }], cost: gramCost(g, gramCount(g)) });
    }
    // A non-ASCII character in the pattern needs one in the value (lower-casing keeps ASCII text ASCII).
    if (NON_ASCII.test(low)) out.push({ atoms: [{ kind: 'nonascii', field }], cost: 0.02 });
  }
  return out;
}

/** The cheapest sound trigger of a predicate, or null when the predicate needs none of our atoms. */
export function triggerOf(p: Predicate, gramCount: (g: number) => number): Trigger | null {
  switch (p.kind) {
    case 'and': {
      let best: Trigger | null = null;
      for (const i of p.items) {
        const t = triggerOf(i, gramCount);
        if (t && (!best || t.cost < best.cost)) best = t;
      }
      return best;
    }
    case 'or': {
      const atoms: Atom[] = [];
      let cost = 0;
      for (const i of p.items) {
        const t = triggerOf(i, gramCount);
        if (!t) return null;
        atoms.push(...t.atoms);
        cost += t.cost;
      }
      return { atoms, cost: Math.min(cost, 1) };
    }
    case 'not':
      return null;
    default: {
      let best: Trigger | null = null;
      for (const o of leafOptions(p, gramCount)) if (!best || o.cost < best.cost) best = o;
      return best;
    }
  }
}

/** Counts, per gram, how many leaves use it (rarer grams are preferred as triggers). */
export function countGrams(preds: readonly Predicate[]): Map<number, number> {
  const counts = new Map<number, number>();
  const visit = (p: Predicate): void => {
    if (p.kind === 'and' || p.kind === 'or') p.items.forEach(visit);
    else if (p.kind === 'not') visit(p.item);
    else if (p.kind === 'string' && p.field !== null && !p.cased) {
      const seen = new Set<number>();
      for (const run of literalRuns(p.pattern)) {
        const low = run.toLowerCase();
        for (let i = 0; i + GRAM <= low.length; i++) seen.add(gramAt(low, i));
      }
      for (const g of seen) counts.set(g, (counts.get(g) ?? 0) + 1);
    }
  };
  preds.forEach(visit);
  return counts;
}

interface FieldEntry {
  id: number;
  value: boolean;
  gram: boolean;
  nonAscii: boolean;
}

/**
 * Maps an event to the candidate rules (by position in the list given at construction).
 * `unindexed` rules have no trigger and are always candidates.
 */
export class RuleIndex {
  readonly unindexed: number[] = [];
  private fieldIds = new Map<string, number>();
  /** Indexed fields without dots are found by walking the event's own keys (fewer than the index's fields). */
  private plainFields = new Map<string, FieldEntry>();
  /** Dotted names can reach nested objects: looked up one by one. */
  private dottedFields: (FieldEntry & { field: string })[] = [];
  private nonAscii = new Map<number, number[]>();
  private values = new Map<string, number[]>();
  private grams = new Map<number, number[]>();
  /** One bit per 24-bit gram used by some rule (2 MB). */
  private gramSeen = new Uint8Array(1 << 21);

  constructor(preds: readonly (Predicate | undefined)[]) {
    const counts = countGrams(preds.filter((p): p is Predicate => p !== undefined));
    const gramCount = (g: number): number => counts.get(g) ?? 0;
    const valueFieldSet = new Set<string>();
    const gramFieldSet = new Set<string>();
    const nonAsciiFieldSet = new Set<string>();
    preds.forEach((p, ruleIdx) => {
      const t = p ? triggerOf(p, gramCount) : null;
      if (!t) {
        if (p) this.unindexed.push(ruleIdx);
        return;
      }
      for (const a of t.atoms) {
        const fid = this.fieldId(a.field);
        if (a.kind === 'nonascii') {
          nonAsciiFieldSet.add(a.field);
          push(this.nonAscii, fid, ruleIdx);
        } else if (a.kind === 'value') {
          valueFieldSet.add(a.field);
          push(this.values, `${fid}\u0000${a.key}`, ruleIdx);
        } else {
          gramFieldSet.add(a.field);
          push(this.grams, fid * 0x1000000 + a.gram, ruleIdx);
          this.gramSeen[a.gram >>> 3]! |= 1 << (a.gram & 7);
        }
      }
    });
    for (const field of new Set([...valueFieldSet, ...gramFieldSet, ...nonAsciiFieldSet])) {
      const entry = { id: this.fieldIds.get(field)!, value: valueFieldSet.has(field), gram: gramFieldSet.has(field), nonAscii: nonAsciiFieldSet.has(field) };
      if (field.includes('.')) this.dottedFields.push({ field, ...entry });
      else this.plainFields.set(field, entry);
    }
  }

  private fieldId(field: string): number {
    let id = this.fieldIds.get(field);
    if (id === undefined) {
      id = this.fieldIds.size;
      this.fieldIds.set(field, id);
    }
    return id;
  }

  /** Calls `visit` for each indexed rule triggered by the event (a rule may be visited more than once). */
  candidates(ev: EventView, visit: (ruleIdx: number) => void): void {
    for (const key in ev.data) {
      const f = this.plainFields.get(key);
      if (f) this.fieldCandidates(ev, key, f, visit);
    }
    for (const f of this.dottedFields) this.fieldCandidates(ev, f.field, f, visit);
  }

  private fieldCandidates(ev: EventView, field: string, f: FieldEntry, visit: (ruleIdx: number) => void): void {
    const values = ev.lowered(field);
    if (values.length === 0) return;
    const id = f.id;
    if (f.nonAscii && values.some((s) => NON_ASCII.test(s))) for (const r of this.nonAscii.get(id)!) visit(r);
    if (f.value) {
      for (const s of values) {
        const hit = this.values.get(`${id}\u0000${basename(s)}`);
        if (hit) for (const r of hit) visit(r);
        const n = numericValue(s);
        if (n !== undefined && String(n) !== s) {
          const num = this.values.get(`${id}\u0000${String(n)}`);
          if (num) for (const r of num) visit(r);
        }
      }
    }
    if (f.gram) {
      const base = id * 0x1000000;
      const seen = this.gramSeen;
      for (const s of values) {
        if (s.length < GRAM) continue;
        // Rolling 24-bit gram; the bitset (by gram, any field) skips grams no rule uses.
        let g = ((s.charCodeAt(0) & 0xff) << 8) | (s.charCodeAt(1) & 0xff);
        for (let i = 2; i < s.length; i++) {
          g = ((g << 8) | (s.charCodeAt(i) & 0xff)) & 0xffffff;
          if ((seen[g >>> 3]! & (1 << (g & 7))) === 0) continue;
          const hit = this.grams.get(base + g);
          if (hit) for (const r of hit) visit(r);
        }
      }
    }
  }
}

function push<K>(m: Map<K, number[]>, k: K, v: number): void {
  const l = m.get(k);
  if (l) {
    if (l[l.length - 1] !== v) l.push(v);
  } else m.set(k, [v]);
}
