/**
 * A tiny interpreter of the SPL subset the backend emits, with Splunk's documented semantics, for
 * cross-checking the backend against Sigil's evaluator on generated rules and events:
 *
 * - search terms: `f="a*"` (full match, `*` wildcard, case-insensitive), `f IN (…)`, `f=*`
 *   (field present), `f>5`, `NOT`, `AND`, `OR`, parentheses, implicit AND by juxtaposition;
 * - Splunk's term semantics: a wildcard has a documented meaning only at the start or end of a
 *   term (Search Manual, "Wildcards": terms are split into segments at index time, so a `*` in the
 *   middle, `f="a*b"`, gives inconsistent results). Such a term is REJECTED, as is any keyword
 *   other than `"*text*"`, which matches events whose `_raw` contains the text (case-insensitive);
 * - `regex f="re"` (field present and PCRE matches, case-sensitive);
 * - `where <eval>` with three-valued logic (a missing field is null; `where` keeps `true` only),
 *   functions match, isnull, isnotnull, lower, len, substr, split, mvcount, true.
 *
 * It REJECTS a parenthesis level that mixes AND and OR: a query must not depend on precedence.
 */
import { pcreToJs, readQuoted, splitPipes } from './spl-reader.js';

export type Event = Record<string, string | undefined>;
type Val = string | number | boolean | null | string[];

interface Tok {
  k: 'str' | 'word' | 'num' | 'op' | 'sq';
  v: string;
}

function tokenize(s: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (c === ' ') {
      i++;
    } else if (c === '"') {
      const q = readQuoted(s, i);
      out.push({ k: 'str', v: q.value });
      i = q.end;
    } else if (c === "'") {
      const end = s.indexOf("'", i + 1);
      out.push({ k: 'sq', v: s.slice(i + 1, end).replace(/\\\\/g, '\\') });
      i = end + 1;
    } else if (/[0-9]/.test(c)) {
      const m = /^[0-9]+(\.[0-9]+)?/.exec(s.slice(i))!;
      out.push({ k: 'num', v: m[0] });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(s.slice(i))!;
      out.push({ k: 'word', v: m[0] });
      i += m[0].length;
    } else {
      const m = /^(==|<=|>=|!=|[=<>(),*-])/.exec(s.slice(i));
      if (!m) throw new Error(`unexpected ${c} in ${s}`);
      out.push({ k: 'op', v: m[0] });
      i += m[0].length;
    }
  }
  return out;
}

class Parser {
  i = 0;
  constructor(readonly t: Tok[]) {}
  peek(): Tok | undefined {
    return this.t[this.i];
  }
  next(): Tok {
    const t = this.t[this.i++];
    if (!t) throw new Error('unexpected end');
    return t;
  }
  eat(v: string): boolean {
    const t = this.peek();
    if (t && (t.k === 'op' || t.k === 'word') && t.v === v) {
      this.i++;
      return true;
    }
    return false;
  }
  expect(v: string): void {
    if (!this.eat(v)) throw new Error(`expected ${v} at ${this.i}: ${JSON.stringify(this.peek())}`);
  }
}

/** A wildcard with text on both sides: Splunk documents no meaning for it (see the header). */
function rejectInnerWildcard(pat: string): void {
  if (/[^*]\*+[^*]/.test(pat)) throw new Error(`inner wildcard in the search term "${pat}" has no documented meaning`);
}

function wildcardRe(pat: string): RegExp {
  rejectInnerWildcard(pat);
  return new RegExp(
    '^' +
      pat
        .split('*')
        .map((x) => x.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&'))
        .join('[\\s\\S]*') +
      '$',
    'i',
  );
}

type Test = (ev: Event) => boolean;

/** Search-term expression: a sequence of AND-ed or OR-ed operands — never both at one level. */
function searchLevel(p: Parser, top: boolean): Test {
  const items: Test[] = [searchUnary(p)];
  let joiner: 'AND' | 'OR' | null = null;
  for (;;) {
    const t = p.peek();
    if (!t || (t.k === 'op' && t.v === ')')) break;
    let j: 'AND' | 'OR' = 'AND';
    if (t.k === 'word' && (t.v === 'AND' || t.v === 'OR')) {
      j = t.v;
      p.i++;
    }
    if (joiner && joiner !== j) throw new Error('AND and OR mixed without parentheses');
    if (top && j === 'OR') throw new Error('OR at the top level of a search');
    joiner = j;
    items.push(searchUnary(p));
  }
  return joiner === 'OR' ? (ev) => items.some((f) => f(ev)) : (ev) => items.every((f) => f(ev));
}

function searchUnary(p: Parser): Test {
  if (p.eat('NOT')) {
    const inner = searchUnary(p);
    return (ev) => !inner(ev);
  }
  if (p.eat('(')) {
    const inner = searchLevel(p, false);
    p.expect(')');
    return inner;
  }
  const t = p.next();
  if (t.k === 'op' && t.v === '*') return () => true;
  if (t.k === 'str' && !(p.peek()?.v === '=')) {
    // A keyword: only `"*text*"` (a substring of the raw event) is modelled.
    if (/^\*+$/.test(t.v)) return (ev) => ev['_raw'] !== undefined;
    const m = /^\*+([^*]+)\*+$/.exec(t.v);
    if (!m) throw new Error(`keyword term "${t.v}" is not modelled (only "*text*")`);
    const needle = m[1]!.toLowerCase();
    return (ev) => ev['_raw'] !== undefined && ev['_raw'].toLowerCase().includes(needle);
  }
  const field = t.v;
  if (p.eat('IN')) {
    p.expect('(');
    const pats: RegExp[] = [];
    const nums: string[] = [];
    for (;;) {
      const v = p.next();
      if (v.k === 'str') pats.push(wildcardRe(v.v));
      else nums.push(v.v);
      if (!p.eat(',')) break;
    }
    p.expect(')');
    return (ev) => ev[field] !== undefined && (pats.some((r) => r.test(ev[field]!)) || nums.includes(ev[field]!));
  }
  const op = p.next().v;
  const v = p.next();
  if (op === '=' && v.k === 'op' && v.v === '*') return (ev) => ev[field] !== undefined;
  if (op === '=' && v.k === 'str') {
    const r = wildcardRe(v.v);
    return (ev) => ev[field] !== undefined && r.test(ev[field]!);
  }
  if (v.k !== 'num') throw new Error(`unexpected value ${JSON.stringify(v)}`);
  const n = Number(v.v);
  return (ev) => {
    const x = ev[field];
    if (x === undefined) return false;
    if (op === '=') return x.toLowerCase() === v.v;
    const num = Number(x);
    if (x.trim() === '' || Number.isNaN(num)) return false;
    return op === '<' ? num < n : op === '<=' ? num <= n : op === '>' ? num > n : num >= n;
  };
}

// ---------------------------------------------------------------------------
// eval expressions (three-valued)

type Expr = (ev: Event) => Val;

function evalLevel(p: Parser): Expr {
  const items: Expr[] = [evalNot(p)];
  let joiner: string | null = null;
  while (p.peek()?.k === 'word' && (p.peek()!.v === 'AND' || p.peek()!.v === 'OR')) {
    const j = p.next().v;
    if (joiner && joiner !== j) throw new Error('AND and OR mixed without parentheses in where');
    joiner = j;
    items.push(evalNot(p));
  }
  if (items.length === 1) return items[0]!;
  return joiner === 'OR'
    ? (ev) => {
        let unknown = false;
        for (const f of items) {
          const v = f(ev);
          if (v === true) return true;
          if (v === null) unknown = true;
        }
        return unknown ? null : false;
      }
    : (ev) => {
        let unknown = false;
        for (const f of items) {
          const v = f(ev);
          if (v === false) return false;
          if (v === null) unknown = true;
        }
        return unknown ? null : true;
      };
}

function evalNot(p: Parser): Expr {
  if (p.eat('NOT')) {
    const inner = evalNot(p);
    return (ev) => {
      const v = inner(ev);
      return v === null ? null : !v;
    };
  }
  return evalCmp(p);
}

const numeric = (v: Val): number | null =>
  typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v)) ? Number(v) : null;

function evalCmp(p: Parser): Expr {
  const left = evalSub(p);
  const t = p.peek();
  if (t?.k === 'op' && ['==', '<', '>', '<=', '>='].includes(t.v)) {
    p.i++;
    const right = evalSub(p);
    return (ev) => {
      const a = left(ev);
      const b = right(ev);
      if (a === null || b === null) return null;
      const na = numeric(a);
      const nb = numeric(b);
      if (na !== null && nb !== null)
        return t.v === '=='
          ? na === nb
          : t.v === '<'
            ? na < nb
            : t.v === '>'
              ? na > nb
              : t.v === '<='
                ? na <= nb
                : na >= nb;
      if (t.v !== '==') return null;
      return String(a) === String(b);
    };
  }
  return left;
}

/** `a-b`: numbers (numeric text included), else null. */
function evalSub(p: Parser): Expr {
  let e = evalPrimary(p);
  while (p.peek()?.k === 'op' && p.peek()!.v === '-') {
    p.i++;
    const [l, r] = [e, evalPrimary(p)];
    e = (ev) => {
      const a = numeric(l(ev));
      const b = numeric(r(ev));
      return a === null || b === null ? null : a - b;
    };
  }
  return e;
}

function evalPrimary(p: Parser): Expr {
  const t = p.next();
  if (t.k === 'op' && t.v === '(') {
    const e = evalLevel(p);
    p.expect(')');
    return e;
  }
  if (t.k === 'op' && t.v === '-') {
    const e = evalPrimary(p);
    return (ev) => {
      const v = e(ev);
      return typeof v === 'number' ? -v : null;
    };
  }
  if (t.k === 'str') return () => t.v;
  if (t.k === 'num') return () => Number(t.v);
  if (t.k === 'sq') return (ev) => ev[t.v] ?? null;
  if (t.k === 'word' && p.peek()?.v === '(') {
    p.i++;
    const args: Expr[] = [];
    if (!p.eat(')')) {
      do args.push(evalLevel(p));
      while (p.eat(','));
      p.expect(')');
    }
    return fn(t.v, args);
  }
  if (t.k === 'word') return (ev) => ev[t.v] ?? null;
  throw new Error(`unexpected ${JSON.stringify(t)}`);
}

function fn(name: string, args: Expr[]): Expr {
  const a = (i: number, ev: Event): Val => args[i]!(ev);
  switch (name) {
    case 'true':
      return () => true;
    case 'null':
      return () => null;
    case 'if':
      return (ev) => (a(0, ev) === true ? a(1, ev) : a(2, ev));
    case 'isnull':
      return (ev) => a(0, ev) === null;
    case 'isnotnull':
      return (ev) => a(0, ev) !== null;
    case 'lower':
      return (ev) => {
        const v = a(0, ev);
        return v === null ? null : String(v).toLowerCase();
      };
    case 'len':
      return (ev) => {
        const v = a(0, ev);
        return v === null ? null : [...String(v)].length;
      };
    case 'match':
      return (ev) => {
        const v = a(0, ev);
        const re = a(1, ev);
        return v === null ? null : pcreToJs(String(re)).test(String(v));
      };
    case 'substr':
      return (ev) => {
        const s = a(0, ev);
        const start = a(1, ev);
        if (s === null || typeof start !== 'number') return null;
        const chars = [...String(s)];
        const from = start < 0 ? Math.max(0, chars.length + start) : start - 1;
        const count = args[2] ? (a(2, ev) as number) : chars.length;
        return chars.slice(from, from + count).join('');
      };
    case 'split':
      return (ev) => {
        const s = a(0, ev);
        const d = a(1, ev);
        return s === null || d === null ? null : String(s).split(String(d));
      };
    case 'mvcount':
      return (ev) => {
        const v = a(0, ev);
        return Array.isArray(v) ? v.length : v === null ? null : 1;
      };
    default:
      throw new Error(`function ${name} is not modelled`);
  }
}

/** Runs an emitted query on one event. */
export function runSpl(query: string, ev: Event): boolean {
  const pipes = splitPipes(query);
  const base = new Parser(tokenize(pipes[0]!));
  const test = searchLevel(base, true);
  if (base.i !== base.t.length) throw new Error(`trailing tokens in ${pipes[0]}`);
  if (!test(ev)) return false;
  for (const cmd of pipes.slice(1)) {
    const m = /^regex ([A-Za-z_][A-Za-z0-9_.]*)="/.exec(cmd);
    if (m) {
      const q = readQuoted(cmd, m[0].length - 1);
      const v = ev[m[1]!];
      if (v === undefined || !pcreToJs(q.value).test(v)) return false;
      continue;
    }
    if (!cmd.startsWith('where ')) throw new Error(`command not modelled: ${cmd}`);
    const p = new Parser(tokenize(cmd.slice(6)));
    const e = evalLevel(p);
    if (p.i !== p.t.length) throw new Error(`trailing tokens in ${cmd}`);
    if (e(ev) !== true) return false;
  }
  return true;
}

/** Evaluates a `where` condition on one event (three-valued: true, false or null). */
export function splWhere(condition: string, ev: Event): Val {
  const p = new Parser(tokenize(condition));
  const e = evalLevel(p);
  if (p.i !== p.t.length) throw new Error(`trailing tokens in where ${condition}`);
  return e(ev);
}
