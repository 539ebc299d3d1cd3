/**
 * The catalog of indicator reach: indicator key → how many rules use it. The default is the
 * SigmaHQ corpus index shipped in src/data/noise-index.json (scripts/build-noise-index.mjs);
 * `buildCatalog` makes one from any set of documents (`--corpus DIR`).
 */
import type { SigmaDocument } from '../../ast/types.js';
import builtin from '../../data/noise-index.json' with { type: 'json' };
import { documentIndicators, indicatorKey } from './indicators.js';

export interface NoiseCatalog {
  /** Where the catalog came from (shown in explanations and docs). */
  source: string;
  rules: number;
  /**
   * Rule ids in the catalog (first 8 hex digits). A rule found here is left out of its own
   * reach counts: each of its indicators counts one less.
   */
  ids: string[];
  /** Indicator key → number of rules using it (only keys used by two or more rules are kept). */
  reach: Record<string, number>;
}

export const BUILTIN_CATALOG: NoiseCatalog = builtin as NoiseCatalog;

const shortId = (id: string): string => id.toLowerCase().slice(0, 8);

export function buildCatalog(docs: Iterable<SigmaDocument>, source: string): NoiseCatalog {
  const counts = new Map<string, number>();
  const ids: string[] = [];
  let rules = 0;
  for (const d of docs) {
    if (d.kind !== 'rule') continue;
    rules++;
    if (d.id) ids.push(shortId(d.id));
    const keys = new Set(documentIndicators(d).map(indicatorKey));
    for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  const reach: Record<string, number> = {};
  for (const [k, n] of [...counts].sort((a, b) => (a[0] < b[0] ? -1 : 1))) if (n >= 2) reach[k] = n;
  return { source, rules, ids: [...new Set(ids)].sort(), reach };
}

/** Reach lookup that leaves the rule under evaluation out of the counts when the catalog contains it. */
export function reachLookup(catalog: NoiseCatalog, ruleId: string | undefined): (key: string) => number {
  const self = ruleId !== undefined && catalogIds(catalog).has(shortId(ruleId)) ? 1 : 0;
  const reach = reachMap(catalog);
  return (key) => Math.max(0, (reach.get(key) ?? self) - self);
}

const reachMaps = new WeakMap<NoiseCatalog, Map<string, number>>();
function reachMap(c: NoiseCatalog): Map<string, number> {
  let m = reachMaps.get(c);
  if (!m) {
    m = new Map(Object.entries(c.reach));
    reachMaps.set(c, m);
  }
  return m;
}

const idSets = new WeakMap<NoiseCatalog, Set<string>>();
function catalogIds(c: NoiseCatalog): Set<string> {
  let s = idSets.get(c);
  if (!s) {
    s = new Set(c.ids);
    idSets.set(c, s);
  }
  return s;
}
