/**
 * The correlation matrix: every correlation type × every pipeline (defender-xdr, sentinel,
 * sentinel-asim, sentinel-event, splunk, splunk-windows, splunk-cim) × {group-by on a mapped field, an alias, events
 * straddling a window boundary, events out of order}. Each case converts the correlation, runs
 * the query over the events (rendered as the pipeline's rows) in the test interpreters
 * (kql-tabular.ts, spl-tabular.ts), and compares the groups it reports with the groups the
 * evaluator's correlator (src/eval/correlate.ts) alerts on for the same events.
 *
 * Exact forms must agree on every event sequence (fast-check). Forms that stay approximate are
 * listed in APPROXIMATE, with their warning: each is checked to agree when the events lie in one
 * bucket and to miss the straddling sequence, so that the list stays true. `generate` is checked
 * through the CLI in test/cli/convert-generate.test.ts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { getBackend } from '../../src/backends/index.js';
import type { CorrelationRule, SigmaDocument, SigmaRule } from '../../src/ast/types.js';
import { tableColumns, type KqlProduct } from '../../src/backends/kql/schema.js';
import type { Predicate } from '../../src/ast/semantics.js';
import { convertDocument } from '../../src/convert.js';
import { createCorrelator } from '../../src/eval/correlate.js';
import { parse } from '../../src/parser/index.js';
import { mapRuleFields, processRule, resolvePipelines } from '../../src/pipelines/index.js';
import { runs } from '../helpers/property.js';
import { runKqlTable } from './kql/kql-tabular.js';
import { kqlErrors } from './kql/kusto.js';
import type { Row } from './kql/kql-interpreter.js';
import { runSplTable } from './splunk/spl-tabular.js';
import type { Event as SplEvent } from './splunk/spl-interpreter.js';
import { CORRELATION_BASE_RULES as BASE } from '../helpers/correlation-fixtures.js';

const SPAN_S = 300;
const T0 = Date.UTC(2024, 0, 1); // a bucket boundary for every span dividing a day

type Kind = 'a' | 'b' | 'c' | 'other';
interface Ev {
  /** Seconds after T0. */
  t: number;
  kind: Kind;
  parent: number;
  image: number;
  pid: number;
}

const PARENTS = ['C:\\Windows\\explorer.exe', 'C:\\Windows\\System32\\cmd.exe'];
/** The first image is also a parent: the alias (rule_a's ParentImage, rule_b's Image) can meet. */
const IMAGES = [PARENTS[1]!, 'C:\\Windows\\System32\\whoami.exe', 'C:\\Tools\\x.exe'];
const COMMANDS: Record<Kind, string> = {
  a: 'whoami /all',
  b: 'net user admin',
  c: 'ipconfig /all',
  other: 'notepad.exe',
};

/** The event in Sigma's taxonomy (what the evaluator reads). */
function sigmaEvent(e: Ev): Record<string, string> {
  return {
    CommandLine: COMMANDS[e.kind],
    ParentImage: PARENTS[e.parent]!,
    Image: IMAGES[e.image]!,
    ProcessId: String(e.pid),
  };
}

function docs(text: string): SigmaDocument[] {
  const r = parse(text, { schema: false });
  const errors = [...r.diagnostics, ...r.documents.flatMap((d) => d.diagnostics)].filter((d) => d.severity === 'error');
  if (errors.length) throw new Error(JSON.stringify(errors));
  return r.documents.map((d) => d.document!);
}
/** A third rule, for correlations over three rules. */
const RULE_C = `title: ipconfig run
id: 5e0c4f8e-7d1a-4c3e-9a51-000000000003
name: rule_c
status: test
logsource: {product: windows, category: process_creation}
detection:
  sel: {CommandLine|contains: ipconfig}
  condition: sel
level: low
`;
const baseRules = docs(`${BASE}---\n${RULE_C}`) as SigmaRule[];
const lookup = (ref: string): SigmaDocument | undefined => baseRules.find((r) => r.name === ref || r.id === ref);

interface CorrSpec {
  type: CorrelationRule['correlation']['type'];
  rules: string[];
  groupBy: string[];
  aliases?: Record<string, Record<string, string>>;
  condition?: string;
}

function correlation(s: CorrSpec): CorrelationRule {
  const lines = [
    'title: corr',
    'id: 5e0c4f8e-7d1a-4c3e-9a51-0000000000c0',
    'status: test',
    'correlation:',
    `  type: ${s.type}`,
    `  rules: [${s.rules.join(', ')}]`,
    `  group-by: [${s.groupBy.join(', ')}]`,
    `  timespan: ${SPAN_S / 60}m`,
  ];
  if (s.aliases) {
    lines.push('  aliases:');
    for (const [alias, m] of Object.entries(s.aliases)) {
      lines.push(`    ${alias}:`);
      for (const [r, f] of Object.entries(m)) lines.push(`      ${r}: ${f}`);
    }
  }
  if (s.condition) lines.push(`  condition: ${s.condition}`);
  lines.push('level: high');
  return docs(lines.join('\n') + '\n')[0] as CorrelationRule;
}

/** The groups the evaluator alerts on (events pushed in time order, then the stream ends). */
function evaluatorGroups(corr: CorrelationRule, events: Ev[]): Set<string> {
  const c = createCorrelator([corr], baseRules, { timestampFields: ['TimeCreated'] });
  expect(c.diagnostics).toEqual([]);
  const out = new Set<string>();
  const sorted = [...events].sort((x, y) => x.t - y.t);
  const alerts = [
    ...sorted.flatMap((e) => c.push({ ...sigmaEvent(e), TimeCreated: new Date(T0 + e.t * 1000).toISOString() })),
    ...c.flush(),
  ];
  for (const a of alerts) out.add(JSON.stringify(corr.correlation.groupBy.map((g) => String(a.group[g]))));
  return out;
}

// ---------------------------------------------------------------------------
// Events as each pipeline's rows

/** Values that make a route's conditions hold (an `or` takes its first branch). */
function satisfy(p: Predicate, out: Record<string, string | number>): void {
  switch (p.kind) {
    case 'and':
      for (const x of p.items) satisfy(x, out);
      return;
    case 'or':
      satisfy(p.items[0]!, out);
      return;
    case 'string':
      if (p.field === null || !p.pattern.every((x) => typeof x === 'string')) break;
      out[p.field] = (p.pattern as string[]).join('');
      return;
    case 'number':
      if (p.field === null || p.op !== 'eq') break;
      out[p.field] = p.value;
      return;
    default:
  }
  throw new Error(`route condition not modelled: ${JSON.stringify(p)}`);
}

interface Target {
  pipeline: string;
  kind: 'kql' | 'spl';
  product?: KqlProduct;
  /** A string column holding the event data as the agent's XML (sentinel-event's Event.EventData). */
  xml?: string;
}
const TARGETS: Target[] = [
  { pipeline: 'defender-xdr', kind: 'kql', product: 'defender' },
  { pipeline: 'sentinel', kind: 'kql', product: 'sentinel' },
  { pipeline: 'sentinel-asim', kind: 'kql', product: 'sentinel' },
  { pipeline: 'sentinel-event', kind: 'kql', product: 'sentinel', xml: 'EventData' },
  { pipeline: 'splunk', kind: 'spl' },
  { pipeline: 'splunk-windows', kind: 'spl' },
  { pipeline: 'splunk-cim', kind: 'spl' },
];

interface Rendering {
  table: string;
  timeColumn: string;
  toRow(e: Ev, index: number): Row;
}

const renderings = new Map<string, Rendering>();
function rendering(t: Target): Rendering {
  const cached = renderings.get(t.pipeline);
  if (cached) return cached;
  const { specs } = resolvePipelines([t.pipeline]);
  const processed = processRule(baseRules[0]!, specs);
  const table = processed.table!;
  const route: Record<string, string | number> = {};
  for (const f of processed.filters) satisfy(f, route);
  const names = Object.keys(sigmaEvent({ t: 0, kind: 'a', parent: 0, image: 0, pid: 1 }));
  const mapped = mapRuleFields(baseRules[0]!, specs, names);
  expect(mapped.errors).toEqual([]);
  const cols = t.product ? tableColumns(table, t.product) : undefined;
  const timeColumn = t.kind === 'spl' ? '_time' : t.product === 'defender' ? 'Timestamp' : 'TimeGenerated';
  const r: Rendering = {
    table,
    timeColumn,
    toRow(e, index) {
      // splunk-windows searches the channel as `source="WinEventLog:<channel>"` (its table).
      const row: Row = t.kind === 'spl' ? { index: 'main', source: `WinEventLog:${table}` } : {};
      const xmlItems: string[] = [];
      const put = (field: string, value: string | number): void => {
        const [base, ...rest] = field.split('.');
        if (t.xml !== undefined && base === t.xml && rest.length) {
          xmlItems.push(`<Data Name="${rest.join('.')}">${xmlText(String(value))}</Data>`);
          return;
        }
        if (cols && rest.length && cols.get(base!) === 'dynamic') {
          const bag = (row[base!] ??= {}) as Record<string, unknown>;
          bag[rest.join('.')] = String(value);
          return;
        }
        const type = cols?.get(field) ?? 'string';
        row[field] = ['int', 'long', 'real', 'double'].includes(type) ? Number(value) : String(value);
      };
      for (const [f, v] of Object.entries(route)) put(f, v);
      for (const [f, v] of Object.entries(sigmaEvent(e))) put(mapped.fields[f]!, v);
      // As the Azure Monitor Agent writes it (docs/pipelines/sentinel-event.md).
      if (t.xml !== undefined)
        row[t.xml] =
          `<DataItem type="System.XmlData"><EventData xmlns="http://schemas.microsoft.com/win/2004/08/events/event">${xmlItems.join('')}</EventData></DataItem>`;
      row[timeColumn] = t.kind === 'spl' ? String(T0 / 1000 + e.t) : T0 + e.t * 1000;
      if (t.product === 'defender') {
        row['ReportId'] = index;
        row['DeviceId'] = `device-${index}`;
      }
      return row;
    },
  };
  renderings.set(t.pipeline, r);
  return r;
}

const xmlText = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Deterministic shuffle (the rows reach the target in no particular order). */
function shuffle<T>(xs: T[], seed: number): T[] {
  const out = [...xs];
  let s = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

interface Converted {
  query: string;
  warnings: string[];
}

function convert(corr: CorrelationRule, t: Target): Converted | { error: string } {
  const r = convertDocument(corr, { target: t.kind === 'kql' ? 'kql' : 'splunk', pipelines: [t.pipeline], lookup });
  if (!r.ok) return { error: r.errors.map((e) => `${e.code} ${e.message}`).join('; ') };
  return { query: r.queries[0]!, warnings: r.warnings.map((w) => w.code) };
}

/** The groups the emitted query reports for the events. */
function targetGroups(corr: CorrelationRule, t: Target, query: string, events: Ev[], seed: number): Set<string> {
  const r = rendering(t);
  const rows = shuffle(
    events.map((e, i) => r.toRow(e, i)),
    seed,
  );
  const out =
    t.kind === 'kql'
      ? runKqlTable(query, { tables: { [r.table]: rows }, columns: (table) => tableColumns(table, t.product!) })
      : runSplTable(query, rows as SplEvent[], { datamodels: { [r.table]: rows as SplEvent[] } });
  return new Set(out.map((row) => JSON.stringify(corr.correlation.groupBy.map((g) => String(row[g] ?? '')))));
}

// ---------------------------------------------------------------------------
// The cases

const GROUP = ['ParentImage']; // mapped on every pipeline but splunk-windows
const ALIAS = { proc: { rule_a: 'ParentImage', rule_b: 'Image' } };
const ALIAS3 = { proc: { rule_a: 'ParentImage', rule_b: 'Image', rule_c: 'ParentImage' } };

interface Case {
  name: string;
  spec: CorrSpec;
}

const CASES: Case[] = [
  { name: 'event_count gte', spec: { type: 'event_count', rules: ['rule_a'], groupBy: GROUP, condition: '{gte: 3}' } },
  {
    name: 'event_count over two rules, alias',
    spec: { type: 'event_count', rules: ['rule_a', 'rule_b'], groupBy: ['proc'], aliases: ALIAS, condition: '{gt: 2}' },
  },
  {
    name: 'event_count lt (upper bound)',
    spec: { type: 'event_count', rules: ['rule_a'], groupBy: GROUP, condition: '{lt: 2}' },
  },
  {
    name: 'value_count gte',
    spec: { type: 'value_count', rules: ['rule_a', 'rule_b'], groupBy: GROUP, condition: '{field: Image, gte: 2}' },
  },
  { name: 'temporal', spec: { type: 'temporal', rules: ['rule_a', 'rule_b'], groupBy: GROUP } },
  {
    name: 'temporal, alias',
    spec: { type: 'temporal', rules: ['rule_a', 'rule_b'], groupBy: ['proc'], aliases: ALIAS },
  },
  { name: 'temporal_ordered', spec: { type: 'temporal_ordered', rules: ['rule_a', 'rule_b'], groupBy: GROUP } },
  {
    name: 'temporal_ordered, alias',
    spec: { type: 'temporal_ordered', rules: ['rule_a', 'rule_b'], groupBy: ['proc'], aliases: ALIAS },
  },
  {
    name: 'temporal, 3 rules',
    spec: { type: 'temporal', rules: ['rule_a', 'rule_b', 'rule_c'], groupBy: GROUP },
  },
  {
    name: 'temporal, 2 of 3 rules',
    spec: { type: 'temporal', rules: ['rule_a', 'rule_b', 'rule_c'], groupBy: GROUP, condition: '{gte: 2}' },
  },
  {
    name: 'temporal lt (upper bound)',
    spec: { type: 'temporal', rules: ['rule_a', 'rule_b'], groupBy: GROUP, condition: '{lt: 2}' },
  },
  {
    name: 'temporal_ordered, 3 rules',
    spec: { type: 'temporal_ordered', rules: ['rule_a', 'rule_b', 'rule_c'], groupBy: GROUP },
  },
  {
    name: 'temporal_ordered, 3 rules, alias',
    spec: { type: 'temporal_ordered', rules: ['rule_a', 'rule_b', 'rule_c'], groupBy: ['proc'], aliases: ALIAS3 },
  },
  {
    name: 'value_sum gte',
    spec: { type: 'value_sum', rules: ['rule_a'], groupBy: GROUP, condition: '{field: ProcessId, gte: 12}' },
  },
  {
    name: 'value_avg gte',
    spec: { type: 'value_avg', rules: ['rule_a'], groupBy: GROUP, condition: '{field: ProcessId, gte: 4}' },
  },
  {
    name: 'value_percentile gte',
    spec: {
      type: 'value_percentile',
      rules: ['rule_a'],
      groupBy: GROUP,
      condition: '{field: ProcessId, percentile: 50, gte: 4}',
    },
  },
];

type Verdict = { exact: true } | { approximate: string; unmodelled?: string } | { refused: string };

/**
 * What each target does with each case: exact, approximate (with its warning; docs/backends
 * list the same), or refused (with the error code). Everything not listed is exact.
 */
const APPROXIMATE: Record<string, Record<string, Verdict>> = {
  kql: {
    'event_count lt (upper bound)': { approximate: 'C102' },
    'value_count gte': { approximate: 'C102' },
    'value_sum gte': { approximate: 'C102' },
    'value_avg gte': { approximate: 'C102' },
    'value_percentile gte': { approximate: 'C102' },
    'temporal, 3 rules': { approximate: 'C102' },
    'temporal, 2 of 3 rules': { approximate: 'C102' },
    'temporal lt (upper bound)': { approximate: 'C102' },
  },
  'splunk-windows': {
    'event_count lt (upper bound)': { approximate: 'C102' },
    'temporal lt (upper bound)': { approximate: 'C102' },
    'value_percentile gte': {
      approximate: 'C102',
      unmodelled: "Splunk does not document exactperc's definition (nearest rank or interpolation)",
    },
  },
  // One rule: its data model's events (`| datamodel`), then the splunk-windows forms. Several
  // rules: no exact way to gather several data model searches (multisearch takes only streaming
  // searches; append cuts at the subsearch limits, and so may union: docs/correlations.md).
  'splunk-cim': Object.fromEntries(
    CASES.map((c): [string, Verdict] => [
      c.name,
      c.spec.rules.length > 1
        ? { refused: 'C010' }
        : c.name === 'event_count lt (upper bound)'
          ? { approximate: 'C102' }
          : c.name === 'value_percentile gte'
            ? {
                approximate: 'C102',
                unmodelled: "Splunk does not document exactperc's definition (nearest rank or interpolation)",
              }
            : { exact: true },
    ]),
  ),
};

function verdict(t: Target, c: Case): Verdict {
  // The default splunk pipeline routes Windows events as splunk-windows does.
  const key = t.kind === 'kql' ? 'kql' : t.pipeline === 'splunk' ? 'splunk-windows' : t.pipeline;
  return (APPROXIMATE[key]?.[c.name] ?? { exact: true }) as Verdict;
}

const evArb = fc.record({
  t: fc.integer({ min: 0, max: 1500 }),
  kind: fc.constantFrom<Kind>('a', 'a', 'b', 'c', 'other'),
  parent: fc.integer({ min: 0, max: 1 }),
  image: fc.integer({ min: 0, max: 2 }),
  pid: fc.integer({ min: 1, max: 8 }),
});
/** Distinct times (the order of simultaneous events is the target's), never exactly one span apart. */
const seqArb = fc
  .uniqueArray(evArb, { selector: (e) => e.t, minLength: 1, maxLength: 14 })
  .filter((xs) => xs.every((x) => xs.every((y) => Math.abs(x.t - y.t) !== SPAN_S)));

/**
 * Matches of one group close together in time, across the bucket boundary at 300 s: the
 * evaluator's sliding window holds them together, a bucket does not.
 */
function straddling(c: Case): Ev[] {
  const ev = (t: number, kind: Kind, image: number, pid: number): Ev => ({ t, kind, parent: 1, image, pid });
  switch (c.spec.type) {
    case 'temporal':
    case 'temporal_ordered':
      return c.spec.rules.length === 3 && !c.spec.condition
        ? [ev(295, 'a', 0, 1), ev(300, 'b', 0, 1), ev(305, 'c', 0, 1)]
        : [ev(295, 'a', 0, 1), ev(305, 'b', 0, 1)];
    case 'value_count':
      return [ev(295, 'a', 0, 1), ev(305, 'a', 1, 1), ev(310, 'b', 1, 1)];
    case 'value_avg':
      // Window at 305 s: 1, 1, 7, 7 (average 4); buckets: 1, 1, 7 (3) and 7, 1, 1, 1 (2.5).
      return [
        ev(10, 'a', 0, 1),
        ev(20, 'a', 0, 1),
        ev(295, 'a', 0, 7),
        ev(305, 'a', 0, 7),
        ev(310, 'a', 0, 1),
        ev(320, 'a', 0, 1),
        ev(330, 'a', 0, 1),
      ];
    case 'value_percentile':
      // Window at 305 s: 1, 7, 7 (median 7); buckets: 1, 7 (1) and 7, 1, 1 (1).
      return [ev(10, 'a', 0, 1), ev(295, 'a', 0, 7), ev(305, 'a', 0, 7), ev(310, 'a', 0, 1), ev(320, 'a', 0, 1)];
    default:
      return [ev(295, 'a', 0, 5), ev(305, c.spec.rules.length > 1 ? 'b' : 'a', 0, 5), ev(310, 'a', 0, 5)];
  }
}

/** The same matches inside one bucket (for aggregates that only grow: counts and sums). */
function inOneBucket(c: Case): Ev[] {
  return straddling(c).map((e, i) => ({ ...e, t: 610 + 10 * i }));
}
const GROWING = new Set(['event_count', 'value_count', 'value_sum', 'temporal', 'temporal_ordered']);

for (const t of TARGETS) {
  describe(`correlation matrix: ${t.pipeline}`, () => {
    for (const c of CASES) {
      const corr = correlation(c.spec);
      const v = verdict(t, c);
      const r = convert(corr, t);
      if ('refused' in v) {
        it(`${c.name}: refused (${v.refused})`, () => {
          expect('error' in r && r.error.startsWith(v.refused)).toBe(true);
        });
        continue;
      }
      it(`${c.name}: converts${'approximate' in v ? ` with warning ${v.approximate}` : ' exactly, with no warning'}`, () => {
        if ('error' in r) throw new Error(r.error);
        expect(r.warnings).toEqual('approximate' in v ? [v.approximate] : []);
        if (t.kind === 'kql') expect(kqlErrors(r.query, t.product!)).toEqual([]);
      });
      if ('error' in r) continue;
      if ('exact' in v) {
        it(`${c.name}: the same groups as the evaluator, on any event sequence in any row order`, () => {
          fc.assert(
            fc.property(seqArb, fc.integer(), (events, seed) => {
              expect(targetGroups(corr, t, r.query, events, seed)).toEqual(evaluatorGroups(corr, events));
            }),
            { numRuns: runs(12) },
          );
        });
        it(`${c.name}: events straddling a bucket boundary, out of order`, () => {
          const events = straddling(c);
          const want = evaluatorGroups(corr, events);
          expect(want.size).toBe(1);
          expect(targetGroups(corr, t, r.query, events.reverse(), 7)).toEqual(want);
        });
      } else if (!v.unmodelled) {
        it(`${c.name}: agrees inside one bucket (counts and sums), differs on the straddling sequence (${v.approximate})`, () => {
          if (GROWING.has(c.spec.type)) {
            const inside = inOneBucket(c);
            expect(targetGroups(corr, t, r.query, inside, 3)).toEqual(evaluatorGroups(corr, inside));
          }
          const across = straddling(c);
          expect(targetGroups(corr, t, r.query, across, 3)).not.toEqual(evaluatorGroups(corr, across));
        });
      }
    }
  });
}

describe('scheduled artifacts of a correlation', () => {
  const corr = correlation(CASES[0]!.spec);
  const kql = getBackend('kql')!;
  const format = (name: string) => kql.formats.find((f) => f.name === name)!;
  const result = (pipeline: string) => {
    const r = convertDocument(corr, { target: 'kql', pipelines: [pipeline], lookup });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    return r;
  };
  it('sentinel-rule: the query period covers the frequency plus the timespan; each window end is kept by one run', () => {
    const r = result('sentinel');
    const yaml = YAML.parse(format('sentinel-rule').render(r, corr, {}).text) as Record<string, string>;
    expect(yaml['queryFrequency']).toBe('1h');
    expect(yaml['queryPeriod']).toBe('65m');
    // The run's own frequency, in minutes (settings are kept in minutes: src/backends/kql/settings.ts).
    expect(yaml['query']).toMatch(/\| where TimeGenerated > ago\(60m\)\n$/);
    expect(kqlErrors(yaml['query']!, 'sentinel')).toEqual([]);
    const arm = JSON.parse(format('sentinel-arm').render(r, corr, {}).text) as {
      resources: { properties: { queryPeriod: string } }[];
    };
    expect(arm.resources[0]!.properties.queryPeriod).toBe('PT1H5M');
  });
  it('defender-detection: the result carries Timestamp, ReportId and DeviceId (arg_max of each group)', () => {
    const r = result('defender-xdr');
    expect(format('defender-detection').check!(r, corr)).toBeUndefined();
    const body = JSON.parse(format('defender-detection').render(r, corr, {}).text) as {
      queryCondition: { queryText: string };
      schedule: { frequency: string };
    };
    // Graph's ruleSchedule.frequency (schedule.period is deprecated).
    expect(body.schedule.frequency).toBe('PT1H');
    expect(body.queryCondition.queryText).toMatch(
      /\| where Timestamp > ago\(1h\)\n\| project Timestamp, ReportId, DeviceId, SigilWindowStart, ParentImage$/,
    );
    expect(kqlErrors(body.queryCondition.queryText, 'defender')).toEqual([]);
  });
  it('defender-detection: a correlation over Sentinel tables is refused (C036), the hunting query is not', () => {
    const r = result('sentinel');
    expect(format('defender-detection').check!(r, corr)?.code).toBe('C036');
    expect(format('query').check).toBeUndefined();
  });
});

describe('group-by fields are the base rules’ fields', () => {
  const lsass = docs(`title: LSASS opened with 0x1010
id: 5e0c4f8e-7d1a-4c3e-9a51-000000000010
name: lsass_access
status: test
logsource: {product: windows, category: process_access}
detection:
  sel:
    TargetImage|endswith: '\\lsass.exe'
    GrantedAccess: '0x1010'
  condition: sel
level: low
---
title: Many LSASS accesses
id: 5e0c4f8e-7d1a-4c3e-9a51-000000000011
status: test
correlation:
  type: event_count
  rules: [lsass_access]
  group-by: [SourceImage, Computer]
  timespan: 5m
  condition: {gte: 3}
level: high
`);
  it('sentinel: a Sysmon process-access rule grouped by SourceImage and Computer reads EventData (no C002)', () => {
    const r = convertDocument(lsass[1]!, {
      target: 'kql',
      pipelines: ['sentinel'],
      lookup: (ref) => lsass.find((d) => d.name === ref),
    });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.queries[0]).toContain('SourceImage = tostring(EventData.SourceImage), Computer = tostring(Computer)');
    expect(kqlErrors(r.queries[0]!, 'sentinel')).toEqual([]);
  });
  it('defender-xdr: a group-by field the pipeline splits over two columns is refused (C035)', () => {
    const corr = correlation({ type: 'event_count', rules: ['rule_a'], groupBy: ['User'], condition: '{gte: 3}' });
    const r = convertDocument(corr, { target: 'kql', pipelines: ['defender-xdr'], lookup });
    expect(!r.ok && r.errors.map((e) => e.code)).toEqual(['C035']);
  });
});

describe('base rules on different tables meet under the correlation’s names', () => {
  const set = docs(`title: whoami run
id: 5e0c4f8e-7d1a-4c3e-9a51-000000000020
name: proc
status: test
logsource: {product: windows, category: process_creation}
detection:
  sel: {CommandLine|contains: whoami}
  condition: sel
level: low
---
title: connection to 445
id: 5e0c4f8e-7d1a-4c3e-9a51-000000000021
name: conn
status: test
logsource: {product: windows, category: network_connection}
detection:
  sel: {DestinationPort: 445}
  condition: sel
level: low
---
title: whoami then SMB
id: 5e0c4f8e-7d1a-4c3e-9a51-000000000022
status: test
correlation:
  type: temporal_ordered
  rules: [proc, conn]
  group-by: [Image]
  timespan: 5m
level: high
`);
  const [proc, conn, corr] = set as [SigmaRule, SigmaRule, CorrelationRule];
  it('defender-xdr: Image is FolderPath in DeviceProcessEvents and InitiatingProcessFolderPath in DeviceNetworkEvents', () => {
    const r = convertDocument(corr, {
      target: 'kql',
      pipelines: ['defender-xdr'],
      lookup: (ref) => set.find((d) => d.name === ref),
    });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    const q = r.queries[0]!;
    expect(q).toContain('Image = tostring(FolderPath)');
    expect(q).toContain('Image = tostring(InitiatingProcessFolderPath)');
    expect(kqlErrors(q, 'defender')).toEqual([]);
    const at = (s: number): number => T0 + s * 1000;
    const tool = 'C:\\Tools\\t.exe';
    const other = 'C:\\Tools\\u.exe';
    const tables = {
      DeviceProcessEvents: [
        { Timestamp: at(10), ProcessCommandLine: 'whoami /all', FolderPath: tool, ReportId: 1, DeviceId: 'd' },
        { Timestamp: at(20), ProcessCommandLine: 'whoami', FolderPath: other, ReportId: 2, DeviceId: 'd' },
      ],
      DeviceNetworkEvents: [
        { Timestamp: at(100), RemotePort: 445, InitiatingProcessFolderPath: tool, ReportId: 3, DeviceId: 'd' },
        { Timestamp: at(15), RemotePort: 445, InitiatingProcessFolderPath: other, ReportId: 4, DeviceId: 'd' },
      ],
    };
    const rows = runKqlTable(q, { tables, columns: (t) => tableColumns(t, 'defender') });
    expect(rows.map((x) => x['Image'])).toEqual([tool]);
    // The evaluator on the same events, in Sigma's fields.
    const c = createCorrelator([corr], [proc, conn], { timestampFields: ['TimeCreated'] });
    const iso = (s: number): string => new Date(at(s)).toISOString();
    const alerts = [
      { TimeCreated: iso(10), CommandLine: 'whoami /all', Image: tool },
      { TimeCreated: iso(15), DestinationPort: 445, Image: other },
      { TimeCreated: iso(20), CommandLine: 'whoami', Image: other },
      { TimeCreated: iso(100), DestinationPort: 445, Image: tool },
    ].flatMap((e) => c.push(e));
    expect(alerts.map((a) => a.group['Image'])).toEqual([tool]);
  });
});
