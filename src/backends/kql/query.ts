/** A processed rule → one KQL query (table, computed columns, where clauses). */
import { predicateFields, type Predicate } from '../../ast/semantics.js';
import type { LogSource } from '../../ast/types.js';
import type { ProcessedRule } from '../types.js';
import { conversionError } from '../diagnostics.js';
import { Inexpressible, whereClauses, type ColumnRef, type ExprContext } from './expression.js';
import { kqlMember, kqlName } from './literals.js';
import { xmlFieldExpr, xmlParseLines, xmlPrefilter } from './event-xml.js';
import { tableColumns, type KqlProduct } from './schema.js';

export interface KqlQuery {
  text: string;
  table: string;
  /** Every table the query reads: `table`, then the route's union tables. */
  tables: string[];
  product: KqlProduct;
  timeColumn: string;
  columns: string[];
  /** Target fields compared on presence/emptiness where absent and empty read the same (C118). */
  presenceLoss: string[];
  /** How the query's rows read a target field (for the fields of `buildQuery`'s `read`). */
  column: (field: string) => ColumnRef;
}

/** The product whose tables the query reads (pipelines set it; none set: Sentinel). */
function productOf(rule: ProcessedRule): KqlProduct {
  return rule.state.product ?? 'sentinel';
}

function describeLogsource(ls: LogSource): string {
  return (
    (['product', 'category', 'service'] as const)
      .filter((k) => ls[k])
      .map((k) => `${k}: ${ls[k]}`)
      .join(', ') || 'none'
  );
}

function accessor(base: string, path: string[]): string {
  return path.reduce((acc, seg) => acc + kqlMember(seg), kqlName(base));
}

/** The logsource as a route's YAML flow mapping (`product: okta, service: okta`). */
function routeLogsource(ls: LogSource): string {
  return (['product', 'category', 'service'] as const)
    .filter((k) => ls[k])
    .map((k) => `${k}: ${ls[k]}`)
    .join(', ');
}

/**
 * How a target field of the rule's table is read (a column, a computed column, or a path in a
 * dynamic column); throws Inexpressible (C002) for a field the table does not have.
 */
function columnRef(rule: ProcessedRule, field: string): ColumnRef {
  const table = rule.table ?? '';
  const product = productOf(rule);
  const cols = tableColumns(table, product);
  if (Object.hasOwn(rule.extend, field)) return { expr: kqlName(field), type: 'string' };
  if (!cols) return { expr: kqlName(field), type: 'string' };
  const t = cols.get(field);
  if (t) {
    checkUnionColumn(rule, field, t);
    return { expr: kqlName(field), type: t };
  }
  const [base, ...rest] = field.split('.');
  if (rest.length && base && cols.get(base) === 'dynamic') {
    checkUnionColumn(rule, base, 'dynamic');
    return { expr: `tostring(${accessor(base, rest)})`, type: 'string', bag: { column: base, path: rest } };
  }
  // A computed column (`requestParameters = parse_json(RequestParameters)`).
  if (rest.length && base && Object.hasOwn(rule.extend, base))
    return { expr: `tostring(${accessor(base, rest)})`, type: 'string' };
  throw new Inexpressible(
    conversionError('C002', `${describeField(rule, field)} is not a column of ${table}`, {
      field: sigmaName(rule, field) ?? field,
      hint: `${table} has no such column in ${product === 'defender' ? 'Defender XDR' : 'Sentinel'}; map the field in a pipeline or drop it (drop_fields)`,
    }),
  );
}

/** The Sigma field a target field was mapped from, if a mapping produced it. */
function sigmaName(rule: ProcessedRule, field: string): string | undefined {
  let sigma: string | undefined;
  for (const [name, targets] of Object.entries(rule.fieldMap)) if (targets.includes(field)) sigma = name;
  return sigma;
}

function describeField(rule: ProcessedRule, field: string): string {
  const sigma = sigmaName(rule, field);
  return sigma ? `Sigma field '${sigma}' (mapped to '${field}')` : `field '${field}'`;
}

/**
 * A route that reads several tables (Route.union): the column must be in each of them, with the
 * route table's type — or as serialized JSON (string) where the route table's column is dynamic,
 * which the union's leg parses (unionSource). Tables the schemas do not hold go unchecked.
 */
function checkUnionColumn(rule: ProcessedRule, column: string, type: string): void {
  const table = rule.table ?? '';
  for (const other of rule.union ?? []) {
    const theirs = tableColumns(other, productOf(rule));
    if (!theirs) continue;
    const t = theirs.get(column);
    if (t === undefined)
      throw new Inexpressible(
        conversionError('C002', `${describeField(rule, column)} is not a column of ${other}`, {
          field: sigmaName(rule, column) ?? column,
          hint: `the route reads ${[table, ...(rule.union ?? [])].join(' and ')}: a field must be a column of each`,
        }),
      );
    if (t !== type && !(type === 'dynamic' && t === 'string'))
      throw new Inexpressible(
        conversionError('C044', `column '${column}' is ${type} in ${table} but ${t} in ${other}`, {
          field: sigmaName(rule, column) ?? column,
          hint: `the route reads ${[table, ...(rule.union ?? [])].join(' and ')}; compare the field in a pipeline that reads one table`,
        }),
      );
  }
}

/**
 * The query's source: the route's table, or — for a route with union tables — `union` of them
 * (isfuzzy: a workspace that does not collect one of them still runs the rule on the others).
 * A column the rule reads that is dynamic in the route's table and serialized JSON in another is
 * parsed in that table's leg, so that one dynamic column comes out of the union.
 */
function unionSource(rule: ProcessedRule, product: KqlProduct, used: ReadonlySet<string>): string {
  const table = rule.table!;
  if (!rule.union?.length) return kqlName(table);
  const cols = tableColumns(table, product);
  const bases = [...new Set([...used].map((f) => f.split('.')[0]!))].sort();
  const legs = rule.union.map((other) => {
    const theirs = tableColumns(other, product);
    const parsed = bases.filter(
      (c) => !Object.hasOwn(rule.extend, c) && cols?.get(c) === 'dynamic' && theirs?.get(c) === 'string',
    );
    if (!parsed.length) return kqlName(other);
    return `(${kqlName(other)} | extend ${parsed.map((c) => `${kqlName(c)} = todynamic(${kqlName(c)})`).join(', ')})`;
  });
  return `union isfuzzy=true ${[kqlName(table), ...legs].join(', ')}`;
}

function hasKeyword(p: Predicate): boolean {
  if (p.kind === 'and' || p.kind === 'or') return p.items.some(hasKeyword);
  if (p.kind === 'not') return hasKeyword(p.item);
  return 'field' in p && p.field === null;
}

/**
 * Builds the query; throws Inexpressible for what the target cannot express. `read`: target
 * fields a caller reads from the query's rows besides the detection's (a correlation's group-by
 * and value fields), which an XML event table must parse too.
 */
export function buildQuery(rule: ProcessedRule, { read = [] }: { read?: readonly string[] } = {}): KqlQuery {
  const table = rule.table;
  if (table === undefined) {
    throw new Inexpressible(
      conversionError(
        'C001',
        `no pipeline routes logsource (${describeLogsource(rule.rule.logsource)}) to a table (pipelines: ${rule.pipelines.join(', ') || 'none'})`,
        {
          hint: `use a pipeline that supports this logsource (sigil list pipelines), or add a route in a pipeline file passed after it (-p ${rule.pipelines[0] ?? 'sentinel'} -p my-pipeline.yml): routes: [{ logsource: { ${routeLogsource(rule.rule.logsource)} }, table: <the table holding these events> }], with a field_map for its columns (docs/pipelines/README.md)`,
        },
      ),
    );
  }
  const product = productOf(rule);
  const cols = tableColumns(table, product);
  const used = new Set<string>();
  // Event data as XML in a string column (Event.EventData): `EventData.Name` reads a Data item.
  const xmlColumn =
    rule.state.eventDataXml !== undefined && cols?.get(rule.state.eventDataXml) === 'string'
      ? rule.state.eventDataXml
      : undefined;
  const xmlName = (field: string): string | undefined =>
    xmlColumn !== undefined &&
    field.startsWith(`${xmlColumn}.`) &&
    !Object.hasOwn(rule.extend, field) &&
    !cols?.has(field)
      ? field.slice(xmlColumn.length + 1)
      : undefined;
  const xmlNames = new Set<string>();
  // Set by column() when it reads a Data item: which clauses go after the parsing.
  const xmlRead = { flag: false };
  const column = (field: string): ColumnRef => {
    used.add(field);
    const name = xmlName(field);
    if (name !== undefined) {
      xmlNames.add(name);
      xmlRead.flag = true;
      return { expr: xmlFieldExpr(name), type: 'string' };
    }
    return columnRef(rule, field);
  };
  const presenceLoss = new Set<string>();
  const ctx: ExprContext = { column, used, presenceLoss };
  // Clauses in order; those reading XML Data items go after the parsing (the others before it).
  const headerClauses: string[] = [];
  const xmlClauses: string[] = [];
  for (const p of [...rule.filters, rule.predicate]) {
    // As whereClauses splits them: one clause per top-level AND item.
    const parts = p.kind === 'and' ? p.items.map((item): Predicate => ({ kind: 'and', items: [item] })) : [p];
    for (const part of parts) {
      xmlRead.flag = false;
      const texts = whereClauses(part, ctx);
      (xmlRead.flag ? xmlClauses : headerClauses).push(...texts);
    }
  }
  for (const f of read) {
    const name = xmlName(f);
    if (name !== undefined) xmlNames.add(name);
  }
  const lines = [unionSource(rule, product, used)];
  // Which table the rule reads is a deployment choice (WindowsEvent or Event): say it.
  if (xmlColumn !== undefined)
    lines.unshift(
      `// ${table} table (Azure Monitor Agent or legacy agent): event data read from the XML in ${xmlColumn}`,
    );
  const needed = new Set<string>(
    [...rule.filters, rule.predicate].flatMap((p: Predicate) =>
      [...predicateFields(p)].flatMap((f) => [f, f.split('.')[0]!]),
    ),
  );
  for (const [name, expr] of Object.entries(rule.extend))
    if (needed.has(name)) lines.push(`| extend ${kqlName(name)} = ${expr}`);
  const where = (c: string): string => `| where ${c.replace(/\n/g, '\n    ')}`;
  for (const c of new Set(headerClauses)) lines.push(where(c));
  if (xmlColumn !== undefined && hasKeyword(rule.predicate))
    throw new Inexpressible(
      conversionError(
        'C009',
        `a keyword search on ${table} would read the raw XML of ${xmlColumn} (element and attribute names, escaped text), not the event's values`,
        { hint: 'match named fields, or read Windows events from WindowsEvent (pipeline sentinel)' },
      ),
    );
  if (xmlColumn !== undefined && xmlNames.size) {
    const prefilter = xmlPrefilter(xmlColumn, [...rule.filters, rule.predicate], (f) => xmlName(f) !== undefined);
    for (const c of prefilter) lines.push(where(c));
    lines.push(...xmlParseLines(xmlColumn, [...xmlNames]));
  }
  for (const c of new Set(xmlClauses)) if (!headerClauses.includes(c)) lines.push(where(c));
  const timeColumn = rule.state.timeColumn ?? (product === 'defender' ? 'Timestamp' : 'TimeGenerated');
  return {
    text: lines.join('\n'),
    table,
    tables: [table, ...(rule.union ?? [])],
    product,
    timeColumn,
    columns: [...used].sort(),
    presenceLoss: [...presenceLoss].sort(),
    column: (field) => {
      const name = xmlName(field);
      return name !== undefined ? { expr: xmlFieldExpr(name), type: 'string' } : columnRef(rule, field);
    },
  };
}
