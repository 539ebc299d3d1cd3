/**
 * One 64 KiB EVTX chunk: its header (signature, checksums, free-space offset) and its event
 * records (signature 0x00002a2a, size, record id, FILETIME, Binary XML, size again), each
 * rendered as the evtx_dump JSON object. Faults are diagnostics located by file offset.
 */
import type { Diagnostic } from '../../diagnostics.js';
import { evalDiagnostic, type EvalCode } from '../codes.js';
import type { EventObject } from '../event-shapes.js';
import { ChunkXml } from './binxml.js';
import { crc32 } from './crc32.js';
import { EvtxFormatError } from './errors.js';
import { recordJson } from './json.js';

export const FILE_HEADER_SIZE = 4096;
export const CHUNK_SIZE = 65536;
const CHUNK_HEADER_SIZE = 512;
const RECORD_HEADER_SIZE = 24;
const CHUNK_SIGNATURE = Buffer.from('ElfChnk\0', 'latin1');
const RECORD_SIGNATURE = 0x00002a2a;

export interface EvtxContext {
  file: string;
  report: (d: Diagnostic) => void;
}

/** A diagnostic located at byte `offset` of the file (line 1, column offset + 1). */
export function evtxDiagnostic(ctx: EvtxContext, code: EvalCode, offset: number, message: string, hint?: string): void {
  const d = evalDiagnostic(code, message, { line: 1, column: offset + 1 }, hint);
  d.file = ctx.file;
  ctx.report(d);
}

const hex = (n: number): string => '0x' + n.toString(16);

function allZero(buf: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (buf[i] !== 0) return false;
  return true;
}

/**
 * The events of chunk `index` (file offset `base`). `length` is how many bytes of `buf` were
 * read: less than 64 KiB for a chunk cut short at the end of the file.
 */
export function readChunk(ctx: EvtxContext, buf: Buffer, index: number, base: number, length: number): EventObject[] {
  const where = `EVTX chunk ${index} (file offset ${hex(base)})`;
  if (length < CHUNK_HEADER_SIZE || !buf.subarray(0, 8).equals(CHUNK_SIGNATURE)) {
    // Chunks that were allocated but never written are all zeros.
    if (allZero(buf, 0, length)) return [];
    evtxDiagnostic(
      ctx,
      'E017',
      base,
      length < CHUNK_HEADER_SIZE
        ? `${where} is cut short (${length} bytes); it is skipped.`
        : `${where} has no chunk signature ("ElfChnk"); it is skipped.`,
      'The file is damaged or is not a complete EVTX file; export the log again (wevtutil epl) if you can.',
    );
    return [];
  }
  const truncated = length < CHUNK_SIZE;
  if (truncated) {
    buf.fill(0, length);
    evtxDiagnostic(
      ctx,
      'E017',
      base + length,
      `${where} is cut short (${length} of ${CHUNK_SIZE} bytes); the records within it are read.`,
    );
  } else if (
    buf.readUInt32LE(124) !==
    crc32(buf, [
      [0, 120],
      [128, CHUNK_HEADER_SIZE],
    ])
  )
    evtxDiagnostic(
      ctx,
      'E018',
      base + 124,
      `${where}: the chunk header checksum does not match; its records are still read.`,
    );
  let end = buf.readUInt32LE(48);
  if (end < CHUNK_HEADER_SIZE || end > CHUNK_SIZE) {
    evtxDiagnostic(
      ctx,
      'E017',
      base + 48,
      `${where}: the free-space offset ${hex(end)} is out of range; records are read up to the first that is not valid.`,
    );
    end = CHUNK_SIZE;
  } else if (!truncated && buf.readUInt32LE(52) !== crc32(buf, [[CHUNK_HEADER_SIZE, end]]))
    evtxDiagnostic(
      ctx,
      'E018',
      base + 52,
      `${where}: the records checksum does not match; the records that decode are still read.`,
    );

  const xml = new ChunkXml(buf);
  const events: EventObject[] = [];
  for (let p = CHUNK_HEADER_SIZE; p + RECORD_HEADER_SIZE <= end;) {
    const at = `EVTX record at file offset ${hex(base + p)} (chunk ${index})`;
    if (buf.readUInt32LE(p) !== RECORD_SIGNATURE) {
      if (!allZero(buf, p, end))
        evtxDiagnostic(ctx, 'E019', base + p, `${at}: no record signature; the rest of the chunk is skipped.`);
      break;
    }
    const size = buf.readUInt32LE(p + 4);
    if (size < RECORD_HEADER_SIZE + 4 || p + size > end || buf.readUInt32LE(p + size - 4) !== size) {
      evtxDiagnostic(
        ctx,
        'E019',
        base + p + 4,
        `${at}: the record size ${size} is not valid (too small, past the chunk's records, or not repeated at the record's end); the rest of the chunk is skipped.`,
      );
      break;
    }
    const recordId = buf.readBigUInt64LE(p + 8);
    try {
      const content = xml.record(p + RECORD_HEADER_SIZE, p + size - 4);
      const event = recordJson(content);
      if (Object.keys(event).length === 0) throw new EvtxFormatError('the record holds no XML element', -1);
      events.push(event);
    } catch (e) {
      // Any fault, not only the reader's own: bad bytes must never end the run.
      // At the fault when it lies in the chunk; a reference out of it is located at its record.
      const off = e instanceof EvtxFormatError && e.offset >= 0 && e.offset < CHUNK_SIZE ? e.offset : p;
      const reason = e instanceof Error ? e.message : String(e);
      evtxDiagnostic(ctx, 'E019', base + off, `${at} (record ${recordId}): ${reason}; the record is skipped.`);
    }
    p += size;
  }
  return events;
}
