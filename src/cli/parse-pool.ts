/**
 * Runs a per-file task (parse, or parse and convert: pool-tasks.ts) over many rule files on
 * the cores V8 leaves free (workerCount). Parsing is the bulk of a whole-corpus run, and each file is processed on its
 * own, so the main thread and one worker per further core take chunks of files from a shared
 * counter (dynamic balancing: a worker that starts late simply takes fewer chunks). Workers
 * return their results as JSON text, which the main thread reads back about four times
 * faster than a structured clone of the same objects.
 *
 * The API stays synchronous: the main thread blocks on Atomics.wait once its own share is
 * done, then drains the workers' messages with receiveMessageOnPort.
 */
import fs from 'node:fs';
import os from 'node:os';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { ParseResult } from '../parser/index.js';
import { STDIN } from './io.js';
import { runTask, type PoolTask } from './pool-tasks.js';

export interface ParseJob {
  files: string[];
  schema: boolean;
}

/** Files per chunk: small enough to balance, large enough that messages stay few. */
const CHUNK = 48;
/** Below this many files a worker's start-up costs more than it saves. */
const PARALLEL_THRESHOLD = 600;

function workerScript(): URL | undefined {
  // Bundled, this module is a chunk (dist/chunks/*.mjs) and the worker an entry beside the CLI's
  // (dist/parse-worker.mjs); compiled, it sits beside dist/cli/parse-worker.js. The worker must
  // come from the same build as this module, hence the choice by this module's own file type.
  const names = import.meta.url.endsWith('.mjs')
    ? ['../parse-worker.mjs', './parse-worker.mjs']
    : ['./parse-worker.js'];
  for (const name of names) {
    const url = new URL(name, import.meta.url);
    if (fs.existsSync(url)) return url;
  }
  return undefined;
}

/**
 * Workers besides the main thread. V8 runs its garbage collector and optimising compiler on
 * threads of their own, which keep a second core busy during a single-threaded run: measured
 * on 2 cores over rules/ (3,141 files), one worker made whole runs 10–15% slower (its start-up
 * and its own JIT warm-up cost more than it saved). So workers start from the third core on,
 * at most 3. `SIGIL_WORKERS=N` sets the number (tests force 1); `SIGIL_NO_WORKERS=1` means 0.
 */
export function workerCount(): number {
  if (process.env['SIGIL_NO_WORKERS']) return 0;
  const forced = process.env['SIGIL_WORKERS'];
  if (forced !== undefined && /^\d+$/.test(forced)) return Math.min(8, Number(forced));
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(0, Math.min(3, cores - 2));
}

export function parseFiles(job: ParseJob, onProgress?: () => void): ParseResult[] {
  return runFiles<ParseResult>(job.files, { name: 'parse', schema: job.schema }, onProgress);
}

/** Runs `task` on every file, in parallel where that pays; results in file order. */
export function runFiles<T>(files: string[], task: PoolTask, onProgress?: () => void): T[] {
  const one = (f: string): T => runTask(f, task) as T;
  const extraCores = workerCount();
  const script =
    files.length >= PARALLEL_THRESHOLD && extraCores > 0 && !files.includes(STDIN) ? workerScript() : undefined;
  if (!script) {
    return files.map((f) => {
      const r = one(f);
      onProgress?.();
      return r;
    });
  }

  const chunks = Math.ceil(files.length / CHUNK);
  // [0]: next chunk to claim; [1]: workers finished; [2]: workers started.
  const shared = new Int32Array(new SharedArrayBuffer(12));
  const results: (T | undefined)[] = new Array(files.length);
  const ports: MessagePort[] = [];
  const workers: Worker[] = [];
  for (let i = 0; i < extraCores; i++) {
    const { port1, port2 } = new MessageChannel();
    const w = new Worker(script, {
      workerData: { files, task, chunk: CHUNK, shared: shared.buffer, port: port2 },
      transferList: [port2],
    });
    w.unref();
    workers.push(w);
    ports.push(port1);
  }
  for (;;) {
    const c = Atomics.add(shared, 0, 1);
    if (c >= chunks) break;
    for (let i = c * CHUNK; i < Math.min(files.length, (c + 1) * CHUNK); i++) {
      results[i] = one(files[i]!);
      onProgress?.();
    }
  }
  // Every chunk is claimed now, so a worker that has not started yet will take none: wait
  // only for the started ones (each posts all its chunks before it reports done). A worker
  // that dies mid-chunk cannot hang us: after the deadline its chunks are parsed here.
  // Results are read as they arrive, so that a progress display keeps moving.
  const drain = (): void => {
    for (const port of ports) {
      for (let msg = receiveMessageOnPort(port); msg; msg = receiveMessageOnPort(port)) {
        const { start, json, error } = msg.message as { start: number; json?: string; error?: string };
        if (error) continue; // its chunk is re-parsed below
        const batch = JSON.parse(json!) as T[];
        batch.forEach((r, k) => {
          results[start + k] = r;
          onProgress?.();
        });
      }
    }
  };
  const deadline = Date.now() + 120_000;
  for (;;) {
    drain();
    const done = Atomics.load(shared, 1);
    if (done >= Atomics.load(shared, 2) || Date.now() > deadline) break;
    Atomics.wait(shared, 1, done, 50);
  }
  drain();
  for (const port of ports) port.close();
  for (const w of workers) void w.terminate();
  // A chunk a worker claimed but could not deliver (it crashed) is parsed here.
  return results.map((r, i) => r ?? one(files[i]!));
}
