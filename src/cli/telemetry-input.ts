/**
 * Telemetry for `lint --telemetry` and `tune`: event files and directories (searched
 * recursively for `*.json`, `*.jsonl`, `*.ndjson`, `*.evtx`, each optionally `.gz`), streamed through a
 * TelemetryMeter. Bad lines are located diagnostics; the run goes on.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { SigmaDocument, SigmaRule } from '../ast/types.js';
import type { Diagnostic } from '../diagnostics.js';
import { TelemetryMeter, type MeterBatch } from '../lint/noise/telemetry.js';
import {
  blockLines,
  firstLineIsObject,
  lineBlocks,
  openEvents,
  readEventsSafely,
  streamFault,
  type LineBlock,
} from './event-input.js';
import { UsageError } from './io.js';
import type { RowsOption } from './row-input.js';

/** In a directory, event files are found by name; a file named on the command line is read whatever its name. */
const EVENT_FILE = /\.(jsonl|ndjson|json|evtx)(\.gz)?$/i;
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

/** A job for a telemetry worker: a block of JSON Lines, or a whole file that is not JSON Lines. */
export type TelemetryJob =
  | { seq: number; kind: 'lines'; file: string; bytes: Uint8Array; firstLine: number; overlong: number[] }
  | { seq: number; kind: 'file'; file: string };

export interface TelemetryResult {
  seq: number;
  batch: MeterBatch;
  diagnostics: Diagnostic[];
  /** The worker's V8 heap in use after the job (bytes; garbage included), for recycling it. */
  heapUsed: number;
}

/** Bytes of JSON Lines per job: large enough that messages stay few, small enough to balance. */
const BLOCK_BYTES = 1 << 20;
/** Jobs queued per worker: keeps it busy while the next block is read, and memory bounded. */
const QUEUED_PER_WORKER = 3;
/** Below this much telemetry (bytes on disk) the workers' start-up costs more than they save. */
const PARALLEL_THRESHOLD = 4 << 20;
/** A worker's young generation: the evaluator allocates many short-lived strings (fewer scavenges). */
const YOUNG_GENERATION_MB = 64;
/**
 * A worker is replaced once its heap in use exceeds this multiple of what it used after its first
 * job (its compiled rules and one block). What a worker keeps between jobs does not grow with the
 * input (its live heap levels off near 125 MB for the SigmaHQ corpus over 1 M events), but V8
 * defers major collections while the heap grows, so the garbage of past blocks piled up to about
 * 420 MB per worker: with two workers, a peak RSS of 1.3 GB (docs/evaluator.md, "Memory of `--telemetry`").
 */
const RECYCLE_HEAP_FACTOR = 2.5;
/**
 * Jobs a worker runs at least before it may be replaced (its start, compiling the rules, is not
 * free). Doubled each time a worker is replaced soon after that minimum: if what a worker keeps
 * really outgrows the factor (many log source partitions, each indexed on first sight), the
 * replacements thin out instead of costing a compilation every few blocks.
 */
const RECYCLE_MIN_JOBS = 64;

function workerScript(): URL | undefined {
  // As parse-pool.ts: bundled, the worker is an entry beside the CLI (dist/telemetry-worker.mjs);
  // compiled, it sits beside this module. Run from the TypeScript sources (tests), there is none.
  const names = import.meta.url.endsWith('.mjs')
    ? ['../telemetry-worker.mjs', './telemetry-worker.mjs']
    : ['./telemetry-worker.js'];
  for (const name of names) {
    const url = new URL(name, import.meta.url);
    if (fs.existsSync(url)) return url;
  }
  return undefined;
}

/**
 * Worker threads for the telemetry: one per core (the main thread only reads and merges), at
 * most 4, and none for small inputs. `SIGIL_WORKERS=N` sets the number whatever the input size
 * (tests), `SIGIL_NO_WORKERS=1` means none.
 */
function telemetryWorkers(files: readonly string[]): number {
  if (process.env['SIGIL_NO_WORKERS']) return 0;
  const forced = process.env['SIGIL_WORKERS'];
  if (forced !== undefined && /^\d+$/.test(forced)) return Math.min(8, Number(forced));
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  if (cores < 2) return 0;
  let bytes = 0;
  for (const f of files) bytes += fs.statSync(f, { throwIfNoEntry: false })?.size ?? 0;
  return bytes < PARALLEL_THRESHOLD ? 0 : Math.min(4, cores);
}

/**
 * Streams every file through a meter for the documents' rules. With workers, blocks of lines
 * are evaluated in parallel and recorded in input order: the evidence and the diagnostics (and
 * their order) are those of the sequential run.
 */
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
  const workers = telemetryWorkers(files);
  const script = workers > 0 ? workerScript() : undefined;
  if (!script) {
    for (const file of files)
      for await (const event of readEventsSafely(openEvents(file), file, report)) meter.add(event);
    return meter;
  }
  await measureInWorkers(script, workers, files, docs, extraFields, meter, report);
  return meter;
}

interface PoolWorker {
  worker: Worker;
  queued: number;
  /** Jobs answered. */
  answered: number;
  /** Heap in use after the first job. */
  baseline?: number;
  /** Takes no more jobs: replaced once those it has are answered. */
  retiring: boolean;
}

/**
 * When a worker is replaced: by heap (RECYCLE_HEAP_FACTOR), or — `SIGIL_WORKER_RECYCLE=N`, for
 * tests — after every N jobs.
 */
function recyclePolicy(): { due: (w: PoolWorker, heapUsed: number) => boolean; replaced: (w: PoolWorker) => void } {
  const every = process.env['SIGIL_WORKER_RECYCLE'];
  if (every !== undefined && /^[1-9]\d*$/.test(every))
    return { due: (w) => w.answered >= Number(every), replaced: () => {} };
  let minJobs = RECYCLE_MIN_JOBS;
  return {
    due: (w, heapUsed) => {
      w.baseline ??= heapUsed;
      return w.answered >= minJobs && heapUsed > w.baseline * RECYCLE_HEAP_FACTOR;
    },
    replaced: (w) => {
      if (w.answered < 2 * minJobs) minJobs *= 2;
    },
  };
}

async function measureInWorkers(
  script: URL,
  count: number,
  files: readonly string[],
  docs: readonly SigmaDocument[],
  extraFields: readonly string[],
  meter: TelemetryMeter,
  report: (d: Diagnostic) => void,
): Promise<void> {
  const rules = docs.filter((d) => d.kind === 'rule');
  /** Results by sequence number, recorded as soon as all before them are. */
  const done = new Map<number, Omit<TelemetryResult, 'heapUsed'>>();
  let nextToRecord = 0;
  let seq = 0;
  let failure: Error | undefined;
  let finished = false;
  /** Resolved when a result arrives (or a worker fails): the reader waits on it for room. */
  let wake: () => void = () => {};
  const arrived = (): Promise<void> => new Promise((resolve) => (wake = resolve));

  const recordReady = (): void => {
    for (let r = done.get(nextToRecord); r; r = done.get(nextToRecord)) {
      done.delete(nextToRecord++);
      r.diagnostics.forEach(report);
      meter.record(r.batch);
    }
  };
  const pool: PoolWorker[] = [];
  const stopping: Promise<number>[] = [];
  const recycle = recyclePolicy();
  const start = (): void => {
    const worker = new Worker(script, {
      workerData: { docs: rules, extraFields },
      resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
    });
    const w: PoolWorker = { worker, queued: 0, answered: 0, retiring: false };
    let stopped = false;
    worker.on('message', (m: TelemetryResult | { seq: number; error: string }) => {
      w.queued--;
      w.answered++;
      if ('error' in m) failure ??= new Error(`telemetry worker: ${m.error}`);
      else {
        done.set(m.seq, m);
        recordReady();
        if (!w.retiring && recycle.due(w, m.heapUsed)) w.retiring = true;
      }
      if (w.retiring && w.queued === 0 && !stopped && !failure) {
        // Every job it took is answered: a fresh worker takes its place (the results are recorded
        // by sequence number, whichever worker computed them, so the evidence does not change).
        stopped = true;
        recycle.replaced(w);
        pool.splice(pool.indexOf(w), 1);
        stopping.push(worker.terminate());
        start();
      }
      wake();
    });
    worker.on('error', (e) => {
      failure ??= e;
      wake();
    });
    // A worker that ends before it is terminated (it exited, or ran out of memory) fails the run
    // rather than leaving its blocks unanswered.
    worker.on('exit', (code) => {
      if (!finished && !stopped) failure ??= new Error(`telemetry worker exited with code ${code}`);
      wake();
    });
    pool.push(w);
  };
  for (let i = 0; i < count; i++) start();
  const submit = async (job: TelemetryJob): Promise<void> => {
    for (;;) {
      if (failure) throw failure;
      const open = pool.filter((p) => !p.retiring);
      const w = open.length ? open.reduce((a, b) => (b.queued < a.queued ? b : a)) : undefined;
      if (w && w.queued < QUEUED_PER_WORKER) {
        w.queued++;
        w.worker.postMessage(job);
        return;
      }
      await arrived();
    }
  };
  /** A diagnostic in sequence, between the jobs before and after it. */
  const inSequence = (d: Diagnostic): void => {
    const at = seq++;
    done.set(at, { seq: at, batch: { events: 0, partitions: [], hits: [] }, diagnostics: [d] });
    recordReady();
  };

  try {
    for (const file of files) {
      // JSON Lines are read here in blocks; the first line that is not blank tells (as in
      // readEvents), and a file that is not JSON Lines goes to a worker whole.
      let mode: 'lines' | 'document' | undefined;
      const blocks = lineBlocks(openEvents(file), BLOCK_BYTES);
      for (;;) {
        let next: IteratorResult<LineBlock>;
        try {
          next = await blocks.next();
        } catch (e) {
          // A fault before the mode is known: the worker that reads the file whole meets it too.
          if (mode === 'lines') inSequence(streamFault(e, file));
          else mode = 'document';
          break;
        }
        if (next.done) break;
        mode ??= blockMode(next.value);
        if (mode === 'document') {
          await blocks.return(undefined);
          break;
        }
        if (mode === 'lines') await submit({ seq: seq++, kind: 'lines', file, ...next.value });
      }
      if (mode === 'document') await submit({ seq: seq++, kind: 'file', file });
    }
    while (nextToRecord < seq) {
      if (failure) throw failure;
      await arrived();
    }
  } finally {
    finished = true;
    await Promise.all([...stopping, ...pool.map((w) => w.worker.terminate())]);
  }
}

/**
 * How a file's first lines say it is to be read: 'lines' when the first line that is not blank
 * is a JSON object, 'document' when it is not (or is over-long), undefined when the block is blank.
 */
function blockMode(block: LineBlock): 'lines' | 'document' | undefined {
  for (const { text } of blockLines(block)) {
    if (text === null) return 'document';
    if (text.trim() !== '') return firstLineIsObject(text) ? 'lines' : 'document';
  }
  return undefined;
}
