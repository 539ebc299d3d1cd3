/**
 * Writes EVTX files byte by byte, for tests of the reader on structures and value types that
 * SigmaHQ's Sysmon regression files do not hold: a file header, 64 KiB chunks with their
 * checksums, records, and Binary XML with inline and back-referenced names and templates.
 * Written from the format description (MS-EVEN6, libevtx's notes), not from the reader.
 */
import { crc32 } from '../../../src/eval/evtx/crc32.js';

/** Bytes written at a known chunk offset (inline names and templates refer to their own offset). */
export class Bytes {
  readonly out: number[] = [];
  constructor(readonly base: number) {}
  get pos(): number {
    return this.base + this.out.length;
  }
  u8(v: number): this {
    this.out.push(v & 0xff);
    return this;
  }
  u16(v: number): this {
    return this.u8(v).u8(v >> 8);
  }
  u32(v: number): this {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(v >>> 0);
    return this.raw(b);
  }
  u64(v: bigint): this {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(v);
    return this.raw(b);
  }
  raw(b: Uint8Array): this {
    for (const x of b) this.out.push(x);
    return this;
  }
  utf16(s: string): this {
    return this.raw(Buffer.from(s, 'utf16le'));
  }
}

/** A substitution value: its type code and bytes. */
export interface Sub {
  type: number;
  bytes: Uint8Array;
}

/** Binary XML written into one chunk: names are inline the first time, then referred back to. */
export class ChunkWriter {
  private readonly names = new Map<string, number>();
  readonly templates = new Map<string, number>();

  name(w: Bytes, s: string): void {
    const known = this.names.get(s);
    if (known !== undefined) {
      w.u32(known);
      return;
    }
    const off = w.pos + 4;
    w.u32(off).u32(0).u16(0).u16(s.length).utf16(s).u16(0);
    this.names.set(s, off);
  }
}

/** Template body or record content, as a list of writing steps. */
export type Xml = (w: Bytes, c: ChunkWriter, inTemplate: boolean) => void;

export const el =
  (name: string, attrs: [string, Xml][], children: Xml[] | null): Xml =>
  (w, c, inTemplate) => {
    w.u8(attrs.length ? 0x41 : 0x01);
    if (inTemplate) w.u16(0xffff);
    w.u32(0);
    c.name(w, name);
    if (attrs.length) w.u32(0);
    attrs.forEach(([n, v], i) => {
      w.u8(i < attrs.length - 1 ? 0x46 : 0x06);
      c.name(w, n);
      v(w, c, inTemplate);
    });
    if (children === null) {
      w.u8(0x03);
      return;
    }
    w.u8(0x02);
    for (const ch of children) ch(w, c, inTemplate);
    w.u8(0x04);
  };
export const text =
  (s: string): Xml =>
  (w) =>
    w.u8(0x05).u8(0x01).u16(s.length).utf16(s);
export const sub =
  (index: number, type: number, optional = false): Xml =>
  (w) =>
    w
      .u8(optional ? 0x0e : 0x0d)
      .u16(index)
      .u8(type);
export const charRef =
  (code: number): Xml =>
  (w) =>
    w.u8(0x08).u16(code);
export const entityRef =
  (name: string): Xml =>
  (w, c) => {
    w.u8(0x09);
    c.name(w, name);
  };
export const cdata =
  (s: string): Xml =>
  (w) =>
    w.u8(0x07).u16(s.length).utf16(s);

/**
 * A template instance: the definition `key` is written inline the first time in the chunk and
 * referred back to after; then the substitution values.
 */
export type SubAt = Sub | ((at: number, c: ChunkWriter) => Sub);

export const template =
  (key: string, body: Xml, subs: SubAt[]): Xml =>
  (w, c) => {
    w.u8(0x0c).u8(0x01).u32(0x1234);
    const known = c.templates.get(key);
    if (known !== undefined) w.u32(known);
    else {
      const off = w.pos + 4;
      c.templates.set(key, off);
      w.u32(off);
      const def = new Bytes(off + 24);
      def.u8(0x0f).u8(1).u8(1).u8(0);
      body(def, c, true);
      def.u8(0x00);
      w.u32(0).raw(Buffer.alloc(16, 0x11)).u32(def.out.length).raw(Uint8Array.from(def.out));
    }
    // Values follow the descriptors; a nested fragment is written for the place it lands at.
    let at = w.pos + 4 + 4 * subs.length;
    const values: Sub[] = [];
    for (const s of subs) {
      const v = typeof s === 'function' ? s(at, c) : s;
      values.push(v);
      at += v.bytes.length;
    }
    w.u32(values.length);
    for (const v of values) w.u16(v.bytes.length).u8(v.type).u8(0);
    for (const v of values) w.raw(v.bytes);
  };

/** A nested Binary XML substitution value (type 0x21), written at its place in the chunk. */
export const binXmlSub =
  (content: Xml): ((at: number, c: ChunkWriter) => Sub) =>
  (at, c) => {
    const w = new Bytes(at);
    w.u8(0x0f).u8(1).u8(1).u8(0);
    content(w, c, false);
    w.u8(0x00);
    return { type: 0x21, bytes: Uint8Array.from(w.out) };
  };

export const FILETIME_EPOCH = 116444736000000000n;

/** One EVTX file: records are Binary XML writers; each chunk holds `perChunk` records. */
export function evtxFile(records: ((c: ChunkWriter) => Xml)[], perChunk = records.length): Buffer {
  const chunks: Buffer[] = [];
  let id = 1n;
  for (let i = 0; i < records.length; i += perChunk) {
    const chunk = Buffer.alloc(65536);
    const c = new ChunkWriter();
    let pos = 512;
    let last = 512;
    const firstId = id;
    for (const record of records.slice(i, i + perChunk)) {
      const body = new Bytes(pos + 24);
      body.u8(0x0f).u8(1).u8(1).u8(0);
      record(c)(body, c, false);
      body.u8(0x00);
      const size = 24 + body.out.length + 4;
      const r = new Bytes(pos);
      r.u32(0x00002a2a).u32(size).u64(id).u64(FILETIME_EPOCH).raw(Uint8Array.from(body.out)).u32(size);
      Buffer.from(r.out).copy(chunk, pos);
      last = pos;
      pos += size;
      id++;
    }
    chunk.write('ElfChnk\0', 0, 'latin1');
    chunk.writeBigUInt64LE(firstId, 8);
    chunk.writeBigUInt64LE(id - 1n, 16);
    chunk.writeBigUInt64LE(firstId, 24);
    chunk.writeBigUInt64LE(id - 1n, 32);
    chunk.writeUInt32LE(128, 40);
    chunk.writeUInt32LE(last, 44);
    chunk.writeUInt32LE(pos, 48);
    chunk.writeUInt32LE(crc32(chunk, [[512, pos]]), 52);
    chunk.writeUInt32LE(
      crc32(chunk, [
        [0, 120],
        [128, 512],
      ]),
      124,
    );
    chunks.push(chunk);
  }
  const header = Buffer.alloc(4096);
  header.write('ElfFile\0', 0, 'latin1');
  header.writeBigUInt64LE(0n, 8);
  header.writeBigUInt64LE(BigInt(Math.max(0, chunks.length - 1)), 16);
  header.writeBigUInt64LE(id, 24);
  header.writeUInt32LE(128, 32);
  header.writeUInt16LE(1, 36);
  header.writeUInt16LE(3, 38);
  header.writeUInt16LE(4096, 40);
  header.writeUInt16LE(chunks.length, 42);
  header.writeUInt32LE(crc32(header, [[0, 120]]), 124);
  return Buffer.concat([header, ...chunks]);
}
