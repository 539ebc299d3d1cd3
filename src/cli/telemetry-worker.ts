/**
 * Worker side of `measureTelemetry` (telemetry-input.ts): evaluates blocks of JSON Lines (or a
 * whole events file that is not JSON Lines) against the rules and posts back what a meter of
 * the same rules records, with the diagnostics of the block in line order.
 */
import { getHeapStatistics } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import type { SigmaDocument } from '../ast/types.js';
import type { Diagnostic } from '../diagnostics.js';
import { toView } from '../eval/compile.js';
import type { EventView } from '../eval/event-view.js';
import { TelemetryMeter } from '../lint/noise/telemetry.js';
import { blockLines, lineEvent, openEvents, readEventsSafely, type LineBlock } from './event-input.js';
import type { TelemetryJob, TelemetryResult } from './telemetry-input.js';

const { docs, extraFields } = workerData as { docs: SigmaDocument[]; extraFields: string[] };
const meter = new TelemetryMeter(docs, extraFields);
meter.prepare();

/** The events of a block of lines, reporting bad lines as the sequential reader does. */
function* blockEvents(block: LineBlock & { file: string }, report: (d: Diagnostic) => void): Generator<EventView> {
  for (const { text, line } of blockLines(block)) {
    const event = lineEvent(text, line, block.file, report);
    if (event !== undefined) yield toView(event);
  }
}

async function run(job: TelemetryJob): Promise<TelemetryResult> {
  const diagnostics: Diagnostic[] = [];
  const report = (d: Diagnostic): void => void diagnostics.push(d);
  if (job.kind === 'lines') {
    const batch = meter.collect(blockEvents(job, report));
    return { seq: job.seq, batch, diagnostics, heapUsed: getHeapStatistics().used_heap_size };
  }
  // A file that is not JSON Lines is one document: read whole, as the sequential reader does.
  const views: EventView[] = [];
  for await (const event of readEventsSafely(openEvents(job.file), job.file, report)) views.push(toView(event));
  return { seq: job.seq, batch: meter.collect(views), diagnostics, heapUsed: getHeapStatistics().used_heap_size };
}

// Jobs run one at a time, in the order they come.
let queue = Promise.resolve();
parentPort!.on('message', (job: TelemetryJob) => {
  queue = queue.then(async () => {
    try {
      parentPort!.postMessage(await run(job));
    } catch (e) {
      parentPort!.postMessage({ seq: job.seq, error: (e as Error).stack ?? String(e) });
    }
  });
});
