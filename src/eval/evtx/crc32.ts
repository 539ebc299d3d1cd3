/** CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), the checksum EVTX headers and chunks carry. */

const TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 of the given byte ranges of `buf`, taken one after another as one message. */
export function crc32(buf: Uint8Array, ranges: readonly (readonly [start: number, end: number])[]): number {
  let c = 0xffffffff;
  for (const [start, end] of ranges) for (let i = start; i < end; i++) c = TABLE[(c ^ buf[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
