/**
 * The rule index: maps an event to the rules all of whose trigger groups (index-atoms.ts)
 * it fires, so an event is tested only against those, plus the rules that have no trigger.
 *
 * One pass over the event finds every rule's required literal at once: each literal of
 * three or more characters is *anchored* at its rarest 3-character window (gram); the scan
 * rolls a 24-bit gram over each lower-cased value, checks a bit table keyed by (field, gram),
 * and only on a hit looks the anchors up and verifies the whole literal in place
 * (`startsWith`). A group therefore fires only when one of its literals really occurs
 * (a multi-pattern Rabin–Karp; Aho–Corasick would need a large automaton per field for
 * the same result). Keyword literals (field `null`) are looked for in every value, in the
 * same pass. Literals of one or two characters are few; they are looked for with
 * `includes`. Value atoms are a map lookup on the value's basename.
 */
import type { Predicate } from '../ast/semantics.js';
import { numericValue } from './compile.js';
import type { EventView } from './event-view.js';
import { basename, countLiterals, isCommonText, triggerGroups, type Trigger } from './index-atoms.js';

const GRAM = 3;

const NON_ASCII = /[^\x00-\x7f]/;

/** Tags of a table entry. */
const FIELD = 1;
const KEYWORD = 2;

/** Multiplicative hashing of (gram XOR salt) into the table's bits (Knuth's constant). */
const HASH = 0x9e3779b1 | 0;

/**
 * Two bits per hashed (field, gram) pair: FIELD = a literal of the field is anchored there,
 * KEYWORD = a keyword literal is. Sized to the marks (about 1 in 16 entries set, at least
 * 2^10 and at most 2^24 entries): a small index (one log source's rules) stays in cache, and a
 * false positive only costs a map lookup.
 */
interface GramTable {
  bits: Uint8Array;
  /** 32 − log2(entries): the hash keeps its top bits. */
  shift: number;
}

function gramTable(marks: number): GramTable {
  let log2 = 10;
  while (log2 < 24 && 1 << log2 < marks * 16) log2++;
  return { bits: new Uint8Array(1 << (log2 - 2)), shift: 32 - log2 };
}

/** A 3-character window as a 24-bit integer (8 bits per character: collisions only cost a verification). */
function gramAt(s: string, i: number): number {
  return ((s.charCodeAt(i) & 0xff) << 16) | ((s.charCodeAt(i + 1) & 0xff) << 8) | (s.charCodeAt(i + 2) & 0xff);
}

/** A literal and the trigger groups it fires; `offset` = where its anchor gram starts. */
interface Anchor {
  text: string;
  /** text's first code unit: a cheap reject before `startsWith`. */
  first: number;
  offset: number;
  groups: number[];
  /** The last scan (generation) that found it: a literal is verified once per event. */
  seen: number;
}

/** Literal atoms of one field (or of every value, for keywords). */
class LiteralSet {
  /** Spreads this set's grams over the shared table (gram XOR salt). */
  readonly salt: number;
  readonly anchors = new Map<number, Anchor[]>();
  readonly short: Anchor[] = [];
  /** Short literals with a non-ASCII character (emoji, homoglyphs): skipped for ASCII values. */
  readonly shortNonAscii: Anchor[] = [];
  private byText = new Map<string, Anchor>();

  /** FIELD or KEYWORD: which of the two bits of a table entry this set's anchors set. */
  constructor(
    id: number,
    readonly tag: number,
  ) {
    this.salt = (Math.imul(id + 1, 0x9e3779b1) >>> 8) & 0xffffff;
  }

  all(): IterableIterator<Anchor> {
    return this.byText.values();
  }

  /** Marks a gram (with the tag of the set whose anchor it is) in this set's space of the table. */
  mark(g: number, tag: number, table: GramTable): void {
    const h = Math.imul(g ^ this.salt, HASH) >>> table.shift;
    table.bits[h >>> 2]! |= tag << ((h & 3) << 1);
  }

  add(text: string, group: number, anchorOf: (text: string) => number, table: GramTable): void {
    let a = this.byText.get(text);
    if (!a) {
      const offset = text.length >= GRAM ? anchorOf(text) : -1;
      a = { text, first: text.charCodeAt(0), offset, groups: [], seen: 0 };
      this.byText.set(text, a);
      if (offset < 0) (NON_ASCII.test(text) ? this.shortNonAscii : this.short).push(a);
      else {
        const g = gramAt(text, offset);
        const list = this.anchors.get(g);
        if (list) list.push(a);
        else this.anchors.set(g, [a]);
        this.mark(g, this.tag, table);
      }
    }
    if (a.groups[a.groups.length - 1] !== group) a.groups.push(group);
  }
}

interface FieldEntry {
  field: string;
  literals: LiteralSet | null;
  /** Value atoms (→ trigger groups), keyed by the lower-cased basename (or canonical number) of the value. */
  values: Map<string, number[]> | null;
}

/**
 * What every index over one list of rules shares, chosen once over all of them: each rule's
 * trigger groups (index-atoms.ts) and the anchor gram of each literal. An engine builds one
 * index per log source from it (a subset of the rules) without choosing again.
 */
export class IndexPlan {
  readonly groups: (Trigger[] | null)[];
  private readonly anchors = new Map<string, number>();
  private readonly gramUses = new Map<number, number>();

  constructor(readonly predicates: readonly (Predicate | undefined)[]) {
    const ok = predicates.filter((p): p is Predicate => p !== undefined);
    const uses = countLiterals(ok);
    const use = (t: string): number => uses.get(t) ?? 0;
    // Grams many literals share are common in events too: anchor each literal at its rarest.
    for (const [t, n] of uses)
      for (let i = 0; i + GRAM <= t.length; i++)
        this.gramUses.set(gramAt(t, i), (this.gramUses.get(gramAt(t, i)) ?? 0) + n);
    this.groups = predicates.map((p) => (p ? triggerGroups(p, use) : null));
  }

  /** Where a literal of three or more characters is anchored: the start of its rarest gram. */
  readonly anchorOf = (text: string): number => {
    let best = this.anchors.get(text);
    if (best !== undefined) return best;
    best = 0;
    let bestCost = Infinity;
    for (let i = 0; i + GRAM <= text.length; i++) {
      const c = gramCost(text, i, this.gramUses.get(gramAt(text, i)) ?? 0);
      if (c < bestCost) {
        best = i;
        bestCost = c;
      }
    }
    this.anchors.set(text, best);
    return best;
  };
}

/**
 * Maps an event to the candidate rules (by position in the list given at construction).
 * `unindexed` rules have no trigger and are always candidates.
 */
export class RuleIndex {
  readonly unindexed: number[] = [];
  /** Indexed fields without dots are found by walking the event's own keys. */
  private plainFields = new Map<string, FieldEntry>();
  /** Dotted names can reach nested objects: looked up one by one. */
  private dottedFields: FieldEntry[] = [];
  private keywords: LiteralSet | null = null;
  /** A field's space holds the keyword grams too, so one lookup per character serves both. */
  private table: GramTable;
  private generation = 0;
  private literalSets: LiteralSet[] = [];
  /** Per rule: how many trigger groups must fire; per group: its rule. */
  private need: Uint8Array;
  private groupRule: Int32Array;
  /** Per-event state, by generation stamp: groups fired, and per rule how many of its groups. */
  private groupStamp: Uint32Array;
  private ruleStamp: Uint32Array;
  private ruleCount: Uint8Array;
  /** The candidates of the current event (the scan only collects; the engine tests after it). */
  private found: number[] = [];

  /** An index over the plan's rules, or over those `include` marks (one log source's). */
  constructor(plan: IndexPlan, include?: Uint8Array) {
    const preds = plan.predicates;
    const entries = new Map<string, FieldEntry>();
    const entry = (field: string): FieldEntry => {
      let e = entries.get(field);
      if (!e) entries.set(field, (e = { field, literals: null, values: null }));
      return e;
    };
    let ids = 0;
    const groupRule: number[] = [];
    this.need = new Uint8Array(preds.length);
    const groupsOf = plan.groups.map((g, i) => (include && !include[i] ? null : g));
    // Table marks: each field literal once, each keyword literal once per field and for keywords.
    let fieldLiterals = 0;
    let keywordLiterals = 0;
    const fields = new Set<string>();
    for (const groups of groupsOf)
      for (const t of groups ?? [])
        for (const a of t.atoms) {
          if (a.kind !== 'literal') continue;
          if (a.field === null) keywordLiterals++;
          else {
            fieldLiterals++;
            fields.add(a.field);
          }
        }
    this.table = gramTable(fieldLiterals + keywordLiterals * (fields.size + 1));
    preds.forEach((p, ruleIdx) => {
      const groups = groupsOf[ruleIdx];
      if (!groups) {
        if (p && (!include || include[ruleIdx])) this.unindexed.push(ruleIdx);
        return;
      }
      this.need[ruleIdx] = groups.length;
      for (const t of groups) {
        const group = groupRule.length;
        groupRule.push(ruleIdx);
        for (const a of t.atoms) {
          if (a.kind === 'literal') {
            const set =
              a.field === null
                ? (this.keywords ??= new LiteralSet(ids++, KEYWORD))
                : (entry(a.field).literals ??= new LiteralSet(ids++, FIELD));
            set.add(a.text, group, plan.anchorOf, this.table);
          } else {
            const m = (entry(a.field).values ??= new Map());
            const l = m.get(a.key);
            if (!l) m.set(a.key, [group]);
            else if (l[l.length - 1] !== group) l.push(group);
          }
        }
      }
    });
    this.groupRule = Int32Array.from(groupRule);
    this.groupStamp = new Uint32Array(groupRule.length);
    this.ruleStamp = new Uint32Array(preds.length);
    this.ruleCount = new Uint8Array(preds.length);
    if (this.keywords) this.literalSets.push(this.keywords);
    for (const e of entries.values()) {
      if (e.literals) {
        this.literalSets.push(e.literals);
        if (this.keywords) for (const g of this.keywords.anchors.keys()) e.literals.mark(g, KEYWORD, this.table);
      }
      if (e.field.includes('.')) this.dottedFields.push(e);
      else this.plainFields.set(e.field, e);
    }
  }

  /**
   * The indexed rules all of whose trigger groups the event fires, each once, in no order.
   * The array is reused by the next call.
   */
  candidates(ev: EventView): readonly number[] {
    this.generation = (this.generation + 1) >>> 0;
    if (this.generation === 0) {
      // After 2^32 events: forget every stamp so that no old one equals a new generation.
      for (const set of this.literalSets) for (const a of set.all()) a.seen = 0;
      this.groupStamp.fill(0);
      this.ruleStamp.fill(0);
      this.generation = 1;
    }
    this.found.length = 0;
    const kw = this.keywords;
    const data = ev.data;
    for (const key in data) {
      const raw = data[key];
      if (raw === undefined) continue;
      const f = this.plainFields.get(key);
      // Scalars: one scan serves the field's literals and the keywords. Lists and objects:
      // keyword searches see inside nested objects, field matches do not.
      const scalar = raw === null || typeof raw !== 'object';
      if (f) this.fieldCandidates(ev.lowered(key), f, scalar ? kw : null);
      else if (kw && scalar) {
        // A field only keywords look at: lowered here, not cached (no rule test is likely to read it).
        if (typeof raw === 'string') this.scanOne(raw.toLowerCase(), kw);
        else this.scanValues(ev.lowered(key), null, kw);
      }
      if (kw && !scalar) this.scanValues(ev.loweredScalarsUnder(key), null, kw);
    }
    for (const f of this.dottedFields) this.fieldCandidates(ev.lowered(f.field), f, null);
    return this.found;
  }

  private fieldCandidates(values: readonly string[], f: FieldEntry, kw: LiteralSet | null): void {
    if (values.length === 0) return;
    if (f.values) {
      for (const s of values) {
        const hit = f.values.get(basename(s));
        if (hit) for (const g of hit) this.fire(g);
        // Numeric text other than the canonical form ("0x10", " 16 ", "016") also meets number
        // atoms; it starts with a digit, sign, dot or whitespace (\s includes non-ASCII spaces).
        const c = s.charCodeAt(0);
        if (!((c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e || c <= 0x20 || c >= 0x80)) continue;
        const n = numericValue(s);
        if (n !== undefined && String(n) !== s) {
          const num = f.values.get(String(n));
          if (num) for (const g of num) this.fire(g);
        }
      }
    }
    if (f.literals || kw) this.scanValues(values, f.literals, kw);
  }

  /**
   * Finds the literals of `own` (a field's) and `kw` (keywords) that occur in the values.
   * A field's space of the table also holds the keyword grams: one lookup per character serves both.
   */
  private scanValues(values: readonly string[], own: LiteralSet | null, kw: LiteralSet | null): void {
    const gen = this.generation;
    if (own) this.findShort(own, values, gen);
    if (kw) this.findShort(kw, values, gen);
    for (let k = 0; k < values.length; k++) this.scanString(values[k]!, own, kw);
  }

  /** `scanValues` of one lower-cased string for the keywords only. */
  private scanOne(s: string, kw: LiteralSet): void {
    const gen = this.generation;
    for (const a of kw.short) if (a.seen !== gen && s.includes(a.text)) this.foundLiteral(a, gen);
    if (kw.shortNonAscii.length > 0 && NON_ASCII.test(s))
      for (const a of kw.shortNonAscii) if (a.seen !== gen && s.includes(a.text)) this.foundLiteral(a, gen);
    this.scanString(s, null, kw);
  }

  /** A literal occurs in the event: its groups fire (once per event). */
  private foundLiteral(a: Anchor, gen: number): void {
    a.seen = gen;
    for (const g of a.groups) this.fire(g);
  }

  /** The gram scan of one lower-cased string. */
  private scanString(s: string, own: LiteralSet | null, kw: LiteralSet | null): void {
    const ownAnchors = own !== null && own.anchors.size > 0;
    const kwAnchors = kw !== null && kw.anchors.size > 0;
    const n = s.length;
    if ((!ownAnchors && !kwAnchors) || n < GRAM) return;
    const gen = this.generation;
    const salt = own ? own.salt : kw!.salt;
    const table = this.table.bits;
    const shift = this.table.shift;
    let g = ((s.charCodeAt(0) & 0xff) << 8) | (s.charCodeAt(1) & 0xff);
    for (let i = 2; i < n; i++) {
      g = ((g << 8) | (s.charCodeAt(i) & 0xff)) & 0xffffff;
      const h = Math.imul(g ^ salt, HASH) >>> shift;
      const tags = (table[h >>> 2]! >> ((h & 3) << 1)) & 3;
      if (tags === 0) continue;
      if ((tags & FIELD) !== 0 && ownAnchors) this.verify(own!, g, s, i - 2, gen);
      if ((tags & KEYWORD) !== 0 && kwAnchors) this.verify(kw!, g, s, i - 2, gen);
    }
  }

  /** A trigger group holds: the rule is a candidate once all its groups have. */
  private fire(group: number): void {
    const gen = this.generation;
    if (this.groupStamp[group] === gen) return;
    this.groupStamp[group] = gen;
    const r = this.groupRule[group]!;
    const need = this.need[r]!;
    if (need === 1) {
      this.found.push(r);
      return;
    }
    if (this.ruleStamp[r] !== gen) {
      this.ruleStamp[r] = gen;
      this.ruleCount[r] = 0;
    }
    if (++this.ruleCount[r]! === need) this.found.push(r);
  }

  private verify(set: LiteralSet, g: number, s: string, at: number, gen: number): void {
    const list = set.anchors.get(g);
    if (!list) return;
    for (let k = 0; k < list.length; k++) {
      const a = list[k]!;
      if (a.seen === gen) continue;
      const start = at - a.offset;
      if (start < 0 || s.charCodeAt(start) !== a.first || !s.startsWith(a.text, start)) continue;
      a.seen = gen;
      for (const g of a.groups) this.fire(g);
    }
  }

  private findShort(set: LiteralSet, values: readonly string[], gen: number): void {
    for (const a of set.short) this.verifyShort(a, values, gen);
    if (set.shortNonAscii.length === 0) return;
    // A non-ASCII literal cannot occur in ASCII text, which one native scan rules out.
    let ascii = true;
    for (let k = 0; k < values.length && ascii; k++) if (NON_ASCII.test(values[k]!)) ascii = false;
    if (!ascii) for (const a of set.shortNonAscii) this.verifyShort(a, values, gen);
  }

  private verifyShort(a: Anchor, values: readonly string[], gen: number): void {
    if (a.seen === gen) return;
    for (let k = 0; k < values.length; k++) {
      if (values[k]!.includes(a.text)) {
        this.foundLiteral(a, gen);
        return;
      }
    }
  }
}

/**
 * Prior cost of anchoring at text[i..i+3): grams of everyday text, and hex/digit grams
 * (hashes, GUIDs, addresses) are everywhere, so are separators; a non-ASCII character is
 * masked to 8 bits and collides.
 */
function gramCost(text: string, i: number, uses: number): number {
  const chars = [text.charCodeAt(i), text.charCodeAt(i + 1), text.charCodeAt(i + 2)];
  let cost = 0.02 + 0.004 * uses;
  if (isCommonText(text.slice(i, i + GRAM))) cost += 0.2;
  if (chars.every((c) => (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66))) cost += 0.15;
  for (const c of chars) {
    if (' \\.-/:_=",'.includes(String.fromCharCode(c))) cost += 0.03;
    if (c >= 0x80) cost += 0.05;
  }
  return cost;
}
