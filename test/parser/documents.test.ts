/** Multi-document files, collections (action: global/reset/repeat), correlations, filters, references. */
import { describe, expect, it } from 'vitest';
import { parse, resolveReferences, lookupRule } from '../../src/parser/index.js';
import type { CorrelationType } from '../../src/ast/types.js';
import { codes, correlation, docs, filter, noLoc } from './helpers.js';

const BASE = (name: string, id: string, field = 'A'): string =>
  `title: ${name}\nname: ${name}\nid: ${id}\nlogsource: {product: windows}\ndetection:\n  sel: {${field}: 1}\n  condition: sel\n`;
const ID1 = '11111111-1111-4111-8111-111111111111';
const ID2 = '22222222-2222-4222-8222-222222222222';

describe('collections', () => {
  const text = [
    'action: global',
    'title: G',
    'logsource:',
    '  product: windows',
    'detection:',
    '  common: {A: 1}',
    '  condition: common and sel',
    '---',
    'logsource:',
    '  service: security',
    'detection:',
    '  sel: {B: 2}',
    '---',
    'action: repeat',
    'detection:',
    '  sel: {B: 3}',
    '---',
    'action: reset',
    '---',
    'title: alone',
    'logsource: {product: linux}',
    'detection:',
    '  sel: {C: 1}',
    '  condition: sel',
  ].join('\n');

  it('merges the global template into each document, repeats, and resets', () => {
    expect(codes(text)).toEqual([]);
    const d = docs(text);
    expect(d.map((x) => x.title)).toEqual(['G', 'G', 'alone']);
    expect(d.map((x) => (x.kind === 'rule' ? x.logsource : null)).map((l) => noLoc(l))).toEqual([
      { product: 'windows', service: 'security' },
      { product: 'windows', service: 'security' },
      { product: 'linux' },
    ]);
    const sels = d.map((x) => (x.kind === 'rule' ? noLoc(x.detection.identifiers.map((i) => [i.name, i.node])) : null));
    expect(JSON.stringify(sels[0])).toContain('"B","modifiers":[],"values":[{"type":"number","value":2');
    expect(JSON.stringify(sels[1])).toContain('"B","modifiers":[],"values":[{"type":"number","value":3');
    expect(sels[2]!.map((x) => x[0])).toEqual(['sel']);
  });

  it('keeps positions from the document each node came from', () => {
    const d = docs(text);
    const r = d[0]!;
    if (r.kind !== 'rule') throw new Error('rule expected');
    expect(r.detection.identifiers.find((i) => i.name === 'common')!.loc).toMatchObject({ line: 6 });
    expect(r.detection.identifiers.find((i) => i.name === 'sel')!.loc).toMatchObject({ line: 12 });
  });

  it('reports a repeat without a previous document and an unknown action', () => {
    expect(codes('action: repeat\ntitle: x\n')).toEqual(['P034@1:9']);
    expect(codes(BASE('a', ID1) + '---\naction: bogus\n')).toEqual(['P034@9:9']);
  });

  it('reports a diagnostic in a later document at its own line, with the document index', () => {
    const r = parse(BASE('a', ID1) + '---\n' + BASE('b', ID2).replace('A: 1', 'A|foo: 1'));
    expect(r.documents.map((d) => d.index)).toEqual([0, 1]);
    expect(r.documents[1]!.loc.line).toBe(9);
    expect(r.documents[1]!.diagnostics.map((d) => `${d.code}@${d.line}:${d.column}`)).toEqual(['P020@14:11']);
  });

  it('reports a duplicate key with the document it is in (or the file, for a template)', () => {
    const r = parse(BASE('a', ID1) + '---\n' + BASE('b', ID2).replace('title: b\n', 'title: b\ntitle: c\n'));
    expect(r.diagnostics).toEqual([]);
    expect(r.documents[0]!.diagnostics).toEqual([]);
    expect(r.documents[1]!.diagnostics.map((d) => `${d.code}@${d.line}:${d.column}`)).toEqual(['P003@10:1']);
    expect(r.documents[1]!.document?.title).toBe('b');
    const g = parse('action: global\nlevel: low\nlevel: high\n---\n' + BASE('a', ID1), { file: 'g.yml' });
    expect(g.diagnostics.map((d) => `${d.code}@${d.line}:${d.column}:${d.file}`)).toEqual(['P003@3:1:g.yml']);
    expect(g.documents[0]!.document?.level).toBe('low');
  });

  it('warns about a stray empty document only once, and keeps the others', () => {
    const r = parse('---\n' + BASE('a', ID1) + '---\n---\n');
    expect(r.documents.filter((d) => d.document).length).toBe(1);
  });
});

const CORR = (type: CorrelationType, extra = ''): string =>
  BASE('rule_a', ID1) +
  '---\n' +
  BASE('rule_b', ID2, 'B') +
  `---\ntitle: corr\nid: 33333333-3333-4333-8333-333333333333\ncorrelation:\n  type: ${type}\n  rules:\n    - rule_a\n    - ${ID2}\n  group-by:\n    - User\n  timespan: 90m\n${extra}`;

describe('correlation rules', () => {
  it.each<[CorrelationType, string, object]>([
    ['event_count', '  condition:\n    gte: 100\n', { comparisons: [{ op: 'gte', value: 100 }] }],
    [
      'value_count',
      '  condition:\n    field: TargetUserName\n    gt: 100\n    lte: 200\n',
      {
        field: 'TargetUserName',
        comparisons: [
          { op: 'gt', value: 100 },
          { op: 'lte', value: 200 },
        ],
      },
    ],
    ['temporal', '', undefined as unknown as object],
    ['temporal_ordered', '  condition:\n    eq: 2\n', { comparisons: [{ op: 'eq', value: 2 }] }],
    [
      'value_sum',
      '  condition:\n    field: bytes\n    gt: 1000000\n',
      { field: 'bytes', comparisons: [{ op: 'gt', value: 1000000 }] },
    ],
    [
      'value_avg',
      '  condition:\n    field: bytes\n    neq: 5\n',
      { field: 'bytes', comparisons: [{ op: 'neq', value: 5 }] },
    ],
    [
      'value_percentile',
      '  condition:\n    field: Image\n    lte: 1\n',
      { field: 'Image', comparisons: [{ op: 'lte', value: 1 }] },
    ],
  ])('%s', (type, extra, condition) => {
    const text = CORR(type, extra);
    expect(codes(text)).toEqual([]);
    const c = docs(text)[2]!;
    if (c.kind !== 'correlation') throw new Error('correlation expected');
    expect(noLoc(c.correlation)).toEqual({
      type,
      rules: ['rule_a', ID2],
      aliases: {},
      groupBy: ['User'],
      timespan: { raw: '90m', seconds: 5400 },
      generate: false,
      ...(condition ? { condition } : {}),
    });
    // Both references resolve (one by name, one by id).
    expect(resolveReferences([parse(text)]).size).toBe(0);
  });

  it('reads aliases and generate', () => {
    const text = CORR('temporal', '  generate: true\n  aliases:\n    ip:\n      rule_a: src\n      ' + ID2 + ': dst\n');
    expect(codes(text)).toEqual([]);
    const c = docs(text)[2]!;
    if (c.kind !== 'correlation') throw new Error('correlation expected');
    expect(c.correlation.generate).toBe(true);
    expect(c.correlation.aliases).toEqual({ ip: { rule_a: 'src', [ID2]: 'dst' } });
  });

  it.each(['30s', '5m', '1h', '7d', '2w'])('timespan %s', (ts) => {
    const unit: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };
    const c = correlation(
      `title: c\ncorrelation:\n  type: event_count\n  rules: [rule_a]\n  group-by: [U]\n  timespan: ${ts}\n  condition: {gte: 1}\n`,
    );
    expect(c.correlation.timespan).toEqual({ raw: ts, seconds: Number(ts.slice(0, -1)) * unit[ts.slice(-1)]! });
  });

  const C = (body: string): string => `title: c\ncorrelation:\n${body}`;
  it.each<[string, string, string[]]>([
    ['no type', '  rules: [rule_a]\n  group-by: [U]\n  timespan: 5m\n  condition: {gte: 1}\n', ['P031@3:3']],
    [
      'unknown type',
      '  type: event_counts\n  rules: [rule_a]\n  group-by: [U]\n  timespan: 5m\n  condition: {gte: 1}\n',
      ['P031@3:9'],
    ],
    ['no rules', '  type: event_count\n  group-by: [U]\n  timespan: 5m\n  condition: {gte: 1}\n', ['P031@3:3']],
    ['no timespan', '  type: event_count\n  rules: [rule_a]\n  group-by: [U]\n  condition: {gte: 1}\n', ['P031@3:3']],
    [
      'bad timespan',
      '  type: event_count\n  rules: [rule_a]\n  group-by: [U]\n  timespan: 5 minutes\n  condition: {gte: 1}\n',
      ['P031@6:13'],
    ],
    ['no condition', '  type: event_count\n  rules: [rule_a]\n  group-by: [U]\n  timespan: 5m\n', ['P031@3:3']],
    [
      'condition a string',
      '  type: event_count\n  rules: [rule_a]\n  group-by: [U]\n  timespan: 5m\n  condition: ">= 5"\n',
      ['P031@7:14'],
    ],
    [
      'condition not a number',
      '  type: event_count\n  rules: [rule_a]\n  group-by: [U]\n  timespan: 5m\n  condition: {gte: ten}\n',
      ['P031@7:20'],
    ],
    [
      'unknown operator',
      '  type: event_count\n  rules: [rule_a]\n  group-by: [U]\n  timespan: 5m\n  condition: {ge: 1}\n',
      ['P031@7:14', 'P031@7:15'],
    ],
    [
      'value_count without field',
      '  type: value_count\n  rules: [rule_a]\n  group-by: [U]\n  timespan: 5m\n  condition: {gte: 1}\n',
      ['P031@7:14'],
    ],
    [
      'missing group-by (warning)',
      '  type: value_count\n  rules: [rule_a]\n  timespan: 5m\n  condition: {gte: 1, field: F}\n',
      ['P031w@3:3'],
    ],
    ['temporal with one rule', '  type: temporal\n  rules: [rule_a]\n  group-by: [U]\n  timespan: 5m\n', ['P031@4:10']],
    [
      'generate not a boolean',
      '  type: event_count\n  rules: [rule_a]\n  group-by: [U]\n  timespan: 5m\n  condition: {gte: 1}\n  generate: yes\n',
      ['P031@8:13'],
    ],
    [
      'alias for a rule not correlated',
      '  type: temporal\n  rules: [rule_a, rule_b]\n  group-by: [ip]\n  timespan: 5m\n  aliases:\n    ip:\n      rule_a: src\n      rule_c: dst\n',
      ['P031@10:7'],
    ],
    [
      'alias not a map',
      '  type: temporal\n  rules: [rule_a, rule_b]\n  group-by: [ip]\n  timespan: 5m\n  aliases:\n    ip: src\n',
      ['P031@8:9'],
    ],
    ['correlation not a map', '  - a\n', ['P031@3:3']],
    [
      'empty rules list',
      '  type: event_count\n  rules: []\n  group-by: [U]\n  timespan: 5m\n  condition: {gte: 1}\n',
      ['P031@4:10'],
    ],
    [
      'zero timespan',
      '  type: event_count\n  rules: [rule_a]\n  group-by: [U]\n  timespan: 0m\n  condition: {gte: 1}\n',
      ['P031@6:13'],
    ],
    [
      'old timeframe name (warning)',
      '  type: event_count\n  rules: [rule_a]\n  group-by: [U]\n  timeframe: 5m\n  condition: {gte: 1}\n',
      ['P035w@6:14'],
    ],
  ])('%s', (_name, body, expected) => {
    expect(codes(C(body))).toEqual(expected);
  });

  it('reports unresolved references (P032) by id or name, and resolves them across files', () => {
    const corr = parse(CORR('event_count', '  condition:\n    gte: 1\n').split('---\n')[2]!, { file: 'c.yml' });
    const refs = resolveReferences([corr]);
    const diags = [...refs.values()].flat();
    expect(diags.map((d) => [d.code, d.severity, d.file, d.line])).toEqual([
      ['P032', 'error', 'c.yml', 4],
      ['P032', 'error', 'c.yml', 4],
    ]);
    expect(diags[0]!.message).toContain('rule_a');
    expect(diags[1]!.message).toContain(ID2);
    const a = parse(BASE('rule_a', ID1));
    const b = parse(BASE('rule_b', ID2, 'B'));
    expect(resolveReferences([corr, a, b]).size).toBe(0);
    expect(lookupRule([a, b], ID2)?.title).toBe('rule_b');
    expect(lookupRule([a, b], 'rule_a')?.id).toBe(ID1);
  });
});

describe('filters', () => {
  const F = (body: string): string =>
    `title: f\nlogsource:\n  category: process_creation\n  product: windows\nfilter:\n${body}`;

  it('parses the specification example', () => {
    const text = F(
      `  rules:\n    - ${ID1}\n    - rule_b\n  selection:\n    User|startswith: 'adm_'\n  condition: selection\n`,
    );
    expect(codes(text)).toEqual([]);
    const f = filter(text);
    expect(f.filter.rules).toEqual([ID1, 'rule_b']);
    expect(noLoc(f.filter.detection)).toEqual({
      identifiers: [
        {
          name: 'selection',
          node: {
            type: 'allOf',
            items: [
              {
                type: 'match',
                field: 'User',
                modifiers: ['startswith'],
                values: [{ type: 'string', parts: ['adm_'], raw: 'adm_' }],
                list: false,
              },
            ],
          },
        },
      ],
      conditions: [{ type: 'ref', name: 'selection' }],
      conditionText: ['selection'],
    });
    expect(f.logsource.category).toBe('process_creation');
    // A filter's unresolved reference is a warning (the filter may target rules elsewhere).
    const refs = [...resolveReferences([parse(text)]).values()].flat();
    expect(refs.map((d) => [d.code, d.severity])).toEqual([
      ['P032', 'warning'],
      ['P032', 'warning'],
    ]);
  });

  it.each<[string, string, string[]]>([
    ['no rules', '  selection: {User: x}\n  condition: selection\n', ['P033@6:3']],
    ['filter a list', '  - a\n', ['P033@6:3']],
    ['no condition', '  rules: [rule_a]\n  selection: {User: x}\n', ['P010@6:3']],
    ['empty rules list', '  rules: []\n  selection: {User: x}\n  condition: selection\n', ['P033@6:10']],
    [
      'bad modifier in the filter',
      '  rules: [rule_a]\n  selection: {User|bad: x}\n  condition: selection\n',
      ['P020@7:20'],
    ],
    [
      'condition names an unknown identifier',
      '  rules: [rule_a]\n  selection: {User: x}\n  condition: not sel\n',
      ['P012w@7:3', 'P011@8:18'],
    ],
  ])('%s', (_name, body, expected) => {
    expect(codes(F(body))).toEqual(expected);
  });
});
