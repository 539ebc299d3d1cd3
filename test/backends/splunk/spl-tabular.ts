/**
 * The commands that SPL correlation searches use, over a whole result set, with Splunk's
 * documented semantics, for cross-checking the SPL backend's correlations against the
 * evaluator's correlator (test/backends/correlation-matrix.test.ts). The base search and its
 * `regex`/`where` filters are decided event by event by the row interpreter (spl-interpreter.ts).
 *
 * - a plain search returns its events newest first (Splunk's order), and so does `| datamodel
 *   <model> <dataset> search` (the dataset's events, given by the caller) with its `| search …`;
 *   `| multisearch [search …] …`
 *   returns the events of its searches interleaved in no promised order (here: one after the
 *   other), so time-ordered commands after it need `sort 0 _time` (ascending, no limit);
 * - `eval X=<expr>` (the row interpreter's eval expressions, with `if()`, `null()` and `a-b`;
 *   null leaves X unset);
 * - `streamstats time_window=<span> <agg> as <name>… by <fields>`: per event, the aggregate over
 *   the events of its group seen so far (current included) whose `_time` lies within the span of
 *   its own (the window is inclusive here: tests avoid events exactly one span apart, as Splunk
 *   does not document the boundary); THROWS unless the events are in time order (either way), as
 *   Splunk requires; an event without a by field gets no aggregate;
 * - `bin _time span=<span>` (floors to the span, aligned to the epoch) and `stats <agg> as <name>…
 *   by <fields>` (events without a by field dropped);
 * - aggregates `count`, `count(eval(field==“v”))`, `dc(f)` (exact, non-null values), `sum(f)`,
 *   `avg(f)`, `max(f)` (numeric values; none: the field stays unset);
 * - `where <expr>` (the row interpreter's eval expressions).
 *
 * Times are `_time` in epoch seconds (as strings, like every field here). Anything else throws.
 */
import { runSpl, splWhere, type Event } from './spl-interpreter.js';
import { readQuoted, splitPipes } from './spl-reader.js';

const SPAN_S: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

function spanSeconds(text: string): number {
  const m = /^([0-9]+)([smhd])$/.exec(text);
  if (!m) throw new Error(`span ${text} is not modelled`);
  return Number(m[1]) * SPAN_S[m[2]!]!;
}

const time = (e: Event): number => {
  const t = Number(e['_time']);
  if (!Number.isFinite(t)) throw new Error(`event without _time: ${JSON.stringify(e)}`);
  return t;
};

interface Agg {
  fn: string;
  arg?: string;
  /** count(eval(field=="v")): the field and value. */
  when?: { field: string; value: string };
  name: string;
}

/** `count as n dc(f) as m count(eval(sigil_rule=="a")) as k` → aggregates. */
function parseAggs(text: string): Agg[] {
  const out: Agg[] = [];
  const re =
    /^\s*(count|dc|sum|avg|max)(?:\((?:eval\(([A-Za-z_][A-Za-z0-9_]*)==?("(?:[^"\\]|\\.)*")\)|([A-Za-z_][A-Za-z0-9_.]*))\))? as ([A-Za-z_][A-Za-z0-9_]*)/;
  let rest = text;
  while (rest.trim()) {
    const m = re.exec(rest);
    if (!m) throw new Error(`aggregate not modelled: ${rest}`);
    const agg: Agg = { fn: m[1]!, name: m[5]! };
    if (m[2]) agg.when = { field: m[2], value: readQuoted(m[3]!, 0).value };
    if (m[4]) agg.arg = m[4];
    if (agg.fn !== 'count' && !agg.arg) throw new Error(`${agg.fn} needs a field`);
    out.push(agg);
    rest = rest.slice(m[0].length);
  }
  return out;
}

function aggregate(a: Agg, events: Event[]): string | undefined {
  switch (a.fn) {
    case 'count':
      return String(a.when ? events.filter((e) => e[a.when!.field] === a.when!.value).length : events.length);
    case 'dc':
      return String(new Set(events.map((e) => e[a.arg!]).filter((v) => v !== undefined)).size);
    case 'sum':
    case 'avg':
    case 'max': {
      const xs = events
        .map((e) => e[a.arg!])
        .filter((v): v is string => v !== undefined && v.trim() !== '' && !Number.isNaN(Number(v)))
        .map(Number);
      if (!xs.length) return undefined;
      const s = xs.reduce((m, x) => m + x, 0);
      if (a.fn === 'max') return String(Math.max(...xs));
      return String(a.fn === 'sum' ? s : s / xs.length);
    }
    default:
      throw new Error(`aggregate ${a.fn} not modelled`);
  }
}

/** `<aggs> by f g` → aggregates and by fields. */
function splitBy(text: string): { aggs: Agg[]; by: string[] } {
  const at = text.lastIndexOf(' by ');
  const by =
    at >= 0
      ? text
          .slice(at + 4)
          .trim()
          .split(/\s+/)
      : [];
  return { aggs: parseAggs(at >= 0 ? text.slice(0, at) : text), by };
}

/** The `[search …]` bodies of a multisearch command. */
function subsearches(text: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] === ' ') {
      i++;
      continue;
    }
    if (text[i] !== '[') throw new Error(`multisearch expects [search …], got ${text.slice(i, i + 20)}`);
    let depth = 0;
    let j = i;
    for (; j < text.length; j++) {
      if (text[j] === '"') {
        j = readQuoted(text, j).end - 1;
        continue;
      }
      if (text[j] === '[') depth++;
      if (text[j] === ']' && --depth === 0) break;
    }
    const body = text.slice(i + 1, j);
    if (!body.startsWith('search ')) throw new Error(`multisearch expects [search …], got ${body.slice(0, 20)}`);
    out.push(body.slice(7));
    i = j + 1;
  }
  return out;
}

/** A search with its per-event filters, then the rest of its commands. */
function search(query: string, events: Event[]): Event[] {
  const pipes = splitPipes(query);
  let k = 1;
  while (
    k < pipes.length &&
    /^(regex|where) /.test(pipes[k]!) &&
    !pipes.slice(0, k).some((p) => /^(eval|streamstats|stats|bin|sort) /.test(p))
  )
    k++;
  const filter = pipes.slice(0, k).join(' | ');
  const rows = events.filter((e) => runSpl(filter, e)).map((e) => ({ ...e }));
  // Splunk returns events newest first.
  rows.sort((a, b) => time(b) - time(a));
  return commands(pipes.slice(k), rows);
}

function commands(pipes: string[], input: Event[]): Event[] {
  let rows = input;
  for (const cmd of pipes) {
    let m: RegExpExecArray | null;
    if ((m = /^eval ([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(cmd))) {
      const [, target, source] = m as unknown as [string, string, string];
      // The row interpreter's eval expressions; null leaves the field unset.
      const value = (e: Event): string | undefined => {
        const v = splWhere(source, e);
        if (v === null) return undefined;
        if (typeof v !== 'string' && typeof v !== 'number')
          throw new Error(`eval to ${JSON.stringify(v)} not modelled`);
        return String(v);
      };
      rows = rows.map((e) => {
        const v = value(e);
        const out = { ...e };
        if (v === undefined) delete out[target];
        else out[target] = v;
        return out;
      });
    } else if (cmd === 'sort 0 _time') {
      rows = [...rows].sort((a, b) => time(a) - time(b));
    } else if ((m = /^streamstats time_window=([0-9]+[smhd]) (.*)$/.exec(cmd))) {
      const span = spanSeconds(m[1]!);
      const { aggs, by } = splitBy(m[2]!);
      const asc = rows.every((e, i) => i === 0 || time(rows[i - 1]!) <= time(e));
      const desc = rows.every((e, i) => i === 0 || time(rows[i - 1]!) >= time(e));
      if (!asc && !desc) throw new Error('streamstats time_window over events not in time order');
      const seen = new Map<string, Event[]>();
      rows = rows.map((e) => {
        if (by.some((f) => e[f] === undefined)) return e;
        const key = JSON.stringify(by.map((f) => e[f]));
        const list = [...(seen.get(key) ?? []), e];
        seen.set(key, list);
        const window = list.filter((x) => Math.abs(time(x) - time(e)) <= span);
        const out = { ...e };
        for (const a of aggs) {
          const v = aggregate(a, window);
          if (v !== undefined) out[a.name] = v;
        }
        return out;
      });
    } else if ((m = /^bin _time span=([0-9]+[smhd])$/.exec(cmd))) {
      const span = spanSeconds(m[1]!);
      rows = rows.map((e) => ({ ...e, _time: String(Math.floor(time(e) / span) * span) }));
    } else if ((m = /^stats (.*)$/.exec(cmd))) {
      const { aggs, by } = splitBy(m[1]!);
      const groups = new Map<string, Event[]>();
      for (const e of rows) {
        if (by.some((f) => e[f] === undefined)) continue;
        const key = JSON.stringify(by.map((f) => e[f]));
        groups.set(key, [...(groups.get(key) ?? []), e]);
      }
      rows = [...groups.values()].map((list) => {
        const out: Event = {};
        for (const f of by) out[f] = list[0]![f];
        for (const a of aggs) {
          const v = aggregate(a, list);
          if (v !== undefined) out[a.name] = v;
        }
        return out;
      });
    } else if (cmd.startsWith('where ')) {
      const cond = cmd.slice(6);
      rows = rows.filter((e) => splWhere(cond, e) === true);
    } else throw new Error(`command not modelled: ${cmd}`);
  }
  return rows;
}

export interface SplTableOptions {
  /**
   * The events of each data model dataset (`Endpoint.Processes` → its events, fields named
   * `Processes.process` …): what `| datamodel Endpoint Processes search` returns. Which events a
   * dataset holds is its constraint search's business, not modelled here.
   */
  datamodels?: Record<string, Event[]>;
}

/** Runs an SPL correlation search over events; returns its result rows. */
export function runSplTable(query: string, events: Event[], opts: SplTableOptions = {}): Event[] {
  const pipes = splitPipes(query);
  const dm =
    pipes[0] === ''
      ? /^datamodel ([A-Za-z_][A-Za-z0-9_]*) ([A-Za-z_][A-Za-z0-9_.]*) search$/.exec(pipes[1] ?? '')
      : null;
  if (dm) {
    const rows = opts.datamodels?.[`${dm[1]}.${dm[2]}`];
    if (!rows) throw new Error(`no events given for the data model dataset ${dm[1]}.${dm[2]}`);
    // `| search <terms>` and its regex/where filters decide each event, as a base search would.
    const rest = pipes.slice(2);
    const base = rest[0]?.startsWith('search ') ? rest.shift()!.slice('search '.length) : '*';
    return search([base, ...rest].join(' | '), rows);
  }
  if (pipes[0] === '' && pipes[1]?.startsWith('multisearch ')) {
    const rows = subsearches(pipes[1].slice('multisearch '.length)).flatMap((q) => search(q, events));
    return commands(pipes.slice(2), rows);
  }
  return search(query, events);
}
