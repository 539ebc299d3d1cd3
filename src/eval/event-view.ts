/**
 * Field access on one normalised event, with the per-event caches the compiled rules share
 * (string forms and their lower-cased copies are computed once per field per event, not
 * once per rule).
 */
import { ownValue, type EventObject } from './event-shapes.js';
import { pushAll } from '../util/array.js';

const isObject = (v: unknown): v is EventObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A field's value: the key itself first (flat events, and keys that contain dots), then a
 * walk over nested objects by the dotted name (`a.b.c`). `undefined` = absent.
 */
function lookup(event: EventObject, field: string): unknown {
  const direct = ownValue(event, field);
  if (direct !== undefined || !field.includes('.')) return direct;
  let cur: unknown = event;
  for (const step of field.split('.')) {
    if (!isObject(cur)) return undefined;
    cur = ownValue(cur, step);
  }
  return cur;
}

/** The string form of a scalar: strings as they are, numbers and booleans as JSON writes them. */
function scalarString(v: unknown): string | undefined {
  switch (typeof v) {
    case 'string':
      return v;
    case 'number':
      return Number.isFinite(v) ? String(v) : undefined;
    case 'boolean':
      return v ? 'true' : 'false';
    case 'bigint':
      return String(v);
    default:
      return undefined;
  }
}

/** String forms of a value: a scalar gives one, a list gives its elements' (recursively). */
function stringForms(v: unknown, out: string[] = []): string[] {
  if (Array.isArray(v)) for (const x of v) stringForms(x, out);
  else {
    const s = scalarString(v);
    if (s !== undefined) out.push(s);
  }
  return out;
}

/** Every scalar anywhere in the event (keyword searches), in string form. */
function allScalars(v: unknown, out: string[]): void {
  if (Array.isArray(v)) for (const x of v) allScalars(x, out);
  else if (isObject(v)) for (const k in v) allScalars(v[k], out);
  else {
    const s = scalarString(v);
    if (s !== undefined) out.push(s);
  }
}

const EMPTY: readonly string[] = [];

export class EventView {
  private strCache = new Map<string, readonly string[]>();
  private lowerCache = new Map<string, readonly string[]>();
  private all?: readonly string[];
  private allLower?: readonly string[];
  private joined?: string;

  constructor(readonly data: EventObject) {}

  value(field: string): unknown {
    return lookup(this.data, field);
  }

  /** String forms of the field's value (empty when absent or null). */
  strings(field: string): readonly string[] {
    let s = this.strCache.get(field);
    if (s === undefined) {
      const v = lookup(this.data, field);
      s = v === undefined || v === null ? EMPTY : stringForms(v);
      this.strCache.set(field, s);
    }
    return s;
  }

  /** Lower-cased string forms (case-insensitive comparison = comparing lower-cased strings). */
  lowered(field: string): readonly string[] {
    let s = this.lowerCache.get(field);
    if (s === undefined) {
      // A plain string (most fields) is lowered directly, without going through `strings`.
      const v = lookup(this.data, field);
      if (typeof v === 'string') s = [v.toLowerCase()];
      else {
        const raw = this.strings(field);
        s = raw.length === 0 ? EMPTY : raw.map((x) => x.toLowerCase());
      }
      this.lowerCache.set(field, s);
    }
    return s;
  }

  /** Every scalar value of the event in string form (keyword searches). */
  allStrings(): readonly string[] {
    if (!this.all) {
      const out: string[] = [];
      allScalars(this.data, out);
      this.all = out;
    }
    return this.all;
  }

  /** All lower-cased values joined by NUL: one string to scan for keyword substrings. */
  allLoweredJoined(): string {
    this.joined ??= this.allLowered().join('\u0000');
    return this.joined;
  }

  /**
   * Every scalar value lower-cased, in the order of `allStrings` (the regex prefilter pairs
   * them by position). Top-level scalars reuse the per-field cache (the index scan has
   * usually lowered them already); nested values are lowered here.
   */
  allLowered(): readonly string[] {
    if (!this.allLower) {
      const out: string[] = [];
      for (const key in this.data) {
        const v = this.data[key];
        if (v === undefined) continue;
        if (v !== null && typeof v === 'object') pushAll(out, this.loweredScalarsUnder(key));
        else pushAll(out, this.lowered(key));
      }
      this.allLower = out;
    }
    return this.allLower;
  }

  /** The lower-cased scalars anywhere under a top-level key (keyword searches; not cached). */
  loweredScalarsUnder(key: string): string[] {
    const out: string[] = [];
    allScalars(this.data[key], out);
    for (let i = 0; i < out.length; i++) out[i] = out[i]!.toLowerCase();
    return out;
  }
}
