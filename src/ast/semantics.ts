/**
 * What a detection means, decided once. `lowerDetection` turns a rule's detection (search
 * identifiers + condition, as written) into a tree of `Predicate`s in which every modifier
 * has been applied: windash, UTF-16 and base64 encodings, contains/startswith/endswith,
 * `all`, `neq`, `cased`. Backends and the evaluator encode these predicates; none of them
 * re-interprets modifiers.
 */
import { foldPredicate, forEachLeaf } from './fold.js';
import { expandClasses, mergeAdjacentText } from './pattern.js';
import type { NumberOp, PatternPart, Predicate, TimePart } from './predicate.js';
import type { Condition, Detection, DetectionNode, FieldMatch, Modifier, StringPart, Value } from './types.js';
import { pushAll } from '../util/array.js';

/** Characters `windash` treats as interchangeable (sigma-appendix-modifiers.md). */
export const WINDASH_CHARS = '-/\u2013\u2014\u2015';

export type { LeafPredicate, NumberOp, PatternPart, Predicate, TimePart } from './predicate.js';

export class LoweringError extends Error {}

const TIME_PARTS: readonly string[] = ['minute', 'hour', 'day', 'week', 'month', 'year'];
const COMPARE: readonly string[] = ['lt', 'lte', 'gt', 'gte'];
/** Bound on the alternatives one value may expand into (windash before an encoding). */
export const MAX_EXPANSION = 4096;

export function and(items: Predicate[]): Predicate {
  const flat: Predicate[] = [];
  for (const i of items)
    if (i.kind === 'and') pushAll(flat, i.items);
    else flat.push(i);
  return flat.length === 1 ? flat[0]! : { kind: 'and', items: flat };
}

export function or(items: Predicate[]): Predicate {
  const flat: Predicate[] = [];
  for (const i of items)
    if (i.kind === 'or') pushAll(flat, i.items);
    else flat.push(i);
  return flat.length === 1 ? flat[0]! : { kind: 'or', items: flat };
}

export function not(item: Predicate): Predicate {
  return item.kind === 'not' ? item.item : { kind: 'not', item };
}

/** Lowers a whole detection: the condition list is OR-ed. */
export function lowerDetection(det: Detection): Predicate {
  const byName = new Map<string, DetectionNode>(det.identifiers.map((i) => [i.name, i.node]));
  const cache = new Map<string, Predicate>();
  const ident = (name: string): Predicate => {
    let p = cache.get(name);
    if (!p) {
      const node = byName.get(name);
      if (!node) throw new LoweringError(`unknown search identifier '${name}'`);
      p = lowerNode(node);
      cache.set(name, p);
    }
    return p;
  };
  const cond = (c: Condition): Predicate => {
    switch (c.type) {
      case 'and':
        return and(c.items.map(cond));
      case 'or':
        return or(c.items.map(cond));
      case 'not':
        return not(cond(c.item));
      case 'ref':
        return ident(c.name);
      case 'of': {
        if (c.names.length === 0) throw new LoweringError(`'${c.pattern}' matches no search identifier`);
        const items = c.names.map(ident);
        return c.quantifier === 'all' ? and(items) : or(items);
      }
    }
  };
  if (det.conditions.length === 0) throw new LoweringError('the detection has no condition');
  return or(det.conditions.map(cond));
}

/**
 * Lowered identifiers, per AST node. Predicates are values: nothing downstream modifies one
 * (pipelines build new trees), so the linter's checks, the noise score and the backends can
 * share the lowering of a node instead of each redoing it.
 */
const loweredNodes = new WeakMap<DetectionNode, Predicate>();

export function lowerNode(node: DetectionNode): Predicate {
  let p = loweredNodes.get(node);
  if (p === undefined) {
    switch (node.type) {
      case 'allOf':
        p = and(node.items.map(lowerNode));
        break;
      case 'anyOf':
        p = or(node.items.map(lowerNode));
        break;
      case 'match':
        p = lowerMatch(node);
        break;
    }
    loweredNodes.set(node, p);
  }
  return p;
}

export function lowerMatch(m: FieldMatch): Predicate {
  const mods = m.modifiers;
  const has = (x: Modifier): boolean => mods.includes(x);
  const field = m.field;
  if (has('exists')) {
    const v = m.values[0];
    if (!v || v.type !== 'boolean' || field === null) throw new LoweringError("'exists' needs a field and true/false");
    return { kind: 'exists', field, value: v.value };
  }
  const alternatives = m.values.map((v) => lowerValue(field, v, mods));
  const combined = has('all') ? and(alternatives) : or(alternatives);
  return has('neq') ? not(combined) : combined;
}

function requireField(field: string | null, what: string): string {
  if (field === null) throw new LoweringError(`${what} needs a field name`);
  return field;
}

function lowerValue(field: string | null, v: Value, mods: readonly Modifier[]): Predicate {
  const has = (x: Modifier): boolean => mods.includes(x);
  switch (v.type) {
    case 'regex':
      return { kind: 'regex', field, pattern: v.pattern, flags: v.flags };
    case 'cidr':
      return { kind: 'cidr', field: requireField(field, 'cidr'), cidr: v };
    case 'fieldref': {
      const position = has('contains')
        ? 'contains'
        : has('startswith')
          ? 'startswith'
          : has('endswith')
            ? 'endswith'
            : 'eq';
      return { kind: 'fieldref', field: requireField(field, 'fieldref'), ref: v.field, position, cased: has('cased') };
    }
    case 'null':
      return { kind: 'null', field: requireField(field, 'null') };
    case 'boolean':
      if (field === null) return stringPredicate(null, [String(v.value)], mods);
      return { kind: 'boolean', field, value: v.value };
    case 'number': {
      const timePart = mods.find((x) => TIME_PARTS.includes(x)) as TimePart | undefined;
      const op = (mods.find((x) => COMPARE.includes(x)) as NumberOp | undefined) ?? 'eq';
      if (field === null) {
        if (op !== 'eq' || timePart) throw new LoweringError('numeric comparisons need a field name');
        return stringPredicate(null, [v.raw], mods);
      }
      const p: Predicate = { kind: 'number', field, op, value: v.value, raw: v.raw };
      if (timePart) p.timePart = timePart;
      return p;
    }
    case 'string':
      return stringPredicate(field, v.parts, mods);
  }
}

/** Applies the string modifiers in their defined order to one value. */
function stringPredicate(field: string | null, parts: readonly StringPart[], mods: readonly Modifier[]): Predicate {
  const has = (x: Modifier): boolean => mods.includes(x);
  let alts: PatternPart[][] = [parts.map(copyPart)];
  if (has('windash')) alts = alts.map(windash);
  const encoding =
    has('utf16le') || has('wide') ? 'utf16le' : has('utf16be') ? 'utf16be' : has('utf16') ? 'utf16' : null;
  const b64 = has('base64') ? 'base64' : has('base64offset') ? 'base64offset' : null;
  if (encoding || b64) {
    // Encodings need concrete text: expand windash classes into their permutations first.
    const texts = alts.flatMap(concreteTexts);
    const encoded: PatternPart[][] = [];
    for (const t of texts) {
      const bytes = encoding ? encodeUtf16(t, encoding) : utf8(t);
      if (b64 === 'base64') encoded.push([base64(bytes)]);
      else if (b64 === 'base64offset') for (const s of base64Offsets(bytes)) encoded.push([s]);
      else encoded.push([latin1(bytes)]);
    }
    alts = dedupe(encoded);
  }
  // A keyword (no field) is found anywhere in the event: it matches as a substring unless a
  // position modifier says otherwise.
  const pos = has('contains')
    ? 'contains'
    : has('startswith')
      ? 'startswith'
      : has('endswith')
        ? 'endswith'
        : field === null
          ? 'contains'
          : null;
  if (pos) alts = alts.map((a) => wrap(a, pos));
  const cased = has('cased');
  const preds = alts.map((pattern): Predicate => ({
    kind: 'string',
    field,
    pattern: mergeAdjacentText(pattern),
    cased,
  }));
  return or(preds);
}

function copyPart(p: StringPart): PatternPart {
  return typeof p === 'string' ? p : { ...p };
}

function windash(parts: PatternPart[]): PatternPart[] {
  const out: PatternPart[] = [];
  for (const p of parts) {
    if (typeof p !== 'string') {
      out.push(p);
      continue;
    }
    let lit = '';
    for (const ch of p) {
      if (WINDASH_CHARS.includes(ch)) {
        if (lit) out.push(lit);
        lit = '';
        out.push({ anyOf: WINDASH_CHARS });
      } else lit += ch;
    }
    if (lit) out.push(lit);
  }
  return out;
}

/** All concrete strings of a pattern made only of text and character classes. */
function concreteTexts(parts: PatternPart[]): string[] {
  // Of the two errors, the one met first reading the pattern from the left is reported.
  const other = parts.findIndex((p) => typeof p !== 'string' && !('anyOf' in p));
  const alternatives = expandClasses(other < 0 ? parts : parts.slice(0, other), MAX_EXPANSION);
  if (!alternatives)
    throw new LoweringError(`windash before an encoding expands to more than ${MAX_EXPANSION} variants`);
  if (other >= 0) throw new LoweringError('wildcards and placeholders cannot be encoded (base64/utf16)');
  return alternatives.map((a) => a.join(''));
}

function wrap(parts: PatternPart[], pos: 'contains' | 'startswith' | 'endswith'): PatternPart[] {
  const out = parts.slice();
  const isMulti = (p: PatternPart | undefined): boolean =>
    p !== undefined && typeof p !== 'string' && 'wildcard' in p && p.wildcard === 'multi';
  if ((pos === 'contains' || pos === 'endswith') && !isMulti(out[0])) out.unshift({ wildcard: 'multi' });
  if ((pos === 'contains' || pos === 'startswith') && !isMulti(out[out.length - 1])) out.push({ wildcard: 'multi' });
  return out;
}

function dedupe(alts: PatternPart[][]): PatternPart[][] {
  const seen = new Set<string>();
  return alts.filter((a) => {
    const k = JSON.stringify(a);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function utf8(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}

function encodeUtf16(s: string, enc: 'utf16le' | 'utf16be' | 'utf16'): Uint8Array {
  const bom = enc === 'utf16' ? 2 : 0;
  const out = new Uint8Array(bom + s.length * 2);
  if (enc === 'utf16') {
    out[0] = 0xff;
    out[1] = 0xfe;
  }
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const hi = c >> 8;
    const lo = c & 0xff;
    if (enc === 'utf16be') {
      out[bom + 2 * i] = hi;
      out[bom + 2 * i + 1] = lo;
    } else {
      out[bom + 2 * i] = lo;
      out[bom + 2 * i + 1] = hi;
    }
  }
  return out;
}

function latin1(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return s;
}

export function base64(bytes: Uint8Array): string {
  return btoa(latin1(bytes));
}

/**
 * The three base64 renderings of a value at byte offsets 0, 1 and 2 of an encoded stream,
 * trimmed to the characters that do not depend on the neighbouring bytes (as pySigma does).
 */
export function base64Offsets(bytes: Uint8Array): string[] {
  const starts = [0, 2, 3];
  const ends = [undefined, -3, -2];
  const out: string[] = [];
  for (let i = 0; i < 3; i++) {
    const padded = new Uint8Array(i + bytes.length);
    padded.fill(0x20, 0, i);
    padded.set(bytes, i);
    const enc = base64(padded);
    const end = ends[(bytes.length + i) % 3];
    out.push(enc.slice(starts[i], end));
  }
  return out;
}

// ---------------------------------------------------------------------------
// Pattern helpers for backends

export type PatternShape =
  { op: 'eq' | 'contains' | 'startswith' | 'endswith'; text: string } | { op: 'any' } | { op: 'complex' };

/**
 * Classifies a pattern: plain text (eq), `*text*` (contains), `text*` (startswith),
 * `*text` (endswith), `*` (any non-null value), or something that needs a regex/wildcard.
 */
export function patternShape(pattern: readonly PatternPart[]): PatternShape {
  const isMulti = (p: PatternPart | undefined): boolean =>
    p !== undefined && typeof p !== 'string' && 'wildcard' in p && p.wildcard === 'multi';
  const n = pattern.length;
  if (n === 0) return { op: 'eq', text: '' };
  if (pattern.every(isMulti)) return { op: 'any' };
  const lead = isMulti(pattern[0]);
  const trail = isMulti(pattern[n - 1]);
  const inner = pattern.slice(lead ? 1 : 0, trail ? n - 1 : n);
  if (inner.length !== 1 || typeof inner[0] !== 'string') return { op: 'complex' };
  const text = inner[0];
  return { op: lead && trail ? 'contains' : lead ? 'endswith' : trail ? 'startswith' : 'eq', text };
}

/** Converts a pattern to a regular expression source (anchored), escaping every literal character. */
export function patternToRegex(pattern: readonly PatternPart[], escape: (s: string) => string = escapeRegex): string {
  let out = '^';
  for (const p of pattern) {
    if (typeof p === 'string') out += escape(p);
    else if ('wildcard' in p) out += p.wildcard === 'multi' ? '.*' : '.';
    else if ('anyOf' in p) out += '[' + [...p.anyOf].map((c) => escape(c)).join('') + ']';
    else throw new LoweringError(`unresolved placeholder %${p.placeholder}%`);
  }
  return out + '$';
}

export function escapeRegex(s: string): string {
  return s
    .replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t');
}

/** Fields a predicate reads (for schema checks and routing). */
export function predicateFields(p: Predicate, out: Set<string> = new Set()): Set<string> {
  forEachLeaf(p, (leaf) => {
    if (leaf.field !== null) out.add(leaf.field);
    if (leaf.kind === 'fieldref') out.add(leaf.ref);
  });
  return out;
}

/** Rebuilds a predicate with every leaf replaced by `f(leaf)` (and/or/not re-flattened). */
export function mapPredicate(p: Predicate, f: (leaf: Predicate) => Predicate): Predicate {
  return foldPredicate<Predicate>(p, { and, or, not, leaf: f });
}
