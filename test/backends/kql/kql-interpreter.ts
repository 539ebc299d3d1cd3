/**
 * A small interpreter of the KQL subset the backend emits for detection rules, with Kusto's
 * documented semantics, for cross-checking the backend against Sigil's evaluator on generated
 * rules and events (test/backends/kql/semantics.property.test.ts). It evaluates a query against
 * ONE row and says whether the row survives every `| where`.
 *
 * Covered:
 * - `Table | where <expr> | where <expr> …`, and the operators that read Windows event XML
 *   (src/backends/kql/event-xml.ts): `extend Name = <expr>`, `project-away Name, …`, and
 *   `mv-apply Item = <expr> on (where <expr> | summarize Bag = make_bag(bag_pack(<expr>, <expr>)))`
 *   (one row out per row in); `//` comments; other operators (`project`, `summarize`…) throw;
 * - as the source, `union [isfuzzy=true] A, (B | extend X = todynamic(X)), …` for a row of the
 *   table `opts.table` names: that table's leg's `extend`s apply, the other legs are skipped;
 * - `has`, `has_any (…)` (whole terms: the needle must start and end with a letter or digit; a
 *   match needs an ASCII non-alphanumeric, non-`_` character or the text's edge on each side),
 *   `parse_xml` (Kusto's XML → JSON: attributes `@name`, text `#text` beside attributes or
 *   children, repeated elements as arrays, entities decoded; null for malformed XML), `iff`,
 *   `gettype`, `pack_array`, `todynamic` (JSON text);
 * - `and`, `or` (and binds tighter), `not(…)`, parentheses, `true`, `false`;
 * - `=~ !~ == !=`, `in~ in !in~ !in (…)`, `contains[_cs]`, `startswith[_cs]`, `endswith[_cs]`
 *   and their `!` forms, `matches regex` (RE2 via re2js, searching, inline `(?is)` flags);
 * - `< <= > >= == !=` on numbers with Kusto's null rules (null == x → false, null != x → true,
 *   null < x → null; `where` keeps only true; `not(null)` is null; `and`/`or` three-valued);
 * - `isempty isnotempty isnull isnotnull tostring todouble coalesce strcat ipv4_is_in_range` (null for
 *   text that is no IPv4 address; `ipv6_is_in_range` and `datetime_part` throw); `bag_has_key`
 *   with a `$['a']['b']` path (a key present with a null value counts);
 * - column references `Name`, `['Name']`, dynamic paths `Col.a`, `Col["a"]`; `* contains[_cs]` and
 *   `* matches regex` (any column of the row);
 * - string literals `"…"` / `'…'` with Kusto's escapes (`\\ \" \' \n \r \t \uXXXX`), verbatim
 *   `@"…"` / `@'…'` (quote doubled), and the `h`/`H` obfuscation prefix on either.
 *
 * Anything else THROWS — an unknown operator, function, escape, a case-insensitive comparison on
 * non-ASCII text (Kusto's folding is not modelled), a string column holding a non-string — so the
 * property test cannot pass by silently misreading a query.
 *
 * Rows: `column → value`. With a schema (column → KQL type) an unknown column is a binding error;
 * a missing string column reads as "" (Kusto strings are never null), a missing column of any
 * other type as null. Without a schema every column is a string.
 */
import { RE2JS } from 're2js';

export type Row = Record<string, unknown>;

type Value =
  | { t: 'string'; v: string }
  | { t: 'number'; v: number | null }
  | { t: 'bool'; v: boolean | null }
  | { t: 'dynamic'; v: unknown };

interface Tok {
  k: 'str' | 'word' | 'num' | 'op';
  v: string;
  at: number;
}

// ---------------------------------------------------------------------------
// Tokens

const SIMPLE_ESCAPES: Record<string, string> = { '\\': '\\', '"': '"', "'": "'", n: '\n', r: '\r', t: '\t' };

/** Reads a string literal at `s[at]` (optionally `h`/`H`-prefixed, optionally `@` verbatim). */
export function readKqlString(s: string, at: number): { value: string; end: number } {
  let i = at;
  if (s[i] === 'h' || s[i] === 'H') i++;
  const verbatim = s[i] === '@';
  if (verbatim) i++;
  const q = s[i];
  if (q !== '"' && q !== "'") throw new Error(`expected a string literal at ${at}: ${s.slice(at, at + 20)}`);
  i++;
  let value = '';
  for (; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\n' || c === '\r') throw new Error(`newline inside a string literal at ${i}`);
    if (verbatim) {
      if (c === q) {
        if (s[i + 1] === q) {
          value += q;
          i++;
          continue;
        }
        return { value, end: i + 1 };
      }
      value += c;
      continue;
    }
    if (c === q) return { value, end: i + 1 };
    if (c !== '\\') {
      value += c;
      continue;
    }
    const n = s[i + 1];
    if (n !== undefined && Object.hasOwn(SIMPLE_ESCAPES, n)) {
      value += SIMPLE_ESCAPES[n];
      i++;
    } else if (n === 'u' && /^[0-9A-Fa-f]{4}$/.test(s.slice(i + 2, i + 6))) {
      value += String.fromCharCode(parseInt(s.slice(i + 2, i + 6), 16));
      i += 5;
    } else throw new Error(`escape \\${n ?? ''} at ${i} is not one the interpreter knows`);
  }
  throw new Error(`unterminated string literal at ${at}`);
}

const OPS = ['=~', '!~', '==', '!=', '<=', '>=', '<', '>', '=', '(', ')', ',', '.', '[', ']', '*', '|'];

function tokenize(s: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (c === ' ' || c === '\n' || c === '\r' || c === '\t') {
      i++;
      continue;
    }
    if (c === '/' && s[i + 1] === '/') {
      while (i < s.length && s[i] !== '\n') i++;
      continue;
    }
    if (
      c === '"' ||
      c === "'" ||
      (c === '@' && (s[i + 1] === '"' || s[i + 1] === "'")) ||
      ((c === 'h' || c === 'H') && /^@?["']/.test(s.slice(i + 1, i + 3)))
    ) {
      const r = readKqlString(s, i);
      out.push({ k: 'str', v: r.value, at: i });
      i = r.end;
      continue;
    }
    if (
      /[0-9]/.test(c) ||
      (c === '-' &&
        /[0-9]/.test(s[i + 1] ?? '') &&
        !/^(word|num|str)$/.test(out[out.length - 1]?.k ?? '') &&
        out[out.length - 1]?.v !== ')')
    ) {
      const m = /^-?[0-9]+(\.[0-9]+)?/.exec(s.slice(i))!;
      if (/^[A-Za-z_]/.test(s.slice(i + m[0].length)))
        throw new Error(`unknown literal at ${i}: ${s.slice(i, i + 12)}`);
      out.push({ k: 'num', v: m[0], at: i });
      i += m[0].length;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(s.slice(i))!;
      let w = m[0];
      i += w.length;
      // `in~` is one operator, and so are `mv-apply`, `project-away`.
      if (w === 'in' && s[i] === '~') {
        w = 'in~';
        i++;
      } else if ((w === 'mv' || w === 'project') && /^-[a-z]/.test(s.slice(i, i + 2))) {
        const rest = /^-[a-z]+/.exec(s.slice(i))![0];
        w += rest;
        i += rest.length;
      }
      out.push({ k: 'word', v: w, at: i - w.length });
      continue;
    }
    if (c === '!' && /[a-z]/.test(s[i + 1] ?? '')) {
      const m = /^![a-z_]+~?/.exec(s.slice(i))!;
      out.push({ k: 'word', v: m[0], at: i });
      i += m[0].length;
      continue;
    }
    const op = OPS.find((o) => s.startsWith(o, i));
    if (!op) throw new Error(`unexpected character ${JSON.stringify(c)} at ${i}`);
    out.push({ k: 'op', v: op, at: i });
    i += op.length;
  }
  return out;
}

// ---------------------------------------------------------------------------
// Values

/** Non-ASCII characters that have a case (upper or lower form): Kusto's folding of them is not modelled. */
function hasNonAsciiCase(s: string): boolean {
  for (const c of s) if (c > '\x7f' && (c.toLowerCase() !== c || c.toUpperCase() !== c)) return true;
  return false;
}

function lowerAscii(s: string, what: string): string {
  // Kusto folds case with its own (ordinal, invariant-culture) rules; only ASCII and caseless
  // characters (dashes, symbols) are modelled.
  if (hasNonAsciiCase(s))
    throw new Error(`case-insensitive ${what} on non-ASCII text ${JSON.stringify(s)}: not modelled`);
  return s.toLowerCase();
}

const str = (v: string): Value => ({ t: 'string', v });
const bool = (v: boolean | null): Value => ({ t: 'bool', v });

function asString(x: Value, what: string): string {
  if (x.t !== 'string') throw new Error(`${what} needs a string operand, got ${x.t} (Kusto would need tostring())`);
  return x.v;
}

function asBool(x: Value, what: string): boolean | null {
  if (x.t !== 'bool') throw new Error(`${what} needs a bool, got ${x.t}`);
  return x.v;
}

function toStringValue(x: Value): string {
  switch (x.t) {
    case 'string':
      return x.v;
    case 'number':
      if (x.v === null) return '';
      if (!Number.isInteger(x.v))
        throw new Error(`tostring of the real ${x.v}: Kusto's real formatting is not modelled`);
      return String(x.v);
    case 'bool':
      return x.v === null ? '' : String(x.v);
    case 'dynamic':
      if (x.v === null || x.v === undefined) return '';
      if (typeof x.v === 'string') return x.v;
      if (typeof x.v === 'number' && Number.isInteger(x.v)) return String(x.v);
      if (typeof x.v === 'boolean') return String(x.v);
      throw new Error(`tostring of dynamic ${JSON.stringify(x.v)}: not modelled`);
  }
}

/** todouble(string): a plain decimal number, or null for text that is clearly not a number. */
function toDouble(x: Value): Value {
  if (x.t === 'number') return x;
  const s = asString(x, 'todouble');
  const decimal = /^-?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
  if (decimal.test(s)) return { t: 'number', v: Number(s) };
  // Numbers with surrounding whitespace, a '+', hex, "NaN"/"Infinity": .NET parsing rules not
  // modelled. Anything else is clearly no number: todouble returns null (documented).
  const t = s.trim().replace(/^\+/, '');
  if (decimal.test(t) || /^-?0[xX][0-9a-fA-F]+$/.test(t) || /^-?(nan|inf)/i.test(t))
    throw new Error(`todouble(${JSON.stringify(s)}): parsing not modelled`);
  return { t: 'number', v: null };
}

function ipv4(s: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return parts.reduce((a, p) => a * 256 + p, 0);
}

function ipv4InRange(ip: string, range: string): boolean | null {
  const [base, bits] = range.split('/') as [string, string | undefined];
  const a = ipv4(ip);
  // Kusto parses partial forms ("5", "10.1") by rules not modelled here; text with other
  // characters is clearly no IPv4 address (the function returns null, as documented).
  if (a === undefined && /^[\d.]+$/.test(ip))
    throw new Error(`ipv4_is_in_range(${JSON.stringify(ip)}): parsing not modelled`);
  const b = ipv4(base);
  const n = bits === undefined ? 32 : Number(bits);
  if (b === undefined || !(n >= 0 && n <= 32)) throw new Error(`ipv4_is_in_range: range ${range} not modelled`);
  if (a === undefined) return null;
  const size = 2 ** (32 - n);
  return Math.floor(a / size) === Math.floor(b / size);
}

// ---------------------------------------------------------------------------
// Parser + evaluator (one pass: the row is known while parsing)

export interface RunOptions {
  /** The table the query must read. */
  table?: string;
  /** Column → KQL type; absent: every column is a string. */
  columns?: ReadonlyMap<string, string>;
}

/** Kinds of constructs seen while evaluating (for coverage counts in tests). */
export type Feature = string;

/**
 * A position in a token list, for the recursive-descent readers of the test interpreters
 * (this one and kql-tabular.ts): look ahead, take, and require tokens.
 */
export class TokenCursor<T extends { k: string; v: string; at: number }> {
  i = 0;
  constructor(readonly toks: T[]) {}
  peek(o = 0): T | undefined {
    return this.toks[this.i + o];
  }
  next(): T {
    const t = this.toks[this.i++];
    if (!t) throw new Error('unexpected end of query');
    return t;
  }
  is(v: string, o = 0): boolean {
    const t = this.peek(o);
    return t !== undefined && t.k !== 'str' && t.v === v;
  }
  expect(v: string): void {
    const t = this.next();
    if (t.k === 'str' || t.v !== v) throw new Error(`expected ${v} at ${t.at}, got ${JSON.stringify(t.v)}`);
  }
  word(): string {
    const t = this.next();
    if (t.k !== 'word') throw new Error(`expected a name at ${t.at}, got ${JSON.stringify(t.v)}`);
    return t.v;
  }
}

class Evaluator extends TokenCursor<Tok> {
  constructor(
    toks: Tok[],
    readonly row: Row,
    readonly opts: RunOptions,
    readonly seen: Set<Feature>,
    /** Columns the query computed (`extend`, `mv-apply`): dynamic or string values. */
    readonly computed: Map<string, Value> = new Map(),
  ) {
    super(toks);
  }

  /** An evaluator of the same query on the same row, at token `at`, with more computed columns. */
  sub(at: number, extra: Record<string, Value>): Evaluator {
    const e = new Evaluator(
      this.toks,
      this.row,
      this.opts,
      this.seen,
      new Map([...this.computed, ...Object.entries(extra)]),
    );
    e.i = at;
    return e;
  }

  column(name: string): Value {
    const c = this.computed.get(name);
    if (c) return c;
    const cols = this.opts.columns;
    const type = cols ? cols.get(name) : 'string';
    if (type === undefined) throw new Error(`column ${name} is not in the table's schema`);
    const has = Object.hasOwn(this.row, name);
    const raw = has ? this.row[name] : undefined;
    switch (type) {
      case 'string':
        if (raw === undefined) return str('');
        if (typeof raw !== 'string') throw new Error(`string column ${name} holds ${JSON.stringify(raw)}`);
        return str(raw);
      case 'int':
      case 'long':
      case 'real':
      case 'double':
        if (raw === undefined || raw === null) return { t: 'number', v: null };
        if (typeof raw !== 'number') throw new Error(`${type} column ${name} holds ${JSON.stringify(raw)}`);
        return { t: 'number', v: raw };
      case 'bool':
        if (raw === undefined || raw === null) return bool(null);
        if (typeof raw !== 'boolean') throw new Error(`bool column ${name} holds ${JSON.stringify(raw)}`);
        return bool(raw);
      case 'dynamic':
        return { t: 'dynamic', v: raw ?? null };
      default:
        throw new Error(`column type ${type} (${name}) not modelled`);
    }
  }

  /** Every column's string form, for `*` searches. */
  allStrings(): string[] {
    const cols = this.opts.columns;
    const out: string[] = [];
    for (const [name, value] of Object.entries(this.row)) {
      const type = cols ? cols.get(name) : 'string';
      if (type === undefined) throw new Error(`column ${name} is not in the table's schema`);
      // Which non-string columns `*` searches (and how it renders them) is not modelled.
      if (type !== 'string') throw new Error(`* search over a row with a ${type} column (${name}) is not modelled`);
      if (typeof value !== 'string') throw new Error(`string column ${name} holds ${JSON.stringify(value)}`);
      out.push(value);
    }
    // Absent string columns read as "" (their search result is that of "").
    out.push('');
    return out;
  }

  query(): boolean {
    const t = this.next();
    if (t.k !== 'word') throw new Error(`a query starts with a table name, got ${JSON.stringify(t.v)}`);
    if (t.v === 'union') this.unionSource();
    else if (this.opts.table !== undefined && t.v !== this.opts.table)
      throw new Error(`query reads ${t.v}, expected ${this.opts.table}`);
    let keep = true;
    while (this.peek()) {
      this.expect('|');
      const op = this.word();
      this.seen.add(op);
      if (op === 'where') {
        const v = asBool(this.or(), 'where');
        // `where` keeps a row only when the predicate is true (null counts as false).
        if (v !== true) keep = false;
      } else if (op === 'extend') {
        const name = this.word();
        this.expect('=');
        this.computed.set(name, this.or());
      } else if (op === 'project-away') {
        do {
          const name = this.word();
          if (!this.computed.delete(name))
            throw new Error(`project-away of ${name}: only computed columns are modelled`);
        } while (this.is(',') && this.next());
      } else if (op === 'mv-apply') this.mvApply();
      else throw new Error(`tabular operator ${JSON.stringify(op)} is not modelled`);
      if (this.peek() && !this.is('|'))
        throw new Error(`unexpected ${JSON.stringify(this.peek()!.v)} at ${this.peek()!.at}`);
    }
    return keep;
  }

  /**
   * `union [isfuzzy=true] A, (B | extend X = <expr>, …), …`: the row is one of table
   * `opts.table`'s, which must be a leg; that leg's `extend`s are computed, the other legs skipped.
   */
  unionSource(): void {
    const table = this.opts.table;
    if (table === undefined) throw new Error("a union needs the row's table (opts.table)");
    if (this.is('isfuzzy')) {
      this.next();
      this.expect('=');
      this.expect('true');
    }
    let found = false;
    do {
      if (this.is(',')) this.next();
      const paren = this.is('(');
      if (paren) this.next();
      const name = this.word();
      const mine = name === table;
      found ||= mine;
      while (paren && this.is('|')) {
        this.next();
        if (this.word() !== 'extend') throw new Error('a union leg: only `| extend` is modelled');
        do {
          if (this.is(',')) this.next();
          const column = this.word();
          this.expect('=');
          const at = this.i;
          const value = this.or();
          if (mine) this.computed.set(column, value);
          else if (this.i === at) throw new Error('empty extend expression');
        } while (this.is(','));
      }
      if (paren) this.expect(')');
    } while (this.is(','));
    if (!found) throw new Error(`the union does not read ${table}`);
  }

  /** `mv-apply Item = <array> on (where <pred> | summarize Bag = make_bag(bag_pack(<key>, <value>)))`. */
  mvApply(): void {
    const item = this.word();
    this.expect('=');
    const list = this.or();
    if (list.t !== 'dynamic') throw new Error('mv-apply over a non-dynamic value');
    // Kusto expands an array's elements; a bag or a scalar would expand differently (not modelled).
    if (!Array.isArray(list.v)) throw new Error(`mv-apply over ${JSON.stringify(list.v)}: only arrays are modelled`);
    this.expect('on');
    this.expect('(');
    if (this.word() !== 'where') throw new Error('mv-apply: only `where … | summarize` is modelled');
    const whereAt = this.i;
    const kept: unknown[] = [];
    // Evaluated once per element (and once to find where the predicate ends, for an empty array).
    let end = -1;
    const elements: unknown[] = list.v;
    for (const element of elements.length ? elements : [null]) {
      const e = this.sub(whereAt, { [item]: { t: 'dynamic', v: element } });
      const v = asBool(e.or(), 'where');
      end = e.i;
      if (elements.length && v === true) kept.push(element);
    }
    this.i = end;
    this.expect('|');
    if (this.word() !== 'summarize') throw new Error('mv-apply: only `where … | summarize` is modelled');
    const bag = this.word();
    this.expect('=');
    for (const w of ['make_bag', '(', 'bag_pack', '(']) this.expect(w);
    const pairAt = this.i;
    const out: Record<string, unknown> = {};
    end = -1;
    for (const element of kept.length ? kept : [null]) {
      const e = this.sub(pairAt, { [item]: { t: 'dynamic', v: element } });
      const key = e.or();
      e.expect(',');
      const value = e.or();
      end = e.i;
      if (!kept.length) break;
      if (key.t !== 'string') throw new Error('bag_pack with a non-string key is not modelled');
      // Duplicate names: Kusto keeps one of them (which is not documented): not modelled.
      if (Object.hasOwn(out, key.v)) throw new Error(`make_bag: duplicate key ${key.v} not modelled`);
      out[key.v] = value.v;
    }
    this.i = end;
    for (const w of [')', ')', ')']) this.expect(w);
    this.seen.add('make_bag');
    this.computed.set(bag, { t: 'dynamic', v: out });
  }

  or(): Value {
    let left = this.and();
    while (this.is('or')) {
      this.next();
      this.seen.add('or');
      const right = this.and();
      const a = asBool(left, 'or');
      const b = asBool(right, 'or');
      left = bool(a === true || b === true ? true : a === null || b === null ? null : false);
    }
    return left;
  }

  and(): Value {
    let left = this.unary();
    while (this.is('and')) {
      this.next();
      this.seen.add('and');
      const right = this.unary();
      const a = asBool(left, 'and');
      const b = asBool(right, 'and');
      left = bool(a === false || b === false ? false : a === null || b === null ? null : true);
    }
    return left;
  }

  unary(): Value {
    if (this.is('not') && this.is('(', 1)) {
      this.next();
      this.next();
      this.seen.add('not');
      const v = asBool(this.or(), 'not');
      this.expect(')');
      return bool(v === null ? null : !v);
    }
    return this.comparison();
  }

  comparison(): Value {
    if (this.is('*')) {
      this.next();
      const op = this.next();
      const words = op.v === 'matches' ? (this.expect('regex'), 'matches regex') : op.v;
      const rhs = this.next();
      if (rhs.k !== 'str') throw new Error(`* ${words} needs a string literal`);
      this.seen.add(`* ${words}`);
      const test = this.stringOp(words);
      return bool(this.allStrings().some((s) => test(s, rhs.v)));
    }
    const left = this.operand();
    const t = this.peek();
    if (
      !t ||
      t.k === 'str' ||
      t.k === 'num' ||
      [')', '|', ','].includes(t.v) ||
      t.v === 'and' ||
      t.v === 'or' ||
      t.v === 'on'
    )
      return left;
    this.next();
    const op = t.v === 'matches' ? (this.expect('regex'), 'matches regex') : t.v;
    if (op === 'in' || op === 'in~' || op === '!in' || op === '!in~') {
      this.seen.add(op);
      this.expect('(');
      const items: Value[] = [this.operand()];
      while (this.is(',')) {
        this.next();
        items.push(this.operand());
      }
      this.expect(')');
      const hit = items.some((x) => this.equals(left, x, op.endsWith('~')) === true);
      return bool(op.startsWith('!') ? !hit : hit);
    }
    if (op === 'has_any') {
      this.seen.add(op);
      this.expect('(');
      const needles: string[] = [asString(this.operand(), op)];
      while (this.is(',')) {
        this.next();
        needles.push(asString(this.operand(), op));
      }
      this.expect(')');
      const hay = asString(left, op);
      return bool(needles.some((n) => hasTerm(hay, n)));
    }
    if (['<', '<=', '>', '>='].includes(op)) {
      this.seen.add('numeric compare');
      const right = this.operand();
      if (left.t !== 'number' || right.t !== 'number')
        throw new Error(`${op} needs numbers, got ${left.t} and ${right.t}`);
      if (left.v === null || right.v === null) return bool(null);
      const a = left.v;
      const b = right.v;
      return bool(op === '<' ? a < b : op === '<=' ? a <= b : op === '>' ? a > b : a >= b);
    }
    if (op === '==' || op === '!=' || op === '=~' || op === '!~') {
      const right = this.operand();
      this.seen.add(left.t === 'number' ? `number ${op}` : op);
      const eq = this.equals(left, right, op === '=~' || op === '!~');
      if (op === '==' || op === '=~') return bool(eq);
      return bool(eq === null ? null : !eq);
    }
    const test = this.stringOp(op);
    this.seen.add(op);
    const right = this.operand();
    return bool(test(asString(left, op), asString(right, op)));
  }

  /** Kusto equality; null == non-null is false, null == null is null (documented). */
  equals(a: Value, b: Value, insensitive: boolean): boolean | null {
    if (a.t === 'string' && b.t === 'string')
      return insensitive ? lowerAscii(a.v, '=~') === lowerAscii(b.v, '=~') : a.v === b.v;
    if (insensitive) throw new Error(`=~ / in~ on ${a.t} and ${b.t}`);
    if (a.t === 'number' && b.t === 'number') {
      if (a.v === null && b.v === null) return null;
      if (a.v === null || b.v === null) return false;
      return a.v === b.v;
    }
    if (a.t === 'bool' && b.t === 'bool') {
      if (a.v === null && b.v === null) return null;
      if (a.v === null || b.v === null) return false;
      return a.v === b.v;
    }
    throw new Error(`== between ${a.t} and ${b.t} is not modelled`);
  }

  stringOp(op: string): (s: string, x: string) => boolean {
    const negate = op.startsWith('!');
    const base = negate ? op.slice(1) : op;
    let f: (s: string, x: string) => boolean;
    switch (base) {
      case 'contains':
        f = (s, x) => lowerAscii(s, op).includes(lowerAscii(x, op));
        break;
      case 'contains_cs':
        f = (s, x) => s.includes(x);
        break;
      case 'startswith':
        f = (s, x) => lowerAscii(s, op).startsWith(lowerAscii(x, op));
        break;
      case 'startswith_cs':
        f = (s, x) => s.startsWith(x);
        break;
      case 'endswith':
        f = (s, x) => lowerAscii(s, op).endsWith(lowerAscii(x, op));
        break;
      case 'endswith_cs':
        f = (s, x) => s.endsWith(x);
        break;
      case 'has':
        f = hasTerm;
        break;
      case 'matches regex':
        if (negate) throw new Error('!matches regex does not exist');
        f = (s, x) => regex(x).matcher(s).find();
        break;
      default:
        throw new Error(`operator ${JSON.stringify(op)} is not modelled`);
    }
    return negate ? (s, x) => !f(s, x) : f;
  }

  operand(): Value {
    const t = this.next();
    if (t.k === 'str') return str(t.v);
    if (t.k === 'num') return { t: 'number', v: Number(t.v) };
    if (t.k === 'op' && t.v === '(') {
      const v = this.or();
      this.expect(')');
      return v;
    }
    if (t.k === 'op' && t.v === '[') {
      const name = this.next();
      if (name.k !== 'str') throw new Error(`['…'] needs a string at ${name.at}`);
      this.expect(']');
      return this.path(this.column(name.v));
    }
    if (t.k !== 'word') throw new Error(`unexpected ${JSON.stringify(t.v)} at ${t.at}`);
    if (t.v === 'true' || t.v === 'false') return bool(t.v === 'true');
    if (this.is('(')) return this.path(this.call(t.v));
    return this.path(this.column(t.v));
  }

  path(base: Value): Value {
    let v = base;
    while (this.is('.') || this.is('[')) {
      if (v.t !== 'dynamic') throw new Error(`member access on a ${v.t} value`);
      const dot = this.next().v === '.';
      const key = this.next();
      if (dot ? key.k !== 'word' : key.k !== 'str') throw new Error(`bad member access at ${key.at}`);
      if (!dot) this.expect(']');
      const obj = v.v;
      this.seen.add('dynamic member');
      v = {
        t: 'dynamic',
        v:
          obj !== null && typeof obj === 'object' && !Array.isArray(obj) && Object.hasOwn(obj, key.v)
            ? (obj as Record<string, unknown>)[key.v]
            : null,
      };
    }
    return v;
  }

  call(name: string): Value {
    this.expect('(');
    const args: Value[] = [this.or()];
    while (this.is(',')) {
      this.next();
      args.push(this.or());
    }
    this.expect(')');
    const one = (): Value => {
      if (args.length !== 1) throw new Error(`${name} takes one argument`);
      return args[0]!;
    };
    this.seen.add(name);
    switch (name) {
      case 'tostring':
        return str(toStringValue(one()));
      case 'todouble':
        return toDouble(one());
      case 'isempty':
      case 'isnotempty': {
        const x = one();
        const empty = x.t === 'string' ? x.v === '' : x.v === null || x.v === undefined || x.v === '';
        return bool(name === 'isempty' ? empty : !empty);
      }
      case 'isnull':
      case 'isnotnull': {
        const x = one();
        // Strings are never null in Kusto.
        const isNull = x.t === 'string' ? false : x.v === null || x.v === undefined;
        return bool(name === 'isnull' ? isNull : !isNull);
      }
      case 'bag_has_key': {
        // bag_has_key(bag, "$['a']['b']"): the key path exists, whatever its value (null included).
        if (args.length !== 2 || args[0]!.t !== 'dynamic') throw new Error('bag_has_key(dynamic, path) expected');
        const path = asString(args[1]!, name);
        const m = /^\$((?:\['[^'\\\]]*'\])+)$/.exec(path);
        if (!m) throw new Error(`bag_has_key path ${path}: only $['a']['b'] is modelled`);
        let at: unknown = args[0]!.v;
        for (const [, key] of m[1]!.matchAll(/\['([^']*)'\]/g)) {
          if (at === null || typeof at !== 'object' || Array.isArray(at) || !Object.hasOwn(at, key!))
            return bool(false);
          at = (at as Record<string, unknown>)[key!];
        }
        return bool(true);
      }
      case 'coalesce': {
        // The first non-null argument (all of one type; only bools are emitted).
        if (args.length < 2 || args.some((a) => a.t !== 'bool'))
          throw new Error('coalesce of non-bool arguments is not modelled');
        return args.find((a) => a.v !== null) ?? bool(null);
      }
      case 'parse_xml':
        return { t: 'dynamic', v: parseXml(asString(one(), name)) };
      case 'todynamic': {
        // JSON text → its value ("" → null); text that is no JSON is not modelled.
        const x = one();
        if (x.t === 'dynamic') return x;
        const text = asString(x, name);
        if (text === '') return { t: 'dynamic', v: null };
        try {
          return { t: 'dynamic', v: JSON.parse(text) as unknown };
        } catch {
          throw new Error(`todynamic of text that is no JSON (${JSON.stringify(text)}) is not modelled`);
        }
      }
      case 'gettype': {
        const x = one();
        if (x.t !== 'dynamic') return str(x.t === 'number' ? 'real' : x.t);
        const v = x.v;
        return str(
          v === null || v === undefined
            ? 'null'
            : Array.isArray(v)
              ? 'array'
              : typeof v === 'object'
                ? 'dictionary'
                : typeof v === 'string'
                  ? 'string'
                  : typeof v === 'boolean'
                    ? 'bool'
                    : Number.isInteger(v)
                      ? 'long'
                      : 'real',
        );
      }
      case 'pack_array':
        return { t: 'dynamic', v: args.map((a) => a.v) };
      case 'strcat':
        // Concatenates the arguments' string forms (the routes' computed registry paths).
        if (args.length < 1 || args.some((a) => a.t !== 'string'))
          throw new Error('strcat of non-strings is not modelled');
        return str(args.map((a) => a.v as string).join(''));
      case 'iff': {
        if (args.length !== 3) throw new Error('iff takes three arguments');
        const c = asBool(args[0]!, name);
        const [a, b] = [args[1]!, args[2]!];
        if (a.t !== b.t) throw new Error('iff with branches of different types is not modelled');
        return c === true ? a : b;
      }
      case 'ipv4_is_in_range': {
        if (args.length !== 2) throw new Error('ipv4_is_in_range takes two arguments');
        return bool(ipv4InRange(asString(args[0]!, name), asString(args[1]!, name)));
      }
      default:
        throw new Error(`function ${name}() is not modelled`);
    }
  }
}

const isTermChar = (c: string | undefined): boolean => c !== undefined && /[A-Za-z0-9_]|[^\x00-\x7f]/.test(c);

/**
 * Kusto's `has`: the needle (case-insensitive) stands as whole terms in the text. `_` and
 * non-ASCII characters count as term characters here: that makes `has` at most as permissive
 * as Kusto's, so a prefilter that relies on them fails the cross-checks instead of passing.
 */
function hasTerm(text: string, needle: string): boolean {
  if (!/^[A-Za-z0-9](.*[A-Za-z0-9])?$/s.test(needle))
    throw new Error(
      `has ${JSON.stringify(needle)}: only needles that start and end with a letter or digit are modelled`,
    );
  // ASCII folding only: a non-ASCII character never equals the (ASCII) needle's here.
  const fold = (x: string): string => x.replace(/[A-Z]/g, (c) => c.toLowerCase());
  const hay = fold(text);
  const n = fold(needle);
  for (let at = hay.indexOf(n); at >= 0; at = hay.indexOf(n, at + 1))
    if (!isTermChar(hay[at - 1]) && !isTermChar(hay[at + n.length])) return true;
  return false;
}

const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeXml(s: string): string {
  return s.replace(/&(#x[0-9A-Fa-f]+|#[0-9]+|[a-z]+);/g, (m, e: string) => {
    if (e.startsWith('#x')) return String.fromCodePoint(parseInt(e.slice(2), 16));
    if (e.startsWith('#')) return String.fromCodePoint(parseInt(e.slice(1), 10));
    const v = XML_ENTITIES[e];
    if (v === undefined) throw new Error(`XML entity ${m} is not modelled`);
    return v;
  });
}

/**
 * Kusto's parse_xml: the root element as `{ name: value }`. An element's value is its text when
 * it has neither attributes nor child elements (null when empty), else a bag with `@attr` keys,
 * child elements by name (an array when repeated) and `#text` for non-blank text. Malformed → null.
 */
function parseXml(s: string): unknown {
  let i = 0;
  const fail = (): never => {
    throw new SyntaxError('xml');
  };
  const skipMisc = (): void => {
    for (;;) {
      while (/\s/.test(s[i] ?? '')) i++;
      if (s.startsWith('<?', i)) i = s.indexOf('?>', i) + 2 || fail();
      else if (s.startsWith('<!--', i)) i = s.indexOf('-->', i) + 3 || fail();
      else return;
    }
  };
  const element = (): [string, unknown] => {
    if (s[i] !== '<') fail();
    const m = /^<([A-Za-z_][\w.:-]*)/.exec(s.slice(i)) ?? fail();
    const name = m[1]!;
    i += m[0].length;
    const bag: Record<string, unknown> = {};
    let keys = 0;
    for (;;) {
      while (/\s/.test(s[i] ?? '')) i++;
      const a = /^([A-Za-z_][\w.:-]*)\s*=\s*("([^"<]*)"|'([^'<]*)')/.exec(s.slice(i));
      if (!a) break;
      bag['@' + a[1]!] = decodeXml(a[3] ?? a[4] ?? '');
      keys++;
      i += a[0].length;
    }
    if (s.startsWith('/>', i)) {
      i += 2;
      return [name, keys ? bag : null];
    }
    if (s[i] !== '>') fail();
    i++;
    let text = '';
    const repeated = new Set<string>();
    for (;;) {
      const lt = s.indexOf('<', i);
      if (lt < 0) fail();
      text += decodeXml(s.slice(i, lt));
      i = lt;
      if (s.startsWith('</', i)) {
        const close = `</${name}`;
        if (!s.startsWith(close, i)) fail();
        i += close.length;
        while (/\s/.test(s[i] ?? '')) i++;
        if (s[i] !== '>') fail();
        i++;
        break;
      }
      if (s.startsWith('<!--', i)) {
        i = s.indexOf('-->', i) + 3 || fail();
        continue;
      }
      if (s.startsWith('<![CDATA[', i)) {
        const end = s.indexOf(']]>', i);
        if (end < 0) fail();
        text += s.slice(i + 9, end);
        i = end + 3;
        continue;
      }
      const [childName, childValue] = element();
      const prev = bag[childName];
      if (prev === undefined) bag[childName] = childValue;
      else if (repeated.has(childName)) (prev as unknown[]).push(childValue);
      else {
        bag[childName] = [prev, childValue];
        repeated.add(childName);
      }
      keys++;
    }
    if (!keys) return [name, text === '' ? null : text];
    if (text.trim() !== '') bag['#text'] = text;
    // Whitespace-only text beside attributes or children: whether Kusto keeps it is not modelled.
    else if (text !== '') throw new Error(`parse_xml: whitespace-only text in <${name}> is not modelled`);
    return [name, bag];
  };
  try {
    skipMisc();
    const [name, value] = element();
    skipMisc();
    if (i !== s.length) fail();
    return { [name]: value };
  } catch (e) {
    if (e instanceof SyntaxError) return null;
    throw e;
  }
}

const regexCache = new Map<string, RE2JS>();

/** Kusto's `matches regex`: RE2, searching; flags only inline. */
function regex(source: string): RE2JS {
  let re = regexCache.get(source);
  if (!re) {
    re = RE2JS.compile(source);
    regexCache.set(source, re);
  }
  return re;
}

/** Whether the row passes the query. Throws on anything outside the modelled subset. */
export function runKql(query: string, row: Row, opts: RunOptions = {}, seen: Set<Feature> = new Set()): boolean {
  return new Evaluator(tokenize(query), row, opts, seen).query();
}

/**
 * The row after the query (with the columns it computed, e.g. `EventDataFields` of an XML event
 * table), or null when the query drops it: for the tabular layer (kql-tabular.ts).
 */
export function runKqlRow(query: string, row: Row, opts: RunOptions = {}): Row | null {
  const e = new Evaluator(tokenize(query), row, opts, new Set());
  if (!e.query()) return null;
  const out: Row = { ...row };
  for (const [name, value] of e.computed) out[name] = value.v;
  return out;
}

/** The string literals of a query, decoded by the interpreter's tokenizer (for cross-checks). */
export function stringLiterals(query: string): string[] {
  return tokenize(query)
    .filter((t) => t.k === 'str')
    .map((t) => t.v);
}
