/**
 * Table-shaped telemetry for `lint --telemetry … --rows PIPELINE[:TABLE]`: rows exported from
 * Defender XDR advanced hunting or Log Analytics (Sentinel) as JSON (an array, JSON Lines, the
 * advanced hunting API's `{Schema, Results}`, the Log Analytics API's `{tables: [{columns,
 * rows}]}`) or CSV (RFC 4180 with a header row; dynamic columns as JSON text), each optionally
 * gzip, read through the pipeline's mapping in reverse (src/eval/table-rows.ts). A row's table is
 * its `Type` column (Log Analytics writes it), else the TABLE given, else a table name in the
 * file's name (`DeviceProcessEvents.csv`). Bad records are located diagnostics; the run goes on.
 */
import path from 'node:path';
import type { SigmaRule } from '../ast/types.js';
import { convertDocument } from '../convert.js';
import type { Diagnostic } from '../diagnostics.js';
import { evalDiagnostic } from '../eval/codes.js';
import { CsvParser, isCsvError, type CsvError, type CsvRecord } from '../eval/csv.js';
import type { EventObject } from '../eval/event-shapes.js';
import { TableRowMapper, type Row } from '../eval/table-rows.js';
import { getPipeline, listPipelines } from '../pipelines/registry.js';
import { allTables } from '../backends/kql/schema.js';
import { openEvents, readEventsSafely } from './event-input.js';
import { UsageError } from './io.js';

export interface RowsOption {
  pipeline: string;
  table?: string;
}

/** `PIPELINE` or `PIPELINE:TABLE` → the option (a usage error for an unknown pipeline). */
export function parseRowsOption(text: string): RowsOption {
  const cut = text.indexOf(':');
  const pipeline = cut === -1 ? text : text.slice(0, cut);
  const table = cut === -1 ? undefined : text.slice(cut + 1);
  const spec = getPipeline(pipeline);
  if (!spec?.routes?.length)
    throw new UsageError(
      `--rows: '${pipeline}' is not a pipeline with routes to tables (known: ${listPipelines()
        .filter((p) => p.routes?.length)
        .map((p) => p.name)
        .join(', ')})`,
    );
  // A route reads its table and its union tables (sign-ins: SigninLogs and AADNonInteractiveUserSignInLogs).
  const tables = [...new Set(spec.routes.flatMap((r) => [r.table, ...(r.union ?? [])]))];
  if (table !== undefined && !tables.includes(table))
    throw new UsageError(`--rows: no route of ${pipeline} reads the table '${table}' (tables: ${tables.join(', ')})`);
  return table === undefined ? { pipeline } : { pipeline, table };
}

/** The mapper for a pipeline: rules it does not convert are skipped (their query reads no row). */
export function rowMapper(option: RowsOption, rules: readonly SigmaRule[]): TableRowMapper {
  const spec = getPipeline(option.pipeline)!;
  const target = spec.targets?.[0] ?? 'kql';
  return new TableRowMapper(spec, rules, (rule) => {
    const r = convertDocument(rule, { target, pipelines: [spec.name] });
    return r.ok ? undefined : r.errors.map((e) => `${e.code} ${e.message}`).join('; ');
  });
}

/** Every table name the schema knows, longest first (a file name may name one). */
const TABLE_NAMES = allTables()
  .map((t) => t.name)
  .sort((a, b) => b.length - a.length);

function tableFromFileName(file: string, option: RowsOption): string | undefined {
  if (option.table !== undefined) return option.table;
  const base = path.basename(file).toLowerCase();
  return TABLE_NAMES.find((t) => base.includes(t.toLowerCase()));
}

const isObject = (v: unknown): v is Row => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The rows an API response holds (`{Schema, Results}`, `{tables: [{columns, rows}]}`), else the object itself. */
function* rowsOf(value: EventObject): Generator<Row> {
  const results = value['Results'];
  if (Array.isArray(results) && Array.isArray(value['Schema'])) {
    for (const r of results) if (isObject(r)) yield r;
    return;
  }
  const tables = value['tables'];
  if (Array.isArray(tables) && tables.every((t) => isObject(t) && Array.isArray(t['columns']))) {
    for (const t of tables as Row[]) {
      const names = (t['columns'] as unknown[]).map((c) => (isObject(c) ? String(c['name']) : String(c)));
      for (const r of Array.isArray(t['rows']) ? t['rows'] : []) {
        if (!Array.isArray(r)) continue;
        const row: Row = Object.create(null) as Row;
        names.forEach((n, i) => (row[n] = r[i]));
        yield row;
      }
    }
    return;
  }
  yield value;
}

/** CSV rows of a stream, header first; bad records are E016 diagnostics. */
async function* csvRows(
  stream: AsyncIterable<Buffer>,
  file: string,
  report: (d: Diagnostic) => void,
): AsyncGenerator<Row> {
  const parser = new CsvParser();
  const decoder = new TextDecoder('utf-8');
  let header: string[] | undefined;
  let first = true;
  const located = (line: number, column: number, message: string, hint?: string): void => {
    const d = evalDiagnostic('E016', message, { line, column }, hint);
    d.file = file;
    report(d);
  };
  function* take(items: (CsvRecord | CsvError)[]): Generator<Row> {
    for (const r of items) {
      if (isCsvError(r)) {
        located(r.line, r.column, `Malformed CSV: ${r.error}.`, 'CSV as RFC 4180 writes it: "a ""quoted"" field".');
        continue;
      }
      if (!header) {
        header = r.fields.map((f) => f.trim());
        continue;
      }
      if (r.fields.length !== header.length) {
        located(
          r.line,
          1,
          `The record has ${r.fields.length} fields; the header has ${header.length}. It is skipped.`,
          'Every record has one field per header column (empty fields included).',
        );
        continue;
      }
      const row: Row = Object.create(null) as Row;
      header.forEach((name, i) => (row[name] = r.fields[i]));
      yield row;
    }
  }
  for await (const chunk of stream) {
    let text = decoder.decode(chunk, { stream: true });
    if (first) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    yield* take(parser.push(text));
  }
  yield* take(parser.push(decoder.decode()));
  yield* take(parser.end());
}

/** Whether a file holds CSV: by its name (`.csv`, `.csv.gz`). */
const isCsv = (file: string): boolean => /\.csv(\.gz)?$/i.test(file);

/**
 * Streams every row of the files through `add` as the mapper's per-scope events. Rows whose
 * table cannot be told are counted and reported once per file (E015).
 */
export async function readRows(
  files: readonly string[],
  option: RowsOption,
  mapper: TableRowMapper,
  report: (d: Diagnostic) => void,
  add: (events: { scope: number; event: EventObject }[]) => void,
): Promise<void> {
  for (const file of files) {
    const fileTable = tableFromFileName(file, option);
    let untold = 0;
    const rows = isCsv(file)
      ? csvRows(openEvents(file), file, report)
      : (async function* () {
          for await (const e of readEventsSafely(openEvents(file), file, report)) yield* rowsOf(e);
        })();
    for await (const row of rows) {
      const type = row['Type'];
      const table = typeof type === 'string' && type !== '' ? type : fileTable;
      if (table === undefined) {
        untold++;
        continue;
      }
      add(mapper.map(table, row));
    }
    if (untold > 0) {
      const d = evalDiagnostic(
        'E015',
        `${untold} row${untold === 1 ? '' : 's'} name no table: no Type column, and the file name names no table.`,
        { line: 1, column: 1 },
        `name the table: --rows ${option.pipeline}:DeviceProcessEvents, or a file name such as DeviceProcessEvents.csv`,
      );
      d.file = file;
      report(d);
    }
  }
}
