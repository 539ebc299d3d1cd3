/**
 * The tabular part of KQL that correlation queries use, over whole tables, with Kusto's
 * documented semantics, for cross-checking the KQL backend's correlations against the
 * evaluator's correlator (test/backends/kql/correlation-matrix.test.ts).
 *
 * A base rule's `Table | where … | where …` is decided row by row by the row interpreter
 * (kql-interpreter.ts, `runKql`); this module runs what follows and around it:
 *
 * - `let Name = <tabular>;` then a query that reads `Name`; `union (…), (…)`; `// comments`;
 * - `| project A = expr, B`, `| project-away A`, `| extend A = expr, …` (every expression of one
 *   `extend` sees the input row), `| where expr`;
 * - `| sort by A asc, B desc` (stable; the result is serialized: `prev(col, n)` reads the row n
 *   before, null before the first);
 * - `| summarize agg, … by A, N = expr` with `count() max() min() sum() avg() make_list()` and
 *   `arg_max(T, C…)` (the row with the greatest T gives T and C…; null T never wins);
 * - `| join kind=inner (…) on A, B` (equal keys; a right column whose name the left has gets the
 *   suffix `1`, as Kusto does);
 * - expressions: columns, dynamic paths `Col.a`, strings, numbers, timespans (`5m` → ms), `and`,
 *   `or`, `not()`, `== != < <= > >=` (null on a null side), `+ - * /` (null on a null side),
 *   `[i]` on arrays, and `tostring todouble toint isnotempty isempty isnotnull isnull prev min_of
 *   max_of bin ceiling array_sort_asc array_length`.
 *
 * Times are numbers of milliseconds; `bin()` aligns to the Unix epoch, which for spans dividing a
 * day is Kusto's alignment too (0001-01-01 lies a whole number of days before it). Anything else
 * throws, so that a test cannot pass by misreading a query.
 */
import { readKqlString, runKqlRow, TokenCursor, type Row } from './kql-interpreter.js';

interface Tok {
  k: 'str' | 'word' | 'num' | 'span' | 'op';
  v: string;
  at: number;
  /** Numbers and timespans (ms). */
  n?: number;
}

const OPS = [
  '==',
  '!=',
  '<=',
  '>=',
  '=~',
  '!~',
  '<',
  '>',
  '=',
  '(',
  ')',
  ',',
  '.',
  '[',
  ']',
  '|',
  ';',
  '-',
  '+',
  '*',
  '/',
  '!',
  '~',
];
const SPAN_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

function tokenize(s: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (s.startsWith('//', i)) {
      // A comment, to the end of its line.
      const nl = s.indexOf('\n', i);
      i = nl < 0 ? s.length : nl;
      continue;
    }
    if (
      c === '"' ||
      c === "'" ||
      (c === '@' && /["']/.test(s[i + 1] ?? '')) ||
      (/[hH]/.test(c) && /^@?["']/.test(s.slice(i + 1, i + 3)))
    ) {
      const r = readKqlString(s, i);
      out.push({ k: 'str', v: r.value, at: i });
      i = r.end;
      continue;
    }
    const num = /^[0-9]+(\.[0-9]+)?(ms|s|m|h|d)?(?![A-Za-z0-9_])/.exec(s.slice(i));
    if (num) {
      const n = Number(num[0].replace(/[a-z]+$/, ''));
      if (num[2]) out.push({ k: 'span', v: num[0], at: i, n: n * SPAN_MS[num[2]]! });
      else out.push({ k: 'num', v: num[0], at: i, n });
      i += num[0].length;
      continue;
    }
    const w = /^[A-Za-z_][A-Za-z0-9_]*/.exec(s.slice(i));
    if (w) {
      let v = w[0];
      if (v === 'project' && s.startsWith('-away', i + v.length)) v = 'project-away';
      out.push({ k: 'word', v, at: i });
      i += v.length;
      continue;
    }
    const op = OPS.find((o) => s.startsWith(o, i));
    if (!op) throw new Error(`unexpected character ${JSON.stringify(c)} at ${i}`);
    out.push({ k: 'op', v: op, at: i });
    i += op.length;
  }
  return out;
}

type Val = unknown;

/** The operators of a base query that the row interpreter runs (the tokenizer reads `mv-apply` as `mv`). */
const ROW_OPERATORS = new Set(['where', 'extend', 'mv', 'project-away']);
type Table = { rows: Row[]; serialized: boolean };

export interface TabularOptions {
  /** Rows of each table a query reads. */
  tables: Record<string, Row[]>;
  /** Column → KQL type of each table (for the row interpreter's binding checks). */
  columns?: (table: string) => ReadonlyMap<string, string> | undefined;
}

const isNull = (v: Val): boolean => v === null || v === undefined;

function cmp(a: Val, b: Val): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  throw new Error(`comparison of ${JSON.stringify(a)} and ${JSON.stringify(b)} is not modelled`);
}

/** Sort order: nulls first (Kusto's default for asc). */
function order(a: Val, b: Val): number {
  if (isNull(a) || isNull(b)) return isNull(a) ? (isNull(b) ? 0 : -1) : 1;
  return cmp(a, b);
}

function keyOf(values: Val[]): string {
  return JSON.stringify(values.map((v) => (v === undefined ? null : v)));
}

class Parser extends TokenCursor<Tok> {
  readonly lets = new Map<string, Table>();
  constructor(
    readonly text: string,
    toks: Tok[],
    readonly opts: TabularOptions,
  ) {
    super(toks);
  }

  run(): Row[] {
    while (this.is('let')) {
      this.next();
      const name = this.word();
      this.expect('=');
      this.lets.set(name, this.tabular());
      this.expect(';');
    }
    const t = this.tabular();
    if (this.peek()) throw new Error(`unexpected ${JSON.stringify(this.peek()!.v)} at ${this.peek()!.at}`);
    return t.rows;
  }

  tabular(): Table {
    let table = this.source();
    while (this.is('|')) {
      this.next();
      table = this.operator(table);
    }
    return table;
  }

  source(): Table {
    if (this.is('(')) {
      this.next();
      const t = this.tabular();
      this.expect(')');
      return t;
    }
    const start = this.next();
    if (start.k !== 'word') throw new Error(`a tabular expression starts with a name, got ${start.v}`);
    if (start.v === 'union') {
      const rows: Row[] = [];
      do {
        if (this.is(',')) this.next();
        this.expect('(');
        rows.push(...this.tabular().rows);
        this.expect(')');
      } while (this.is(','));
      return { rows, serialized: false };
    }
    const bound = this.lets.get(start.v);
    if (bound) return { rows: bound.rows.map((r) => ({ ...r })), serialized: bound.serialized };
    // A table: its `| where` lines, and the `| extend`, `| mv-apply` and `| project-away` that
    // read an XML event table before them, are the row interpreter's (which keeps the columns
    // they compute).
    const rows = this.opts.tables[start.v];
    if (!rows) throw new Error(`no rows given for table ${start.v}`);
    let end = this.i;
    let depth = 0;
    for (; end < this.toks.length; end++) {
      const t = this.toks[end]!;
      if (t.k === 'str') continue;
      if (depth === 0 && t.v === '|' && this.toks[end + 1]?.k === 'word' && !ROW_OPERATORS.has(this.toks[end + 1]!.v))
        break;
      if (depth === 0 && (t.v === ')' || t.v === ';')) break;
      if (t.v === '(' || t.v === '[') depth++;
      if (t.v === ')' || t.v === ']') depth--;
    }
    const endAt = end < this.toks.length ? this.toks[end]!.at : this.text.length;
    const query = this.text.slice(start.at, endAt);
    this.i = end;
    const columns = this.opts.columns?.(start.v);
    return {
      rows: rows.flatMap((r): Row[] => {
        const out = runKqlRow(query, r, { table: start.v, ...(columns ? { columns } : {}) });
        return out ? [out] : [];
      }),
      serialized: false,
    };
  }

  /** `A = expr` or a bare column, comma-separated, until the next `|`, `)`, `;` or `by`. */
  assignments(): { name: string; at: number; end: number }[] {
    const out: { name: string; at: number; end: number }[] = [];
    for (;;) {
      let name: string | undefined;
      if (this.peek()?.k === 'word' && this.is('=', 1)) {
        name = this.word();
        this.next();
      }
      const exprAt = this.i;
      this.skipExpression();
      if (name === undefined) {
        const t = this.toks[exprAt]!;
        if (this.i !== exprAt + 1 || t.k !== 'word') {
          // An aggregate without a name (`arg_max(…)`, `count()`): named by the caller.
          name = '';
        } else name = t.v;
      }
      out.push({ name, at: exprAt, end: this.i });
      if (!this.is(',')) return out;
      this.next();
    }
  }

  /** Moves past one expression (balanced brackets), stopping at `,` `|` `)` `;` or `by` at depth 0. */
  skipExpression(): void {
    let depth = 0;
    for (;;) {
      const t = this.peek();
      if (!t) return;
      if (depth === 0 && t.k !== 'str' && [',', '|', ')', ';'].includes(t.v)) return;
      if (depth === 0 && t.k === 'word' && t.v === 'by') return;
      if (t.v === '(' || t.v === '[') depth++;
      if (t.v === ')' || t.v === ']') depth--;
      this.i++;
    }
  }

  evalAt(at: number, end: number, row: Row, ctx: RowContext): Val {
    const e = new Expr(this.toks.slice(at, end), row, ctx);
    const v = e.expr();
    if (e.i !== e.toks.length) throw new Error(`unexpected ${JSON.stringify(e.toks[e.i]!.v)} in an expression`);
    return v;
  }

  operator(input: Table): Table {
    const op = this.word();
    switch (op) {
      case 'where': {
        const at = this.i;
        this.skipExpression();
        const end = this.i;
        return {
          rows: input.rows.filter((r, k) => this.evalAt(at, end, r, { table: input, index: k }) === true),
          serialized: input.serialized,
        };
      }
      case 'project':
      case 'extend': {
        const list = this.assignments();
        const rows = input.rows.map((r, k) => {
          const out: Row = op === 'extend' ? { ...r } : {};
          for (const a of list) out[a.name] = this.evalAt(a.at, a.end, r, { table: input, index: k });
          return out;
        });
        return { rows, serialized: input.serialized };
      }
      case 'project-away': {
        const names: string[] = [];
        do {
          if (this.is(',')) this.next();
          names.push(this.word());
        } while (this.is(','));
        return {
          rows: input.rows.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !names.includes(k)))),
          serialized: input.serialized,
        };
      }
      case 'sort': {
        this.expect('by');
        const keys: { name: string; desc: boolean }[] = [];
        do {
          if (this.is(',')) this.next();
          const name = this.word();
          let desc = true; // Kusto's default order is descending
          if (this.is('asc') || this.is('desc')) desc = this.word() === 'desc';
          keys.push({ name, desc });
        } while (this.is(','));
        const rows = [...input.rows].sort((a, b) => {
          for (const k of keys) {
            const c = order(a[k.name], b[k.name]);
            if (c !== 0) return k.desc ? -c : c;
          }
          return 0;
        });
        return { rows, serialized: true };
      }
      case 'summarize':
        return this.summarize(input);
      case 'join': {
        this.expect('kind');
        this.expect('=');
        const kind = this.word();
        if (kind !== 'inner') throw new Error(`join kind=${kind} is not modelled`);
        this.expect('(');
        const right = this.tabular();
        this.expect(')');
        this.expect('on');
        const keys: string[] = [];
        do {
          if (this.is(',')) this.next();
          keys.push(this.word());
        } while (this.is(','));
        const byKey = new Map<string, Row[]>();
        for (const r of right.rows) {
          const k = keyOf(keys.map((x) => r[x]));
          byKey.set(k, [...(byKey.get(k) ?? []), r]);
        }
        const rows: Row[] = [];
        for (const l of input.rows) {
          if (keys.some((x) => isNull(l[x]))) continue;
          for (const r of byKey.get(keyOf(keys.map((x) => l[x]))) ?? []) {
            const out: Row = { ...l };
            for (const [name, v] of Object.entries(r)) out[Object.hasOwn(l, name) ? `${name}1` : name] = v;
            rows.push(out);
          }
        }
        return { rows, serialized: false };
      }
      default:
        throw new Error(`operator ${op} is not modelled`);
    }
  }

  summarize(input: Table): Table {
    const aggs = this.is('by') ? [] : this.assignments();
    let keys: { name: string; at: number; end: number }[] = [];
    if (this.is('by')) {
      this.next();
      keys = this.assignments();
      for (const k of keys) if (!k.name) throw new Error('a summarize key that is not a column needs a name');
    }
    const groups = new Map<string, { key: Val[]; rows: Row[] }>();
    input.rows.forEach((r, k) => {
      const key = keys.map((x) => this.evalAt(x.at, x.end, r, { table: input, index: k }));
      const id = keyOf(key);
      let g = groups.get(id);
      if (!g) groups.set(id, (g = { key, rows: [] }));
      g.rows.push(r);
    });
    const out: Row[] = [];
    for (const g of groups.values()) {
      const row: Row = {};
      keys.forEach((x, k) => (row[x.name] = g.key[k]));
      for (const a of aggs) Object.assign(row, this.aggregate(a, g.rows));
      out.push(row);
    }
    return { rows: out, serialized: false };
  }

  aggregate(a: { name: string; at: number; end: number }, rows: Row[]): Row {
    const toks = this.toks.slice(a.at, a.end);
    const fn = toks[0];
    if (fn?.k !== 'word' || toks[1]?.v !== '(' || toks[toks.length - 1]?.v !== ')')
      throw new Error(`summarize expects an aggregation, got ${toks.map((t) => t.v).join(' ')}`);
    // Arguments: split at depth-0 commas.
    const args: Tok[][] = [];
    let depth = 0;
    let cur: Tok[] = [];
    for (const t of toks.slice(2, -1)) {
      if (t.k !== 'str' && (t.v === '(' || t.v === '[')) depth++;
      if (t.k !== 'str' && (t.v === ')' || t.v === ']')) depth--;
      if (depth === 0 && t.k !== 'str' && t.v === ',') {
        args.push(cur);
        cur = [];
      } else cur.push(t);
    }
    if (cur.length) args.push(cur);
    const values = (k: number): Val[] =>
      rows.map((r) => {
        const e = new Expr(args[k]!, r, undefined);
        return e.expr();
      });
    const named = (v: Val): Row => {
      if (!a.name) throw new Error(`${fn.v}() needs a name`);
      return { [a.name]: v };
    };
    switch (fn.v) {
      case 'count':
        return named(rows.length);
      case 'max':
      case 'min': {
        const xs = values(0).filter((x) => !isNull(x));
        if (!xs.length) return named(null);
        return named(xs.reduce((m, x) => (fn.v === 'max' ? (cmp(x, m) > 0 ? x : m) : cmp(x, m) < 0 ? x : m)));
      }
      case 'sum':
      case 'avg': {
        const xs = values(0).filter((x) => !isNull(x)) as number[];
        if (xs.some((x) => typeof x !== 'number')) throw new Error(`${fn.v}() over non-numbers`);
        if (!xs.length) return named(null);
        const s = xs.reduce((m, x) => m + x, 0);
        return named(fn.v === 'sum' ? s : s / xs.length);
      }
      case 'make_list': {
        if (args.length !== 1) throw new Error('make_list() with a size limit is not modelled');
        return named(values(0).filter((x) => !isNull(x)));
      }
      case 'arg_max': {
        if (a.name) throw new Error('a named arg_max() is not modelled');
        const by = values(0);
        let best = -1;
        by.forEach((x, k) => {
          if (!isNull(x) && (best < 0 || cmp(x, by[best]) > 0)) best = k;
        });
        const out: Row = {};
        const names = args.map((arg) => {
          if (arg.length !== 1 || arg[0]!.k !== 'word') throw new Error('arg_max() of expressions is not modelled');
          return arg[0]!.v;
        });
        for (const n of names) out[n] = best < 0 ? null : (rows[best]![n] ?? null);
        return out;
      }
      default:
        throw new Error(`aggregation ${fn.v}() is not modelled`);
    }
  }
}

interface RowContext {
  table: Table;
  index: number;
}

class Expr extends TokenCursor<Tok> {
  constructor(
    toks: Tok[],
    readonly row: Row,
    readonly ctx: RowContext | undefined,
  ) {
    super(toks);
  }

  expr(): Val {
    let v = this.and();
    while (this.is('or')) {
      this.next();
      const r = this.and();
      v = v === true || r === true ? true : isNull(v) || isNull(r) ? null : false;
    }
    return v;
  }
  and(): Val {
    let v = this.comparison();
    while (this.is('and')) {
      this.next();
      const r = this.comparison();
      v = v === false || r === false ? false : isNull(v) || isNull(r) ? null : true;
    }
    return v;
  }
  comparison(): Val {
    const l = this.additive();
    const t = this.peek();
    if (t && t.k === 'op' && ['==', '!=', '<', '<=', '>', '>='].includes(t.v)) {
      this.next();
      const r = this.additive();
      if (isNull(l) || isNull(r)) return null;
      const c = cmp(l, r);
      return { '==': c === 0, '!=': c !== 0, '<': c < 0, '<=': c <= 0, '>': c > 0, '>=': c >= 0 }[t.v];
    }
    return l;
  }
  additive(): Val {
    let v = this.multiplicative();
    while (this.is('+') || this.is('-')) {
      const op = this.next().v;
      const r = this.multiplicative();
      v = isNull(v) || isNull(r) ? null : op === '+' ? num(v) + num(r) : num(v) - num(r);
    }
    return v;
  }
  multiplicative(): Val {
    let v = this.postfix();
    while (this.is('*') || this.is('/')) {
      const op = this.next().v;
      const r = this.postfix();
      v = isNull(v) || isNull(r) ? null : op === '*' ? num(v) * num(r) : num(v) / num(r);
    }
    return v;
  }
  postfix(): Val {
    let v = this.primary();
    for (;;) {
      if (this.is('[')) {
        this.next();
        const k = this.expr();
        this.expect(']');
        if (Array.isArray(v) && typeof k === 'number') v = k >= 0 && k < v.length ? v[k] : null;
        else if (v && typeof v === 'object' && typeof k === 'string') v = (v as Record<string, Val>)[k] ?? null;
        else v = null;
      } else if (this.is('.')) {
        this.next();
        const k = this.next().v;
        v = v && typeof v === 'object' && !Array.isArray(v) ? ((v as Record<string, Val>)[k] ?? null) : null;
      } else return v;
    }
  }
  primary(): Val {
    const t = this.next();
    if (t.k === 'str') return t.v;
    if (t.k === 'num' || t.k === 'span') return t.n!;
    if (t.k === 'op' && t.v === '(') {
      const v = this.expr();
      this.expect(')');
      return v;
    }
    if (t.k === 'op' && t.v === '-') return -num(this.primary());
    if (t.k !== 'word') throw new Error(`unexpected ${JSON.stringify(t.v)}`);
    if (t.v === 'true' || t.v === 'false') return t.v === 'true';
    if (!this.is('(')) {
      if (!Object.hasOwn(this.row, t.v)) throw new Error(`column ${t.v} is not in the row set`);
      return this.row[t.v] ?? null;
    }
    this.next();
    if (t.v === 'prev') {
      const name = this.next();
      if (name.k !== 'word') throw new Error('prev() of an expression is not modelled');
      let n = 1;
      if (this.is(',')) {
        this.next();
        n = num(this.primary());
      }
      this.expect(')');
      if (!this.ctx?.table.serialized) throw new Error('prev() on a row set that is not serialized');
      const at = this.ctx.index - n;
      return at >= 0 ? (this.ctx.table.rows[at]![name.v] ?? null) : null;
    }
    const args: Val[] = [];
    while (!this.is(')')) {
      args.push(this.expr());
      if (this.is(',')) this.next();
    }
    this.next();
    return call(t.v, args);
  }
}

function num(v: Val): number {
  if (typeof v !== 'number') throw new Error(`number expected, got ${JSON.stringify(v)}`);
  return v;
}

function call(name: string, a: Val[]): Val {
  const [x, y] = a;
  switch (name) {
    case 'tostring':
      if (isNull(x)) return '';
      if (typeof x === 'string') return x;
      if (typeof x === 'number' || typeof x === 'boolean') return String(x);
      return JSON.stringify(x);
    case 'todouble': {
      if (typeof x === 'number') return x;
      if (typeof x !== 'string' || x.trim() === '') return null;
      const n = Number(x);
      return Number.isFinite(n) ? n : null;
    }
    case 'toint':
      return isNull(x) ? null : Math.trunc(num(x));
    case 'isnotempty':
      return !(isNull(x) || x === '');
    case 'isempty':
      return isNull(x) || x === '';
    case 'isnotnull':
      return !isNull(x);
    case 'isnull':
      return isNull(x);
    case 'min_of':
    case 'max_of': {
      const xs = a.filter((v) => !isNull(v));
      if (!xs.length) return null;
      return xs.reduce((m, v) => ((name === 'max_of' ? cmp(v, m) > 0 : cmp(v, m) < 0) ? v : m));
    }
    case 'bin':
      return isNull(x) || isNull(y) ? null : Math.floor(num(x) / num(y)) * num(y);
    case 'ceiling':
      return isNull(x) ? null : Math.ceil(num(x));
    case 'array_sort_asc': {
      if (!Array.isArray(x)) return null;
      return [...x].sort(order);
    }
    case 'array_length':
      return Array.isArray(x) ? x.length : null;
    default:
      throw new Error(`function ${name}() is not modelled`);
  }
}

/** Runs a KQL query over tables of rows; returns its result rows. */
export function runKqlTable(query: string, opts: TabularOptions): Row[] {
  return new Parser(query, tokenize(query), opts).run();
}
