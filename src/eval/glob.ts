/**
 * Matching of lowered Sigma string patterns (text, `*`, `?`, character classes) against a
 * string, in full. Plain shapes (eq/contains/startswith/endswith) become direct string
 * checks; anything else uses a greedy segment matcher: the pattern is cut at each `*`, the
 * first segment is anchored at the start, the last at the end, and the middle ones are
 * placed leftmost in turn — O(pattern × text), no backtracking.
 * `?` and a character class consume exactly one character (one Unicode code point).
 */
import { patternShape, type PatternPart } from '../ast/semantics.js';

type Unit = { text: string } | { single: true } | { anyOf: string };

export type StringTest = (s: string) => boolean;

/** Lower-cases a pattern's text and classes (for case-insensitive matching). */
export function lowerPattern(pattern: readonly PatternPart[]): PatternPart[] {
  return pattern.map((p) =>
    typeof p === 'string' ? p.toLowerCase() : 'anyOf' in p ? { anyOf: p.anyOf.toLowerCase() } : p,
  );
}

function charLen(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
    const d = s.charCodeAt(i + 1);
    if (d >= 0xdc00 && d <= 0xdfff) return 2;
  }
  return 1;
}

/** Matches a segment (no `*`) at position i; returns the end index or -1. */
function matchAt(units: readonly Unit[], s: string, i: number): number {
  let pos = i;
  for (const u of units) {
    if ('text' in u) {
      if (!s.startsWith(u.text, pos)) return -1;
      pos += u.text.length;
    } else {
      if (pos >= s.length) return -1;
      const n = charLen(s, pos);
      if ('anyOf' in u && !u.anyOf.includes(s.slice(pos, pos + n))) return -1;
      pos += n;
    }
  }
  return pos;
}

function toUnits(parts: readonly PatternPart[]): Unit[][] {
  const segments: Unit[][] = [[]];
  for (const p of parts) {
    if (typeof p === 'string') {
      if (p) segments[segments.length - 1]!.push({ text: p });
    } else if ('wildcard' in p) {
      if (p.wildcard === 'multi') segments.push([]);
      else segments[segments.length - 1]!.push({ single: true });
    } else if ('anyOf' in p) segments[segments.length - 1]!.push({ anyOf: p.anyOf });
    else throw new Error(`unresolved placeholder %${p.placeholder}%`);
  }
  return segments;
}

/** Compiles a pattern (already case-folded when matching case-insensitively) to a test. */
function compilePattern(pattern: readonly PatternPart[]): StringTest {
  const shape = patternShape(pattern);
  switch (shape.op) {
    case 'eq': {
      const t = shape.text;
      return (s) => s === t;
    }
    case 'contains': {
      const t = shape.text;
      return (s) => s.includes(t);
    }
    case 'startswith': {
      const t = shape.text;
      return (s) => s.startsWith(t);
    }
    case 'endswith': {
      const t = shape.text;
      return (s) => s.endsWith(t);
    }
    case 'any':
      return () => true;
    case 'complex':
      break;
  }
  const segments = toUnits(pattern);
  if (segments.length === 1) {
    const only = segments[0]!;
    return (s) => matchAt(only, s, 0) === s.length;
  }
  const first = segments[0]!;
  const last = segments[segments.length - 1]!;
  const middle = segments.slice(1, -1);
  return (s) => {
    let pos = matchAt(first, s, 0);
    if (pos === -1) return false;
    for (const seg of middle) {
      let found = -1;
      for (let i = pos; i <= s.length; i++) {
        found = matchAt(seg, s, i);
        if (found !== -1) break;
      }
      if (found === -1) return false;
      pos = found;
    }
    for (let i = s.length; i >= pos; i--) if (matchAt(last, s, i) === s.length) return true;
    return false;
  };
}

const NON_ASCII = /[^\x00-\x7f]/;

/**
 * Finds any of many needles in a string with one scan. Needles of two or more units are
 * bucketed by their first two UTF-16 units (low bytes, so collisions only cost a compare),
 * and an 8 KB bitmap of those keys skips most positions; single-unit needles use `includes`.
 */
export function multiContains(needles: readonly string[]): StringTest {
  if (needles.some((n) => n === '')) return () => true;
  const unique = [...new Set(needles)];
  if (unique.length < 6) {
    return (s) => {
      for (let i = 0; i < unique.length; i++) if (s.includes(unique[i]!)) return true;
      return false;
    };
  }
  const singles = unique.filter((n) => n.length === 1);
  const bitmap = new Uint8Array(8192);
  const buckets = new Map<number, string[]>();
  for (const n of unique) {
    if (n.length < 2) continue;
    const key = ((n.charCodeAt(0) & 0xff) << 8) | (n.charCodeAt(1) & 0xff);
    bitmap[key >>> 3]! |= 1 << (key & 7);
    const b = buckets.get(key);
    if (b) b.push(n);
    else buckets.set(key, [n]);
  }
  // Needles that all start outside ASCII (emoji, homoglyphs, RTLO) cannot occur in ASCII text,
  // which a native scan rules out quickly.
  const nonAsciiOnly = unique.every((n) => n.charCodeAt(0) > 0x7f);
  return (s) => {
    if (nonAsciiOnly && !NON_ASCII.test(s)) return false;
    for (let k = 0; k < singles.length; k++) if (s.includes(singles[k]!)) return true;
    const n = s.length;
    if (n < 2) return false;
    let key = s.charCodeAt(0) & 0xff;
    for (let i = 1; i < n; i++) {
      key = ((key << 8) | (s.charCodeAt(i) & 0xff)) & 0xffff;
      if ((bitmap[key >>> 3]! & (1 << (key & 7))) === 0) continue;
      const b = buckets.get(key);
      if (!b) continue;
      for (let k = 0; k < b.length; k++) if (s.startsWith(b[k]!, i - 1)) return true;
    }
    return false;
  };
}

/** Any of many suffixes: those that contain a `\` are found by the value's basename. */
export function multiEndsWith(suffixes: readonly string[]): StringTest {
  const byBase = new Map<string, string[]>();
  const rest: string[] = [];
  for (const x of new Set(suffixes)) {
    const cut = x.lastIndexOf('\\');
    if (cut === -1) rest.push(x);
    else {
      const base = x.slice(cut + 1);
      const b = byBase.get(base);
      if (b) b.push(x);
      else byBase.set(base, [x]);
    }
  }
  return (s) => {
    if (byBase.size) {
      const b = byBase.get(s.slice(s.lastIndexOf('\\') + 1));
      if (b) for (let k = 0; k < b.length; k++) if (s.endsWith(b[k]!)) return true;
    }
    for (let k = 0; k < rest.length; k++) if (s.endsWith(rest[k]!)) return true;
    return false;
  };
}

/** One test for many patterns (an OR): equality by set lookup, substrings by one scan, the rest in turn. */
export function compilePatterns(patterns: readonly (readonly PatternPart[])[]): StringTest {
  if (patterns.length === 1) return compilePattern(patterns[0]!);
  const eq = new Set<string>();
  const contains: string[] = [];
  const starts: string[] = [];
  const ends: string[] = [];
  const others: StringTest[] = [];
  for (const p of patterns) {
    const shape = patternShape(p);
    if (shape.op === 'any') return () => true;
    if (shape.op === 'eq') eq.add(shape.text);
    else if (shape.op === 'contains') contains.push(shape.text);
    else if (shape.op === 'startswith') starts.push(shape.text);
    else if (shape.op === 'endswith') ends.push(shape.text);
    else others.push(compilePattern(p));
  }
  const tests: StringTest[] = [];
  if (eq.size === 1) {
    const only = [...eq][0]!;
    tests.push((s) => s === only);
  } else if (eq.size > 1) tests.push((s) => eq.has(s));
  if (contains.length) tests.push(multiContains(contains));
  if (starts.length)
    tests.push((s) => {
      for (let i = 0; i < starts.length; i++) if (s.startsWith(starts[i]!)) return true;
      return false;
    });
  if (ends.length) tests.push(multiEndsWith(ends));
  tests.push(...others);
  if (tests.length === 1) return tests[0]!;
  return (s) => {
    for (let i = 0; i < tests.length; i++) if (tests[i]!(s)) return true;
    return false;
  };
}
