/**
 * The empirical ingredient of the noise score: how often each rule matches a set of benign
 * events, measured with the evaluator (src/eval). Pure: events come in parsed.
 */
import type { SigmaDocument, SigmaRule } from '../ast/types.js';
import { createEngine } from '../eval/engine.js';
import type { EventObject } from '../eval/event-shapes.js';

export function measureBaseline(
  docs: readonly SigmaDocument[],
  events: readonly EventObject[],
): Map<SigmaDocument, { matches: number; events: number }> {
  const rules = docs.filter((d): d is SigmaRule => d.kind === 'rule');
  // The baseline asks "would this rule fire here", so a rule only sees events of its logsource when the event says.
  const engine = createEngine(rules, { logsourceFilter: true });
  const counts = new Map<SigmaRule, number>();
  for (const e of events) for (const m of engine.evaluate(e)) counts.set(m.rule, (counts.get(m.rule) ?? 0) + 1);
  const out = new Map<SigmaDocument, { matches: number; events: number }>();
  for (const r of rules) out.set(r, { matches: counts.get(r) ?? 0, events: events.length });
  return out;
}
