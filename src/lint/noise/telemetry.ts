/**
 * Telemetry evidence for the noise score: every rule run over real event exports with the
 * evaluator, counting per rule the events of its log source (in scope), its hits, which
 * search identifiers produced them and the commonest values of the fields it reads among them.
 * Streaming and bounded: events are added one at a time; per rule, at most MAX_VALUES distinct
 * values per field are counted (later new values go to `other`).
 */
import type { LogSource, SigmaDocument, SigmaRule } from '../../ast/types.js';
import { LoweringError, lowerDetection, type Predicate } from '../../ast/semantics.js';
import { forEachLeaf } from '../../ast/fold.js';
import { compilePredicate, toView, type EventTest } from '../../eval/compile.js';
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
  /**
   * What the counts count: `events` (event exports) or `rows` (table rows read through a
   * pipeline's mapping in reverse, `--rows`). The keys keep their names either way.
   */
  unit: 'events' | 'rows';
  /** Events (or rows) read in all. */
  events: number;
  /**
   * Events of the rule's log source (Channel and EventID; see eval/logsource-map.ts), or the rows
   * its query reads (its route's tables and conditions).
   */
  inScope: number;
  hits: number;
  /** Hits per million in-scope events (0 when nothing is in scope). */
  perMillion: number;
  /** Whether the telemetry covers the rule's log source: the source is placed and has events. */
  covered: boolean;
  /**
   * Table-shaped telemetry (rows read through a pipeline's mapping in reverse): the pipeline and
   * the table the rule's rows come from (`tables`: every table, when its query reads a union of
   * them), or why the rule is not run on rows.
   */
  rows?: { pipeline: string; table?: string; tables?: string[]; skipped?: string };
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

  constructor(readonly fields: readonly string[]) {
    for (const f of fields) this.values.set(f, { counts: new Map(), other: 0 });
  }

  /**
   * The values of the counted fields in one event, shortened, in the order of `fields`.
   * `alternatives`: fields whose first value is the event's own and the others its other forms
   * (table rows: every abbreviation of a registry path), counted once.
   */
  valuesIn(ev: EventView, alternatives?: ReadonlySet<string>): string[][] {
    return this.fields.map((field) => {
      const forms = ev.strings(field);
      return (alternatives?.has(field) ? forms.slice(0, 1) : forms).map((v) =>
        v.length > MAX_VALUE_LENGTH ? v.slice(0, MAX_VALUE_LENGTH - 1) + '…' : v,
      );
    });
  }

  count(hit: RuleHit): void {
    this.hits++;
    this.branches.set(hit.branch, (this.branches.get(hit.branch) ?? 0) + 1);
    this.fields.forEach((field, k) => {
      const slot = this.values.get(field)!;
      for (const value of hit.values[k]!) {
        const n = slot.counts.get(value);
        if (n !== undefined) slot.counts.set(value, n + 1);
        else if (slot.counts.size < MAX_VALUES) slot.counts.set(value, 1);
        else slot.other++;
      }
    });
  }
}

/** One rule's hit on one event: the branch that fired and the values of the fields it counts. */
export interface RuleHit {
  /** The rule's position among the meter's rules. */
  rule: number;
  /** The search identifiers that held, NUL-joined. */
  branch: string;
  /** Per counted field (RuleHits.fields), the event's values. */
  values: string[][];
}

/**
 * What some events add to a meter: computed where they are evaluated (a worker thread, see
 * src/cli/telemetry-input.ts) and recorded in input order by a meter of the same rules, so that
 * the evidence is the same as if the meter had read the events itself.
 */
export interface MeterBatch {
  events: number;
  /** (lower-cased Channel or null, EventID or null, events). */
  partitions: [string | null, number | null, number][];
  /** In event order, and per event in rule order. */
  hits: RuleHit[];
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
  scopes: readonly {
    table: string;
    tables: readonly string[];
    rules: readonly SigmaRule[];
    alternatives: readonly string[];
  }[];
  skipped: ReadonlyMap<SigmaRule, string>;
}

const keyOf = (channel: string | null, eventId: number | null): string => `${channel ?? ''}\u0000${eventId ?? ''}`;

/** The event's lower-cased Channel and numeric EventID (null when it has none). */
function eventKey(ev: EventView): { channel: string | null; eventId: number | null } {
  const channelRaw = ev.value('Channel');
  const channel = typeof channelRaw === 'string' ? channelRaw.toLowerCase() : null;
  const idRaw = ev.value('EventID');
  const eventId =
    typeof idRaw === 'number' ? idRaw : typeof idRaw === 'string' && /^\d+$/.test(idRaw) ? Number(idRaw) : null;
  return { channel, eventId };
}

/** The fields a rule's hits count: those it reads (when its detection lowers), then the extra ones. */
function countedFields(rule: SigmaRule, extraFields: readonly string[]): string[] {
  let own: string[] = [];
  try {
    own = fieldsRead(lowerDetection(rule.detection));
  } catch (e) {
    if (!(e instanceof LoweringError)) throw e;
  }
  return [...new Set([...own, ...extraFields])];
}

/**
 * Runs rules over events and keeps the evidence. `extraFields` are counted among the hits of
 * every rule besides the fields it reads (what `sigil tune` proposes filters on).
 * The engine is compiled on the first event: a meter that only records batches evaluated
 * elsewhere never builds one.
 */
export class TelemetryMeter {
  private compiled?: Engine;
  private readonly rules: SigmaRule[];
  private readonly hits: RuleHits[];
  private readonly indexOf = new Map<SigmaRule, number>();
  /** Identifier tests per rule, compiled on its first hit (most rules never fire). */
  private readonly identifierTests: ({ name: string; test: EventTest }[] | undefined)[];
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
    this.hits = this.rules.map((r) => new RuleHits(countedFields(r, extraFields)));
    this.identifierTests = this.rules.map(() => undefined);
    if (rows) {
      this.rowSource = rows;
      this.scoped = rows.scopes.map((sc) => ({
        engine: createEngine(sc.rules),
        rows: 0,
        alternatives: new Set(sc.alternatives),
      }));
      rows.scopes.forEach((sc, i) => sc.rules.forEach((r) => this.scopeOf.set(r, i)));
    }
  }

  private get engine(): Engine {
    // A rule sees only events of its log source when the event tells (a Windows channel).
    return (this.compiled ??= createEngine(this.rules, { logsourceFilter: true }));
  }

  /** Compiles the rules now (a worker does so before its first batch arrives). */
  prepare(): void {
    void this.engine;
  }

  /** One row of table-shaped telemetry: its events per scope (TableRowMapper.map). */
  addRow(events: readonly { scope: number; event: EventObject }[]): void {
    this.total++;
    for (const { scope, event } of events) {
      const sc = this.scoped![scope]!;
      sc.rows++;
      // Already the flat Sigma event: not normalised again as a Windows event shape.
      for (const hit of this.hitsOf(new EventView(event), sc.engine, sc.alternatives)) this.hits[hit.rule]!.count(hit);
    }
  }

  add(event: EventObject): void {
    const ev = toView(event);
    const { channel, eventId } = eventKey(ev);
    this.countEvents(channel, eventId, 1);
    for (const hit of this.hitsOf(ev)) this.hits[hit.rule]!.count(hit);
  }

  /** Evaluates events for a batch (where `add` would count them, this collects what to count). */
  collect(events: Iterable<EventView>): MeterBatch {
    const partitions = new Map<string, [string | null, number | null, number]>();
    const batch: MeterBatch = { events: 0, partitions: [], hits: [] };
    for (const ev of events) {
      batch.events++;
      const { channel, eventId } = eventKey(ev);
      const key = keyOf(channel, eventId);
      const p = partitions.get(key);
      if (p) p[2]++;
      else partitions.set(key, [channel, eventId, 1]);
      for (const hit of this.hitsOf(ev)) batch.hits.push(hit);
    }
    batch.partitions = [...partitions.values()];
    return batch;
  }

  /** Records a batch collected by a meter of the same documents and extra fields. */
  record(batch: MeterBatch): void {
    for (const [channel, eventId, n] of batch.partitions) this.countEvents(channel, eventId, n);
    for (const hit of batch.hits) this.hits[hit.rule]!.count(hit);
  }

  private countEvents(channel: string | null, eventId: number | null, n: number): void {
    this.total += n;
    const key = keyOf(channel, eventId);
    const p = this.partitions.get(key);
    if (p) p.n += n;
    else this.partitions.set(key, { channel, eventId, n });
  }

  private hitsOf(ev: EventView, engine: Engine = this.engine, alternatives?: ReadonlySet<string>): RuleHit[] {
    const out: RuleHit[] = [];
    for (const m of engine.evaluate(ev)) {
      const i = this.indexOf.get(m.rule)!;
      const tests = (this.identifierTests[i] ??= identifierTests(m.rule));
      const branch = tests
        .filter((t) => t.test(ev))
        .map((t) => t.name)
        .join('\u0000');
      out.push({ rule: i, branch, values: this.hits[i]!.valuesIn(ev, alternatives) });
    }
    return out;
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
        unit: this.scoped ? 'rows' : 'events',
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
        const sc = scope !== undefined ? this.rowSource.scopes[scope] : undefined;
        evidence.rows = {
          pipeline: this.rowSource.pipeline,
          ...(sc ? { table: sc.table } : {}),
          ...(sc && sc.tables.length > 1 ? { tables: [...sc.tables] } : {}),
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
