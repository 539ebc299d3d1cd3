/**
 * The hits `sigil tune` proposes filters from: rules run over a stream of events with the
 * evaluator (rule index and logsource filter on, as `lint --telemetry`), each hit kept as the
 * values of the fields the rule reads and the fields a filter may use. Bounded: at most
 * `maxRows` hits are kept per rule (later hits are counted, not kept).
 */
import type { SigmaRule } from '../../ast/types.js';
import { forEachLeaf } from '../../ast/fold.js';
import { predicateFields } from '../../ast/semantics.js';
import { toView } from '../../eval/compile.js';
import { createEngine, type Engine } from '../../eval/engine.js';
import type { EventObject } from '../../eval/event-shapes.js';
import { tuneFields } from './propose.js';

/** Hits kept per rule by default. */
const MAX_HIT_ROWS = 100_000;

export interface RuleHits {
  rule: SigmaRule;
  /** Hits counted. */
  hits: number;
  /** The first hits, projected to the fields that matter (whole events for keyword rules). */
  rows: EventObject[];
}

export class HitCollector {
  private readonly engine: Engine;
  private readonly byRule: RuleHits[];
  private readonly fields: (string[] | null)[];
  private readonly indexOf = new Map<SigmaRule, number>();
  /** Events read. */
  events = 0;

  constructor(
    rules: readonly SigmaRule[],
    identity: boolean,
    private readonly maxRows = MAX_HIT_ROWS,
  ) {
    this.engine = createEngine(rules, { logsourceFilter: true });
    this.byRule = rules.map((rule) => ({ rule, hits: 0, rows: [] }));
    rules.forEach((r, i) => this.indexOf.set(r, i));
    const extra = tuneFields(identity);
    this.fields = this.engine.matchers.map((m) => {
      if (!m.predicate) return [];
      // A keyword search reads every value: keep the whole event.
      let keywords = false;
      forEachLeaf(m.predicate, (leaf) => {
        if (leaf.field === null) keywords = true;
      });
      if (keywords) return null;
      return [...new Set([...predicateFields(m.predicate), ...extra])];
    });
  }

  /** Rules that cannot be evaluated, with the reasons (they never match). */
  get diagnostics(): Engine['diagnostics'] {
    return this.engine.diagnostics;
  }

  add(event: EventObject): void {
    this.events++;
    const ev = toView(event);
    for (const m of this.engine.evaluate(ev)) {
      const i = this.indexOf.get(m.rule)!;
      const slot = this.byRule[i]!;
      slot.hits++;
      if (slot.rows.length >= this.maxRows) continue;
      const fields = this.fields[i];
      if (fields === null || fields === undefined) {
        slot.rows.push(ev.data);
        continue;
      }
      const row: EventObject = {};
      for (const f of fields) {
        const v = ev.value(f);
        if (v !== undefined) row[f] = v;
      }
      slot.rows.push(row);
    }
  }

  results(): RuleHits[] {
    return this.byRule;
  }
}
