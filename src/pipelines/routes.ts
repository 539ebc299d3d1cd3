/**
 * Which route of a pipeline takes a rule: the first whose logsource matches and, for a route
 * with `eventIds`, whose event IDs include every event ID the rule's detection can match. One
 * Windows event log service holds events that a target keeps in different tables (Security 4624
 * is a logon, 4698 a scheduled task): such routes come first, and a rule they do not take goes on
 * to the next route of its logsource.
 */
import type { LogSource } from '../ast/types.js';
import { LoweringError, lowerDetection, type Predicate } from '../ast/semantics.js';
import type { SigmaRule } from '../ast/types.js';
import { logsourceMatches } from './match.js';
import type { Route } from './types.js';

/** A number's text without leading zeros, so `04698` and `4698` compare equal; other text as is. */
const eventIdText = (text: string): string => (/^\d+$/.test(text) ? String(Number(text)) : text);

/**
 * The EventID values every event the predicate matches must have, or undefined when the
 * predicate does not restrict EventID to a list of exact values (then no `eventIds` route takes
 * the rule). Sound, not complete: a `not`, a pattern or a comparison restricts nothing here.
 */
export function eventIdsOf(p: Predicate): Set<string> | undefined {
  switch (p.kind) {
    case 'and': {
      let out: Set<string> | undefined;
      for (const item of p.items) {
        const ids = eventIdsOf(item);
        if (ids) out = out ? new Set([...out].filter((x) => ids.has(x))) : ids;
      }
      return out;
    }
    case 'or': {
      const out = new Set<string>();
      for (const item of p.items) {
        const ids = eventIdsOf(item);
        if (!ids) return undefined;
        ids.forEach((x) => out.add(x));
      }
      return out;
    }
    case 'number':
      return p.field === 'EventID' && p.op === 'eq' ? new Set([eventIdText(p.raw)]) : undefined;
    case 'string':
      return p.field === 'EventID' && p.pattern.length === 1 && typeof p.pattern[0] === 'string'
        ? new Set([eventIdText(p.pattern[0])])
        : undefined;
    default:
      return undefined;
  }
}

/** A rule's event IDs as `eventIdsOf` gives them; undefined when its detection does not lower. */
export function ruleEventIds(rule: SigmaRule): Set<string> | undefined {
  try {
    return eventIdsOf(lowerDetection(rule.detection));
  } catch (e) {
    if (e instanceof LoweringError) return undefined;
    throw e;
  }
}

/** The route that takes a rule of this logsource whose detection restricts EventID to `eventIds`. */
export function selectRoute(
  routes: readonly Route[],
  logsource: LogSource,
  eventIds: ReadonlySet<string> | undefined,
): Route | undefined {
  return routes.find(
    (r) =>
      logsourceMatches(r.logsource, logsource) &&
      (r.eventIds === undefined ||
        (eventIds !== undefined &&
          eventIds.size > 0 &&
          [...eventIds].every((id) => r.eventIds!.some((x) => String(x) === id)))),
  );
}
