/**
 * Microsoft's KQL parser (@kusto/language-service-next) for tests: loads the bridge once,
 * builds TableSymbols from the vendored schema file (Defender and Sentinel databases), and
 * checks queries for parse and binding errors.
 */
import { createRequire } from 'node:module';
import { allTables } from '../../../src/backends/kql/schema.js';

const require = createRequire(import.meta.url);
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the bridge is untyped global JS
type K = any;
let kusto: K | undefined;

function load(): K {
  if (kusto) return kusto;
  const dir = '@kusto/language-service-next/';
  require(dir + 'bridge.min.js');
  require(dir + 'Kusto.Language.Bridge.min.js');
  kusto = (globalThis as unknown as { Kusto: K }).Kusto;
  return kusto;
}

const TYPES: Record<string, string> = {
  string: 'String',
  int: 'Int',
  long: 'Long',
  real: 'Real',
  double: 'Real',
  bool: 'Bool',
  boolean: 'Bool',
  datetime: 'DateTime',
  dynamic: 'Dynamic',
  guid: 'Guid',
  timespan: 'TimeSpan',
  decimal: 'Decimal',
};

const globalsCache = new Map<string, K>();

/** GlobalState with every table (and ASIM parser, as a table) of one product. */
function globalsFor(product: 'defender' | 'sentinel'): K {
  const cached = globalsCache.get(product);
  if (cached) return cached;
  const K = load();
  const S = K.Language.Symbols;
  const symbols = [];
  for (const t of allTables()) {
    const cols = { ...t.columns, ...(product === 'defender' ? t.defenderOnly : t.sentinelOnly) };
    const columns = Object.entries(cols).map(
      ([name, type]) => new S.ColumnSymbol(name, S.ScalarTypes[TYPES[type] ?? 'String']),
    );
    symbols.push(new S.TableSymbol.$ctor4(t.name, columns));
  }
  const g = K.Language.GlobalState.Default.WithDatabase(new S.DatabaseSymbol.ctor('db', symbols));
  globalsCache.set(product, g);
  return g;
}

/**
 * Results by product and query: the corpus suites of the shared vitest project bind the same
 * queries more than once (a pipeline's corpus test, its consumer checks, its artifacts).
 */
const errorsCache = new Map<string, readonly string[]>();

/** Error diagnostics (parse and bind) of a query. */
export function kqlErrors(query: string, product: 'defender' | 'sentinel'): string[] {
  const key = `${product}\u0000${query}`;
  const cached = errorsCache.get(key);
  if (cached) return [...cached];
  const out = analyze(query, product);
  errorsCache.set(key, out);
  return [...out];
}

/** Queries known to parse and bind, by product and text (a batch that binds vouches for each of its queries). */
const validQueries = new Set<string>();

/**
 * The queries of a list that do not parse or bind, each with its errors. The language service
 * costs per call; batches of statements amortise its setup, and a batch with errors is checked
 * query by query to name the culprits. A query already known valid (another suite of the same
 * worker bound it, in whatever batch) is not bound again.
 */
export function kqlInvalid<T extends { query: string }>(
  items: readonly T[],
  product: 'defender' | 'sentinel',
  batchSize = 40,
): (T & { errors: string[] })[] {
  const key = (q: string): string => `${product}\u0000${q}`;
  const todo = items.filter((x) => !validQueries.has(key(x.query)));
  const out: (T & { errors: string[] })[] = [];
  for (let i = 0; i < todo.length; i += batchSize) {
    const batch = todo.slice(i, i + batchSize);
    if (analyze(batch.map((x) => x.query).join(';\n'), product).length === 0) {
      for (const x of batch) validQueries.add(key(x.query));
      continue;
    }
    for (const x of batch) {
      const errors = kqlErrors(x.query, product);
      if (errors.length) out.push({ ...x, errors });
      else validQueries.add(key(x.query));
    }
  }
  return out;
}

function analyze(query: string, product: 'defender' | 'sentinel'): string[] {
  const K = load();
  const code = K.Language.KustoCode.ParseAndAnalyze(query, globalsFor(product));
  const d = code.GetDiagnostics();
  const out: string[] = [];
  for (let i = 0; i < d.Count; i++) {
    const x = d.getItem(i);
    if (x.Severity === 'Error') out.push(`${x.Message} at ${x.Start}`);
  }
  return out;
}

/** Values of the literal expressions of a query, in source order (strings decoded by Kusto). */
export function kqlLiterals(query: string, product: 'defender' | 'sentinel' = 'defender'): unknown[] {
  const K = load();
  const code = K.Language.KustoCode.ParseAndAnalyze(query, globalsFor(product));
  const out: unknown[] = [];
  code.Syntax.WalkElements((e: K) => {
    if (e instanceof K.Language.Syntax.LiteralExpression) out.push(e.LiteralValue);
  });
  return out;
}

/** The syntax tokens of a query (comments and white space are trivia, not tokens). */
export function kqlTokens(query: string): string[] {
  const K = load();
  const out: string[] = [];
  for (let t = K.Language.KustoCode.Parse(query).Syntax.GetFirstToken(); t; t = t.GetNextToken()) out.push(t.Text);
  return out;
}
