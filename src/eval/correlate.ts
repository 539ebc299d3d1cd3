/**
 * Correlation rules over a time-ordered event stream (docs/evaluator.md, "Correlations").
 * Each (correlation, group) keeps a sliding window of the matches of the last `timespan`;
 * entries older than that are dropped when the group is touched, and a periodic sweep
 * drops idle groups, so memory is bounded by the events of one timespan.
 * A correlation fires when, at the arrival of a match, its condition holds over the window;
 * the group's window is then cleared (the next alert needs fresh matches).
 * A count that must stay *below* a bound (event_count, value_count or temporal with lt, lte,
 * eq or neq) cannot be decided on arrival — the next match may break it — so such a window
 * runs a full `timespan` from the group's first match and is decided when stream time passes
 * its end (or at `flush()`, the end of the stream).
 */
import type { ComparisonOp, CorrelationRule, SigmaRule } from '../ast/types.js';
import type { Diagnostic } from '../diagnostics.js';
import { evalDiagnostic } from './codes.js';
import { numericValue, toDate, toView, type RuleMatcher } from './compile.js';
import { createEngine, type Engine, type EngineOptions } from './engine.js';
import type { EventObject } from './event-shapes.js';
import type { EventView } from './event-view.js';
import { pushAll } from '../util/array.js';

const DEFAULT_TIMESTAMP_FIELDS = ['TimeCreated', '@timestamp', 'timestamp', 'Timestamp', 'TimeGenerated'] as const;

export interface CorrelatorOptions extends EngineOptions {
  /** Fields holding an event's time, tried in order (ISO text or epoch s/ms). */
  timestampFields?: readonly string[];
}

export interface CorrelationAlert {
  correlation: CorrelationRule;
  /** group-by field (or alias) → value. */
  group: Record<string, unknown>;
  /** Time of the match that made the condition true (ms since the epoch). */
  time: number;
  /** The aggregate compared by the condition (count, distinct count, sum, average, percentile). */
  value: number;
  /**
   * What the caller passed with each event of the window the alert was decided on (`push`'s
   * `ref`), oldest first: the events behind the alert, for an analyst (hunt prints them).
   */
  events: unknown[];
  /**
   * Decided when the group's window closed (a count bounded from above), not at the arrival of
   * a match: `time` is the window's end.
   */
  closed?: true;
}

export interface Correlator {
  /**
   * Feeds one event (in time order); returns the alerts it completes. `ref` (e.g. the event's
   * file and position) is kept while the event is in a window and returned in `events`.
   */
  push(event: EventObject | EventView, ref?: unknown): CorrelationAlert[];
  /**
   * Ends the stream: decides the windows still open (counts bounded from above) as if their
   * timespan had passed, and returns their alerts. The correlator starts empty again.
   */
  flush(): CorrelationAlert[];
  /** Correlations that cannot be evaluated, with why (base rules: see engine.diagnostics). */
  readonly diagnostics: readonly Diagnostic[];
  /** Entries held in all windows (for memory checks). */
  stateSize(): number;
  /** The engine over the base rules (its diagnostics name the rules that cannot be evaluated). */
  readonly engine: Engine;
  /** The base rules the last pushed event matched. */
  readonly lastMatches: readonly RuleMatcher[];
}

interface Entry {
  t: number;
  /** Index of the matched rule in correlation.rules. */
  rule: number;
  value: unknown;
  /** The callers' refs of the events behind this entry (one event, or an inner alert's events). */
  refs: readonly unknown[];
}

interface Group {
  entries: Entry[];
  /** First live entry (entries before it have expired; compacted now and then). */
  head: number;
  group: Record<string, unknown>;
  key: string;
  /** Windows decided at their end: the end of this group's window (first match + timespan). */
  closesAt?: number;
}

interface Compiled {
  rule: CorrelationRule;
  spanMs: number;
  groups: Map<string, Group>;
  /** Per referenced rule: the field holding each group-by name (aliases applied). */
  groupFields: string[][];
  /** The condition bounds a count from above: decide each window when it closes. */
  atClose: boolean;
  /** Open windows in order of their end (nearly always appended: windows open in stream-time order). */
  closing: Group[];
}

/** Aggregates that only grow as a window fills. */
const COUNTS = new Set(['event_count', 'value_count', 'temporal']);

/** Whether a correlation's condition bounds a growing count from above (undecidable on arrival). */
function decidedAtClose(c: CorrelationRule): boolean {
  const corr = c.correlation;
  if (!COUNTS.has(corr.type)) return false;
  const comps = corr.condition?.comparisons ?? [];
  return comps.some((k) => k.op === 'lt' || k.op === 'lte' || k.op === 'eq' || k.op === 'neq');
}

const CMP: Record<ComparisonOp, (a: number, b: number) => boolean> = {
  gt: (a, b) => a > b,
  gte: (a, b) => a >= b,
  lt: (a, b) => a < b,
  lte: (a, b) => a <= b,
  eq: (a, b) => a === b,
  neq: (a, b) => a !== b,
};

/** Nearest-rank percentile of sorted numbers. */
function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}

function live(g: Group): Entry[] {
  return g.entries.slice(g.head);
}

/** The refs of a window's events, oldest first, each once. */
function refsOf(window: readonly Entry[]): unknown[] {
  return [...new Set(window.flatMap((e) => e.refs))];
}

/** The aggregate a correlation compares, over a group's live window. */
function aggregate(c: CorrelationRule, entries: readonly Entry[], current: Entry): number {
  const corr = c.correlation;
  switch (corr.type) {
    case 'event_count':
      return entries.length;
    case 'value_count':
      return new Set(
        entries.filter((e) => e.value !== undefined && e.value !== null).map((e) => JSON.stringify(e.value)),
      ).size;
    case 'value_sum':
    case 'value_avg': {
      const nums = entries.map((e) => numericValue(e.value)).filter((n): n is number => n !== undefined);
      const sum = nums.reduce((a, b) => a + b, 0);
      return corr.type === 'value_sum' ? sum : nums.length ? sum / nums.length : NaN;
    }
    case 'value_percentile': {
      if (corr.condition?.percentile !== undefined) {
        const nums = entries
          .map((e) => numericValue(e.value))
          .filter((n): n is number => n !== undefined)
          .sort((a, b) => a - b);
        return percentile(nums, corr.condition.percentile);
      }
      // Without a percentile: how common the current value is, in percent of the window.
      const key = JSON.stringify(current.value);
      return (100 * entries.filter((e) => JSON.stringify(e.value) === key).length) / entries.length;
    }
    case 'temporal':
      return new Set(entries.map((e) => e.rule)).size;
    case 'temporal_ordered': {
      // Longest prefix of the rule order found in time order (greedy earliest is optimal).
      let need = 0;
      for (const e of entries) if (e.rule === need) need++;
      return need;
    }
  }
}

function conditionHolds(c: CorrelationRule, value: number): boolean {
  const corr = c.correlation;
  const comps = corr.condition?.comparisons ?? [];
  if (corr.type === 'temporal' || corr.type === 'temporal_ordered') {
    // Default: every referenced rule; temporal_ordered always needs the full order.
    if (corr.type === 'temporal_ordered' || comps.length === 0) return value === corr.rules.length;
  }
  if (comps.length === 0 || Number.isNaN(value)) return false;
  return comps.every((k) => CMP[k.op](value, k.value));
}

/**
 * A correlator over base rules and correlation rules (which may refer to each other by
 * id or name; a correlation referring to a correlation sees the inner one's alerts, with the
 * inner group as fields).
 */
export function createCorrelator(
  correlations: readonly CorrelationRule[],
  baseRules: readonly SigmaRule[],
  options: CorrelatorOptions = {},
): Correlator {
  const diagnostics: Diagnostic[] = [];
  const engine = createEngine(baseRules, options);
  const tsFields = options.timestampFields ?? DEFAULT_TIMESTAMP_FIELDS;
  const refKeys = (d: { id?: string; name?: string }): string[] =>
    [d.id, d.name].filter((x): x is string => typeof x === 'string');
  const baseByRef = new Map<string, SigmaRule>();
  for (const r of baseRules) for (const k of refKeys(r)) baseByRef.set(k, r);
  const corrByRef = new Map<string, CorrelationRule>();
  for (const c of correlations) for (const k of refKeys(c)) corrByRef.set(k, c);

  const compiled: Compiled[] = [];
  for (const c of correlations) {
    const corr = c.correlation;
    const missing = corr.rules.filter((r) => !baseByRef.has(r) && !corrByRef.has(r));
    const at = c.locs['correlation'] ?? corr.loc;
    if (missing.length) {
      diagnostics.push(
        evalDiagnostic(
          'E006',
          `Correlation '${c.title ?? c.id}' refers to ${missing.map((m) => `'${m}'`).join(', ')}, which is not among the given rules; it is not evaluated.`,
          at,
          'Pass the referenced rule files too.',
        ),
      );
      continue;
    }
    if (corr.type !== 'temporal' && corr.type !== 'temporal_ordered' && !corr.condition?.comparisons.length) {
      diagnostics.push(
        evalDiagnostic(
          'E006',
          `Correlation '${c.title ?? c.id}' (${corr.type}) has no condition; it is not evaluated.`,
          at,
        ),
      );
      continue;
    }
    const groupFields = corr.rules.map((ref) => corr.groupBy.map((g) => corr.aliases[g]?.[ref] ?? g));
    compiled.push({
      rule: c,
      spanMs: corr.timespan.seconds * 1000,
      groups: new Map(),
      groupFields,
      atClose: decidedAtClose(c),
      closing: [],
    });
  }
  // Inner correlations first, so that an outer one sees their alerts of the same event.
  const depth = (c: CorrelationRule, seen = new Set<CorrelationRule>()): number => {
    if (seen.has(c)) return 0;
    seen.add(c);
    let d = 0;
    for (const r of c.correlation.rules) {
      const inner = corrByRef.get(r);
      if (inner && !baseByRef.has(r)) d = Math.max(d, 1 + depth(inner, seen));
    }
    return d;
  };
  compiled.sort((a, b) => depth(a.rule) - depth(b.rule));
  const maxSpan = Math.max(0, ...compiled.map((c) => c.spanMs));

  let clock = -Infinity;
  let lastMatches: RuleMatcher[] = [];
  let lastSweep = -Infinity;

  const timeOf = (ev: EventView): number => {
    for (const f of tsFields) {
      const d = toDate(ev.value(f));
      if (d) return d.getTime();
    }
    // No timestamp: the event happens at the time of the previous one.
    return Number.isFinite(clock) ? clock : 0;
  };

  const expire = (g: Group, now: number, spanMs: number): void => {
    while (g.head < g.entries.length && g.entries[g.head]!.t < now - spanMs) g.head++;
    if (g.head > 64 && g.head * 2 > g.entries.length) {
      g.entries = g.entries.slice(g.head);
      g.head = 0;
    }
  };

  const sweep = (now: number): void => {
    for (const c of compiled) {
      if (c.atClose) continue; // their windows end by closing
      for (const [k, g] of c.groups) {
        expire(g, now, c.spanMs);
        if (g.head >= g.entries.length) c.groups.delete(k);
      }
    }
  };

  /** Decides the windows of `c` that ended before `now` (all of them when `now` is Infinity). */
  const close = (c: Compiled, now: number, out: CorrelationAlert[]): void => {
    let i = 0;
    for (; i < c.closing.length && c.closing[i]!.closesAt! < now; i++) {
      const g = c.closing[i]!;
      c.groups.delete(g.key);
      const window = live(g);
      const value = aggregate(c.rule, window, window[window.length - 1]!);
      if (conditionHolds(c.rule, value))
        out.push({
          correlation: c.rule,
          group: g.group,
          time: g.closesAt!,
          value,
          closed: true,
          events: refsOf(window),
        });
    }
    if (i > 0) c.closing.splice(0, i);
  };

  /** A matched item: a base-rule match (fields from the event) or an inner alert (fields = its group). */
  const feed = (
    c: Compiled,
    ruleIdx: number,
    fields: (name: string) => unknown,
    t: number,
    out: CorrelationAlert[],
    refs: readonly unknown[],
  ): void => {
    const corr = c.rule.correlation;
    const names = corr.groupBy;
    const group: Record<string, unknown> = {};
    const keyParts: unknown[] = [];
    c.groupFields[ruleIdx]!.forEach((f, i) => {
      const v = fields(f) ?? null;
      group[names[i]!] = v;
      keyParts.push(v);
    });
    const key = JSON.stringify(keyParts);
    let g = c.groups.get(key);
    if (!g) {
      g = { entries: [], head: 0, group, key };
      c.groups.set(key, g);
      if (c.atClose) {
        g.closesAt = t + c.spanMs;
        // An inner correlation's alert carries its own (earlier) time: keep the queue sorted.
        let at = c.closing.length;
        while (at > 0 && c.closing[at - 1]!.closesAt! > g.closesAt) at--;
        c.closing.splice(at, 0, g);
      }
    }
    const field = corr.condition?.field;
    const entry: Entry = {
      t,
      rule: ruleIdx,
      value: field !== undefined ? fields(corr.aliases[field]?.[corr.rules[ruleIdx]!] ?? field) : undefined,
      refs,
    };
    if (c.atClose) {
      // The window runs from the group's first match; close() decides it.
      g.entries.push(entry);
      return;
    }
    expire(g, t, c.spanMs);
    g.entries.push(entry);
    const window = live(g);
    const value = aggregate(c.rule, window, entry);
    if (conditionHolds(c.rule, value)) {
      out.push({ correlation: c.rule, group: g.group, time: t, value, events: refsOf(window) });
      c.groups.delete(key);
    }
  };

  return {
    diagnostics,
    engine,
    get lastMatches() {
      return lastMatches;
    },
    stateSize: () =>
      compiled.reduce((n, c) => n + [...c.groups.values()].reduce((m, g) => m + g.entries.length - g.head, 0), 0),
    push(event, ref) {
      const ev = toView(event);
      const refs = ref === undefined ? [] : [ref];
      const t = timeOf(ev);
      clock = Math.max(clock, t);
      if (clock - lastSweep > maxSpan) {
        sweep(clock);
        lastSweep = clock;
      }
      lastMatches = engine.evaluate(ev);
      const matched = new Set(lastMatches.map((m) => m.rule));
      const alerts: CorrelationAlert[] = [];
      const alertsBy = new Map<CorrelationRule, CorrelationAlert[]>();
      for (const c of compiled) {
        const out: CorrelationAlert[] = [];
        // Windows that ended before stream time reached this event are decided first (it is not in them).
        if (c.atClose) close(c, clock, out);
        c.rule.correlation.rules.forEach((ref, i) => {
          const base = baseByRef.get(ref);
          if (base) {
            if (matched.has(base)) feed(c, i, (f) => ev.value(f), t, out, refs);
            return;
          }
          const inner = corrByRef.get(ref);
          for (const a of (inner && alertsBy.get(inner)) ?? []) feed(c, i, (f) => a.group[f], a.time, out, a.events);
        });
        alertsBy.set(c.rule, out);
        pushAll(alerts, out);
      }
      return alerts;
    },
    flush() {
      const alerts: CorrelationAlert[] = [];
      const alertsBy = new Map<CorrelationRule, CorrelationAlert[]>();
      for (const c of compiled) {
        const out: CorrelationAlert[] = [];
        // An outer correlation still sees the alerts its inner ones make now.
        c.rule.correlation.rules.forEach((ref, i) => {
          const inner = baseByRef.has(ref) ? undefined : corrByRef.get(ref);
          for (const a of (inner && alertsBy.get(inner)) ?? []) feed(c, i, (f) => a.group[f], a.time, out, a.events);
        });
        if (c.atClose) close(c, Infinity, out);
        c.groups.clear();
        c.closing.length = 0;
        alertsBy.set(c.rule, out);
        pushAll(alerts, out);
      }
      clock = -Infinity;
      lastSweep = -Infinity;
      lastMatches = [];
      return alerts;
    },
  };
}
