/** Detections: maps, lists of maps, keyword lists, `'|all':`, null and empty values, conditions, error recovery. */
import { describe, expect, it } from 'vitest';
import { parse } from '../../src/parser/index.js';
import { codes, noLoc, rule, ruleText, HEAD } from './helpers.js';

describe('search identifiers', () => {
  it('reads a map as allOf of field matches, lists of values as OR-ed values', () => {
    const r = rule(ruleText('sel:', '  EventLog: Security', '  EventID:', '    - 517', '    - 1102', 'condition: sel'));
    expect(noLoc(r.detection.identifiers)).toEqual([
      {
        name: 'sel',
        node: {
          type: 'allOf',
          items: [
            {
              type: 'match',
              field: 'EventLog',
              modifiers: [],
              values: [{ type: 'string', parts: ['Security'], raw: 'Security' }],
              list: false,
            },
            {
              type: 'match',
              field: 'EventID',
              modifiers: [],
              values: [
                { type: 'number', value: 517, raw: '517' },
                { type: 'number', value: 1102, raw: '1102' },
              ],
              list: true,
            },
          ],
        },
      },
    ]);
  });

  it('reads a keyword list as one match with field null', () => {
    const r = rule(ruleText('keywords:', "  - 'event::clear'", "  - 'event::drop'", 'condition: keywords'));
    expect(noLoc(r.detection.identifiers[0]!.node)).toEqual({
      type: 'match',
      field: null,
      modifiers: [],
      list: true,
      values: [
        { type: 'string', parts: ['event::clear'], raw: 'event::clear' },
        { type: 'string', parts: ['event::drop'], raw: 'event::drop' },
      ],
    });
  });

  it("reads '|all': as keywords that must all occur", () => {
    const r = rule(
      ruleText('kw:', "  '|all':", "    - 'OabVirtualDirectory'", "    - ' -ExternalUrl '", 'condition: kw'),
    );
    expect(noLoc(r.detection.identifiers[0]!.node)).toEqual({
      type: 'allOf',
      items: [
        {
          type: 'match',
          field: null,
          modifiers: ['all'],
          list: true,
          values: [
            { type: 'string', parts: ['OabVirtualDirectory'], raw: 'OabVirtualDirectory' },
            { type: 'string', parts: [' -ExternalUrl '], raw: ' -ExternalUrl ' },
          ],
        },
      ],
    });
  });

  it('reads a list of maps as anyOf of allOf', () => {
    const r = rule(
      ruleText(
        'sel:',
        "  - Image|endswith: '\\example.exe'",
        "  - Description|contains: 'Test executable'",
        '    Company: X',
        'condition: sel',
      ),
    );
    const node = noLoc(r.detection.identifiers[0]!.node);
    expect(node.type).toBe('anyOf');
    if (node.type !== 'anyOf') return;
    expect(
      node.items.map((i) => (i.type === 'allOf' ? i.items.map((m) => (m.type === 'match' ? m.field : '?')) : i.type)),
    ).toEqual([['Image'], ['Description', 'Company']]);
  });

  it('reads a mixed list of keywords and maps', () => {
    const r = rule(ruleText('sel:', '  - evil', '  - F: x', 'condition: sel'));
    const node = r.detection.identifiers[0]!.node;
    expect(node.type === 'anyOf' && node.items.map((i) => i.type)).toEqual(['match', 'allOf']);
  });

  it('reads a single keyword scalar', () => {
    expect(noLoc(rule(ruleText('kw: evil', 'condition: kw')).detection.identifiers[0]!.node)).toEqual({
      type: 'match',
      field: null,
      modifiers: [],
      list: false,
      values: [{ type: 'string', parts: ['evil'], raw: 'evil' }],
    });
  });

  it('reads the empty string and null as values', () => {
    const r = rule(ruleText('e:', "  F: ''", 'n:', '  F: null', 'n2:', '  F:', 'condition: e or n or n2'));
    expect(
      noLoc(
        r.detection.identifiers.map((i) =>
          i.node.type === 'allOf' && i.node.items[0]!.type === 'match' ? i.node.items[0]!.values : null,
        ),
      ),
    ).toEqual([[{ type: 'string', parts: [], raw: '' }], [{ type: 'null' }], [{ type: 'null' }]]);
  });

  it('keeps positions on identifiers, matches and values', () => {
    const r = rule(ruleText('sel:', "  F: 'x'", 'condition: sel'));
    const id = r.detection.identifiers[0]!;
    expect(id.loc).toMatchObject({ line: 4, column: 3 });
    const m = id.node.type === 'allOf' ? id.node.items[0]! : id.node;
    expect(m.loc).toMatchObject({ line: 5, column: 5 });
    expect(m.type === 'match' && m.values[0]!.loc).toMatchObject({ line: 5, column: 8 });
    expect(r.detection.conditions[0]!.loc).toMatchObject({ line: 6, column: 14 });
  });
});

describe('detection errors, with positions', () => {
  it.each<[string, string[], string[]]>([
    ['an empty map', ['sel: {}', 'condition: sel'], ['P016@4:8']],
    ['an empty list', ['sel: []', 'condition: sel'], ['P016@4:8']],
    ['a null identifier (at its key)', ['sel:', 'condition: sel'], ['P016@4:3']],
    ['an empty list of values', ['sel:', '  F: []', 'condition: sel'], ['P016@5:8']],
    ['a mapping as a value', ['sel:', '  F: {a: 1}', 'condition: sel'], ['P017@5:8']],
    ['a nested list as a value', ['sel:', '  F: [[a]]', 'condition: sel'], ['P017@5:9']],
    ['a list in a list of maps', ['sel:', '  - [a]', '  - F: x', 'condition: sel'], ['P017@5:7']],
    ['an empty map in a list', ['sel:', '  - {}', '  - F: x', 'condition: sel'], ['P016@5:7']],
    ['a null keyword', ['sel:', '  - null', '  - x', 'condition: sel'], ['P017@5:7']],
    [
      'an identifier with a pipe',
      ['sel|contains:', '  F: x', 'condition: sel|contains'],
      ['P017w@4:3', 'P011@6:14', 'P014@6:17'],
    ],
    ['no condition', ['sel:', '  F: x'], ['P010@4:3']],
    ['an empty condition list', ['sel:', '  F: x', 'condition: []'], ['P010@6:14']],
    ['a condition that is a map', ['sel:', '  F: x', 'condition: {a: 1}'], ['P006@6:14']],
    ['a condition list with a non-string', ['sel:', '  F: x', 'condition: [sel, {a: 1}]'], ['P006@6:20']],
    ['an unknown identifier', ['sel:', '  F: x', 'condition: sel and filter'], ['P011@6:22']],
    ['an unused identifier', ['sel:', '  F: x', 'other:', '  F: y', 'condition: sel'], ['P012w@6:3']],
    ['an of-pattern matching nothing', ['sel:', '  F: x', 'condition: sel or 1 of filter_*'], ['P015@6:26']],
    ['a syntax error', ['sel:', '  F: x', 'condition: sel and'], ['P013@6:21']],
    ['a Sigma 1 aggregation', ['sel:', '  F: x', 'condition: sel | count() > 5'], ['P014@6:18']],
    ['a timeframe (Sigma 1)', ['sel:', '  F: x', 'timeframe: 5m', 'condition: sel'], ['P035w@6:3']],
  ])('%s', (_name, body, expected) => {
    expect(codes(ruleText(...body))).toEqual(expected);
  });

  it('maps condition positions into quoted scalars, and to the text start of block scalars', () => {
    expect(codes(ruleText('sel: {A: 1}', "condition: 'sel and foo'"))).toEqual(['P011@5:23']);
    expect(codes(ruleText('sel: {A: 1}', 'condition: >', '    sel and', '    foo'))).toEqual(['P011@6:7']);
  });

  it('accepts a list of conditions (OR-ed), each with its own text', () => {
    const r = rule(ruleText('a:', '  F: x', 'b:', '  G: y', 'condition:', '  - a', '  - b and not a'));
    expect(r.detection.conditionText).toEqual(['a', 'b and not a']);
    expect(r.detection.conditions.map((c) => c.type)).toEqual(['ref', 'and']);
    expect(codes(ruleText('a:', '  F: x', 'b:', '  G: y', 'condition:', '  - a', '  - b and not a'))).toEqual([]);
  });

  it('resolves `1 of them` without _-prefixed identifiers and `all of sel*`', () => {
    const r = rule(
      ruleText(
        'sel_a:',
        '  F: x',
        'sel_b:',
        '  G: y',
        '_helper:',
        '  H: z',
        'condition: 1 of them or all of sel* and _helper',
      ),
    );
    const c = noLoc(r.detection.conditions[0]!);
    expect(c).toEqual({
      type: 'or',
      items: [
        { type: 'of', quantifier: 'any', pattern: 'them', names: ['sel_a', 'sel_b'] },
        {
          type: 'and',
          items: [
            { type: 'of', quantifier: 'all', pattern: 'sel*', names: ['sel_a', 'sel_b'] },
            { type: 'ref', name: '_helper' },
          ],
        },
      ],
    });
  });
});

describe('document-level errors', () => {
  it('reports duplicate keys at the second key, keeping the first', () => {
    const text =
      'title: a\ntitle: b\nlogsource:\n  product: windows\n  product: linux\ndetection:\n  sel:\n    A: 1\n    A: 2\n  condition: sel\n';
    expect(codes(text)).toEqual(['P003@2:1', 'P003@5:3', 'P003@9:5']);
    const r = rule(text);
    expect(r.title).toBe('a');
    expect(r.logsource.product).toBe('windows');
  });

  it('reports several problems of one file, in file order (error recovery)', () => {
    const text = [
      'title: t',
      'date: 2024-02-30',
      'modified: 2024.01.01',
      'tags: attack.t1059',
      'logsource:',
      '  product: windows',
      'detection:',
      '  sel:',
      '    F|foo: x',
      '    G|cidr: 10.0.0.0/40',
      '    H|re: "("',
      '  other:',
      '    I: 1',
      '  condition: sel and missing',
      '',
    ].join('\n');
    expect(codes(text)).toEqual([
      'P030@2:7',
      'P030@3:11',
      'P006w@4:7',
      'P020@9:7',
      'P025@10:13',
      'P024@11:11',
      'P012w@12:3',
      'P011@14:22',
    ]);
  });

  it.each<[string, string, string[]]>([
    ['missing title', 'logsource: {product: w}\ndetection:\n  sel: {A: 1}\n  condition: sel\n', ['P007@1:1']],
    ['missing logsource', 'title: t\ndetection:\n  sel: {A: 1}\n  condition: sel\n', ['P007@1:1']],
    ['missing detection', 'title: t\nlogsource: {product: w}\n', ['P007@1:1']],
    [
      'logsource a scalar',
      'title: t\nlogsource: windows\ndetection:\n  sel: {A: 1}\n  condition: sel\n',
      ['P006@2:12'],
    ],
    ['detection a list', 'title: t\nlogsource: {product: w}\ndetection: [1, 2]\n', ['P006@3:12']],
    ['detection a scalar', 'title: t\nlogsource: {product: w}\ndetection: foo\n', ['P006@3:12']],
    [
      'title a map',
      'title: {a: 1}\nlogsource: {product: w}\ndetection:\n  sel: {A: 1}\n  condition: sel\n',
      ['P006@1:8'],
    ],
    [
      'tags a map',
      'title: t\ntags: {a: 1}\nlogsource: {product: w}\ndetection:\n  sel: {A: 1}\n  condition: sel\n',
      ['P006@2:7'],
    ],
    [
      'related without type',
      'title: t\nrelated:\n  - id: x\nlogsource: {product: w}\ndetection:\n  sel: {A: 1}\n  condition: sel\n',
      ['P007@3:5'],
    ],
    ['a scalar document', 'just text\n', ['P005@1:1']],
    ['a list document', '- a\n- b\n', ['P005@1:1']],
    ['an empty file', '', ['P005@1:1']],
    ['only a comment', '# nothing\n', ['P005@1:1']],
  ])('%s', (_name, text, expected) => {
    const got = codes(text);
    for (const e of expected) expect(got).toContain(e);
    expect(got.length).toBeGreaterThanOrEqual(expected.length);
  });

  it('keeps custom metadata and logsource keys', () => {
    const r = rule(
      'title: t\nx_custom: {a: [1, true]}\nlogsource: {product: w, custom_key: v}\ndetection:\n  sel: {A: 1}\n  condition: sel\n',
    );
    expect(r.custom).toEqual({ x_custom: { a: [1, true] } });
    expect(r.logsource.custom).toEqual({ custom_key: 'v' });
    expect(r.keyOrder).toEqual(['title', 'x_custom', 'logsource', 'detection']);
    expect(r.locs['logsource']).toMatchObject({ line: 3, column: 12 });
  });

  it('reads all metadata fields of the specification', () => {
    const text = [
      'title: T',
      'id: 929a690e-bef0-4204-a928-ef5e620d6fcc',
      'name: n',
      'related:',
      '  - id: 08fbc97d-0a2f-491c-ae21-8ffcfd3174e9',
      '    type: derived',
      'taxonomy: sigma',
      'status: test',
      'description: D',
      'license: MIT',
      'author: A',
      'references:',
      '  - https://x',
      'date: 2024-01-02',
      'modified: 2024-02-03',
      'tags:',
      '  - attack.t1059',
      'logsource: {category: process_creation, product: windows, service: s, definition: d}',
      'detection:',
      '  sel: {A: 1}',
      '  condition: sel',
      'fields: [A]',
      'falsepositives: [none]',
      'level: high',
      'scope: [server]',
    ].join('\n');
    expect(codes(text)).toEqual([]);
    const r = rule(text);
    expect(r).toMatchObject({
      title: 'T',
      id: '929a690e-bef0-4204-a928-ef5e620d6fcc',
      name: 'n',
      related: [{ id: '08fbc97d-0a2f-491c-ae21-8ffcfd3174e9', type: 'derived' }],
      taxonomy: 'sigma',
      status: 'test',
      description: 'D',
      license: 'MIT',
      author: 'A',
      references: ['https://x'],
      date: '2024-01-02',
      modified: '2024-02-03',
      tags: ['attack.t1059'],
      fields: ['A'],
      falsepositives: ['none'],
      level: 'high',
      scope: ['server'],
      logsource: { category: 'process_creation', product: 'windows', service: 's', definition: 'd' },
    });
  });

  it('reports YAML syntax errors with a position and a hint', () => {
    const r = parse(HEAD + '  sel:\n    A: "abc\n  condition: sel\n');
    expect(r.diagnostics.map((d) => `${d.code}@${d.line}:${d.column}`)).toEqual(['P002@5:8']);
    expect(r.diagnostics[0]!.message).toMatch(/double-quoted string .* never closed/);
    expect(r.diagnostics[0]!.hint).toBeTruthy();
    const tabs = parse('title: t\nlogsource:\n\tproduct: x\n');
    expect(tabs.diagnostics.map((d) => `${d.code}@${d.line}:${d.column}`)).toEqual(['P002@3:1']);
    expect(tabs.diagnostics[0]!.hint).toMatch(/tab|spaces/i);
  });

  it('attaches the file name to every diagnostic', () => {
    const r = parse('title: {a: 1}\n', { file: 'x.yml' });
    for (const d of [...r.diagnostics, ...r.documents.flatMap((x) => x.diagnostics)]) expect(d.file).toBe('x.yml');
  });

  it('does not repeat a parser finding as a schema warning', () => {
    // P030 covers the date; the schema's date pattern finding is not added.
    expect(
      codes(ruleText('sel: {A: 1}', 'condition: sel').replace('title: t\n', 'title: t\ndate: 2024.01.01\n')),
    ).toEqual(['P030@2:7']);
    // The older YYYY/MM/DD form: only the parser's warning (P036), no schema finding either.
    expect(
      codes(ruleText('sel: {A: 1}', 'condition: sel').replace('title: t\n', 'title: t\ndate: 2024/01/01\n')),
    ).toEqual(['P036w@2:7']);
  });

  it('reports schema findings the parser does not check (P008)', () => {
    const got = codes(
      ruleText('sel: {A: 1}', 'condition: sel').replace('title: t\n', 'title: t\nlevel: severe\nstatus: wip\n'),
    );
    expect(got).toEqual(['P008w@2:8', 'P008w@3:9']);
    expect(
      parse(ruleText('sel: {A: 1}', 'condition: sel').replace('title: t\n', 'title: t\nlevel: severe\n'), {
        schema: false,
      }).documents[0]!.diagnostics,
    ).toEqual([]);
  });
});
