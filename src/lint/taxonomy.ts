/**
 * Field names per logsource, from SigmaHQ's tests/logsource.json (vendored into
 * src/data/attack/taxonomy.json by scripts/build-attack-data.mjs).
 */
import data from '../data/attack/taxonomy.json' with { type: 'json' };
import type { LogSource } from '../ast/types.js';

export interface Taxonomy {
  version: string;
  /** Key `product|category|service` → known field names (an empty list: any field). */
  logsources: Record<string, string[]>;
}

export const BUILTIN_TAXONOMY: Taxonomy = data as Taxonomy;

export function logsourceKey(ls: LogSource): string {
  return `${ls.product ?? ''}|${ls.category ?? ''}|${ls.service ?? ''}`;
}

/** The fields known for a logsource, or undefined when the logsource is not in the taxonomy. */
export function fieldsFor(tax: Taxonomy, ls: LogSource): string[] | undefined {
  return tax.logsources[logsourceKey(ls)];
}

export interface KnownFields {
  /** The taxonomy's field names for the logsource (never empty). */
  names: readonly string[];
  exact: ReadonlySet<string>;
  /** Lower-cased name → the taxonomy's spelling (the last one, for names that differ only in case). */
  folded: ReadonlyMap<string, string>;
}

const knownByTaxonomy = new WeakMap<Taxonomy, Map<string, KnownFields | undefined>>();

/**
 * The fields known for a logsource as lookup tables, built once per taxonomy and logsource
 * (several checks look up every field of every rule); undefined when the logsource is not in
 * the taxonomy or lists no fields (any field goes).
 */
export function knownFields(tax: Taxonomy, ls: LogSource): KnownFields | undefined {
  let byKey = knownByTaxonomy.get(tax);
  if (!byKey) knownByTaxonomy.set(tax, (byKey = new Map()));
  const key = logsourceKey(ls);
  if (byKey.has(key)) return byKey.get(key);
  const names = tax.logsources[key];
  const known =
    names && names.length > 0
      ? { names, exact: new Set(names), folded: new Map(names.map((f) => [f.toLowerCase(), f])) }
      : undefined;
  byKey.set(key, known);
  return known;
}
