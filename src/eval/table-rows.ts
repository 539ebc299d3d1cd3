/**
 * Table-shaped telemetry: rows exported from the tables a KQL pipeline routes to (Defender XDR
 * advanced hunting's Device* tables, Sentinel's SecurityEvent, WindowsEvent and Event) read back
 * into the Sigma events the pipeline's mapping describes, **in reverse**, from the same
 * `PipelineSpec` data the backends use (no second table that could drift).
 *
 * A rule is evaluated on a row exactly when its query would read it: the row is of the table
 * the rule is routed to and holds the route's conditions (ActionType, Provider, EventID …) and
 * the pipeline's added conditions. What a rule reads of the row follows its transformations run
 * backwards:
 * - `field_map` F → C: F is C's value (a list of columns: every value, any may match);
 * - `field_template` (`EventData.{field}`): every key of the dynamic column is a field;
 * - `split_domain_user`: `DOMAIN\user` from the two columns; `split_hashes`: `ALGO=hex,…`;
 * - `value_map`: the Sigma value(s) whose column values hold the row's value;
 * - `path_to_name`: only the file name is known, read as `\name` and `/name` (rules that need
 *   the folder do not convert for such a table, C022, and are not run);
 * - `replace_prefix`: the row's long form and every abbreviation that rewrites to it;
 * - a route's `extend` columns are computed (strcat, iff, isempty, isnotempty, tostring);
 * - every other column keeps its name (a rule may read a column by its own name), except under a
 *   `field_template`, where only the template's `except` names do.
 * Empty strings read as absent (Kusto strings are never null: a missing value exports as ""). A
 * field with no source column is absent, never invented. Rules whose transformations this file
 * cannot run backwards (drop_fields, replace_regex, field_rename, other templates) are listed in
 * `skipped` with the reason, as are rules the caller says do not convert.
 */
import type { SigmaRule } from '../ast/types.js';
import { conditionMapToPredicate } from '../pipelines/conditions.js';
import { whenHolds } from '../pipelines/match.js';
import { ruleEventIds, selectRoute } from '../pipelines/routes.js';
import type { PipelineSpec, PrefixReplacement, Route, Transformation } from '../pipelines/types.js';
import { tableColumns, type KqlProduct } from '../backends/kql/schema.js';
import { compilePredicate, toView, type EventTest } from './compile.js';
import type { EventObject } from './event-shapes.js';

export type Row = Record<string, unknown>;

const isObject = (v: unknown): v is Row => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A value that says nothing: absent, null or the empty string (Kusto's missing string). */
const blank = (v: unknown): boolean => v === undefined || v === null || v === '';

// ---------------------------------------------------------------------------
// Route `extend` expressions: the few KQL functions the pipelines use, nothing more.

type Expr = (row: Row) => unknown;

class ExprError extends Error {}

/** Compiles a KQL scalar expression of the subset routes use; anything else throws ExprError. */
export function compileExtend(text: string): Expr {
  let i = 0;
  const ws = (): void => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  const expect = (c: string): void => {
    ws();
    if (text[i] !== c) throw new ExprError(`expected '${c}' at ${i} in ${text}`);
    i++;
  };
  const str = (): string => {
    const verbatim = text[i] === '@';
    if (verbatim) i++;
    const q = text[i++]!;
    let out = '';
    while (i < text.length) {
      const c = text[i++]!;
      if (c === q) {
        if (verbatim && text[i] === q) {
          out += q;
          i++;
          continue;
        }
        return out;
      }
      if (!verbatim && c === '\\') {
        const e = text[i++]!;
        const simple: Record<string, string> = { '\\': '\\', '"': '"', "'": "'", n: '\n', t: '\t', r: '\r' };
        if (!(e in simple)) throw new ExprError(`escape \\${e} in ${text}`);
        out += simple[e];
      } else out += c;
    }
    throw new ExprError(`unterminated string in ${text}`);
  };
  const expr = (): Expr => {
    ws();
    const c = text[i];
    if (c === '"' || c === "'" || (c === '@' && (text[i + 1] === '"' || text[i + 1] === "'"))) {
      const s = str();
      return () => s;
    }
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i));
    if (!m) throw new ExprError(`unexpected '${c ?? 'end'}' in ${text}`);
    const name = m[0];
    i += name.length;
    ws();
    if (text[i] !== '(') return (row) => (Object.hasOwn(row, name) ? row[name] : undefined);
    i++;
    const args: Expr[] = [];
    ws();
    if (text[i] === ')') i++;
    else
      for (;;) {
        args.push(expr());
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        expect(')');
        break;
      }
    const asString = (v: unknown): string => (blank(v) ? '' : typeof v === 'string' ? v : JSON.stringify(v));
    switch (name) {
      case 'strcat':
        return (row) => args.map((a) => asString(a(row))).join('');
      case 'tostring':
        if (args.length !== 1) break;
        return (row) => asString(args[0]!(row));
      case 'isempty':
        if (args.length !== 1) break;
        return (row) => blank(args[0]!(row));
      case 'isnotempty':
        if (args.length !== 1) break;
        return (row) => !blank(args[0]!(row));
      case 'iff':
        if (args.length !== 3) break;
        return (row) => (args[0]!(row) === true ? args[1]!(row) : args[2]!(row));
      default:
    }
    throw new ExprError(`${name}(…) with ${args.length} arguments is not read back from rows`);
  };
  const e = expr();
  ws();
  if (i !== text.length) throw new ExprError(`unexpected text after the expression: ${text.slice(i)}`);
  return e;
}

// ---------------------------------------------------------------------------
// Columns

/** A column's value by name, or by a dotted path into a dynamic column (`AdditionalFields.PipeName`). */
function column(row: Row, name: string): unknown {
  if (Object.hasOwn(row, name)) return row[name];
  const dot = name.indexOf('.');
  if (dot === -1) return undefined;
  let cur: unknown = Object.hasOwn(row, name.slice(0, dot)) ? row[name.slice(0, dot)] : undefined;
  for (const step of name.slice(dot + 1).split('.')) {
    if (!isObject(cur) || !Object.hasOwn(cur, step)) return undefined;
    cur = cur[step];
  }
  return cur;
}

const NUMERIC = new Set(['int', 'long', 'real', 'double', 'decimal']);

/**
 * A row as its table types it: numbers in numeric columns, booleans in bool columns, dynamic
 * columns parsed when they arrive as JSON text (CSV, and Defender's AdditionalFields in JSON
 * exports); blank values dropped. A value that does not fit its column type is kept as it came.
 */
export function typedRow(raw: Row, columns: ReadonlyMap<string, string> | undefined): Row {
  const out: Row = Object.create(null) as Row;
  for (const key of Object.keys(raw)) {
    let v = raw[key];
    if (blank(v)) continue;
    const type = columns?.get(key);
    if (typeof v === 'string' && type !== undefined) {
      if (NUMERIC.has(type) && /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(v.trim())) v = Number(v);
      else if (type === 'bool' && /^(true|false)$/i.test(v.trim())) v = v.trim().toLowerCase() === 'true';
      else if (type === 'dynamic' && /^\s*[[{]/.test(v)) {
        try {
          v = JSON.parse(v) as unknown;
        } catch {
          // Not JSON after all: the text stays, as Kusto keeps it.
        }
      }
    }
    out[key] = v;
  }
  return out;
}

/**
 * Kusto's `todynamic` (`parse_json`) of a string: the JSON value it holds; text that is no JSON
 * stays that text (as a dynamic string), and null is absent.
 */
export function todynamic(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** The `<Data Name="X">v</Data>` items of the Event table's XML EventData, as fields. */
export function eventDataXml(xml: string): Row {
  const out: Row = Object.create(null) as Row;
  const decode = (s: string): string =>
    s.replace(/&(lt|gt|amp|quot|apos|#(\d+)|#x([0-9a-fA-F]+));/g, (_, e: string, d?: string, h?: string) =>
      d !== undefined
        ? String.fromCodePoint(Number(d))
        : h !== undefined
          ? String.fromCodePoint(parseInt(h, 16))
          : { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }[e]!,
    );
  const item = /<Data\s+Name\s*=\s*(?:"([^"]*)"|'([^']*)')\s*(?:\/>|>([\s\S]*?)<\/Data\s*>)/g;
  for (const m of xml.matchAll(item)) {
    const name = decode(m[1] ?? m[2] ?? '');
    const value = m[3] === undefined ? '' : decode(m[3]);
    if (value !== '') out[name] = value;
  }
  return out;
}

// ---------------------------------------------------------------------------
// The reverse of one rule group's transformations

type Reader = (row: Row) => unknown;

interface Binding {
  field: string;
  read: Reader;
}

interface ReverseMapping {
  bindings: Binding[];
  /** With a field template: the dynamic column whose keys are fields, and the names it leaves out. */
  template?: { column: string; except: Set<string>; xml: boolean };
  prefixes: { fields: string[]; replacements: readonly PrefixReplacement[] }[];
  conditions: EventTest[];
  /** Fields read from a file-name column (their value lists both separators). */
  names: string[];
}

const single = (vals: unknown[]): unknown => (vals.length === 0 ? undefined : vals.length === 1 ? vals[0] : vals);

function reverseOf(ts: readonly Transformation[]): ReverseMapping | string {
  const claimed = new Set<string>();
  const r: ReverseMapping = { bindings: [], prefixes: [], conditions: [], names: [] };
  let xmlColumn: string | undefined;
  const claim = (field: string, read: Reader): void => {
    // After a template, a field it did not leave out was already templated.
    if (claimed.has(field) || (r.template && !r.template.except.has(field))) return;
    claimed.add(field);
    r.bindings.push({ field, read });
  };
  for (const t of ts) {
    switch (t.type) {
      case 'field_map':
        for (const [field, target] of Object.entries(t.map)) {
          const cols = Array.isArray(target) ? target : [target];
          claim(
            field,
            cols.length === 1
              ? (row) => column(row, cols[0]!)
              : (row) => single(cols.map((c) => column(row, c)).filter((v) => !blank(v))),
          );
        }
        break;
      case 'split_domain_user':
        claim(t.field, (row) => {
          const d = column(row, t.domain);
          const u = column(row, t.user);
          if (blank(d) && blank(u)) return undefined;
          return `${blank(d) ? '' : String(d)}\\${blank(u) ? '' : String(u)}`;
        });
        break;
      case 'split_hashes':
        claim(t.field, (row) => {
          const parts = Object.entries(t.columns)
            .map(([algo, col]) => [algo, column(row, col)] as const)
            .filter(([, v]) => !blank(v))
            .map(([algo, v]) => `${algo}=${String(v)}`);
          return parts.length ? parts.join(',') : undefined;
        });
        break;
      case 'value_map': {
        // A value mapped to conditions (Defender's ASR `Asr…Blocked`) holds when the row meets them.
        const tests = Object.entries(t.values).map(([k, mapped]): [string, (row: Row) => boolean] => {
          if (!Array.isArray(mapped)) {
            const test = compilePredicate(conditionMapToPredicate(mapped));
            return [k, (row) => test(toView(row))];
          }
          return [
            k,
            (row) => {
              const v = column(row, t.column);
              return mapped.some((x) => (typeof x === 'number' ? Number(v) === x : String(v) === String(x)));
            },
          ];
        });
        claim(t.field, (row) => {
          if (blank(column(row, t.column))) return undefined;
          return single(tests.filter(([, holds]) => holds(row)).map(([k]) => k));
        });
        break;
      }
      case 'path_to_name':
        r.names.push(t.field);
        claim(t.field, (row) => {
          const v = column(row, t.column);
          return blank(v) ? undefined : [`\\${String(v)}`, `/${String(v)}`];
        });
        break;
      case 'field_template': {
        const m = /^([A-Za-z_][A-Za-z0-9_]*)\.\{field\}$/.exec(t.template);
        if (!m) return `the field template '${t.template}' is not read back from rows`;
        r.template = { column: m[1]!, except: new Set(t.except ?? []), xml: xmlColumn === m[1] };
        break;
      }
      case 'replace_prefix':
        r.prefixes.push({ fields: t.fields, replacements: t.replacements });
        break;
      case 'add_condition':
        r.conditions.push(compilePredicate(conditionMapToPredicate(t.conditions, t.ignore_case !== true)));
        break;
      case 'set_state':
        if (typeof t.state['eventDataXml'] === 'string') xmlColumn = t.state['eventDataXml'];
        break;
      case 'fail':
      case 'expand_placeholders':
        break;
      case 'drop_fields':
      case 'replace_regex':
      case 'field_rename':
        return `the pipeline's ${t.type} step is not read back from rows`;
    }
  }
  return r;
}

/** The abbreviations a long value may have been written with: `HKEY_LOCAL_MACHINE\x` → `HKLM\x`. */
function abbreviations(value: unknown, reps: readonly PrefixReplacement[]): unknown {
  if (typeof value !== 'string') return value;
  const lower = value.toLowerCase();
  const alts = reps
    .filter((r) => lower.startsWith(r.with.toLowerCase()))
    .map((r) => r.prefix + value.slice(r.with.length));
  return alts.length ? [value, ...new Set(alts)] : value;
}

/**
 * Whether a row's value lies outside what a prefix rewrite produces: it begins with an
 * abbreviation (`\pipe\x`, `HKLM\x`) and with none of the long forms the target writes
 * (`\Device\NamedPipe\…`, `HKEY_LOCAL_MACHINE\…`). The query reads only the long form
 * where a value is anchored, so no event of the rule's log source is that row.
 */
function outsideRewrite(value: unknown, reps: readonly PrefixReplacement[]): boolean {
  if (typeof value !== 'string') return false;
  const lower = value.toLowerCase();
  return (
    reps.some((r) => lower.startsWith(r.prefix.toLowerCase())) &&
    !reps.some((r) => lower.startsWith(r.with.toLowerCase()))
  );
}

/** The rewritten fields of a read-back event whose row value no rewrite produces (outsideRewrite). */
function fieldsOutsideRewrite(m: ReverseMapping, ev: EventObject): string[] {
  const out: string[] = [];
  for (const p of m.prefixes)
    for (const f of p.fields) {
      const v = Object.hasOwn(ev, f) ? ev[f] : undefined;
      if (outsideRewrite(Array.isArray(v) ? v[0] : v, p.replacements)) out.push(f);
    }
  return out;
}

function buildEvent(m: ReverseMapping, row: Row): EventObject {
  const ev: EventObject = Object.create(null) as EventObject;
  if (m.template) {
    const raw = column(row, m.template.column);
    const data = typeof raw === 'string' && m.template.xml ? eventDataXml(raw) : raw;
    if (isObject(data))
      for (const key of Object.keys(data)) if (!m.template.except.has(key) && !blank(data[key])) ev[key] = data[key];
    for (const key of m.template.except) if (!blank(row[key]) && Object.hasOwn(row, key)) ev[key] = row[key];
  } else for (const key of Object.keys(row)) ev[key] = row[key];
  for (const b of m.bindings) {
    const v = b.read(row);
    if (blank(v)) delete ev[b.field];
    else ev[b.field] = v;
  }
  for (const p of m.prefixes)
    for (const f of p.fields) if (Object.hasOwn(ev, f)) ev[f] = abbreviations(ev[f], p.replacements);
  return ev;
}

// ---------------------------------------------------------------------------
// Rule groups and rows

/** Rules that see the same rows the same way: one route, one set of transformations. */
export interface RowScope {
  /** The route's table. */
  table: string;
  /** Every table whose rows the route's query reads: `table`, then the route's `union` tables. */
  tables: string[];
  route: Route;
  rules: SigmaRule[];
  /**
   * Fields whose value is the row's value followed by other forms of it (hive abbreviations,
   * both path separators): one value, for counting; every form, for matching.
   */
  alternatives: string[];
}

interface CompiledScope extends RowScope {
  extend: [string, Expr][];
  routeTest?: EventTest;
  mapping: ReverseMapping;
}

/** The KQL product whose schema types a pipeline's rows (its `set_state` product). */
function productOf(spec: PipelineSpec): KqlProduct | undefined {
  for (const t of spec.transformations)
    if (t.type === 'set_state' && !t.when && (t.state['product'] === 'defender' || t.state['product'] === 'sentinel'))
      return t.state['product'];
  return undefined;
}

export class TableRowMapper {
  readonly scopes: readonly RowScope[];
  /** Rules that are never run on rows, with the reason. */
  readonly skipped = new Map<SigmaRule, string>();
  private readonly compiled: CompiledScope[] = [];
  private readonly byTable = new Map<string, number[]>();
  private readonly product: KqlProduct | undefined;
  /** Per route table and union table, the columns the union's leg parses (jsonTextColumns). */
  private readonly legColumns = new Map<string, string[]>();

  /**
   * `convertible(rule)`: undefined when the pipeline converts the rule, else why not (a rule
   * whose query cannot be built has no rows to be compared with).
   */
  constructor(
    readonly spec: PipelineSpec,
    rules: readonly SigmaRule[],
    convertible: (rule: SigmaRule) => string | undefined = () => undefined,
  ) {
    this.product = productOf(spec);
    const groups = new Map<string, number>();
    const routes = spec.routes ?? [];
    for (const rule of rules) {
      // The route the backends pick (event-ID routes first, for rules that pin their event IDs).
      const eventIds = ruleEventIds(rule);
      const selected = selectRoute(routes, rule.logsource, eventIds);
      const routeIndex = selected ? routes.indexOf(selected) : -1;
      if (routeIndex === -1) {
        this.skipped.set(rule, `no route of ${spec.name} takes its log source`);
        continue;
      }
      const why = convertible(rule);
      if (why !== undefined) {
        this.skipped.set(rule, `${spec.name} does not convert it: ${why}`);
        continue;
      }
      const route = routes[routeIndex]!;
      const applicable = spec.transformations
        .map((t, i) => (whenHolds(t.when, rule.logsource, route.table, eventIds) ? i : -1))
        .filter((i) => i !== -1);
      const key = `${routeIndex}:${applicable.join(',')}`;
      let g = groups.get(key);
      if (g === undefined) {
        const mapping = reverseOf(applicable.map((i) => spec.transformations[i]!));
        if (typeof mapping === 'string') {
          this.skipped.set(rule, mapping);
          continue;
        }
        let extend: [string, Expr][];
        try {
          extend = Object.entries(route.extend ?? {}).map(([name, text]) => [name, compileExtend(text)]);
        } catch (e) {
          if (!(e instanceof ExprError)) throw e;
          this.skipped.set(rule, `the route's computed column cannot be computed from rows: ${e.message}`);
          continue;
        }
        g = this.compiled.length;
        const alternatives = [...new Set([...mapping.prefixes.flatMap((p) => p.fields), ...mapping.names])];
        const tables = [route.table, ...(route.union ?? [])];
        const scope: CompiledScope = { table: route.table, tables, route, rules: [], alternatives, extend, mapping };
        if (route.conditions) scope.routeTest = compilePredicate(conditionMapToPredicate(route.conditions));
        this.compiled.push(scope);
        groups.set(key, g);
        for (const table of tables) {
          const list = this.byTable.get(table) ?? [];
          list.push(g);
          this.byTable.set(table, list);
        }
      }
      this.compiled[g]!.rules.push(rule);
    }
    this.scopes = this.compiled;
  }

  /** The tables some rule's query reads (a route's table and its union tables). */
  tables(): string[] {
    return [...this.byTable.keys()];
  }

  /** Column types of a table as the pipeline's product sees it (undefined: not in the schema). */
  columns(table: string): ReadonlyMap<string, string> | undefined {
    return this.product ? tableColumns(table, this.product) : undefined;
  }

  /**
   * The columns a row of `member` (a union table of a route on `table`) holds as JSON text where
   * `table` has a dynamic column: the backend's union leg parses them (`todynamic`), so that one
   * dynamic column comes out of the union (src/backends/kql/query.ts, unionSource).
   */
  private jsonTextColumns(table: string, member: string): string[] {
    const key = `${table}\u0000${member}`;
    let cols = this.legColumns.get(key);
    if (cols === undefined) {
      const ours = this.columns(table);
      const theirs = this.columns(member);
      cols =
        ours && theirs
          ? [...ours].filter(([c, t]) => t === 'dynamic' && theirs.get(c) === 'string').map(([c]) => c)
          : [];
      this.legColumns.set(key, cols);
    }
    return cols;
  }

  /**
   * The Sigma events of one row of `table`, one per scope whose rules would read the row (the
   * route's and the pipeline's conditions hold). `raw` as exported: values are typed here, by
   * the table's own schema; a row of a route's union table is read as the union's leg gives it.
   */
  /**
   * `outside`: the rewritten fields whose row value begins with an abbreviation and none of the
   * long forms (outsideRewrite); such a row is not one the target writes, and its comparison with
   * the query means nothing.
   */
  map(table: string, raw: Row): { scope: number; event: EventObject; outside?: string[] }[] {
    const scopes = this.byTable.get(table);
    if (!scopes) return [];
    const base = typedRow(raw, this.columns(table));
    const out: { scope: number; event: EventObject; outside?: string[] }[] = [];
    for (const s of scopes) {
      const c = this.compiled[s]!;
      let source = base;
      if (table !== c.table) {
        const parsed = this.jsonTextColumns(c.table, table).filter((col) => typeof base[col] === 'string');
        if (parsed.length) {
          source = { ...base };
          for (const col of parsed) {
            const v = todynamic(base[col] as string);
            if (blank(v)) delete source[col];
            else source[col] = v;
          }
        }
      }
      let row = source;
      const xml = c.mapping.template?.xml ? c.mapping.template.column : undefined;
      if (xml !== undefined && typeof source[xml] === 'string') {
        // The Event table's XML EventData, read once into its named items: route conditions
        // (EventData.EventType) and fields read them alike.
        row = { ...source, [xml]: eventDataXml(source[xml]) };
      }
      if (c.extend.length) {
        row = { ...row };
        for (const [name, e] of c.extend) {
          const v = e(source);
          if (blank(v)) delete row[name];
          else row[name] = v;
        }
      }
      if (c.routeTest && !c.routeTest(toView(row))) continue;
      const event = buildEvent(c.mapping, row);
      if (c.mapping.conditions.length) {
        const view = toView(event);
        if (!c.mapping.conditions.every((t) => t(view))) continue;
      }
      const outside = fieldsOutsideRewrite(c.mapping, event);
      out.push(outside.length ? { scope: s, event, outside } : { scope: s, event });
    }
    return out;
  }
}
