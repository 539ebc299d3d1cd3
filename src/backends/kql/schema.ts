/**
 * Column types of the tables the KQL pipelines route to (src/data/kql/kql-tables.json, vendored
 * from Microsoft's table references by scripts/vendor-kql-tables.mjs).
 */
import data from '../../data/kql/kql-tables.json' with { type: 'json' };

export type KqlProduct = 'defender' | 'sentinel';

interface TableData {
  columns: Record<string, string>;
  defenderOnly?: Record<string, string>;
  sentinelOnly?: Record<string, string>;
}

const tables = data.tables as Record<string, TableData>;
const asim = data.asim as Record<string, Record<string, string>>;
const cache = new Map<string, Map<string, string> | undefined>();

/**
 * Column name → KQL type for a table (or ASIM parser) as seen in a product;
 * undefined when the table is not in the schema file.
 */
export function tableColumns(table: string, product: KqlProduct): Map<string, string> | undefined {
  const key = `${product}:${table}`;
  if (cache.has(key)) return cache.get(key);
  let cols: Map<string, string> | undefined;
  const t = tables[table];
  if (t)
    cols = new Map(Object.entries({ ...t.columns, ...(product === 'defender' ? t.defenderOnly : t.sentinelOnly) }));
  else if (asim[table]) cols = new Map(Object.entries(asim[table]!));
  cache.set(key, cols);
  return cols;
}

/** Every table and parser in the schema with its columns (for tests and docs). */
export function allTables(): {
  name: string;
  kind: 'table' | 'asim';
  columns: Record<string, string>;
  defenderOnly?: Record<string, string>;
  sentinelOnly?: Record<string, string>;
}[] {
  return [
    ...Object.entries(tables).map(([name, t]) => ({ name, kind: 'table' as const, ...t })),
    ...Object.entries(asim).map(([name, columns]) => ({ name, kind: 'asim' as const, columns })),
  ];
}
