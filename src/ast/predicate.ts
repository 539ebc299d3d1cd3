/**
 * The lowered form of a detection (built by semantics.ts): a tree of predicates in which every
 * modifier has been applied. Types only, so that walks (fold.ts) and semantics share them
 * without importing each other.
 */
import type { CidrValue } from './types.js';

/** A part of a lowered string pattern: literal text, a wildcard, a character class or a placeholder. */
export type PatternPart = string | { wildcard: 'multi' | 'single' } | { anyOf: string } | { placeholder: string };

export type TimePart = 'minute' | 'hour' | 'day' | 'week' | 'month' | 'year';
export type NumberOp = 'eq' | 'lt' | 'lte' | 'gt' | 'gte';

export type Predicate =
  /**
   * The field's string form matches the pattern in full (wildcards as Sigma defines them).
   * `field: null` is a keyword search: some string value of the event matches (keywords are
   * lowered to `*keyword*`, i.e. found anywhere).
   */
  | { kind: 'string'; field: string | null; pattern: PatternPart[]; cased: boolean }
  | { kind: 'regex'; field: string | null; pattern: string; flags: string }
  /** Numeric comparison; for `eq`, a string field equal to the number's text also matches. */
  | { kind: 'number'; field: string; op: NumberOp; value: number; raw: string; timePart?: TimePart }
  | { kind: 'boolean'; field: string; value: boolean }
  /** The field is absent or null. */
  | { kind: 'null'; field: string }
  | { kind: 'exists'; field: string; value: boolean }
  | { kind: 'cidr'; field: string; cidr: CidrValue }
  /** Compare the field with another field of the same event. */
  | {
      kind: 'fieldref';
      field: string;
      ref: string;
      position: 'eq' | 'contains' | 'startswith' | 'endswith';
      cased: boolean;
    }
  | { kind: 'and'; items: Predicate[] }
  | { kind: 'or'; items: Predicate[] }
  | { kind: 'not'; item: Predicate };

/** A leaf predicate: anything but and/or/not. */
export type LeafPredicate = Exclude<Predicate, { kind: 'and' | 'or' | 'not' }>;
