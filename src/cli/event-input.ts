/**
 * Events from a file or stdin, in bounded memory: EVTX files (by their signature) are read 64 KiB
 * chunk by chunk (src/eval/evtx); JSON Lines are streamed line by line; input
 * whose first line is not a complete JSON object (pretty-printed JSON, an array, EVTX records one
 * after another) is one JSON document, read whole up to a size limit. Every problem is a located
 * diagnostic for that line or document only; the rest of the input is still read.
 */
import fs from 'node:fs';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import type { Diagnostic } from '../diagnostics.js';
import { evalDiagnostic } from '../eval/codes.js';
import type { EventObject } from '../eval/event-shapes.js';
import { isEvtx, readEvtxStream } from '../eval/evtx/reader.js';
import { parseJsonEvents, parseJsonLine } from '../eval/json-events.js';

export interface EventLimits {
  maxLineBytes: number;
  maxDocumentBytes: number;
  maxDepth: number;
}

export const EVENT_LIMITS: Readonly<EventLimits> = Object.freeze({
  /** A JSON Lines line longer than this is reported and skipped (its bytes are not kept). */
  maxLineBytes: 16 * 1024 * 1024,
  /** A whole JSON document (not JSON Lines) larger than this is reported, not read. */
  maxDocumentBytes: 256 * 1024 * 1024,
  /** Events nested deeper than this are reported and skipped (matching walks their values). */
  maxDepth: 64,
});

const mb = (bytes: number): string => String(+(bytes / 1048576).toFixed(3));

/** Depth of the deepest object or array in a value (iterative: the value may be arbitrarily deep). */
function depthExceeds(value: unknown, limit: number): boolean {
  const stack: { v: unknown; d: number }[] = [{ v: value, d: 1 }];
  while (stack.length) {
    const { v, d } = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (d > limit) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push({ v: child, d: d + 1 });
  }
  return false;
}

function tooDeep(file: string, line: number, limits: EventLimits): Diagnostic {
  const d = evalDiagnostic(
    'E003',
    `The event is nested more than ${limits.maxDepth} levels deep; it is skipped.`,
    { line, column: 1 },
    'Events are flat or shallow objects (EVTX records rendered as JSON are 4 levels deep).',
  );
  d.file = file;
  return d;
}

/** Yields the lines of a byte stream with their numbers; over-long lines come as `null`. */
async function* lines(
  stream: AsyncIterable<Buffer>,
  maxLineBytes: number,
): AsyncGenerator<{ text: string | null; line: number }> {
  let parts: Buffer[] = [];
  let size = 0;
  let overflow = false;
  let line = 1;
  for await (const chunk of stream) {
    let start = 0;
    for (let nl = chunk.indexOf(10, start); nl !== -1; nl = chunk.indexOf(10, start)) {
      if (!overflow) parts.push(chunk.subarray(start, nl));
      yield { text: overflow ? null : Buffer.concat(parts).toString('utf8'), line };
      line++;
      parts = [];
      size = 0;
      overflow = false;
      start = nl + 1;
    }
    if (start < chunk.length && !overflow) {
      size += chunk.length - start;
      if (size > maxLineBytes) {
        overflow = true;
        parts = [];
      } else parts.push(chunk.subarray(start));
    }
  }
  if (overflow || size > 0) yield { text: overflow ? null : Buffer.concat(parts).toString('utf8'), line };
}

/**
 * The event on one line of a JSON Lines input (`text` null: the line was over-long), or
 * undefined when the line is blank or reported.
 */
export function lineEvent(
  text: string | null,
  line: number,
  file: string,
  report: (d: Diagnostic) => void,
  limits: EventLimits = EVENT_LIMITS,
): EventObject | undefined {
  if (text === null) {
    const d = evalDiagnostic(
      'E003',
      `The line is longer than ${mb(limits.maxLineBytes)} MB; it is skipped.`,
      { line, column: 1 },
      'Each line of a JSON Lines file is one event.',
    );
    d.file = file;
    report(d);
    return undefined;
  }
  const r = parseJsonLine(text, line, file);
  if (r === null) return undefined;
  if ('diagnostic' in r) report(r.diagnostic);
  else if (depthExceeds(r.event, limits.maxDepth)) report(tooDeep(file, line, limits));
  else return r.event;
  return undefined;
}

/**
 * Lines of a byte stream in blocks of about `blockBytes`, numbered as `lines` numbers them,
 * for another thread to read: the block's lines joined by LF, over-long lines left empty and
 * listed in `overlong`. As with `lines`, a fault of the stream ends it after the complete lines
 * before the fault (they come as a last block, then the error is thrown).
 */
export interface LineBlock {
  bytes: Uint8Array;
  firstLine: number;
  /** Numbers of the lines longer than the limit (empty in `bytes`). */
  overlong: number[];
}

const LF = Buffer.from([10]);

export async function* lineBlocks(
  stream: AsyncIterable<Buffer>,
  blockBytes: number,
  maxLineBytes: number = EVENT_LIMITS.maxLineBytes,
): AsyncGenerator<LineBlock> {
  let parts: Buffer[] = [];
  let size = 0;
  let overflow = false;
  let line = 1;
  let pieces: Buffer[] = [];
  let piecesBytes = 0;
  let first = 1;
  let overlong: number[] = [];
  const endLine = (content: Buffer | null): void => {
    if (line > first) pieces.push(LF);
    if (content === null) overlong.push(line);
    else {
      pieces.push(content);
      piecesBytes += content.length;
    }
    line++;
  };
  const flush = (): LineBlock => {
    const block = { bytes: Buffer.concat(pieces), firstLine: first, overlong };
    pieces = [];
    piecesBytes = 0;
    overlong = [];
    first = line;
    return block;
  };
  try {
    for await (const chunk of stream) {
      let start = 0;
      for (let nl = chunk.indexOf(10, start); nl !== -1; nl = chunk.indexOf(10, start)) {
        if (overflow) endLine(null);
        else if (parts.length === 0) endLine(chunk.subarray(start, nl));
        else {
          parts.push(chunk.subarray(start, nl));
          endLine(Buffer.concat(parts));
        }
        parts = [];
        size = 0;
        overflow = false;
        start = nl + 1;
        if (piecesBytes >= blockBytes) yield flush();
      }
      if (start < chunk.length && !overflow) {
        size += chunk.length - start;
        if (size > maxLineBytes) {
          overflow = true;
          parts = [];
        } else parts.push(chunk.subarray(start));
      }
    }
  } catch (e) {
    if (line > first) yield flush();
    throw e;
  }
  if (overflow || size > 0) endLine(overflow ? null : Buffer.concat(parts));
  if (line > first) yield flush();
}

/** The lines of a block with their numbers, as `lines` gives them (over-long ones as null). */
export function* blockLines(block: LineBlock): Generator<{ text: string | null; line: number }> {
  const text = Buffer.from(block.bytes.buffer, block.bytes.byteOffset, block.bytes.length).toString('utf8');
  const overlong = new Set(block.overlong);
  let line = block.firstLine;
  for (let start = 0; ; line++) {
    const nl = text.indexOf('\n', start);
    yield { text: overlong.has(line) ? null : text.slice(start, nl === -1 ? text.length : nl), line };
    if (nl === -1) return;
    start = nl + 1;
  }
}

/** The E008 diagnostic for an events file whose stream failed part-way. */
export function streamFault(e: unknown, file: string): Diagnostic {
  const reason = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
  const d = evalDiagnostic(
    'E008',
    `The events file cannot be read to its end (${reason}); the events before the fault are used.`,
    { line: 1, column: 1 },
    'Check that the file is complete (a gzip file cut short, or a file that changed while it was read).',
  );
  d.file = file;
  return d;
}

export function firstLineIsObject(text: string): boolean {
  const t = text.trim();
  if (!t.startsWith('{')) return false;
  try {
    JSON.parse(t);
    return true;
  } catch {
    return false;
  }
}

/** The first `size` bytes of a stream (fewer if it is shorter), and the whole stream again. */
async function peek(
  input: AsyncIterable<Buffer>,
  size: number,
): Promise<{ head: Buffer; stream: AsyncIterable<Buffer> }> {
  const it = input[Symbol.asyncIterator]();
  const seen: Buffer[] = [];
  let bytes = 0;
  let done = false;
  while (bytes < size) {
    const r = await it.next();
    if (r.done) {
      done = true;
      break;
    }
    seen.push(r.value);
    bytes += r.value.length;
  }
  async function* again(): AsyncGenerator<Buffer> {
    let finished = done;
    try {
      yield* seen;
      if (!finished) for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
      finished = true;
    } finally {
      // A reader that stops early closes the underlying stream (a file handle).
      if (!finished) await it.return?.();
    }
  }
  return { head: Buffer.concat(seen).subarray(0, size), stream: again() };
}

/**
 * The events of one input (`file` names it in diagnostics). `open` gives its bytes as a stream;
 * stdin and files are read the same way.
 */
export async function* readEvents(
  input: AsyncIterable<Buffer>,
  file: string,
  report: (d: Diagnostic) => void,
  limits: EventLimits = EVENT_LIMITS,
): AsyncGenerator<EventObject> {
  // An EVTX file is told by its signature, whatever its name, and read chunk by chunk.
  const { head, stream } = await peek(input, 8);
  if (isEvtx(head)) {
    yield* readEvtxStream(stream, file, report);
    return;
  }
  let mode: 'lines' | 'document' | undefined;
  const document: string[] = [];
  let documentBytes = 0;
  let documentTooLarge = false;
  for await (const { text, line } of lines(stream, limits.maxLineBytes)) {
    if (mode === undefined) {
      if (text !== null && text.trim() === '') continue;
      mode = text !== null && firstLineIsObject(text) ? 'lines' : 'document';
    }
    if (mode === 'document') {
      if (text === null || documentTooLarge) {
        documentTooLarge = true;
        continue;
      }
      documentBytes += text.length + 1;
      if (documentBytes > limits.maxDocumentBytes) {
        documentTooLarge = true;
        document.length = 0;
      } else document.push(text);
      continue;
    }
    const event = lineEvent(text, line, file, report, limits);
    if (event !== undefined) yield event;
  }
  if (mode !== 'document') return;
  if (documentTooLarge) {
    const d = evalDiagnostic(
      'E003',
      `The JSON document is larger than ${mb(limits.maxDocumentBytes)} MB (or has a line over ${mb(limits.maxLineBytes)} MB); it is not read.`,
      { line: 1, column: 1 },
      'Give large inputs as JSON Lines: one event per line, read as a stream.',
    );
    d.file = file;
    report(d);
    return;
  }
  const parsed = parseJsonEvents(document.join('\n'), file);
  parsed.diagnostics.forEach(report);
  for (const e of parsed.events) {
    if (depthExceeds(e.event, limits.maxDepth)) report(tooDeep(file, e.line, limits));
    else yield e.event;
  }
}

/**
 * The bytes of a file or stdin as a stream; gzip input (by its magic bytes, whatever the name:
 * `*.jsonl.gz` exports) is decompressed as it is read.
 */
export function openEvents(input: string | 0): AsyncIterable<Buffer> {
  return gunzipIfCompressed(input === 0 ? (process.stdin as AsyncIterable<Buffer>) : fs.createReadStream(input));
}

async function* gunzipIfCompressed(stream: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const it = stream[Symbol.asyncIterator]();
  const first = await it.next();
  if (first.done) return;
  const head = first.value;
  async function* all(): AsyncGenerator<Buffer> {
    yield head;
    for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
  }
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) yield* Readable.from(all()).pipe(zlib.createGunzip());
  else yield* all();
}

/**
 * `readEvents` that also survives a stream that fails part-way (a truncated gzip file, a read
 * error): the events read so far are kept and the fault is one E008 diagnostic for the file.
 */
export async function* readEventsSafely(
  stream: AsyncIterable<Buffer>,
  file: string,
  report: (d: Diagnostic) => void,
  limits: EventLimits = EVENT_LIMITS,
): AsyncGenerator<EventObject> {
  try {
    yield* readEvents(stream, file, report, limits);
  } catch (e) {
    report(streamFault(e, file));
  }
}
