/**
 * Cross-check: for generated Sigma rules and events, the KQL the backend emits — run by a small
 * interpreter with Kusto's documented semantics (kql-interpreter.ts) on the event mapped to the
 * target's columns — agrees with Sigil's evaluator, which implements Sigma's semantics on the
 * Sysmon-named event. Three targets: Defender XDR (renamed columns, DOMAIN\user split, typed
 * columns), Sentinel WindowsEvent (dynamic EventData, `tostring(EventData.X)`), Sentinel Event (the
 * agent's XML in EventData, parsed by the query; its `has` prefilter must never drop a match) and a route-only
 * pipeline (Sigma names, every column a string).
 *
 * Documented target difference, kept out of the main property and pinned separately below: Kusto
 * strings are never null, so KQL cannot tell a missing string field from an empty one. Generated
 * events therefore never hold "" (a field is absent or non-empty), rule values are never "", and
 * regexes never match "".
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import YAML from 'yaml';
import { convertDocument } from '../../../src/convert.js';
import { tableColumns } from '../../../src/backends/kql/schema.js';
import { compileRule } from '../../../src/eval/compile.js';
import { parse } from '../../../src/parser/index.js';
import { fieldTablesFor } from '../../../src/pipelines/field-tables.js';
import type { PipelineSpec } from '../../../src/pipelines/types.js';
import type { SigmaRule } from '../../../src/ast/types.js';
import { runKql, stringLiterals, type Row } from './kql-interpreter.js';
import { kqlLiterals } from './kusto.js';
import { FUZZ, runs } from '../../helpers/property.js';

type SysmonEvent = Record<string, string>;

// ---------------------------------------------------------------------------
// Targets: pipeline, table, and how a Sysmon event becomes a row of that table.

const PROCESS = 'DeviceProcessEvents';

/** The Defender row of a Sysmon process_creation event, through the pipeline's own field table. */
function defenderRow(ev: SysmonEvent): Row {
  const cols = tableColumns(PROCESS, 'defender')!;
  const row: Row = {};
  const entries = fieldTablesFor('defender-xdr')!.filter(
    (e) => (e.tables === undefined || e.tables.includes(PROCESS)) && e.logsources === undefined,
  );
  for (const [field, value] of Object.entries(ev)) {
    const e = entries.find((x) => x.sigma === field);
    if (!e) throw new Error(`no Defender mapping for ${field}`);
    if (e.via === 'field_map') {
      for (const t of e.target) row[t] = cols.get(t) === 'string' ? value : Number(value);
    } else if (e.via === 'split_domain_user') {
      const [domainCol, userCol] = e.target as [string, string];
      const cut = value.indexOf('\\');
      row[domainCol] = value.slice(0, cut);
      row[userCol] = value.slice(cut + 1);
    } else throw new Error(`mapping ${e.via} not modelled for ${field}`);
  }
  return row;
}

interface Target {
  name: string;
  pipelines: (string | PipelineSpec)[];
  table: string;
  columns?: ReadonlyMap<string, string>;
  row(ev: SysmonEvent): Row;
  /** Whether `*` keyword searches can be compared (the row's columns hold what the event holds). */
  keywords: boolean;
  /** Events the target's row shape can be compared on (default: all). */
  accepts?(ev: SysmonEvent): boolean;
}

/** The Event table's EventData as the agent writes it (a DataItem around the event's EventData). */
function eventXml(ev: SysmonEvent): string {
  const esc = (s: string): string =>
    s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  const data = Object.entries(ev)
    .map(([k, v]) => `<Data Name="${esc(k)}">${esc(v)}</Data>`)
    .join('');
  return `<DataItem type="System.XmlData" time="2026-01-01T00:00:00.0000000+00:00" sourceHealthServiceId="7896DB24-81DF-2EAB-B12B-29AED6D69A17"><EventData xmlns="http://schemas.microsoft.com/win/2004/08/events/event">${data}</EventData></DataItem>`;
}

const ROUTE_ONLY: PipelineSpec = {
  name: 'route-only',
  description: 'routes process_creation to a table with Sigma column names (no mapping)',
  routes: [{ logsource: { product: 'windows', category: 'process_creation' }, table: 'SysmonProcessCreation' }],
  transformations: [],
};

const TARGETS: Target[] = [
  {
    name: 'defender-xdr',
    pipelines: ['defender-xdr'],
    table: PROCESS,
    columns: tableColumns(PROCESS, 'defender')!,
    row: defenderRow,
    keywords: true,
  },
  {
    name: 'sentinel',
    pipelines: ['sentinel'],
    table: 'WindowsEvent',
    columns: tableColumns('WindowsEvent', 'sentinel')!,
    row: (ev) => ({ Provider: 'Microsoft-Windows-Sysmon', EventID: 1, EventData: { ...ev } }),
    keywords: false,
  },
  {
    name: 'sentinel-event',
    pipelines: ['sentinel-event'],
    table: 'Event',
    columns: tableColumns('Event', 'sentinel')!,
    row: (ev) => ({ Source: 'Microsoft-Windows-Sysmon', EventID: 1, EventData: eventXml(ev) }),
    keywords: false,
    // Whether Kusto's parse_xml keeps whitespace-only text beside an attribute is not modelled.
    accepts: (ev) => Object.values(ev).every((v) => v.trim() !== ''),
  },
  {
    name: 'route-only',
    pipelines: [ROUTE_ONLY],
    table: 'SysmonProcessCreation',
    row: (ev) => ({ ...ev }),
    keywords: true,
  },
];

// ---------------------------------------------------------------------------
// Generators

const STRING_FIELDS = ['Image', 'CommandLine', 'ParentImage', 'OriginalFileName', 'IntegrityLevel'] as const;

/** Pieces of rule values (Sigma syntax): wildcards, escaped wildcards, backslashes, quotes, dashes. */
const RULE_UNITS = [
  'a',
  'B',
  'c',
  '5',
  '\\',
  '\\\\',
  '*',
  '?',
  '\\*',
  '\\?',
  '"',
  "'",
  ' ',
  '-',
  '/',
  '.exe',
  '\u2013',
];
/** Pieces of event values (literal text), overlapping the rule pieces so that matches are frequent. */
const EVENT_UNITS = [
  'a',
  'A',
  'b',
  'B',
  'c',
  '5',
  '0',
  '\\',
  '*',
  '?',
  '"',
  "'",
  ' ',
  '-',
  '/',
  '.exe',
  '\u2013',
  '\n',
];

const ruleText = fc.string({ minLength: 1, maxLength: 4, unit: fc.constantFrom(...RULE_UNITS) });
const eventText = fc.string({ minLength: 1, maxLength: 6, unit: fc.constantFrom(...EVENT_UNITS) });
const noDigits = fc.string({
  minLength: 1,
  maxLength: 6,
  unit: fc.constantFrom(...EVENT_UNITS.filter((u) => !/\d/.test(u))),
});
const userPart = fc.string({ minLength: 1, maxLength: 3, unit: fc.constantFrom('a', 'B', 'c', '-', ' ') });
const LEVELS = ['High', 'Medium', 'Low', 'System'];

/** Regexes that never match "" (see the header) and RE2 accepts. */
const REGEXES = ['a', '^a', 'B$', 'a.b', '\\\\', '"', '(?i)b', '[/-]c', 'c+', '^\\d', 'exe$', '\\.exe', 'a|5'];

type Entry = [string, unknown];

const stringEntry: fc.Arbitrary<Entry> = fc
  .record({
    field: fc.constantFrom(...STRING_FIELDS),
    position: fc.constantFrom('', '', 'contains', 'startswith', 'endswith'),
    cased: fc.boolean(),
    windash: fc.boolean(),
    neq: fc.nat(9).map((n) => n === 0),
    values: fc.array(ruleText, { minLength: 1, maxLength: 3 }),
    all: fc.boolean(),
  })
  .map(({ field, position, cased, windash, neq, values, all }) => {
    const mods = [
      position,
      windash ? 'windash' : '',
      cased ? 'cased' : '',
      all && values.length > 1 ? 'all' : '',
      neq ? 'neq' : '',
    ].filter(Boolean);
    return [[field, ...mods].join('|'), values.length === 1 ? values[0] : values];
  });

const entry: fc.Arbitrary<Entry> = fc.oneof(
  { weight: 8, arbitrary: stringEntry },
  {
    weight: 1,
    arbitrary: fc
      .record({ f: fc.constantFrom(...STRING_FIELDS), text: fc.constantFrom('a', 'B5', '-c', 'a/b') })
      .map(({ f, text }): Entry => [`${f}|base64offset|contains`, text]),
  },
  {
    weight: 2,
    arbitrary: fc
      .record({ f: fc.constantFrom(...STRING_FIELDS), re: fc.constantFrom(...REGEXES), i: fc.boolean() })
      .map(({ f, re, i }): Entry => [`${f}|re${i ? '|i' : ''}`, re]),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({ f: fc.constantFrom(...STRING_FIELDS, 'User', 'ProcessId'), v: fc.boolean() })
      .map(({ f, v }): Entry => [`${f}|exists`, v]),
  },
  { weight: 1, arbitrary: fc.constantFrom(...STRING_FIELDS, 'ProcessId').map((f): Entry => [f, null]) },
  {
    weight: 1,
    arbitrary: fc
      .array(fc.constantFrom('10.0.0.0/8', '192.168.0.0/16', '10.1.2.3/32'), { minLength: 1, maxLength: 2 })
      .map((v): Entry => ['ParentImage|cidr', v]),
  },
  {
    weight: 2,
    arbitrary: fc
      .record({
        f: fc.constantFrom('ProcessId', 'ProcessId', 'CommandLine'),
        op: fc.constantFrom('', 'lt', 'lte', 'gt', 'gte'),
        n: fc.integer({ min: 0, max: 6 }),
      })
      .map(({ f, op, n }): Entry => [op ? `${f}|${op}` : f, n]),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({
        p: fc.constantFrom('', 'contains', 'startswith', 'endswith'),
        v: fc.constantFrom('5', '*5', '1?', '3*'),
      })
      .map(({ p, v }): Entry => [p ? `ProcessId|${p}` : 'ProcessId', v]),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({
        f: fc.constantFrom('IntegrityLevel'),
        v: fc.array(fc.constantFrom(...LEVELS, 'high', 'SYS*'), { minLength: 1, maxLength: 3 }),
      })
      .map(({ f, v }): Entry => [f, v]),
  },
  {
    weight: 2,
    arbitrary: fc
      .record({
        p: fc.constantFrom('', 'contains', 'startswith', 'endswith'),
        d: userPart,
        u: userPart,
        slash: fc.boolean(),
        cased: fc.boolean(),
      })
      .map(({ p, d, u, slash, cased }): Entry => [
        ['User', p, cased ? 'cased' : ''].filter(Boolean).join('|'),
        slash ? `${d}\\${u}` : u,
      ]),
  },
);

/** A search identifier: a map (AND of entries), a list of maps (OR), or keywords. */
const selection = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .uniqueArray(entry, { minLength: 1, maxLength: 3, selector: (e) => e[0] })
      .map((es) => Object.fromEntries(es)),
  },
  {
    weight: 1,
    arbitrary: fc.array(
      fc.uniqueArray(entry, { minLength: 1, maxLength: 2, selector: (e) => e[0] }).map((es) => Object.fromEntries(es)),
      { minLength: 2, maxLength: 2 },
    ),
  },
  { weight: 1, arbitrary: fc.array(ruleText, { minLength: 1, maxLength: 2 }).map((ks) => ({ keywords: ks })) },
);

type Cond =
  { t: 'ref'; i: number } | { t: 'not'; c: Cond } | { t: 'and' | 'or'; cs: Cond[] } | { t: '1 of' | 'all of' };

const cond: fc.Arbitrary<Cond> = fc.letrec<{ c: Cond }>((tie) => ({
  c: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.nat(2).map((i): Cond => ({ t: 'ref', i })),
    fc.constantFrom<Cond>({ t: '1 of' }, { t: 'all of' }),
    tie('c').map((c): Cond => ({ t: 'not', c })),
    fc.array(tie('c'), { minLength: 2, maxLength: 3 }).map((cs): Cond => ({ t: 'and', cs })),
    fc.array(tie('c'), { minLength: 2, maxLength: 3 }).map((cs): Cond => ({ t: 'or', cs })),
  ),
})).c;

function printCond(c: Cond, names: string[]): string {
  switch (c.t) {
    case 'ref':
      return names[c.i % names.length]!;
    case 'not':
      return `not (${printCond(c.c, names)})`;
    case 'and':
    case 'or':
      return `(${c.cs.map((x) => printCond(x, names)).join(` ${c.t} `)})`;
    case '1 of':
    case 'all of':
      return `${c.t} sel*`;
  }
}

const ruleYaml = fc
  .record({ sels: fc.array(selection, { minLength: 1, maxLength: 3 }), cond })
  .map(({ sels, cond: c }) => {
    const names = sels.map((_, i) => `sel${i + 1}`);
    const detection: Record<string, unknown> = {};
    sels.forEach((s, i) => {
      detection[names[i]!] = 'keywords' in s && !Array.isArray(s) ? s.keywords : s;
    });
    detection['condition'] = printCond(c, names);
    return YAML.stringify({
      title: 'generated',
      logsource: { product: 'windows', category: 'process_creation' },
      detection,
    });
  });

const sysmonEvent = fc
  .record(
    {
      Image: eventText,
      // Numbers in CommandLine only as plain decimal text: whether Kusto's todouble() reads
      // " 5" or "0x5" is not documented (the interpreter refuses to guess).
      CommandLine: fc.oneof(noDigits, fc.constantFrom('5', '05', '3', '5.0', '-1', '12', 'a5', '5a')),
      // IPv4 addresses for cidr; no digits otherwise (partial IPv4 forms are not modelled).
      ParentImage: fc.oneof(noDigits, fc.constantFrom('10.1.2.3', '192.168.4.5', '8.8.8.8')),
      OriginalFileName: eventText,
      IntegrityLevel: fc.constantFrom(...LEVELS, 'high'),
      User: fc.tuple(userPart, userPart).map(([d, u]) => `${d}\\${u}`),
      ProcessId: fc.integer({ min: 0, max: 12 }).map(String),
    },
    { requiredKeys: [] },
  )
  .map((ev) => Object.fromEntries(Object.entries(ev).filter(([, v]) => v !== undefined)) as SysmonEvent);

// ---------------------------------------------------------------------------

/** Rule shapes counted (and required) so that a generator change cannot quietly drop one. */
const RULE_FEATURES: [string, RegExp][] = [
  ['windash', /\|windash/],
  ['base64offset', /\|base64offset/],
  ['re', /\|re\b/],
  ['cased', /\|cased/],
  ['neq', /\|neq/],
  ['all', /\|all/],
  ['exists', /\|exists/],
  ['null', /: null$/m],
  ['cidr', /\|cidr/],
  ['lt/gt', /\|(lt|lte|gt|gte):/],
  ['escaped wildcard', /\\[*?]/],
  ['1 of', /1 of sel/],
  ['all of', /all of sel/],
  ['not', /condition: .*not /],
];

function hasKeywords(rule: SigmaRule): boolean {
  return rule.detection.identifiers.some((i) => JSON.stringify(i.node).includes('"field":null'));
}

describe('KQL agrees with the evaluator', () => {
  // Its timeout grows with the runs (test/helpers/property.ts).
  it('on generated rules and events, for each target', { timeout: 60_000 * FUZZ }, () => {
    const counts: Record<string, number> = {};
    const bump = (k: string): void => {
      counts[k] = (counts[k] ?? 0) + 1;
    };
    fc.assert(
      fc.property(ruleYaml, fc.array(sysmonEvent, { minLength: 1, maxLength: 5 }), (yaml, events) => {
        const res = parse(yaml, { file: 'generated.yml' });
        const doc = res.documents[0]?.document;
        if (!doc || doc.kind !== 'rule' || res.documents[0]!.diagnostics.some((d) => d.severity === 'error')) {
          bump('skipped: rule rejected by the parser');
          return;
        }
        const matcher = compileRule(doc);
        if (!matcher.ok) {
          bump('skipped: evaluator cannot compile');
          return;
        }
        const keywords = hasKeywords(doc);
        for (const [name, re] of RULE_FEATURES) if (re.test(yaml)) bump(`rule ${name}`);
        for (const target of TARGETS) {
          if (keywords && !target.keywords) continue;
          const r = convertDocument(doc, { target: 'kql', pipelines: target.pipelines });
          if (!r.ok) {
            bump(`${target.name}: not convertible (${r.errors.map((e) => e.code).join(',')})`);
            continue;
          }
          bump(`${target.name}: converted`);
          const query = r.queries[0]!;
          const seen = new Set<string>();
          for (const raw of events) {
            // Defender splits DOMAIN\user and types ProcessId: a keyword search over the row
            // sees other text than over the Sysmon event, so keyword rules get events without them.
            const ev =
              keywords && target.name === 'defender-xdr'
                ? Object.fromEntries(Object.entries(raw).filter(([k]) => k !== 'User' && k !== 'ProcessId'))
                : raw;
            if (target.accepts && !target.accepts(ev)) {
              bump(`${target.name}: event skipped`);
              continue;
            }
            const want = matcher.matches(ev);
            const row = target.row(ev);
            let got: boolean;
            try {
              got = runKql(
                query,
                row,
                { table: target.table, ...(target.columns ? { columns: target.columns } : {}) },
                seen,
              );
            } catch (e) {
              throw new Error(
                `${target.name}: the interpreter rejects\n${query}\nrow ${JSON.stringify(row)}: ${(e as Error).message}\nrule:\n${yaml}`,
                { cause: e },
              );
            }
            if (got !== want)
              throw new Error(
                `${target.name}: KQL ${got}, evaluator ${want}\n${query}\nrow ${JSON.stringify(row)}\nevent ${JSON.stringify(ev)}\nrule:\n${yaml}`,
              );
            bump(want ? 'matched' : 'unmatched');
          }
          for (const s of seen) bump(`op ${s}`);
        }
      }),
      { numRuns: runs(2500) },
    );
    // Every encoding path and both outcomes must be reached, or the property proves little.
    for (const op of [
      'matches regex',
      'in~',
      'in',
      'not',
      'or',
      '=~',
      '==',
      'contains',
      'contains_cs',
      'startswith',
      'startswith_cs',
      'endswith',
      'endswith_cs',
      'isempty',
      'isnotempty',
      'isnull',
      'isnotnull',
      'tostring',
      'todouble',
      'numeric compare',
      'number ==',
      'dynamic member',
      '* contains',
      '* matches regex',
      'coalesce',
      'ipv4_is_in_range',
      'has',
      'parse_xml',
      'mv-apply',
      'make_bag',
    ]) {
      expect(counts[`op ${op}`] ?? 0, op).toBeGreaterThan(0);
    }
    for (const [name] of RULE_FEATURES) expect(counts[`rule ${name}`] ?? 0, name).toBeGreaterThan(0);
    for (const t of TARGETS) expect(counts[`${t.name}: converted`] ?? 0, t.name).toBeGreaterThan(1000);
    expect(counts['matched'] ?? 0).toBeGreaterThan(2000);
    expect(counts['unmatched'] ?? 0).toBeGreaterThan(2000);
  });
});

describe('documented difference: KQL cannot tell a missing string field from an empty one', () => {
  const rule = (detection: string): SigmaRule => {
    const doc = parse(`title: t\nlogsource: {product: windows, category: process_creation}\ndetection:\n${detection}\n`)
      .documents[0]!.document!;
    return doc as SigmaRule;
  };
  const kql = (r: SigmaRule): string => {
    const c = convertDocument(r, { target: 'kql', pipelines: ['defender-xdr'] });
    if (!c.ok) throw new Error(c.errors[0]!.message);
    return c.queries[0]!;
  };
  const run = (q: string, row: Row): boolean =>
    runKql(q, row, { table: PROCESS, columns: tableColumns(PROCESS, 'defender')! });

  it('`null` and `exists: false` hold for an empty string in KQL, not in Sigma', () => {
    for (const d of ['  sel: {Image: null}\n  condition: sel', '  sel: {Image|exists: false}\n  condition: sel']) {
      const r = rule(d);
      expect(compileRule(r).matches({ Image: '' })).toBe(false);
      expect(run(kql(r), defenderRow({ Image: '' }))).toBe(true);
      // Where the distinction cannot arise, they agree.
      expect(compileRule(r).matches({})).toBe(true);
      expect(run(kql(r), {})).toBe(true);
    }
  });

  it("an empty value ('') matches an absent string field in KQL, not in Sigma", () => {
    const r = rule("  sel: {Image: ''}\n  condition: sel");
    expect(compileRule(r).matches({})).toBe(false);
    expect(run(kql(r), {})).toBe(true);
    expect(compileRule(r).matches({ Image: '' })).toBe(true);
  });

  it('numeric columns keep the distinction (null is null)', () => {
    const r = rule('  sel: {ProcessId: null}\n  condition: sel');
    expect(kql(r)).toContain('isnull(ProcessId)');
    expect(run(kql(r), {})).toBe(compileRule(r).matches({}));
    expect(run(kql(r), defenderRow({ ProcessId: '4' }))).toBe(compileRule(r).matches({ ProcessId: '4' }));
  });
});

describe('regressions found by the property (backend fixes)', () => {
  const convert = (detection: string, pipeline = 'defender-xdr'): { rule: SigmaRule; query: string } => {
    const rule = parse(
      `title: t\nlogsource: {product: windows, category: process_creation}\ndetection:\n${detection}\n`,
    ).documents[0]!.document! as SigmaRule;
    const c = convertDocument(rule, { target: 'kql', pipelines: [pipeline] });
    if (!c.ok) throw new Error(c.errors[0]!.message);
    return { rule, query: c.queries[0]! };
  };
  const cols = tableColumns(PROCESS, 'defender')!;

  it('an ordering comparison on a null column under not() is two-valued (not(null) would drop the row)', () => {
    const neg = convert('  sel: {ProcessId|lt: 3}\n  condition: not sel');
    expect(neg.query).toBe('DeviceProcessEvents\n| where not(coalesce(ProcessId < 3, false))');
    expect(runKql(neg.query, {}, { columns: cols })).toBe(true);
    expect(compileRule(neg.rule).matches({})).toBe(true);
    // Outside a not(), null already behaves as false: the query stays index-friendly.
    expect(convert('  sel: {ProcessId|lt: 3}\n  condition: sel').query).toBe(
      'DeviceProcessEvents\n| where ProcessId < 3',
    );
    expect(convert('  sel: {ProcessId|lt: 3}\n  condition: not not sel').query).toBe(
      'DeviceProcessEvents\n| where ProcessId < 3',
    );
  });

  it('todouble() and ipv4_is_in_range() under not() are two-valued too', () => {
    const lt = convert('  sel: {CommandLine|gt: 3}\n  condition: not sel');
    expect(lt.query).toBe('DeviceProcessEvents\n| where not(coalesce(todouble(ProcessCommandLine) > 3, false))');
    expect(runKql(lt.query, { ProcessCommandLine: 'abc' }, { columns: cols })).toBe(
      compileRule(lt.rule).matches({ CommandLine: 'abc' }),
    );
    const cidr = convert('  sel: {ParentImage|cidr: 10.0.0.0/8}\n  condition: not sel');
    expect(cidr.query).toBe(
      'DeviceProcessEvents\n| where not(coalesce(ipv4_is_in_range(InitiatingProcessFolderPath, "10.0.0.0/8"), false))',
    );
    expect(runKql(cidr.query, { InitiatingProcessFolderPath: 'fe80::1' }, { columns: cols })).toBe(true);
    expect(compileRule(cidr.rule).matches({ ParentImage: 'fe80::1' })).toBe(true);
  });

  it('a number on a string column compares numerically ("5.0" and "05" equal 5)', () => {
    const eq = convert('  sel: {CommandLine: 5}\n  condition: sel');
    expect(eq.query).toBe('DeviceProcessEvents\n| where todouble(ProcessCommandLine) == 5');
    for (const v of ['5', '5.0', '05', '6', 'x5']) {
      expect(runKql(eq.query, { ProcessCommandLine: v }, { columns: cols }), v).toBe(
        compileRule(eq.rule).matches({ CommandLine: v }),
      );
    }
    const sentinel = convert('  sel: {CommandLine: 5}\n  condition: sel', 'sentinel');
    expect(sentinel.query).toContain('todouble(tostring(EventData.CommandLine)) == 5');
  });
});

describe('the interpreter (self-tests)', () => {
  it('decodes string literals as Kusto does', () => {
    const q = `T | where a == "x\\"y\\\\z\\n\\t\\u0041" or a == @"C:\\dir\\""q""" or a == h"secret" or a == h@"C:\\x" or a == 'it\\'s'`;
    const mine = stringLiterals(q);
    expect(mine).toEqual(['x"y\\z\n\tA', 'C:\\dir\\"q"', 'secret', 'C:\\x', "it's"]);
    expect(kqlLiterals(q.replace(/^T/, 'DeviceProcessEvents').replace(/\ba ==/g, 'FolderPath =='))).toEqual(mine);
  });

  it('rejects what it does not model', () => {
    expect(() => runKql('T | where a has_cs "x"', {})).toThrow(/not modelled/);
    expect(() => runKql('T | project a', {})).toThrow(/not modelled/);
    expect(() => runKql('T | where a == "\\x41"', {})).toThrow(/escape/);
    expect(() => runKql('T | where a =~ "É"', { a: 'é' })).toThrow(/non-ASCII/);
    expect(() => runKql('T | where strlen(a) > 1', {})).toThrow(/not modelled/);
    expect(() => runKql('T | where a == "x" b', {})).toThrow();
  });

  it("applies Kusto's null rules", () => {
    const cols = new Map([
      ['n', 'long'],
      ['s', 'string'],
    ]);
    const run = (w: string, row: Row): boolean => runKql(`T | where ${w}`, row, { columns: cols });
    expect(run('n == 5', {})).toBe(false);
    expect(run('not(n == 5)', {})).toBe(true);
    expect(run('n != 5', {})).toBe(true);
    expect(run('not(n < 5)', {})).toBe(false); // null < 5 is null; not(null) is null
    expect(run('n < 5 or isnull(n)', {})).toBe(true);
    expect(run('isempty(s) and isnull(n) and not(isnull(s))', {})).toBe(true);
    expect(() => run('x == 1', {})).toThrow(/schema/);
  });
});
