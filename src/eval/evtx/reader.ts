/**
 * Reading an EVTX file as a stream of evtx_dump JSON events: the 4 KiB file header, then one
 * 64 KiB chunk at a time into one reused buffer, so memory stays bounded whatever the file size.
 * Never throws on bad bytes: every fault is a located diagnostic (E017–E019) and reading goes on.
 */
import type { Diagnostic } from '../../diagnostics.js';
import type { EventObject } from '../event-shapes.js';
import { CHUNK_SIZE, FILE_HEADER_SIZE, evtxDiagnostic, readChunk, type EvtxContext } from './chunk.js';
import { crc32 } from './crc32.js';

const FILE_SIGNATURE = Buffer.from('ElfFile\0', 'latin1');

/** Whether bytes start with the EVTX file signature `ElfFile\0`. */
export function isEvtx(head: Uint8Array): boolean {
  return head.length >= 8 && Buffer.from(head.buffer, head.byteOffset, 8).equals(FILE_SIGNATURE);
}

/** Checks the file header; false when the file cannot be read as EVTX at all. */
function readFileHeader(ctx: EvtxContext, buf: Buffer, length: number): boolean {
  const signed = isEvtx(buf.subarray(0, length));
  if (length < FILE_HEADER_SIZE || !signed) {
    evtxDiagnostic(
      ctx,
      'E017',
      signed ? length : 0,
      !signed
        ? 'Not an EVTX file: the file signature ("ElfFile") is missing; it is not read.'
        : `The EVTX file header is cut short (${length} of ${FILE_HEADER_SIZE} bytes); the file holds no chunk to read.`,
    );
    return false;
  }
  if (buf.readUInt32LE(124) !== crc32(buf, [[0, 120]]))
    evtxDiagnostic(ctx, 'E018', 124, 'The EVTX file header checksum does not match; its chunks are still read.');
  return true;
}

/** The events of an EVTX byte stream (a file, stdin or a gunzipped stream), chunk by chunk. */
export async function* readEvtxStream(
  stream: AsyncIterable<Buffer>,
  file: string,
  report: (d: Diagnostic) => void,
): AsyncGenerator<EventObject> {
  const ctx: EvtxContext = { file, report };
  // Not zero-filled: every chunk is read over it whole, or its missing tail is zeroed (readChunk).
  const buf = Buffer.allocUnsafe(CHUNK_SIZE);
  let filled = 0;
  let want = FILE_HEADER_SIZE;
  let index = -1; // -1: the file header
  let base = 0;
  let readable = true;
  const complete = function* (length: number): Generator<EventObject> {
    if (index === -1) readable = readFileHeader(ctx, buf, length);
    else if (readable) yield* readChunk(ctx, buf, index, base, length);
    base += length;
    index++;
    want = CHUNK_SIZE;
    filled = 0;
  };
  for await (const piece of stream) {
    for (let at = 0; at < piece.length;) {
      const n = Math.min(want - filled, piece.length - at);
      piece.copy(buf, filled, at, at + n);
      filled += n;
      at += n;
      if (filled === want) yield* complete(want);
    }
    if (!readable) return;
  }
  if (filled > 0 || index === -1) yield* complete(filled);
}

/**
 * The events of an EVTX file read synchronously through `read(buf, size)`, which fills `buf`
 * with up to `size` next bytes of the file and returns how many it gave (0 at the end). The
 * caller does the I/O (the CLI passes fs.readSync on an open file): the library reads no files.
 */
export function* readEvtxSync(
  read: (buf: Buffer, size: number) => number,
  file: string,
  report: (d: Diagnostic) => void,
): Generator<EventObject> {
  const ctx: EvtxContext = { file, report };
  // Not zero-filled: every chunk is read over it whole, or its missing tail is zeroed (readChunk).
  const buf = Buffer.allocUnsafe(CHUNK_SIZE);
  const fill = (size: number): number => {
    let filled = 0;
    for (let n = 1; filled < size && n > 0; filled += n)
      n = read(filled === 0 ? buf : buf.subarray(filled), size - filled);
    return filled;
  };
  if (!readFileHeader(ctx, buf, fill(FILE_HEADER_SIZE))) return;
  for (let index = 0, base = FILE_HEADER_SIZE; ; index++, base += CHUNK_SIZE) {
    const length = fill(CHUNK_SIZE);
    if (length === 0) return;
    yield* readChunk(ctx, buf, index, base, length);
    if (length < CHUNK_SIZE) return;
  }
}
