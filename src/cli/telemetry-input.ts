/**
 * Telemetry for `lint --telemetry` and `tune`: event files and directories (searched
 * recursively for `*.json`, `*.jsonl`, `*.ndjson`, each optionally `.gz`), streamed through a
 * TelemetryMeter. Bad lines are located diagnostics; the run goes on.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { SigmaDocument, SigmaRule } from '../ast/types.js';
import type { Diagnostic } from '../diagnostics.js';
import { TelemetryMeter } from '../lint/noise/telemetry.js';
import { openEvents, readEventsSafely } from './event-input.js';
import { UsageError } from './io.js';
import type { RowsOption } from './row-input.js';

const EVENT_FILE = /\.(jsonl|ndjson|json)(\.gz)?$/i;
/** Table rows may also be CSV exports. */
const ROW_FILE = /\.(jsonl|ndjson|json|csv)(\.gz)?$/i;

/**
 * The event files named by paths (a directory gives its event files, sorted, recursively; with
 * `rows`, CSV files too).
 */
export function telemetryFiles(paths: readonly string[], option: string, rows = false): string[] {
  const wanted = rows ? ROW_FILE : EVENT_FILE;
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (wanted.test(e.name)) out.push(p);
    }
  };
  for (const p of paths) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(p);
    } catch (e) {
      throw new UsageError(`cannot read ${option} ${p}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    if (stat.isDirectory()) walk(p);
    else out.push(p);
  }
  return out;
}

/** Streams every file through a meter for the documents' rules. */
export async function measureTelemetry(
  files: readonly string[],
  docs: readonly SigmaDocument[],
  report: (d: Diagnostic) => void,
  extraFields: readonly string[] = [],
  rows?: RowsOption,
): Promise<TelemetryMeter> {
  if (rows) {
    // Table rows: read through the pipeline's mapping in reverse (loaded only for them).
    const { readRows, rowMapper } = await import('./row-input.js');
    const mapper = rowMapper(
      rows,
      docs.filter((d): d is SigmaRule => d.kind === 'rule'),
    );
    const meter = new TelemetryMeter(docs, extraFields, {
      pipeline: rows.pipeline,
      scopes: mapper.scopes,
      skipped: mapper.skipped,
    });
    await readRows(files, rows, mapper, report, (events) => meter.addRow(events));
    return meter;
  }
  const meter = new TelemetryMeter(docs, extraFields);
  for (const file of files)
    for await (const event of readEventsSafely(openEvents(file), file, report)) meter.add(event);
  return meter;
}
