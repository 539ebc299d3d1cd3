/**
 * The behaviour a rule detects, from its ATT&CK tags. Discovery and collection are read-only
 * tactics: listing accounts, shares, processes or buckets, reading files and mailboxes, taking
 * screenshots. Administrators, inventory agents and backup and monitoring software do the same
 * all day, so a rule for them fires on benign activity however precisely it describes the
 * behaviour. Tactics that change the system (persistence, defence evasion, impact …) do not get
 * this prior. The tags name a behaviour, not a verdict: the score still never reads level,
 * status, title, description or false positives.
 */
import type { SigmaDocument } from '../../ast/types.js';
import type { AttackData } from '../attack.js';
import { splitTags, techniqueId } from '../tags.js';

/** Read-only tactics (ATT&CK shortnames). */
const ROUTINE_TACTICS: ReadonlySet<string> = new Set(['discovery', 'collection']);

/**
 * The routine tactics a rule is tagged with: directly (`attack.discovery`) or through a
 * technique whose ATT&CK tactics include one (`attack.t1087.002`), sorted.
 */
export function routineTactics(doc: SigmaDocument, attack: AttackData): string[] {
  const found = new Set<string>();
  for (const t of splitTags(doc.tags)) {
    if (t.namespace.toLowerCase() !== 'attack') continue;
    const name = t.name.toLowerCase().replace(/_/g, '-');
    const tid = techniqueId(name);
    const tactics = tid !== undefined ? (attack.techniques[tid]?.tactics ?? []) : [name];
    for (const tactic of tactics) if (ROUTINE_TACTICS.has(tactic)) found.add(tactic);
  }
  return [...found].sort();
}
