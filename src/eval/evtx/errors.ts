/** A structural fault in EVTX bytes, at a chunk-relative offset; the reader turns it into a diagnostic. */
export class EvtxFormatError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/** Bounds-checked little-endian reads of a chunk buffer; a read past `limit` is an EvtxFormatError. */
export class ByteReader {
  constructor(
    readonly buf: Buffer,
    readonly limit: number = buf.length,
  ) {}

  need(offset: number, size: number, what: string): void {
    if (offset < 0 || size < 0 || offset + size > this.limit)
      throw new EvtxFormatError(
        `${what} runs past the end of its data (${size} bytes at 0x${offset.toString(16)})`,
        offset,
      );
  }
  u8(o: number, what = 'a byte'): number {
    this.need(o, 1, what);
    return this.buf[o]!;
  }
  u16(o: number, what = 'a 16-bit value'): number {
    this.need(o, 2, what);
    return this.buf.readUInt16LE(o);
  }
  u32(o: number, what = 'a 32-bit value'): number {
    this.need(o, 4, what);
    return this.buf.readUInt32LE(o);
  }
  u64(o: number, what = 'a 64-bit value'): bigint {
    this.need(o, 8, what);
    return this.buf.readBigUInt64LE(o);
  }
  /** `chars` UTF-16LE code units at `o`. */
  utf16(o: number, chars: number, what = 'a string'): string {
    this.need(o, chars * 2, what);
    return this.buf.toString('utf16le', o, o + chars * 2);
  }
}
