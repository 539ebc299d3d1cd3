/**
 * Telemetry evidence for the noise score: every rule run over real event exports with the
 * evaluator, counting per rule the events of its log source (in scope), its hits, which
 * search identifiers produced them and the commonest values of the fields it reads among them.
 * Streaming and bounded: events are added one at a time; per rule, at most MAX_VALUES distinct
 * values per field are counted (later new values go to `other`).
 */
import type { LogSource, SigmaDocument, SigmaRule } from '../../ast/types.js';
import { lowerDetection, type Predicate } from '../../ast/semantics.js';
import { forEachLeaf } from '../../ast/fold.js';
import { compilePredicate, toView, type EventTest, type RuleMatcher } from '../../eval/compile.js';
import { createEngine, type Engine } from '../../eval/engine.js';
import type { EventObject } from '../../eval/event-shapes.js';
import { EventView } from '../../eval/event-view.js';
import { logsourcePlaced, logsourceSees } from '../../eval/logsource-map.js';

/** Distinct values counted per field per rule (bounded memory over millions of events). */
const MAX_VALUES = 256;
/** Values reported per field, and branches per rule. */
const TOP = 5;
/** A reported value is shortened to this many characters. */
const MAX_VALUE_LENGTH = 200;

interface ValueCount {
  value: string;
  hits: number;
}

export interface TelemetryEvidence {
  /** Events read in all. */
  events: number;
  /** Events of the rule's log source (Channel and EventID; see eval/logsource-map.ts). */
  inScope: number;
  hits: number;
  /** Hits per million in-scope events (0 when nothing is in scope). */
  perMillion: number;
  /** Whether the telemetry covers the rule's log source: the source is placed and has events. */
  covered: boolean;
  /**
   * Table-shaped telemetry (rows read through a pipeline's mapping in reverse): the pipeline and
   * the table the rule's rows come from, or why the rule is not run on rows.
   */
  rows?: { pipeline: string; table?: string; skipped?: string };
  /** Which search identifiers held in the hits (the branch that fired), commonest first. */
  branches: { identifiers: string[]; hits: number }[];
  /** The commonest values among the hits of each field the rule reads. */
  values: { field: string; top: ValueCount[]; other: number }[];
}

/** A rule's hits: the branch counts and value counts it keeps (bounded). */
class RuleHits {
  hits = 0;
  readonly branches = new Map<string, number>();
  readonly values = new Map<string, { counts: Map<string, number>; other: number }>();
  /** Identifier tests, compiled on the first hit (most rules never fire). */
  identifierTests?: { name: string; test: EventTest }[];

  constructor(readonly fields: readonly string[]) {
    for (const f of fields) this.values.set(f, { counts: new Map(), other: 0 });
  }

  /** `alternatives`: fields whose first value is the event's own and the others its other forms. */
  count(ev: EventView, alternatives?: ReadonlySet<string>): void {
    this.hits++;
    for (const [field, slot] of this.values) {
      const forms = ev.strings(field);
      for (const v of alternatives?.has(field) ? forms.slice(0, 1) : forms) {
        const value = v.length > MAX_VALUE_LENGTH ? v.slice(0, MAX_VALUE_LENGTH - 1) + '…' : v;
        const n = slot.counts.get(value);
        if (n !== undefined) slot.counts.set(value, n + 1);
        else if (slot.counts.size < MAX_VALUES) slot.counts.set(value, 1);
        else slot.other++;
      }
    }
  }
}

/** The fields a detection reads, in order of first use (keywords excluded). */
function fieldsRead(predicate: Predicate): string[] {
  const out = new Set<string>();
  forEachLeaf(predicate, (leaf) => {
    if ('field' in leaf && typeof leaf.field === 'string') out.add(leaf.field);
  });
  return [...out];
}

function identifierTests(rule: SigmaRule): { name: string; test: EventTest }[] {
  const out: { name: string; test: EventTest }[] = [];
  for (const ident of rule.detection.identifiers) {
    try {
      const p = lowerDetection({
        ...rule.detection,
        conditions: [{ type: 'ref', name: ident.name, loc: rule.detection.loc }],
      });
      out.push({ name: ident.name, test: compilePredicate(p) });
    } catch {
      // An identifier that does not lower on its own (it names a placeholder) is left out of the branch.
    }
  }
  return out;
}

/** What the meter needs of table-shaped telemetry (src/eval/table-rows.ts's TableRowMapper). */
export interface RowSource {
  pipeline: string;
  scopes: readonly { table: string; rules: readonly SigmaRule[]; alternatives: readonly string[] }[];
  skipped: ReadonlyMap<SigmaRule, string>;
}

const keyOf = (channel: string | null, eventId: number | null): string => `${channel ?? ''}\u0000${eventId ?? ''}`;

/**
 * Runs rules over events and keeps the evidence. `extraFields` are counted among the hits of
 * every rule besides the fields it reads (what `sigil tune` proposes filters on).
 */
export class TelemetryMeter {
  private readonly engine: Engine;
  private readonly rules: SigmaRule[];
  private readonly hits: RuleHits[];
  private readonly indexOf = new Map<SigmaRule, number>();
  /** Events per (lower-cased Channel, EventID); events without a channel under null. */
  private readonly partitions = new Map<string, { channel: string | null; eventId: number | null; n: number }>();
  private total = 0;

  /** Table-shaped telemetry: one engine per group of rules that read rows alike, and the rows it saw. */
  private readonly scoped?: { engine: Engine; rows: number; alternatives: ReadonlySet<string> }[];
  private readonly scopeOf = new Map<SigmaRule, number>();
  private readonly rowSource?: RowSource;

  /**
   * Without `rows`, events are Windows-shaped and a rule sees those of its log source (by
   * Channel and EventID). With `rows`, telemetry comes as `addRow` calls: each row's events for
   * the groups of rules whose query would read the row (src/eval/table-rows.ts).
   */
  constructor(docs: readonly SigmaDocument[], extraFields: readonly string[] = [], rows?: RowSource) {
    this.rules = docs.filter((d): d is SigmaRule => d.kind === 'rule');
    this.rules.forEach((r, i) => this.indexOf.set(r, i));
    if (rows) {
      this.rowSource = rows;
      this.scoped = rows.scopes.map((s) => ({
        engine: createEngine(s.rules),
        rows: 0,
        alternatives: new Set(s.alternatives),
      }));
      rows.scopes.forEach((s, i) => s.rules.forEach((r) => this.scopeOf.set(r, i)));
      // Rules of no scope are never run; an engine without rules keeps the one code path.
      this.engine = createEngine([]);
    } else {
      // A rule sees only events of its log source when the event tells (a Windows channel).
      this.engine = createEngine(this.rules, { logsourceFilter: true });
    }
    const matcherOf = new Map<SigmaRule, RuleMatcher>();
    for (const e of [this.engine, ...(this.scoped ?? []).map((s) => s.engine)])
      for (const m of e.matchers) matcherOf.set(m.rule, m);
    this.hits = this.rules.map((r) => {
      const m = matcherOf.get(r);
      const own = m?.predicate ? fieldsRead(m.predicate) : [];
      return new RuleHits([...new Set([...own, ...extraFields])]);
    });
  }

  /** One row of table-shaped telemetry: its events per scope (TableRowMapper.map). */
  addRow(events: readonly { scope: number; event: EventObject }[]): void {
    this.total++;
    for (const { scope, event } of events) {
      const s = this.scoped![scope]!;
      s.rows++;
      // Already the flat Sigma event: not normalised again as a Windows event shape.
      this.record(s.engine, new EventView(event), s.alternatives);
    }
  }

  private record(engine: Engine, ev: EventView, alternatives?: ReadonlySet<string>): void {
    for (const m of engine.evaluate(ev)) {
      const i = this.indexOf.get(m.rule)!;
      const h = this.hits[i]!;
      h.count(ev, alternatives);
      h.identifierTests ??= identifierTests(m.rule);
      const held = h.identifierTests.filter((t) => t.test(ev)).map((t) => t.name);
      const branch = held.join('\u0000');
      h.branches.set(branch, (h.branches.get(branch) ?? 0) + 1);
    }
  }

  add(event: EventObject): void {
    const ev = toView(event);
    this.total++;
    const channelRaw = ev.value('Channel');
    const channel = typeof channelRaw === 'string' ? channelRaw.toLowerCase() : null;
    const idRaw = ev.value('EventID');
    const eventId =
      typeof idRaw === 'number' ? idRaw : typeof idRaw === 'string' && /^\d+$/.test(idRaw) ? Number(idRaw) : null;
    const key = keyOf(channel, eventId);
    const p = this.partitions.get(key);
    if (p) p.n++;
    else this.partitions.set(key, { channel, eventId, n: 1 });
    this.record(this.engine, ev);
  }

  /** Events in scope of a log source: those of the channels and EventIDs it covers. */
  private inScope(ls: LogSource): number {
    let n = 0;
    for (const p of this.partitions.values()) {
      // The engine gives events without a channel to every rule: they are in scope of all.
      if (p.channel === null || logsourceSees(ls, { channel: p.channel, eventId: p.eventId })) n += p.n;
    }
    return n;
  }

  evidence(): Map<SigmaRule, TelemetryEvidence> {
    const out = new Map<SigmaRule, TelemetryEvidence>();
    this.rules.forEach((rule, i) => {
      const h = this.hits[i]!;
      const scope = this.scopeOf.get(rule);
      const inScope = this.scoped ? (scope === undefined ? 0 : this.scoped[scope]!.rows) : this.inScope(rule.logsource);
      const branches = [...h.branches]
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
        .slice(0, TOP)
        .map(([k, hits]) => ({ identifiers: k === '' ? [] : k.split('\u0000'), hits }));
      const values = [...h.values]
        .filter(([, slot]) => slot.counts.size > 0)
        .map(([field, slot]) => ({
          field,
          top: [...slot.counts]
            .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
            .slice(0, TOP)
            .map(([value, hits]) => ({ value, hits })),
          other: slot.other,
        }));
      const evidence: TelemetryEvidence = {
        events: this.total,
        inScope,
        hits: h.hits,
        perMillion: inScope === 0 ? 0 : Math.round((h.hits / inScope) * 1e6 * 10) / 10,
        // Rows are in scope exactly when the rule's query reads them: any is coverage.
        covered: inScope > 0 && (this.scoped !== undefined || logsourcePlaced(rule.logsource)),
        branches,
        values,
      };
      if (this.rowSource) {
        const skipped = this.rowSource.skipped.get(rule);
        evidence.rows = {
          pipeline: this.rowSource.pipeline,
          ...(scope !== undefined ? { table: this.rowSource.scopes[scope]!.table } : {}),
          ...(skipped !== undefined ? { skipped } : {}),
        };
      }
      out.set(rule, evidence);
    });
    return out;
  }

  /** Every value counted among the hits of one rule, commonest first (for `sigil tune`). */
  valuesOf(rule: SigmaRule): Map<string, Map<string, number>> {
    const h = this.hits[this.indexOf.get(rule) ?? -1];
    const out = new Map<string, Map<string, number>>();
    if (!h) return out;
    for (const [field, slot] of h.values) out.set(field, slot.counts);
    return out;
  }
}
