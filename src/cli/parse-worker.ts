/** Worker side of parse-pool.ts: claims chunks of files, runs the task on them, posts JSON back. */
import { workerData, type MessagePort } from 'node:worker_threads';
import { prepareTask, runTask, type PoolTask } from './pool-tasks.js';

const { files, task, chunk, shared, port } = workerData as {
  files: string[];
  task: PoolTask;
  chunk: number;
  shared: SharedArrayBuffer;
  port: MessagePort;
};
const counters = new Int32Array(shared);
await prepareTask(task);
const chunks = Math.ceil(files.length / chunk);
Atomics.add(counters, 2, 1);
try {
  for (;;) {
    const c = Atomics.add(counters, 0, 1);
    if (c >= chunks) break;
    const start = c * chunk;
    const batch = files.slice(start, Math.min(files.length, start + chunk)).map((f) => runTask(f, task));
    port.postMessage({ start, json: JSON.stringify(batch) });
  }
} catch (e) {
  port.postMessage({ start: -1, error: (e as Error).stack ?? String(e) });
} finally {
  Atomics.add(counters, 1, 1);
  Atomics.notify(counters, 1);
}
