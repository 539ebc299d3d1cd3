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
