import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from '../../src/parser/index.js';
import type { FilterRule, SigmaDocument, SigmaRule } from '../../src/ast/types.js';
import { applyFilters } from '../../src/pipelines/filters.js';
import { evaluate } from '../../src/index.js';
import { convertDocument } from '../../src/convert.js';
import { emitDocument } from '../../src/backends/sigma/api.js';
import { lowerDetection } from '../../src/ast/semantics.js';
import { runs } from '../helpers/property.js';

const RULE_ID = '6f3e2987-db24-4c78-a860-b4f4095a7095';

function doc(text: string): SigmaDocument {
  const r = parse(text, { file: 't.yml' });
  const d = r.documents[0]!;
  expect(d.diagnostics.filter((x) => x.severity === 'error')).toEqual([]);
  return d.document!;
}
const ruleOf = (
  detection: string,
  logsource = 'logsource:\n    category: process_creation\n    product: windows',
  extra = '',
): SigmaRule =>
  doc(
    `title: Data Compressed - rar.exe\nid: ${RULE_ID}\n${extra}${logsource}\ndetection:\n${detection}\nlevel: low\n`,
  ) as SigmaRule;
const filterOf = (
  body: string,
  logsource = 'logsource:\n    category: process_creation\n    product: windows',
  rules = `        - ${RULE_ID}`,
): FilterRule =>
  doc(`title: Filter Administrator account\n${logsource}\nfilter:\n    rules:\n${rules}\n${body}\n`) as FilterRule;

// The specification's example: exclude administrator accounts (User starts with adm_).
const rar = ruleOf("    selection:\n        Image|endswith: '\\rar.exe'\n    condition: selection");
const admins = filterOf("    selection:\n        User|startswith: 'adm_'\n    condition: selection");

describe('Sigma filters', () => {
  it("the specification's example: matches of the filter are no longer the rule's", () => {
    const { rule, applied, mismatched } = applyFilters(rar, [admins]);
    expect(applied).toEqual([admins]);
    expect(mismatched).toEqual([]);
    expect(rule.detection.conditionText).toEqual(['selection and not _filter1_selection']);
    expect(evaluate(rule, { Image: 'C:\\Tools\\rar.exe', User: 'jdoe' })).toBe(true);
    expect(evaluate(rule, { Image: 'C:\\Tools\\rar.exe', User: 'adm_jdoe' })).toBe(false);
    // The input rule is untouched.
    expect(evaluate(rar, { Image: 'C:\\Tools\\rar.exe', User: 'adm_jdoe' })).toBe(true);
  });

  it('applies by rule name as well as by id, and only to the rules it names', () => {
    const named = ruleOf(
      "    selection:\n        Image|endswith: '\\rar.exe'\n    condition: selection",
      undefined,
      'name: rar_compression\n',
    );
    const byName = filterOf(
      "    selection:\n        User|startswith: 'adm_'\n    condition: selection",
      undefined,
      '        - rar_compression',
    );
    expect(applyFilters(named, [byName]).applied).toHaveLength(1);
    const other = doc(
      `title: Other\nid: 11111111-2222-4333-8444-555555555555\nlogsource:\n    category: process_creation\n    product: windows\ndetection:\n    selection:\n        Image|endswith: '\\7z.exe'\n    condition: selection\n`,
    ) as SigmaRule;
    const r = applyFilters(other, [admins]);
    expect(r.applied).toEqual([]);
    expect(r.rule).toBe(other);
  });

  it('reports a filter whose logsource does not cover the rule, and leaves the rule as it is', () => {
    const registry = filterOf(
      "    selection:\n        User|startswith: 'adm_'\n    condition: selection",
      'logsource:\n    category: registry_set\n    product: windows',
    );
    const r = applyFilters(rar, [registry]);
    expect(r.applied).toEqual([]);
    expect(r.mismatched.map((m) => m.reason)).toEqual([
      "the filter is for category 'registry_set', the rule is for category 'process_creation'",
    ]);
    expect(r.rule).toBe(rar);
    // A filter for the whole product covers every category of it.
    const product = filterOf(
      "    selection:\n        User|startswith: 'adm_'\n    condition: selection",
      'logsource:\n    product: windows',
    );
    expect(applyFilters(rar, [product]).applied).toHaveLength(1);
  });

  it("keeps identifiers apart: the rule's and several filters' same names, `1 of` and `them`", () => {
    const rule = ruleOf(
      "    selection:\n        Image|endswith: '\\rar.exe'\n    filter_main:\n        CommandLine|contains: ' -hp'\n    condition: selection and not 1 of filter_*",
    );
    const f1 = filterOf(
      "    selection:\n        User|startswith: 'adm_'\n    filter_main:\n        User: 'adm_test'\n    condition: selection and not filter_main",
    );
    const f2 = filterOf(
      "    selection_a:\n        ParentImage|endswith: '\\backup.exe'\n    selection_b:\n        CurrentDirectory|startswith: 'D:\\Backups\\'\n    condition: 1 of them",
    );
    const { rule: out } = applyFilters(rule, [f1, f2]);
    expect(out.detection.identifiers.map((i) => i.name)).toEqual([
      'selection',
      'filter_main',
      '_filter1_selection',
      '_filter1_filter_main',
      '_filter2_selection_a',
      '_filter2_selection_b',
    ]);
    expect(out.detection.conditionText).toEqual([
      'selection and not 1 of filter_* and not (_filter1_selection and not _filter1_filter_main) and not (_filter2_selection_a or _filter2_selection_b)',
    ]);
    const base = {
      Image: 'C:\\x\\rar.exe',
      CommandLine: 'rar a x.rar',
      User: 'jdoe',
      ParentImage: 'C:\\explorer.exe',
      CurrentDirectory: 'C:\\',
    };
    expect(evaluate(out, base)).toBe(true);
    expect(evaluate(out, { ...base, User: 'adm_a' })).toBe(false);
    expect(evaluate(out, { ...base, User: 'adm_test' })).toBe(true);
    expect(evaluate(out, { ...base, ParentImage: 'C:\\backup.exe' })).toBe(false);
    expect(evaluate(out, { ...base, CurrentDirectory: 'D:\\Backups\\daily' })).toBe(false);
    expect(evaluate(out, { ...base, CommandLine: 'rar a -hpsecret x.rar' })).toBe(false);
  });

  it('property: a filtered rule matches exactly the events the rule matches and the filter does not', () => {
    const values = ['adm_root', 'jdoe', 'C:\\Tools\\rar.exe', 'C:\\Windows\\explorer.exe', 'svc_backup', ''];
    const fieldNames = ['User', 'Image', 'ParentImage'];
    const selection = fc.record({
      field: fc.constantFrom(...fieldNames),
      mod: fc.constantFrom('', '|startswith', '|endswith', '|contains'),
      value: fc.constantFrom('adm_', 'rar.exe', 'explorer', 'jdoe', 'svc_'),
    });
    const detection = (sels: { field: string; mod: string; value: string }[], combine: string): string =>
      sels.map((s, i) => `    sel${i}:\n        ${s.field}${s.mod}: '${s.value}'`).join('\n') +
      `\n    condition: ${sels.map((_, i) => `sel${i}`).join(` ${combine} `)}`;
    const event = fc.record(Object.fromEntries(fieldNames.map((f) => [f, fc.constantFrom(...values)])));
    fc.assert(
      fc.property(
        fc.array(selection, { minLength: 1, maxLength: 3 }),
        fc.constantFrom('and', 'or'),
        fc.array(selection, { minLength: 1, maxLength: 3 }),
        fc.constantFrom('and', 'or'),
        fc.array(event, { minLength: 1, maxLength: 8 }),
        (rs, rc, fs, fcomb, events) => {
          const rule = ruleOf(detection(rs, rc));
          const filter = filterOf(detection(fs, fcomb));
          const filterAsRule = ruleOf(detection(fs, fcomb));
          const { rule: filtered } = applyFilters(rule, [filter]);
          for (const e of events) expect(evaluate(filtered, e)).toBe(evaluate(rule, e) && !evaluate(filterAsRule, e));
        },
      ),
      { numRuns: runs(300) },
    );
  });

  it('a filtered rule converts like any rule, and its Sigma text reads back to the same detection', () => {
    const { rule } = applyFilters(rar, [admins]);
    const kql = convertDocument(rule, { target: 'kql', pipelines: ['defender-xdr'] });
    expect(kql.ok && kql.queries[0]).toContain('not(');
    const spl = convertDocument(rule, { target: 'splunk', pipelines: ['splunk-windows'] });
    expect(spl.ok && spl.queries[0]).toContain('NOT');
    const text = emitDocument(rule);
    expect(text).toContain('_filter1_selection');
    const back = doc(text) as SigmaRule;
    expect(lowerDetection(back.detection)).toEqual(lowerDetection(rule.detection));
  });
});
