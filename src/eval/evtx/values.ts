/**
 * Binary XML value types (substitution values and typed text) → the JSON values evtx_dump
 * (omerbenamram/evtx) writes for them: numbers as numbers, HexInt/SizeT as lower-case "0x…",
 * GUIDs upper case without braces, binary as upper-case hex, FILETIME/SYSTEMTIME as
 * YYYY-MM-DDTHH:MM:SS.ffffffZ, SIDs as S-1-…; arrays (type | 0x80) as JSON arrays.
 */
import { ByteReader, EvtxFormatError } from './errors.js';

type JsonScalar = string | number | boolean | null;
export type JsonValue = JsonScalar | JsonValue[] | { [key: string]: JsonValue };

/** Value type codes (MS-EVEN6 / libevtx). */
export const VALUE_TYPE = {
  null: 0x00,
  string: 0x01,
  ansiString: 0x02,
  binXml: 0x21,
  array: 0x80,
} as const;

const hex = (n: bigint | number): string => '0x' + n.toString(16);

/** The shortest decimal that reads back as the same 32-bit float (what serde_json writes for f32). */
function float32(v: number): number {
  if (!Number.isFinite(v)) return v;
  for (let p = 1; p <= 9; p++) {
    const s = Number(v.toPrecision(p));
    if (Math.fround(s) === v) return s;
  }
  return v;
}

/**
 * Windows-1252 (the code page evtx_dump assumes for ANSI strings by default): Latin-1 but for
 * 0x80–0x9F. Written out because Node's TextDecoder('windows-1252') decodes those as Latin-1.
 */
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];
const ANSI = {
  decode(bytes: Uint8Array): string {
    let s = '';
    for (const b of bytes) s += String.fromCharCode(b >= 0x80 && b < 0xa0 ? CP1252_HIGH[b - 0x80]! : b);
    return s;
  },
};

/** JSON has no NaN or infinity: serde_json writes them as null, and so does evtx_dump. */
const finite = (v: number): number | null => (Number.isFinite(v) ? v : null);

/** Up to the first NUL: fixed-size string fields are NUL-padded. */
const trimNul = (s: string): string => {
  const i = s.indexOf('\0');
  return i === -1 ? s : s.slice(0, i);
};

/** Unicode White_Space (what Rust's `char::is_whitespace` tests), at the end of a string. */
const TRAILING_SPACE = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/u;

/**
 * A substituted string as evtx_dump writes it: up to its NUL, without trailing white space
 * (`"cmd.exe" ` is `"cmd.exe"`; SigmaHQ's regression JSON shows it on every such value).
 */
const substitutedString = (s: string): string => trimNul(s).replace(TRAILING_SPACE, '');

function formatGuid(r: ByteReader, o: number): string {
  r.need(o, 16, 'a GUID');
  const b = r.buf;
  const h = (from: number, to: number): string => b.subarray(from, to).toString('hex');
  const d1 = b.readUInt32LE(o).toString(16).padStart(8, '0');
  const d2 = b
    .readUInt16LE(o + 4)
    .toString(16)
    .padStart(4, '0');
  const d3 = b
    .readUInt16LE(o + 6)
    .toString(16)
    .padStart(4, '0');
  return `${d1}-${d2}-${d3}-${h(o + 8, o + 10)}-${h(o + 10, o + 16)}`.toUpperCase();
}

const FILETIME_UNIX_EPOCH = 116444736000000000n;

/** FILETIME (100 ns ticks since 1601) → ISO 8601 UTC with microseconds (ticks are truncated). */
function formatFiletime(ticks: bigint): string {
  const micros = ticks / 10n - FILETIME_UNIX_EPOCH / 10n;
  let ms = micros / 1000n;
  let rest = micros % 1000n;
  if (rest < 0n) {
    rest += 1000n;
    ms -= 1n;
  }
  const d = new Date(Number(ms));
  if (Number.isNaN(d.getTime())) throw new EvtxFormatError(`FILETIME ${ticks} is out of range`, -1);
  const iso = d.toISOString(); // YYYY-MM-DDTHH:MM:SS.mmmZ
  return `${iso.slice(0, 23)}${rest.toString().padStart(3, '0')}Z`;
}

function formatSystemtime(r: ByteReader, o: number): string {
  r.need(o, 16, 'a SYSTEMTIME');
  const f = (i: number): number => r.buf.readUInt16LE(o + i * 2);
  const [year, month, , day, hour, minute, second, ms] = [f(0), f(1), f(2), f(3), f(4), f(5), f(6), f(7)];
  const d = new Date(Date.UTC(year, month - 1, day, hour, minute, second, ms));
  if (
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > 31 ||
    hour > 23 ||
    minute > 59 ||
    second > 59 ||
    ms > 999 ||
    d.getUTCDate() !== day
  )
    throw new EvtxFormatError(
      `SYSTEMTIME ${year}-${month}-${day} ${hour}:${minute}:${second}.${ms} is not a valid time`,
      o,
    );
  d.setUTCFullYear(year);
  return `${d.toISOString().slice(0, 23)}000Z`;
}

/** A SID: revision, sub-authority count, 48-bit big-endian authority, 32-bit sub-authorities. Returns [text, size]. */
function formatSid(r: ByteReader, o: number): [string, number] {
  const revision = r.u8(o, 'a SID');
  const count = r.u8(o + 1, 'a SID');
  r.need(o, 8 + count * 4, 'a SID');
  const authority = r.buf.readUIntBE(o + 2, 6);
  let s = `S-${revision}-${authority >= 2 ** 32 ? hex(authority) : authority}`;
  for (let i = 0; i < count; i++) s += `-${r.buf.readUInt32LE(o + 8 + i * 4)}`;
  return [s, 8 + count * 4];
}

/** Size in bytes of one element of a fixed-size type, or undefined for a variable-size type. */
const FIXED_SIZE: Record<number, number> = {
  0x03: 1,
  0x04: 1,
  0x05: 2,
  0x06: 2,
  0x07: 4,
  0x08: 4,
  0x09: 8,
  0x0a: 8,
  0x0b: 4,
  0x0c: 8,
  0x0d: 4,
  0x0f: 16,
  0x11: 8,
  0x12: 16,
  0x14: 4,
  0x15: 8,
};

/** One fixed-size value of `type` at `o` (`size` is the element size, for Bool and SizeT). */
function fixedValue(r: ByteReader, type: number, o: number, size: number): JsonScalar {
  const b = r.buf;
  r.need(o, size, 'a value');
  switch (type) {
    case 0x03:
      return b.readInt8(o);
    case 0x04:
      return b.readUInt8(o);
    case 0x05:
      return b.readInt16LE(o);
    case 0x06:
      return b.readUInt16LE(o);
    case 0x07:
      return b.readInt32LE(o);
    case 0x08:
      return b.readUInt32LE(o);
    case 0x09:
      return Number(b.readBigInt64LE(o));
    case 0x0a:
      return Number(b.readBigUInt64LE(o));
    case 0x0b:
      return finite(float32(b.readFloatLE(o)));
    case 0x0c:
      return finite(b.readDoubleLE(o));
    case 0x0d:
      return size >= 4 ? b.readInt32LE(o) !== 0 : b.readUInt8(o) !== 0;
    case 0x0f:
      return formatGuid(r, o);
    case 0x10:
      return size === 4 ? hex(b.readUInt32LE(o)) : hex(b.readBigUInt64LE(o));
    case 0x11:
      return formatFiletime(b.readBigUInt64LE(o));
    case 0x12:
      return formatSystemtime(r, o);
    case 0x14:
      return hex(b.readUInt32LE(o));
    case 0x15:
      return hex(b.readBigUInt64LE(o));
    default:
      throw new EvtxFormatError(`value type 0x${type.toString(16)} is not a fixed-size type`, o);
  }
}

/**
 * A substitution value of `type` occupying `size` bytes at `o` (the size its descriptor gives).
 * BinXml values (0x21) are not handled here: the Binary XML reader parses them.
 */
export function readSizedValue(r: ByteReader, type: number, o: number, size: number): JsonValue {
  r.need(o, size, 'a substitution value');
  const b = r.buf;
  switch (type) {
    case 0x00:
      return null;
    case 0x01:
      return substitutedString(b.toString('utf16le', o, o + (size & ~1)));
    case 0x02:
      return substitutedString(ANSI.decode(b.subarray(o, o + size)));
    case 0x0e:
      return b
        .subarray(o, o + size)
        .toString('hex')
        .toUpperCase();
    case 0x10:
      if (size !== 4 && size !== 8) throw new EvtxFormatError(`a SizeT value of ${size} bytes`, o);
      return fixedValue(r, type, o, size);
    case 0x13:
      return formatSid(r, o)[0];
    case 0x0d:
      if (size !== 4 && size !== 1) throw new EvtxFormatError(`a Bool value of ${size} bytes`, o);
      return fixedValue(r, type, o, size);
    case 0x81: {
      // NUL-terminated UTF-16 strings one after another.
      const text = b.toString('utf16le', o, o + (size & ~1));
      const parts = text.split('\0');
      if (text.endsWith('\0')) parts.pop();
      return parts;
    }
    case 0x82: {
      const parts = ANSI.decode(b.subarray(o, o + size)).split('\0');
      if (b[o + size - 1] === 0) parts.pop();
      return parts;
    }
    case 0x8e:
      return b
        .subarray(o, o + size)
        .toString('hex')
        .toUpperCase();
    case 0x93: {
      const out: string[] = [];
      for (let p = o; p < o + size;) {
        const [s, n] = formatSid(new ByteReader(b, o + size), p);
        out.push(s);
        p += n;
      }
      return out;
    }
    case 0x90: {
      const width = size % 8 === 0 ? 8 : 4;
      const out: JsonScalar[] = [];
      for (let p = o; p + width <= o + size; p += width) out.push(fixedValue(r, 0x10, p, width));
      return out;
    }
    default: {
      if (type & VALUE_TYPE.array) {
        const element = type & 0x7f;
        const width = FIXED_SIZE[element];
        if (width === undefined) throw new EvtxFormatError(`unsupported array value type 0x${type.toString(16)}`, o);
        const out: JsonScalar[] = [];
        for (let p = o; p + width <= o + size; p += width) out.push(fixedValue(r, element, p, width));
        return out;
      }
      const width = FIXED_SIZE[type];
      if (width === undefined) throw new EvtxFormatError(`unsupported value type 0x${type.toString(16)}`, o);
      if (size < width) throw new EvtxFormatError(`a value of type 0x${type.toString(16)} in ${size} bytes`, o);
      return fixedValue(r, type, o, width);
    }
  }
}

/**
 * A typed value written inline in Binary XML (a Value token): a string is prefixed by its
 * length in characters; other types have their fixed size. Returns the value and its size.
 */
export function readInlineValue(r: ByteReader, type: number, o: number): [JsonValue, number] {
  if (type === VALUE_TYPE.string) {
    // Up to a NUL if there is one, but not trimmed: only substituted strings are (as evtx_dump does).
    const chars = r.u16(o, 'a string length');
    return [trimNul(r.utf16(o + 2, chars)), 2 + chars * 2];
  }
  if (type === 0x13) {
    const [s, n] = formatSid(r, o);
    return [s, n];
  }
  const width = type === 0x10 ? 8 : FIXED_SIZE[type];
  if (width === undefined) throw new EvtxFormatError(`unsupported inline value type 0x${type.toString(16)}`, o);
  return [fixedValue(r, type, o, width), width];
}
