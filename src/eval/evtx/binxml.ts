/**
 * Binary XML (MS-EVEN6) of one chunk → an element tree with every template instance expanded.
 *
 * Names and template definitions are chunk-relative offsets: written inline the first time and
 * referred back to after, so both are read once per chunk and cached. A template definition
 * holds substitution placeholders; an instance gives their values, and a BinXml-typed value
 * (0x21) is itself a fragment, parsed the same way. Every read is bounded by its fragment, and
 * nesting, expansion and output size are capped, so hostile bytes end in an EvtxFormatError.
 */
import { ByteReader, EvtxFormatError } from './errors.js';
import { readInlineValue, readSizedValue, VALUE_TYPE, type JsonValue } from './values.js';

export interface XmlElement {
  kind: 'element';
  name: string;
  attributes: XmlAttribute[];
  children: XmlContent[];
}
interface XmlAttribute {
  name: string;
  value: XmlContent[];
}
interface XmlValue {
  kind: 'value';
  value: JsonValue;
}
interface XmlSubstitution {
  kind: 'subst';
  index: number;
  optional: boolean;
  type: number;
}
export type XmlContent = XmlElement | XmlValue | XmlSubstitution;

/** A BinXml-typed substitution value: already-expanded content. */
class NestedXml {
  constructor(readonly content: XmlContent[]) {}
}
type SubstitutionValue = JsonValue | NestedXml;

const MAX_DEPTH = 64;
/** Elements, attributes and values one record may expand to (a template may use a value many times). */
const MAX_NODES = 100_000;

const TOKEN = {
  end: 0x00,
  openStart: 0x01,
  closeStart: 0x02,
  closeEmpty: 0x03,
  endElement: 0x04,
  value: 0x05,
  attribute: 0x06,
  cdata: 0x07,
  charRef: 0x08,
  entityRef: 0x09,
  piTarget: 0x0a,
  piData: 0x0b,
  templateInstance: 0x0c,
  substitution: 0x0d,
  optionalSubstitution: 0x0e,
  fragmentHeader: 0x0f,
} as const;
const MORE_FLAG = 0x40;

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** The per-chunk caches of names and template definitions. */
export class ChunkXml {
  private readonly chunk: ByteReader;
  private readonly names = new Map<number, string>();
  private readonly templates = new Map<number, XmlContent[] | EvtxFormatError | null>();
  private nodes = 0;

  constructor(buf: Buffer) {
    this.chunk = new ByteReader(buf);
  }

  /** The root content of a record's Binary XML at [start, end) of the chunk. */
  record(start: number, end: number): XmlContent[] {
    this.nodes = 0;
    return this.fragment(start, end, 'record', 0).content;
  }

  /** A name structure at `off`: next-name offset, hash, length in characters, characters, NUL. */
  private nameAt(off: number): { name: string; size: number } {
    const chars = this.chunk.u16(off + 6, 'a name');
    const size = 8 + chars * 2 + 2;
    let name = this.names.get(off);
    if (name === undefined) {
      name = this.chunk.utf16(off + 8, chars, 'a name');
      this.names.set(off, name);
    }
    return { name, size };
  }

  /** A name reference at `p`; an inline name (its offset is the next byte) is stepped over. */
  private nameRef(r: ByteReader, p: number): { name: string; next: number } {
    const off = r.u32(p, 'a name offset');
    if (off === p + 4) {
      const { name, size } = this.nameAt(off);
      r.need(off, size, 'an inline name');
      return { name, next: off + size };
    }
    if (off >= p) throw new EvtxFormatError(`a name offset (0x${off.toString(16)}) points forward`, p);
    return { name: this.nameAt(off).name, next: p + 4 };
  }

  /** Whether a name reference at `p` is plausible: inline, or back to a well-formed name. */
  private plausibleNameRef(r: ByteReader, p: number): boolean {
    if (p + 4 > r.limit) return false;
    const off = r.buf.readUInt32LE(p);
    if (off !== p + 4 && (off >= p || off < 0x80)) return false;
    if (this.names.has(off)) return true;
    if (off + 8 > this.chunk.limit) return false;
    const chars = this.chunk.buf.readUInt16LE(off + 6);
    const nul = off + 8 + chars * 2;
    return nul + 2 <= this.chunk.limit && this.chunk.buf.readUInt16LE(nul) === 0;
  }

  private count(n = 1): void {
    this.nodes += n;
    if (this.nodes > MAX_NODES) throw new EvtxFormatError(`the record expands to more than ${MAX_NODES} XML nodes`, -1);
  }

  private fragment(
    start: number,
    end: number,
    kind: 'record' | 'template' | 'nested',
    depth: number,
  ): { content: XmlContent[]; next: number } {
    if (depth > MAX_DEPTH) throw new EvtxFormatError(`Binary XML nested more than ${MAX_DEPTH} levels`, start);
    const r = new ByteReader(this.chunk.buf, Math.min(end, this.chunk.limit));
    const content: XmlContent[] = [];
    let p = start;
    while (p < r.limit) {
      const token = r.u8(p, 'a token');
      if (token === TOKEN.end) return { content, next: p + 1 };
      if (token === TOKEN.fragmentHeader) {
        r.need(p, 4, 'a fragment header');
        p += 4;
      } else if (token === TOKEN.templateInstance) {
        const t = this.templateInstance(r, p, depth);
        content.push(...t.content);
        p = t.next;
      } else if ((token & ~MORE_FLAG) === TOKEN.openStart) {
        const e = this.element(r, p, kind, depth + 1);
        content.push(e.element);
        p = e.next;
      } else throw new EvtxFormatError(`unexpected token 0x${token.toString(16)} in a fragment`, p);
    }
    return { content, next: p };
  }

  private element(
    r: ByteReader,
    start: number,
    kind: 'record' | 'template' | 'nested',
    depth: number,
  ): { element: XmlElement; next: number } {
    if (depth > MAX_DEPTH) throw new EvtxFormatError(`elements nested more than ${MAX_DEPTH} levels`, start);
    this.count();
    const hasAttributes = (r.u8(start) & MORE_FLAG) !== 0;
    // Template definitions carry a 2-byte dependency identifier before the data size; elements
    // written directly in a record or a nested fragment may not. The name reference tells which.
    const withId = start + 7;
    const withoutId = start + 5;
    const preferred = kind === 'template' ? [withId, withoutId] : [withoutId, withId];
    const namePos = preferred.find((p) => this.plausibleNameRef(r, p));
    if (namePos === undefined) throw new EvtxFormatError('an element name reference is not valid', start);
    const { name, next: afterName } = this.nameRef(r, namePos);
    let p = afterName;
    if (hasAttributes) {
      r.need(p, 4, 'an attribute list size');
      p += 4;
    }
    const element: XmlElement = { kind: 'element', name, attributes: [], children: [] };
    for (;;) {
      const token = r.u8(p, 'a token');
      if ((token & ~MORE_FLAG) !== TOKEN.attribute) break;
      this.count();
      const attr = this.nameRef(r, p + 1);
      const value = this.content(r, attr.next, kind, depth, true);
      element.attributes.push({ name: attr.name, value: value.content });
      p = value.next;
    }
    const close = r.u8(p, 'a token');
    if (close === TOKEN.closeEmpty) return { element, next: p + 1 };
    if (close !== TOKEN.closeStart)
      throw new EvtxFormatError(
        `element <${name}>: expected the end of its start tag, found token 0x${close.toString(16)}`,
        p,
      );
    const body = this.content(r, p + 1, kind, depth, false);
    element.children = body.content;
    return { element, next: body.next };
  }

  /**
   * Element content up to and including its end token, or (for an attribute) the value tokens
   * up to the next attribute or the end of the start tag.
   */
  private content(
    r: ByteReader,
    start: number,
    kind: 'record' | 'template' | 'nested',
    depth: number,
    attribute: boolean,
  ): { content: XmlContent[]; next: number } {
    const content: XmlContent[] = [];
    let p = start;
    for (;;) {
      const token = r.u8(p, 'a token');
      const base = token & ~MORE_FLAG;
      if (attribute && (base === TOKEN.attribute || token === TOKEN.closeStart || token === TOKEN.closeEmpty))
        return { content, next: p };
      if (token === TOKEN.endElement && !attribute) return { content, next: p + 1 };
      if (base === TOKEN.value && token !== TOKEN.end) {
        const type = r.u8(p + 1, 'a value type');
        const [value, size] = readInlineValue(r, type, p + 2);
        this.count();
        content.push({ kind: 'value', value });
        p += 2 + size;
      } else if (token === TOKEN.substitution || token === TOKEN.optionalSubstitution) {
        this.count();
        content.push({
          kind: 'subst',
          index: r.u16(p + 1, 'a substitution index'),
          type: r.u8(p + 3, 'a substitution type'),
          optional: token === TOKEN.optionalSubstitution,
        });
        p += 4;
      } else if (base === TOKEN.charRef) {
        this.count();
        content.push({ kind: 'value', value: String.fromCharCode(r.u16(p + 1, 'a character reference')) });
        p += 3;
      } else if (base === TOKEN.entityRef) {
        const ref = this.nameRef(r, p + 1);
        this.count();
        content.push({ kind: 'value', value: ENTITIES[ref.name] ?? `&${ref.name};` });
        p = ref.next;
      } else if (base === TOKEN.cdata && !attribute) {
        const chars = r.u16(p + 1, 'a CDATA length');
        this.count();
        content.push({ kind: 'value', value: r.utf16(p + 3, chars, 'a CDATA section') });
        p += 3 + chars * 2;
      } else if (token === TOKEN.piTarget && !attribute) {
        p = this.nameRef(r, p + 1).next;
      } else if (token === TOKEN.piData && !attribute) {
        p += 3 + r.u16(p + 1, 'a processing instruction length') * 2;
        r.need(p - 1, 1, 'processing instruction data');
      } else if (base === TOKEN.openStart && !attribute) {
        const e = this.element(r, p, kind, depth + 1);
        content.push(e.element);
        p = e.next;
      } else if (token === TOKEN.templateInstance && !attribute) {
        const t = this.templateInstance(r, p, depth);
        content.push(...t.content);
        p = t.next;
      } else throw new EvtxFormatError(`unexpected token 0x${token.toString(16)} in element content`, p);
    }
  }

  /** A template instance: its definition (inline or back-referenced) expanded with its values. */
  private templateInstance(r: ByteReader, start: number, depth: number): { content: XmlContent[]; next: number } {
    const defOffset = r.u32(start + 6, 'a template definition offset');
    let p = start + 10;
    if (defOffset === p) {
      const size = r.u32(p + 20, 'a template definition size');
      r.need(p, 24 + size, 'an inline template definition');
      p += 24 + size;
    } else if (defOffset >= start) throw new EvtxFormatError('a template definition offset points forward', start);
    const count = r.u32(p, 'a substitution count');
    p += 4;
    r.need(p, count * 4, `${count} substitution descriptors`);
    const descriptors: { size: number; type: number }[] = [];
    for (let i = 0; i < count; i++, p += 4) descriptors.push({ size: r.buf.readUInt16LE(p), type: r.buf[p + 2]! });
    const values: SubstitutionValue[] = [];
    for (const { size, type } of descriptors) {
      r.need(p, size, 'a substitution value');
      if (type === VALUE_TYPE.binXml)
        values.push(new NestedXml(this.fragment(p, p + size, 'nested', depth + 1).content));
      else values.push(readSizedValue(r, type, p, size));
      p += size;
    }
    const definition = this.template(defOffset, depth);
    return { content: this.expand(definition, values), next: p };
  }

  /** A template definition at `off` (next-definition offset, GUID, data size, fragment), parsed once. */
  private template(off: number, depth: number): XmlContent[] {
    const cached = this.templates.get(off);
    if (cached instanceof EvtxFormatError) throw cached;
    if (cached === null) throw new EvtxFormatError('a template definition refers to itself', off);
    if (cached) return cached;
    this.templates.set(off, null);
    try {
      const size = this.chunk.u32(off + 20, 'a template definition size');
      this.chunk.need(off + 24, size, 'a template definition');
      const body = this.fragment(off + 24, off + 24 + size, 'template', depth + 1).content;
      this.templates.set(off, body);
      return body;
    } catch (e) {
      const err =
        e instanceof EvtxFormatError
          ? new EvtxFormatError(`template definition at chunk offset 0x${off.toString(16)}: ${e.message}`, e.offset)
          : e;
      if (err instanceof EvtxFormatError) this.templates.set(off, err);
      throw err;
    }
  }

  /** Content with its substitutions replaced by `values`. */
  private expand(content: readonly XmlContent[], values: readonly SubstitutionValue[]): XmlContent[] {
    const out: XmlContent[] = [];
    for (const c of content) {
      if (c.kind === 'value') {
        this.count();
        out.push(c);
      } else if (c.kind === 'element') {
        this.count();
        out.push({
          kind: 'element',
          name: c.name,
          attributes: c.attributes.map((a) => ({ name: a.name, value: this.expand(a.value, values) })),
          children: this.expand(c.children, values),
        });
      } else {
        // An optional substitution declared with the Null type is left out entirely.
        if (c.optional && c.type === VALUE_TYPE.null) continue;
        const v = values[c.index];
        if (v === undefined) continue;
        if (v instanceof NestedXml) {
          this.count(v.content.length);
          out.push(...v.content);
        } else {
          this.count();
          out.push({ kind: 'value', value: v });
        }
      }
    }
    return out;
  }
}
