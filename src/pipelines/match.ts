/** When routes and transformations apply. */
import type { LogSource } from '../ast/types.js';
import type { LogsourceMatch, When } from './types.js';

const eqi = (a: string | undefined, b: string | undefined): boolean =>
  (a ?? '').toLowerCase() === (b ?? '').toLowerCase();

export function logsourceMatches(m: LogsourceMatch, ls: LogSource): boolean {
  if (m.category !== undefined && !eqi(m.category, ls.category)) return false;
  if (m.product !== undefined && !eqi(m.product, ls.product)) return false;
  if (m.service !== undefined && !eqi(m.service, ls.service)) return false;
  return true;
}

/**
 * Whether a transformation applies. `eventIds` are the rule's (src/pipelines/routes.ts
 * `eventIdsOf`); undefined when its detection does not restrict EventID to exact values, and then
 * a `when` with `eventIds` does not hold.
 */
export function whenHolds(
  when: When | undefined,
  ls: LogSource,
  table: string | undefined,
  eventIds?: ReadonlySet<string>,
): boolean {
  if (!when) return true;
  if (when.eventIds !== undefined) {
    const allowed = new Set(when.eventIds.map(String));
    if (eventIds === undefined || eventIds.size === 0 || ![...eventIds].every((id) => allowed.has(id))) return false;
  }
  if (when.logsource) {
    const list = Array.isArray(when.logsource) ? when.logsource : [when.logsource];
    if (!list.some((m) => logsourceMatches(m, ls))) return false;
  }
  if (when.table !== undefined) {
    const list = Array.isArray(when.table) ? when.table : [when.table];
    if (table === undefined || !list.includes(table)) return false;
  }
  return true;
}
