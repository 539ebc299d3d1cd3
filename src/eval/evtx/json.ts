/**
 * An expanded record tree → the JSON object evtx_dump (omerbenamram/evtx) writes for it:
 * - an element without (non-null) attributes is its text, `null` when empty, or an object of
 *   its child elements;
 * - an element with attributes is `{"#attributes": {...}, "#text": …}` plus its children;
 *   attributes whose value is null are left out;
 * - `<Data Name="X">v</Data>` is `"X": v`; unnamed `<Data>` elements gather under
 *   `{"Data": {"#text": v}}`, a list when there are several;
 * - a repeated element name keeps the latest value under the name and moves earlier values to
 *   `name_1`, `name_2`, …;
 * - typed values keep their JSON type; several text pieces in one element are joined as text.
 */
import { EvtxFormatError } from './errors.js';
import type { XmlContent, XmlElement } from './binxml.js';
import type { JsonValue } from './values.js';

type JsonObject = { [key: string]: JsonValue };

const MAX_OUTPUT_NODES = 200_000;

/**
 * Own keys only: element and attribute names come from the file, and `__proto__` or
 * `constructor` must be ordinary fields (as JSON.parse makes them), never the prototype's.
 */
const get = (o: JsonObject, key: string): JsonValue | undefined => (Object.hasOwn(o, key) ? o[key] : undefined);
function set(o: JsonObject, key: string, value: JsonValue): void {
  if (key === '__proto__')
    Object.defineProperty(o, key, { value, writable: true, enumerable: true, configurable: true });
  else o[key] = value;
}

const isObject = (v: JsonValue | undefined): v is JsonObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const asText = (v: JsonValue): string =>
  v === null ? '' : Array.isArray(v) ? v.map((x) => asText(x)).join(',') : typeof v === 'object' ? '' : String(v);

class JsonBuilder {
  private nodes = 0;
  /** How many unnamed `<Data>` values each `Data` object holds. */
  private readonly unnamed = new WeakMap<JsonObject, number>();

  private count(): void {
    if (++this.nodes > MAX_OUTPUT_NODES)
      throw new EvtxFormatError(`the record renders to more than ${MAX_OUTPUT_NODES} JSON values`, -1);
  }

  /** Puts a placeholder under `key`, moving an earlier concrete value to the first free `key_N`. */
  private claim(parent: JsonObject, key: string): void {
    const old = get(parent, key);
    set(parent, key, null);
    if (old === undefined || old === null || (isObject(old) && Object.keys(old).length === 0)) return;
    let n = 1;
    while (get(parent, `${key}_${n}`) !== undefined) n++;
    set(parent, `${key}_${n}`, old);
  }

  /** Adds text (or a typed value) to the element under `key`. */
  private characters(parent: JsonObject, key: string, value: JsonValue): void {
    const cur = get(parent, key);
    if (cur === undefined || cur === null) set(parent, key, value);
    else if (isObject(cur)) {
      const text = cur['#text'];
      cur['#text'] = text === undefined || text === null ? value : asText(text) + asText(value);
    } else set(parent, key, asText(cur) + asText(value));
  }

  /** The object under `key`, turning a placeholder (or text) into one for child elements. */
  private container(parent: JsonObject, key: string): JsonObject {
    const cur = get(parent, key);
    if (isObject(cur)) return cur;
    const obj: JsonObject = cur === undefined || cur === null ? {} : { '#text': cur };
    set(parent, key, obj);
    return obj;
  }

  element(parent: JsonObject, el: XmlElement): void {
    this.count();
    const attributes: JsonObject = {};
    for (const a of el.attributes) {
      const v = this.attributeValue(a.value);
      if (v !== null) set(attributes, a.name, v);
    }
    if (el.name === 'Data') {
      const named = el.attributes.find((a) => a.name === 'Name');
      if (named) return this.body(parent, asText(this.attributeValue(named.value)), el.children, true);
      return this.unnamedData(parent, el);
    }
    if (el.attributes.length === 0) return this.body(parent, el.name, el.children, true);
    if (Object.keys(attributes).length === 0) {
      set(parent, el.name, null);
      return this.body(parent, el.name, el.children, false);
    }
    this.container(parent, el.name)['#attributes'] = attributes;
    this.body(parent, el.name, el.children, false);
  }

  private body(parent: JsonObject, key: string, children: readonly XmlContent[], claim: boolean): void {
    if (claim) this.claim(parent, key);
    for (const c of children) {
      if (c.kind === 'value') {
        this.count();
        this.characters(parent, key, c.value);
      } else if (c.kind === 'element') this.element(this.container(parent, key), c);
    }
  }

  /** `<Data>` without a Name: its text joins the `#text` of a `Data` object. */
  private unnamedData(parent: JsonObject, el: XmlElement): void {
    const holder: JsonObject = {};
    this.body(holder, 'Data', el.children, false);
    const value = holder['Data'] ?? null;
    const data = this.container(parent, 'Data');
    const seen = this.unnamed.get(data) ?? 0;
    this.unnamed.set(data, seen + 1);
    const prev = data['#text'];
    if (seen === 0 || prev === undefined) data['#text'] = value;
    else if (seen === 1) data['#text'] = [prev, value];
    else if (Array.isArray(prev)) prev.push(value);
  }

  /** An attribute's value: one typed value as is, several joined as text, none as null. */
  private attributeValue(content: readonly XmlContent[]): JsonValue {
    const values = content.filter((c) => c.kind === 'value').map((c) => c.value);
    if (values.length === 0) return null;
    if (values.length === 1) return values[0]!;
    return values.map(asText).join('');
  }
}

/** The evtx_dump JSON object of one record's root content. */
export function recordJson(content: readonly XmlContent[]): JsonObject {
  const root: JsonObject = {};
  const builder = new JsonBuilder();
  for (const c of content) if (c.kind === 'element') builder.element(root, c);
  return root;
}
