import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { parse } from '../../src/parser/index.js';
import type { SigmaRule } from '../../src/ast/types.js';
import {
  applyPipelineToRule,
  getPipeline,
  loadPipelineSpec,
  processRule,
  listPipelines,
} from '../../src/pipelines/index.js';
import { canonicalField, canonicalFields, fieldTablesFor } from '../../src/pipelines/field-tables.js';
import { convertDocument } from '../../src/convert.js';
import { printCondition } from '../../src/parser/condition-print.js';
import { runs } from '../helpers/property.js';

const rule = (detection: string, logsource = 'product: windows\n  category: process_creation'): SigmaRule => {
  const r = parse(`title: t\nlogsource:\n  ${logsource}\ndetection:\n${detection}`).documents[0]!;
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return r.document as SigmaRule;
};

describe('field tables (one source of truth with the pipelines)', () => {
  it('maps vendor names back to Sigma names', () => {
    expect(canonicalField('FolderPath')).toBe('Image');
    expect(canonicalField('ProcessCommandLine')).toBe('CommandLine');
    expect(canonicalField('InitiatingProcessFolderPath')).toBe('ParentImage');
    expect(canonicalField('ProcessVersionInfoOriginalFileName')).toBe('OriginalFileName');
    expect(canonicalField('TargetProcessName')).toBe('Image');
    expect(canonicalField('EventData.Image')).toBe('Image');
    expect(canonicalField('NoSuchVendorField')).toBe('NoSuchVendorField');
    expect(canonicalFields('FolderPath')).toEqual(expect.arrayContaining(['Image', 'TargetFilename', 'ImageLoaded']));
  });
  it('lists field tables per pipeline and covers every registered pipeline', () => {
    expect(fieldTablesFor('defender-xdr')!.some((e) => e.sigma === 'Hashes' && e.via === 'split_hashes')).toBe(true);
    expect(fieldTablesFor('nope')).toBeUndefined();
    for (const p of listPipelines()) expect(fieldTablesFor(p.name), p.name).toBeDefined();
  });
});

describe('pipeline engine', () => {
  it('routes, maps fields and adds route conditions', () => {
    const p = processRule(
      rule('  sel:\n    Image|endswith: \\x.exe\n  condition: sel', 'product: windows\n  category: driver_load'),
      [getPipeline('defender-xdr')!],
    );
    expect(p.table).toBe('DeviceEvents');
    expect(p.errors).toEqual([]);
    expect(p.filters).toHaveLength(1);
  });
  it('fails per rule with code, field and reason', () => {
    const r = convertDocument(rule('  sel:\n    Imphash: abc\n  condition: sel'), {
      target: 'kql',
      pipelines: ['defender-xdr'],
    });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]).toMatchObject({ code: 'C004', field: 'Imphash' });
  });
  it('fail with keywords: true refuses a keyword search only, in the predicate and the AST paths', () => {
    const { spec } = loadPipelineSpec(
      'name: kw\ntransformations:\n  - type: fail\n    keywords: true\n    reason: rows are not events\n',
    );
    const keyword = rule("  keywords:\n    - 'evil'\n  sel:\n    Image: x\n  condition: keywords and sel");
    const fields = rule('  sel:\n    Image: x\n  condition: sel');
    expect(processRule(keyword, [spec!]).errors).toMatchObject([
      { code: 'C004', message: 'kw: keyword search: rows are not events' },
    ]);
    expect(processRule(fields, [spec!]).errors).toEqual([]);
    expect(applyPipelineToRule(keyword, [spec!]).errors).toMatchObject([{ code: 'C004' }]);
    expect(applyPipelineToRule(fields, [spec!]).errors).toEqual([]);
  });
  it('rewrites registry hives for every operator', () => {
    for (const mod of ['', '|startswith', '|contains']) {
      const r = convertDocument(
        rule(
          `  sel:\n    TargetObject${mod}: 'HKLM\\Software\\x'\n  condition: sel`,
          'product: windows\n  category: registry_set',
        ),
        { target: 'kql', pipelines: ['defender-xdr'] },
      );
      expect(r.ok && r.queries[0]).toContain('HKEY_LOCAL_MACHINE\\Software\\x');
    }
  });
  it('expands placeholders from a user pipeline, reports them otherwise', () => {
    const { spec, diagnostics } = loadPipelineSpec(
      'name: vars\nvars:\n  Admins: [alice, bob]\ntransformations:\n  - type: expand_placeholders\n',
    );
    expect(diagnostics).toEqual([]);
    const r = rule("  sel:\n    User|expand: '%Admins%'\n  condition: sel");
    const ok = convertDocument(r, { target: 'kql', pipelines: [spec!, 'sentinel'] });
    expect(ok.ok && ok.queries[0]).toContain('tostring(EventData.User) in~ ("alice", "bob")');
    const bad = convertDocument(r, { target: 'kql', pipelines: ['sentinel'] });
    expect(!bad.ok && bad.errors[0]!.code).toBe('C005');
  });
  it('drop_fields removes conditions and warns; dropping everything under AND keeps the rest', () => {
    const { spec } = loadPipelineSpec(
      'name: d\ntransformations:\n  - type: drop_fields\n    fields: [IntegrityLevel]\n',
    );
    const r = convertDocument(rule('  sel:\n    IntegrityLevel: High\n    Image: x\n  condition: sel'), {
      target: 'kql',
      pipelines: [spec!, 'defender-xdr'],
    });
    expect(r.ok && r.queries[0]).not.toContain('Integrity');
    expect(r.warnings.map((w) => w.code)).toContain('C101');
  });
  it('rejects invalid pipeline files with C013', () => {
    for (const text of [
      'name: x\n',
      'name: x\ntransformations:\n  - type: nope\n',
      'name: x\ntransformations:\n  - type: field_map\n    mapp: {}\n',
      ': : :',
    ]) {
      const { spec, diagnostics } = loadPipelineSpec(text, 'p.yml');
      expect(spec).toBeUndefined();
      expect(diagnostics[0]!.code).toBe('C013');
    }
  });
  it('applyPipelineToRule renames fields and adds the routing condition to the AST', () => {
    const r = rule(
      '  sel:\n    Image|endswith: \\x.exe\n  condition: sel',
      'product: windows\n  category: pipe_created',
    );
    const out = applyPipelineToRule(r, [getPipeline('defender-xdr')!]);
    expect(out.table).toBe('DeviceEvents');
    expect(out.rule.detection.identifiers.find((i) => i.name === 'sel')!.node).toMatchObject({
      items: [{ field: 'InitiatingProcessFolderPath' }],
    });
    expect(printCondition(out.rule.detection.conditions[0]!)).toBe('_pipeline and sel');
    expect(r.detection.identifiers[0]!.node).toMatchObject({ items: [{ field: 'Image' }] });
  });
  it('never throws over arbitrary field names and values', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 12 }).filter((s) => /^[A-Za-z][A-Za-z0-9_]*$/.test(s)),
        fc.string({ maxLength: 20 }),
        (field, value) => {
          const r = rule(`  sel:\n    ${field}|contains: ${JSON.stringify(value)}\n  condition: sel`);
          for (const p of ['defender-xdr', 'sentinel', 'sentinel-asim']) {
            const res = convertDocument(r, { target: 'kql', pipelines: [p] });
            expect(typeof res.ok).toBe('boolean');
          }
        },
      ),
      { numRuns: runs(100) },
    );
  });
});
