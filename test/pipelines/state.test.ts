// Backend state (`set_state`): backends declare the keys they read and their values; a pipeline
// file with a key or value no backend declares is rejected when it loads (C017), so a typo can
// no longer turn into a silent default (a misspelt `product` used to mean Sentinel).
import { describe, expect, it } from 'vitest';
import { parse } from '../../src/parser/index.js';
import type { SigmaRule } from '../../src/ast/types.js';
import { listPipelines, loadPipelineSpec } from '../../src/pipelines/index.js';
import { declareBackendState, stateProblems } from '../../src/backends/state.js';
import { listBackends } from '../../src/backends/index.js';
import { convertDocument } from '../../src/convert.js';

const setState = (state: string): string =>
  `name: s\ndescription: test\ntransformations:\n  - type: set_state\n    state:\n${state}`;

const RULE = parse(
  'title: t\nlogsource:\n  product: windows\n  category: process_creation\ndetection:\n  sel:\n    Image|endswith: \\x.exe\n  condition: sel\n',
).documents[0]!.document as SigmaRule;

describe('backend state in pipeline files', () => {
  it('rejects an unknown key, pointing at it and naming the likely one', () => {
    const { spec, diagnostics } = loadPipelineSpec(setState('      prodcut: defender\n'), 'p.yml');
    expect(spec).toBeUndefined();
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ code: 'C017', severity: 'error', file: 'p.yml', line: 6, column: 7 });
    expect(diagnostics[0]!.message).toContain("unknown backend state key 'prodcut' (did you mean 'product'?)");
  });

  it('rejects a value the key does not admit', () => {
    for (const [state, message] of [
      ['      product: defendr\n', 'backend state \'product\' must be one of defender, sentinel, not "defendr"'],
      ['      product: splunk\n', "backend state 'product' must be one of defender, sentinel"],
      ['      splunk_routing: wndows\n', "'splunk_routing' must be one of windows, cim"],
      ['      source_convention: json\n', "'source_convention' must be one of classic, xml, legacy"],
      ['      timeColumn: 3\n', "backend state 'timeColumn' must be a string, not 3"],
      ['      index: [a, b]\n', "backend state 'index' must be a string"],
    ] as const) {
      const { spec, diagnostics } = loadPipelineSpec(setState(state));
      expect(spec, state).toBeUndefined();
      expect(diagnostics.map((d) => d.code)).toEqual(['C017']);
      expect(diagnostics[0]!.message).toContain(message);
      // The value is pointed at, not the key.
      expect(diagnostics[0]!.column, state).toBeGreaterThan(7);
    }
  });

  it('accepts declared keys and values, and the backend reads them', () => {
    const { spec, diagnostics } = loadPipelineSpec(
      setState('      index: wineventlog\n      source_convention: xml\n'),
    );
    expect(diagnostics).toEqual([]);
    const r = convertDocument(RULE, { target: 'splunk', pipelines: ['splunk-windows', spec!] });
    expect(r.ok && r.queries[0]).toMatch(/^index=wineventlog sourcetype="XmlWinEventLog" /);

    const kql = loadPipelineSpec(setState('      product: defender\n      timeColumn: Ts\n'));
    expect(kql.diagnostics).toEqual([]);
    const k = convertDocument(RULE, { target: 'kql', pipelines: ['sentinel', kql.spec!] });
    expect(k.ok && k.meta).toMatchObject({ product: 'defender', timeColumn: 'Ts' });
  });

  it('every built-in pipeline sets only declared state, and every built-in backend declares what it reads', () => {
    for (const p of listPipelines())
      for (const t of p.transformations) if (t.type === 'set_state') expect(stateProblems(t.state), p.name).toEqual([]);
    for (const name of ['kql', 'splunk']) {
      const b = listBackends().find((x) => x.name === name)!;
      expect(Object.keys(b.state ?? {}).length, name).toBeGreaterThan(0);
      for (const k of Object.keys(b.state ?? {}))
        expect(
          stateProblems({ [k]: 'x' }).filter((p) => p.unknownKey),
          `${name}: ${k}`,
        ).toEqual([]);
    }
  });

  it('a key means one thing for all backends', () => {
    expect(() => declareBackendState({ product: { type: 'string', description: 'another product' } })).toThrow(
      /declared twice/,
    );
  });
});
