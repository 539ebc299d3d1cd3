/**
 * Encodes a `Predicate` (src/ast/semantics.ts) as SPL. Two target grammars:
 *
 * - search terms (`field="a*b"`, `NOT field=*`, `field IN (…)`, bare `"*kw*"` against _raw):
 *   case-insensitive, `*` native; used wherever they express the predicate exactly;
 * - eval expressions (`where`): regex via `match()`, `cidrmatch()`, `isnull()`, field
 *   comparisons; used for `?` wildcards, literal `*`, `cased`, `re`, fieldref, time parts.
 *
 * And / or / not are written by the shared boolean printer (../boolean-printer.ts) from the
 * tables in operators.ts: every compound expression is parenthesised (whether `search` binds
 * AND or OR tighter is contested; no query depends on it). The top-level conjunction is split:
 * items that are search terms form the base search; every other item becomes its own `| regex`
 * (a lone positive regex) or `| where` (the WHOLE item, so no OR/NOT is ever split across pipes).
 */
import { foldPredicate } from '../../ast/fold.js';
import { expandClasses } from '../../ast/pattern.js';
import type { LeafPredicate, PatternPart, Predicate } from '../../ast/semantics.js';
import { booleanPrinter, type Printed } from '../boolean-printer.js';
import { escapePcre, evalField, quoteString, searchField, searchLiteralOk } from './escape.js';
import { NUMBER_OPS, SPL_EVAL, SPL_SEARCH } from './operators.js';

/** Bound on the alternatives a windash character class may expand into inside a search. */
const MAX_CLASS_EXPANSION = 64;

export class EncodeError extends Error {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

// ---------------------------------------------------------------------------
// Search terms

const searchPrinter = booleanPrinter<void, null>({
  syntax: SPL_SEARCH,
  leaf: searchTerm,
  orOperands: (items, print) => {
    const list = inList(items);
    return list === null ? items.map(print) : [list];
  },
});

/** The predicate as search terms, or null when search terms cannot express it exactly. */
export function searchExpr(p: Predicate): string | null {
  return searchPrinter.print(p)?.text ?? null;
}

function searchTerm(p: LeafPredicate): string | Printed | null {
  switch (p.kind) {
    case 'string':
      return stringTerm(p);
    case 'number':
      if (p.timePart) return null;
      return `${searchField(p.field)}${NUMBER_OPS[p.op]}${numberText(p)}`;
    case 'boolean':
      return `${searchField(p.field)}=${quoteString(String(p.value))}`;
    case 'null':
      return `NOT ${searchField(p.field)}=*`;
    case 'exists':
      return p.value ? `${searchField(p.field)}=*` : `NOT ${searchField(p.field)}=*`;
    case 'cidr':
      // Splunk's search command treats `field="network/prefix"` as a CIDR match (IPv4 and IPv6).
      return `${searchField(p.field)}=${quoteString(`${p.cidr.network}/${p.cidr.prefix}`)}`;
    case 'regex':
    case 'fieldref':
      return null;
  }
}

/** The number as written when that is plain decimal text (`0x10` is written as 16). */
function numberText(p: Extract<Predicate, { kind: 'number' }>): string {
  const raw = p.raw.trim();
  return /^-?[0-9]+(\.[0-9]+)?$/.test(raw) && Number(raw) === p.value ? raw : String(p.value);
}

const isMulti = (x: PatternPart | undefined): boolean =>
  x !== undefined && typeof x !== 'string' && 'wildcard' in x && x.wildcard === 'multi';

/**
 * Whether a `*` sits inside the pattern (text on both sides). The Search Manual ("Wildcards",
 * "Avoid using wildcards in the middle of a string") warns that such terms give inconsistent
 * results, because terms are split into segments at index time: only wildcards at the start or
 * end of a term have a documented meaning.
 */
function hasInnerWildcard(pattern: readonly PatternPart[]): boolean {
  let start = 0;
  let end = pattern.length;
  while (start < end && isMulti(pattern[start])) start++;
  while (end > start && isMulti(pattern[end - 1])) end--;
  return pattern.slice(start, end).some(isMulti);
}

/**
 * A search-term superset of a pattern with inner wildcards: one term per piece between them,
 * each with wildcards only at its ends (`a*b*c` → `a*`, `*b*`, `*c`). Pieces a term cannot say
 * (a literal `*`, `?`, a class) are left out, which keeps the superset. The exact pattern is then
 * decided by a regex (`| regex` or `match()` in `where`).
 */
function innerWildcardPieces(p: Extract<Predicate, { kind: 'string' }>): Predicate | null {
  if (p.cased || !hasInnerWildcard(p.pattern)) return null;
  const pieces: PatternPart[][] = [];
  let current: PatternPart[] = [];
  for (const part of p.pattern) {
    if (isMulti(part)) {
      if (current.length) pieces.push(current);
      current = [];
    } else current.push(part);
  }
  if (current.length) pieces.push(current);
  const multi: PatternPart = { wildcard: 'multi' };
  const items: Predicate[] = [];
  pieces.forEach((piece, i) => {
    const text = piece.length === 1 && typeof piece[0] === 'string' ? piece[0] : null;
    if (text === null || !searchLiteralOk(text)) return;
    const anchoredStart = i === 0 && !isMulti(p.pattern[0]);
    const anchoredEnd = i === pieces.length - 1 && !isMulti(p.pattern[p.pattern.length - 1]);
    const pattern = [...(anchoredStart ? [] : [multi]), text, ...(anchoredEnd ? [] : [multi])];
    items.push({ ...p, pattern });
  });
  if (items.length === 0) return null;
  return items.length === 1 ? items[0]! : { kind: 'and', items };
}

/** A string pattern as search-term text (`a*`, `*a*`), or null if it needs a regex. */
function searchPatternText(pattern: readonly PatternPart[]): string | null {
  if (hasInnerWildcard(pattern)) return null;
  let out = '';
  for (const part of pattern) {
    if (typeof part === 'string') {
      if (!searchLiteralOk(part)) return null;
      out += part.replace(/[\\"]/g, (c) => '\\' + c);
    } else if ('wildcard' in part) {
      if (part.wildcard === 'single') return null;
      out += '*';
    } else return null;
  }
  return out;
}

function stringTerm(p: Extract<Predicate, { kind: 'string' }>): string | Printed | null {
  if (p.cased) return null;
  const alts = expandClasses(p.pattern, MAX_CLASS_EXPANSION);
  if (!alts) return null;
  const seen = new Set<string>();
  for (const a of alts) {
    const t = searchPatternText(a);
    if (t === null) return null;
    seen.add(t);
  }
  const texts = [...seen];
  const term = (t: string): string => (p.field === null ? `"${t}"` : `${searchField(p.field)}="${t}"`);
  if (texts.length === 1) return term(texts[0]!);
  if (p.field !== null) return `${searchField(p.field)} IN (${texts.map((t) => `"${t}"`).join(', ')})`;
  return searchPrinter.join('or', texts.map(term));
}

/** `field IN ("a", "b*")` for an OR of plain case-insensitive string terms on one field. */
function inList(items: readonly Predicate[]): string | null {
  if (items.length < 2) return null;
  const first = items[0]!;
  if (first.kind === 'number' && first.op === 'eq' && !first.timePart) {
    const nums: string[] = [];
    for (const i of items) {
      if (i.kind !== 'number' || i.op !== 'eq' || i.timePart || i.field !== first.field) return null;
      nums.push(numberText(i));
    }
    const unique = [...new Set(nums)];
    return unique.length === 1
      ? `${searchField(first.field)}=${unique[0]}`
      : `${searchField(first.field)} IN (${unique.join(', ')})`;
  }
  if (first.kind !== 'string' || first.field === null) return null;
  const field = first.field;
  const seen = new Set<string>();
  for (const i of items) {
    if (i.kind !== 'string' || i.field !== field || i.cased) return null;
    const alts = expandClasses(i.pattern, MAX_CLASS_EXPANSION);
    if (!alts) return null;
    for (const a of alts) {
      const t = searchPatternText(a);
      if (t === null) return null;
      seen.add(t);
    }
  }
  const texts = [...seen];
  if (texts.length === 1) return `${searchField(field)}="${texts[0]}"`;
  return `${searchField(field)} IN (${texts.map((t) => `"${t}"`).join(', ')})`;
}

// ---------------------------------------------------------------------------
// Eval expressions

/**
 * The predicate as an eval boolean expression. `negated` is true under an odd number of
 * NOTs: there a comparison on a missing field (null in eval) must count as "no match", so
 * leaves are guarded with `isnotnull()` and `NOT` then keeps events without the field,
 * exactly as Sigma's `not` does.
 */
function whereExpr(p: Predicate, negated = false): string {
  return wherePrinter.print(p, negated).text;
}

const wherePrinter = booleanPrinter<boolean>({
  syntax: SPL_EVAL,
  leaf: whereLeaf,
  negate: (negated) => !negated,
});

function whereLeaf(p: LeafPredicate, negated: boolean): string {
  switch (p.kind) {
    case 'null':
      return `isnull(${field(p.field)})`;
    case 'exists':
      return p.value ? `isnotnull(${field(p.field)})` : `isnull(${field(p.field)})`;
    default: {
      const f = p.field === null ? '_raw' : field(p.field);
      const cmp = leafComparison(p, f);
      return negated ? `(isnotnull(${f}) AND ${cmp})` : cmp;
    }
  }
}

function field(name: string): string {
  const f = evalField(name);
  if (f === null)
    throw new EncodeError(`the field name ${JSON.stringify(name)} cannot be written in an eval expression`, name);
  return f;
}

function leafComparison(p: LeafPredicate, f: string): string {
  switch (p.kind) {
    case 'string':
      return stringComparison(p.pattern, p.cased, f);
    case 'regex':
      return `match(${f}, ${quoteString(withFlags(p.pattern, p.flags))})`;
    case 'number':
      if (p.timePart)
        throw new EncodeError(
          `'${p.timePart}' compares a part of a timestamp; the field's time format is unknown to the Splunk backend`,
          p.field,
        );
      return `(${f}${p.op === 'eq' ? '==' : NUMBER_OPS[p.op]}${String(p.value)})`;
    case 'boolean':
      return `(lower(${f})==${quoteString(String(p.value))})`;
    case 'cidr':
      return `cidrmatch(${quoteString(`${p.cidr.network}/${p.cidr.prefix}`)}, ${f})`;
    case 'fieldref': {
      const r = field(p.ref);
      const [a, b] = p.cased ? [f, r] : [`lower(${f})`, `lower(${r})`];
      const both = `isnotnull(${f}) AND isnotnull(${r})`;
      switch (p.position) {
        case 'eq':
          return `(${both} AND ${a}==${b})`;
        case 'startswith':
          return `(${both} AND substr(${a}, 1, len(${r}))==${b})`;
        case 'endswith':
          return `(${both} AND (len(${r})==0 OR substr(${a}, -len(${r}))==${b}))`;
        case 'contains':
          // split() cuts at every literal occurrence: more than one piece means "contains".
          return `(${both} AND (len(${r})==0 OR mvcount(split(${a}, ${b}))>1))`;
      }
    }
    // falls through: null/exists are handled by whereLeaf
    default:
      throw new EncodeError(`internal: ${p.kind} is not a leaf comparison`);
  }
}

function withFlags(pattern: string, flags: string): string {
  return flags ? `(?${flags})${pattern}` : pattern;
}

/** A string pattern as an eval comparison: `==` for exact cased text, else an anchored regex. */
function stringComparison(pattern: readonly PatternPart[], cased: boolean, f: string): string {
  if (cased && pattern.every((x) => typeof x === 'string')) return `(${f}==${quoteString(pattern.join(''))})`;
  return `match(${f}, ${quoteString(patternRegex(pattern, cased))})`;
}

/**
 * A Sigma pattern as PCRE: `*` → `.*`, `?` → `.`, classes → `[…]`; `(?s)` so wildcards cross
 * newlines as Sigma's do, `(?i)` unless cased; anchored with `^` and `\z` (PCRE's `$` would
 * also match before a final newline), anchors dropped where the pattern starts/ends with `*`.
 */
function patternRegex(pattern: readonly PatternPart[], cased: boolean): string {
  const parts = [...pattern];
  let lead = '^';
  let trail = '\\z';
  while (isMulti(parts[0])) {
    parts.shift();
    lead = '';
  }
  while (isMulti(parts[parts.length - 1])) {
    parts.pop();
    trail = '';
  }
  let body = '';
  for (const x of parts) {
    if (typeof x === 'string') body += escapePcre(x);
    else if ('wildcard' in x) body += x.wildcard === 'multi' ? '.*' : '.';
    else if ('anyOf' in x) body += '[' + [...x.anyOf].map((c) => (/[\\\]^-]/.test(c) ? '\\' + c : c)).join('') + ']';
    else throw new EncodeError(`unresolved placeholder %${x.placeholder}%`);
  }
  if (body === '' && lead === '' && trail === '') body = '';
  return (cased ? '(?s)' : '(?is)') + lead + body + trail;
}

// ---------------------------------------------------------------------------
// Whole queries

export interface EncodedQuery {
  /** The base search (never empty, never starting with a pipe). */
  search: string;
  /** Commands after the base search (`regex …`, `where …`), without the leading pipe. */
  post: string[];
}

/** A top-level item that is one positive regex (or regex-only string pattern) on a field: `| regex` can take it. */
function regexCommand(p: Predicate): string | null {
  if (p.kind === 'regex' && p.field !== null)
    return `regex ${searchField(p.field)}=${quoteString(withFlags(p.pattern, p.flags))}`;
  if (p.kind === 'string' && p.field !== null)
    return `regex ${searchField(p.field)}=${quoteString(patternRegex(p.pattern, p.cased))}`;
  return null;
}

/**
 * Encodes `prefix AND conjunction-of-items`. Throws EncodeError for what SPL cannot express.
 */
export function encodeConjunction(prefix: string[], items: readonly Predicate[]): EncodedQuery {
  const flat: Predicate[] = [];
  for (const i of items)
    if (i.kind === 'and') flat.push(...i.items);
    else flat.push(i);
  const search = [...prefix];
  const post: string[] = [];
  for (const item of flat) {
    const s = searchExpr(item);
    if (s !== null) {
      // Routing conditions often repeat the rule's own (EventCode): say each term once.
      if (s !== '*' && !search.includes(s)) search.push(s);
      continue;
    }
    // The base search also gets what the search terms CAN say about the item (a superset of
    // its events), so Splunk filters early; the regex or where clause then decides exactly.
    const pre = relax(item, true);
    if (pre !== true && pre !== false) {
      const t = searchExpr(pre);
      if (t !== null && t !== '*' && !search.includes(t)) search.push(t);
    }
    const regex = regexCommand(item);
    post.push(regex ?? `where ${whereExpr(item)}`);
  }
  return { search: search.length ? search.join(' ') : '*', post };
}

/**
 * An approximation of `p` in search terms: with `positive`, implied by `p` (a superset);
 * otherwise implying it (a subset). Leaves search terms cannot express become true/false.
 */
function relax(p: Predicate, positive: boolean): Predicate | boolean {
  const rest = (items: (Predicate | boolean)[]): Predicate[] => items.filter((i) => typeof i !== 'boolean');
  return foldPredicate<Predicate | boolean, boolean>(
    p,
    {
      and: (relaxed) => {
        if (relaxed.includes(false)) return false;
        const items = rest(relaxed);
        return items.length === 0 ? true : items.length === 1 ? items[0]! : { kind: 'and', items };
      },
      or: (relaxed) => {
        if (relaxed.includes(true)) return true;
        const items = rest(relaxed);
        return items.length === 0 ? false : items.length === 1 ? items[0]! : { kind: 'or', items };
      },
      not: (r) => (typeof r === 'boolean' ? !r : { kind: 'not', item: r }),
      leaf: (leaf, pos) => {
        if (searchExpr(leaf) !== null) return leaf;
        // A pattern with inner wildcards: its pieces are a superset (never a subset) of it.
        const pieces = pos && leaf.kind === 'string' ? innerWildcardPieces(leaf) : null;
        return pieces ?? pos;
      },
      // Under a not, a subset becomes a superset and the reverse.
      child: (node, pos) => (node.kind === 'not' ? !pos : pos),
    },
    positive,
  );
}

export function renderQuery(q: EncodedQuery): string {
  return [q.search, ...q.post].join(' | ');
}
