/** A processed rule → one KQL query (table, computed columns, where clauses). */
import { predicateFields, type Predicate } from '../../ast/semantics.js';
import type { LogSource } from '../../ast/types.js';
import type { ProcessedRule } from '../types.js';
import { conversionError } from '../diagnostics.js';
import { Inexpressible, whereClauses, type ColumnRef, type ExprContext } from './expression.js';
import { kqlMember, kqlName } from './literals.js';
import { tableColumns, type KqlProduct } from './schema.js';

export interface KqlQuery {
  text: string;
  table: string;
  product: KqlProduct;
  timeColumn: string;
  columns: string[];
  /** Target fields compared on presence/emptiness where absent and empty read the same (C118). */
  presenceLoss: string[];
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
export function columnRef(rule: ProcessedRule, field: string): ColumnRef {
  const table = rule.table ?? '';
  const product = productOf(rule);
  const cols = tableColumns(table, product);
  if (Object.hasOwn(rule.extend, field)) return { expr: kqlName(field), type: 'string' };
  if (!cols) return { expr: kqlName(field), type: 'string' };
  const t = cols.get(field);
  if (t) return { expr: kqlName(field), type: t };
  const [base, ...rest] = field.split('.');
  if (rest.length && base && cols.get(base) === 'dynamic')
    return { expr: `tostring(${accessor(base, rest)})`, type: 'string', bag: { column: base, path: rest } };
  // A computed column (`requestParameters = parse_json(RequestParameters)`).
  if (rest.length && base && Object.hasOwn(rule.extend, base))
    return { expr: `tostring(${accessor(base, rest)})`, type: 'string' };
  let sigma: string | undefined;
  for (const [name, targets] of Object.entries(rule.fieldMap)) if (targets.includes(field)) sigma = name;
  const what = sigma ? `Sigma field '${sigma}' (mapped to '${field}')` : `field '${field}'`;
  throw new Inexpressible(
    conversionError('C002', `${what} is not a column of ${table}`, {
      field: sigma ?? field,
      hint: `${table} has no such column in ${product === 'defender' ? 'Defender XDR' : 'Sentinel'}; map the field in a pipeline or drop it (drop_fields)`,
    }),
  );
}

/** Builds the query; throws Inexpressible for what the target cannot express. */
export function buildQuery(rule: ProcessedRule): KqlQuery {
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
  const used = new Set<string>();
  const column = (field: string): ColumnRef => {
    used.add(field);
    return columnRef(rule, field);
  };
  const presenceLoss = new Set<string>();
  const ctx: ExprContext = { column, used, presenceLoss };
  const filterClauses = rule.filters.flatMap((f) => whereClauses(f, ctx));
  const clauses = whereClauses(rule.predicate, ctx);
  const lines = [kqlName(table)];
  const needed = new Set<string>(
    [...rule.filters, rule.predicate].flatMap((p: Predicate) =>
      [...predicateFields(p)].flatMap((f) => [f, f.split('.')[0]!]),
    ),
  );
  for (const [name, expr] of Object.entries(rule.extend))
    if (needed.has(name)) lines.push(`| extend ${kqlName(name)} = ${expr}`);
  for (const c of new Set([...filterClauses, ...clauses])) lines.push(`| where ${c.replace(/\n/g, '\n    ')}`);
  const timeColumn = rule.state.timeColumn ?? (product === 'defender' ? 'Timestamp' : 'TimeGenerated');
  return {
    text: lines.join('\n'),
    table,
    product,
    timeColumn,
    columns: [...used].sort(),
    presenceLoss: [...presenceLoss].sort(),
  };
}
