/** CRC-32 (IEEE 802.3), the checksum EVTX headers and chunks carry; zlib computes it natively. */
import zlib from 'node:zlib';

/** CRC-32 of the given byte ranges of `buf`, taken one after another as one message. */
export function crc32(buf: Uint8Array, ranges: readonly (readonly [start: number, end: number])[]): number {
  let c = 0;
  for (const [start, end] of ranges) c = zlib.crc32(buf.subarray(start, end), c);
  return c >>> 0;
}
