/**
 * The engine: many compiled rules, an index so that an event is tested only against rules
 * that can match it, and an optional logsource filter for Windows events.
 */
import type { SigmaRule } from '../ast/types.js';
import type { Diagnostic } from '../diagnostics.js';
import { compileRule, toView, type CompileOptions, type RuleMatcher } from './compile.js';
import type { EventObject } from './event-shapes.js';
import { EventView } from './event-view.js';
import { logsourceSees } from './logsource-map.js';
import { IndexPlan, RuleIndex } from './rule-index.js';

export interface EngineOptions extends CompileOptions {
  /**
   * Only test a rule against events of its logsource, when the event tells (a Windows
   * event with a Channel; see logsource-map.ts). Default false: every rule sees every event.
   */
  logsourceFilter?: boolean;
  /** Use the rule index (default true; false tests every rule, for cross-checking). */
  index?: boolean;
}

export interface Engine {
  readonly matchers: readonly RuleMatcher[];
  /** Diagnostics of rules that cannot be evaluated (they never match). */
  readonly diagnostics: readonly { rule: SigmaRule; diagnostics: Diagnostic[] }[];
  /** The rules that match the event, in the order they were given. */
  evaluate(event: EventObject | EventView): RuleMatcher[];
  /** How many rule tests the last evaluate ran (for benchmarks and tests of the index). */
  readonly lastTested: number;
}

/**
 * The rules that can see one kind of event, and an index over those rules only: the fields
 * and keywords of rules for other log sources are not scanned at all for this event.
 */
interface Partition {
  eligible: Uint8Array;
  /** Built on first use (an engine without the index never builds one). */
  index?: RuleIndex;
}

export function createEngine(rules: readonly SigmaRule[], options: EngineOptions = {}): Engine {
  const matchers = rules.map((r) => compileRule(r, options));
  const useIndex = options.index !== false;
  const predicates = matchers.map((m) => (m.ok ? m.predicate : undefined));
  const all = matchers.map((_, i) => i).filter((i) => matchers[i]!.ok);
  const allEligible = new Uint8Array(matchers.length).fill(1);
  /** By Channel, then EventID (no per-event key string). */
  const partitions = new Map<string, Map<number | null, Partition>>();
  /** Partitions whose eligible rules are the same share one index (most EventIDs of a channel do). */
  const indexes = new Map<string, RuleIndex>();
  let plan: IndexPlan | undefined;
  const indexOf = (eligible: Uint8Array): RuleIndex => {
    const key = Buffer.from(eligible.buffer, eligible.byteOffset, eligible.length).toString('latin1');
    let index = indexes.get(key);
    if (!index) indexes.set(key, (index = new RuleIndex((plan ??= new IndexPlan(predicates)), eligible)));
    return index;
  };
  let everything: Partition | undefined;
  const everyRule = (): Partition => (everything ??= { eligible: allEligible });

  const partitionFor = (ev: EventView): Partition => {
    if (!options.logsourceFilter) return everyRule();
    const channel = ev.value('Channel');
    if (typeof channel !== 'string') return everyRule();
    const idRaw = ev.value('EventID');
    const eventId =
      typeof idRaw === 'number' ? idRaw : typeof idRaw === 'string' && /^\d+$/.test(idRaw) ? Number(idRaw) : null;
    let byId = partitions.get(channel);
    if (!byId) partitions.set(channel, (byId = new Map()));
    let p = byId.get(eventId);
    if (!p) {
      const eligible = new Uint8Array(matchers.length);
      matchers.forEach((m, i) => {
        if (logsourceSees(m.rule.logsource, { channel, eventId })) eligible[i] = 1;
      });
      p = { eligible };
      byId.set(eventId, p);
    }
    return p;
  };

  // Per-evaluation state, reused: a rule is tested at most once per event (marks by
  // generation; the index reports each rule once, but unindexed rules come first).
  const mark = new Uint32Array(matchers.length);
  let generation = 0;
  let lastTested = 0;
  let tested = 0;
  let current: EventView | null = null;
  let eligible: Uint8Array = allEligible;
  const hits: number[] = [];
  const visit = (i: number): void => {
    if (mark[i] === generation || !eligible[i]) return;
    mark[i] = generation;
    tested++;
    if (matchers[i]!.test(current!)) hits.push(i);
  };

  const engine: Engine = {
    matchers,
    diagnostics: matchers.filter((m) => !m.ok).map((m) => ({ rule: m.rule, diagnostics: m.diagnostics })),
    get lastTested() {
      return lastTested;
    },
    evaluate(event) {
      const ev = toView(event);
      hits.length = 0;
      tested = 0;
      if (!useIndex) {
        const part = partitionFor(ev);
        for (const i of all) {
          if (!part.eligible[i]) continue;
          tested++;
          if (matchers[i]!.test(ev)) hits.push(i);
        }
      } else {
        generation = (generation + 1) >>> 0;
        if (generation === 0) {
          mark.fill(0);
          generation = 1;
        }
        const part = partitionFor(ev);
        const index = (part.index ??= indexOf(part.eligible));
        current = ev;
        eligible = part.eligible;
        for (const i of index.unindexed) visit(i);
        const found = index.candidates(ev);
        for (let k = 0; k < found.length; k++) visit(found[k]!);
        current = null;
        if (hits.length > 1) hits.sort((a, b) => a - b);
      }
      lastTested = tested;
      const out: RuleMatcher[] = [];
      for (const i of hits) out.push(matchers[i]!);
      return out;
    },
  };
  return engine;
}
