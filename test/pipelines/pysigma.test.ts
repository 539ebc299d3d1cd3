/**
 * pySigma processing pipelines (src/pipelines/pysigma.ts): three pipelines in the style of
 * SigmaHQ/pySigma-community-pipelines (test/pipelines/pysigma/*.yml) imported and used to convert
 * corpus rules (golden SPL), the meaning of each imported transformation on small rules, and a
 * located diagnostic for everything Sigil does not import.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { convertDocument } from '../../src/convert.js';
import { parse } from '../../src/parser/index.js';
import { loadPipelineSpec } from '../../src/pipelines/load.js';
import { processRule } from '../../src/pipelines/engine.js';
import type { PipelineSpec } from '../../src/pipelines/types.js';
import type { SigmaRule } from '../../src/ast/types.js';
import { expectGolden } from '../helpers/golden.js';
import { CORPUS, REPO_ROOT } from '../helpers/paths.js';

const DIR = path.join(REPO_ROOT, 'test/pipelines/pysigma');
const WIN = path.join(CORPUS, 'rules/windows');

function load(name: string): { spec?: PipelineSpec; diagnostics: ReturnType<typeof loadPipelineSpec>['diagnostics'] } {
  const file = path.join(DIR, name);
  return loadPipelineSpec(fs.readFileSync(file, 'utf8'), `test/pipelines/pysigma/${name}`);
}

function spec(name: string): PipelineSpec {
  const r = load(name);
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return r.spec!;
}

function rule(yaml: string): SigmaRule {
  const doc = parse(yaml, { file: 'r.yml' }).documents[0]!.document!;
  if (doc.kind !== 'rule') throw new Error('not a rule');
  return doc;
}

function spl(r: SigmaRule, pipeline: PipelineSpec): string {
  const c = convertDocument(r, { target: 'splunk', pipelines: [pipeline] });
  return c.ok ? c.queries.join('\n') : `not expressible: ${c.errors.map((e) => `${e.code} ${e.message}`).join('; ')}`;
}

const CORPUS_RULES = [
  'process_creation/proc_creation_win_renamed_whoami.yml',
  'process_creation/proc_creation_win_agentexecutor_potential_abuse.yml',
  'registry/registry_set/registry_set_creation_service_susp_folder.yml',
  'builtin/security/win_security_aadhealth_mon_agent_regkey_access.yml',
  'builtin/applocker/win_applocker_application_was_prevented_from_running.yml',
];

describe('importing pySigma pipelines and converting with them (golden SPL)', () => {
  for (const name of ['sysmon-splunk-ta.yml', 'windows-audit-index.yml', 'ecs-winlog.yml'])
    it(name, (ctx) => {
      const p = spec(name);
      const out = CORPUS_RULES.map((f) => {
        const r = rule(fs.readFileSync(path.join(WIN, f), 'utf8'));
        return `# ${f}\n${spl(r, p)}\n`;
      }).join('\n');
      expectGolden(ctx, path.join(DIR, 'golden', name.replace(/\.yml$/, '.spl')), out);
    });
});

const HEAD = 'title: t\nlogsource: {product: windows, category: process_creation}\ndetection:\n';

describe('imported transformations mean what they mean in pySigma', () => {
  it('detects the format and reads ids, conditions and vars into a Sigil spec', () => {
    const p = spec('ecs-winlog.yml');
    expect(p.name).toBe('winlogbeat event data');
    expect(p.vars).toEqual({ admin_users: ['admin', 'Administrator'] });
    expect(p.transformations.map((t) => t.type)).toEqual([
      'expand_placeholders',
      'drop_fields',
      'replace_regex',
      'replace_regex',
      'field_rename',
      'field_rename',
      'field_map',
    ]);
    // A Sigil pipeline file is still read as one.
    const sigil = loadPipelineSpec(
      'name: x\ndescription: d\ntransformations:\n  - type: add_condition\n    conditions: {a: 1}\n',
    );
    expect(sigil.diagnostics).toEqual([]);
    expect(sigil.spec?.transformations).toEqual([{ type: 'add_condition', conditions: { a: 1 } }]);
  });

  it('field_name_prefix_mapping, then field_name_prefix on the fields an exclude_fields condition leaves', () => {
    const p = spec('ecs-winlog.yml');
    const q = spl(
      rule(`${HEAD}  sel:\n    ParentCommandLine: a\n    CurrentDirectory: b\n    EventID: 1\n  condition: sel\n`),
      p,
    );
    expect(q).toContain('process.parent.CommandLine="a"');
    expect(q).toContain('winlog.event_data.CurrentDirectory="b"');
    expect(q).toContain('winlog.event_id=1');
  });

  it('drop_detection_item removes the named field where the rule conditions hold', () => {
    const p = spec('ecs-winlog.yml');
    const reg = 'title: t\nlogsource: {product: windows, category: registry_add}\ndetection:\n';
    const r = processRule(rule(`${reg}  sel:\n    EventType: CreateKey\n    TargetObject: x\n  condition: sel\n`), [p]);
    expect(JSON.stringify(r.predicate)).not.toContain('EventType');
    // Elsewhere (process_creation) the field stays.
    const other = processRule(rule(`${HEAD}  sel:\n    EventType: CreateKey\n  condition: sel\n`), [p]);
    expect(JSON.stringify(other.predicate)).toContain('EventType');
  });

  it('replace_string on the whole value rewrites wildcard values as Sigma text; skip_special only literal text', () => {
    const p = spec('ecs-winlog.yml');
    // `\` → `/` over str(value): `*\cmd.exe` becomes `*/cmd.exe` (the wildcard stays one).
    const q = spl(rule(`${HEAD}  sel:\n    Image|endswith: '\\cmd.exe'\n  condition: sel\n`), p);
    expect(q).toBe('winlog.event_data.Image="*/cmd.exe"');
    const reg = 'title: t\nlogsource: {product: windows, category: registry_set}\ndetection:\n';
    const r = processRule(
      rule(
        `${reg}  sel:\n    TargetObject|startswith: 'HKLM\\SOFTWARE\\'\n    Details|contains: 'HKLM\\x'\n  condition: sel\n`,
      ),
      [p],
    );
    // Only TargetObject, and only literal text at the start of a run; the wildcard stays.
    expect(r.predicate).toMatchObject({
      kind: 'and',
      items: [
        { field: 'winlog.event_data.TargetObject', pattern: ['HKEY_LOCAL_MACHINE\\SOFTWARE\\', { wildcard: 'multi' }] },
        { field: 'winlog.event_data.Details', pattern: [{ wildcard: 'multi' }, 'HKLM\\x', { wildcard: 'multi' }] },
      ],
    });
    // The rewritten rule matches what pySigma's would: the evaluator on the renamed field.
    const renamed = processRule(rule(`${HEAD}  sel:\n    Image|endswith: '\\cmd.exe'\n  condition: sel\n`), [p]);
    expect(JSON.stringify(renamed.predicate)).toContain('/cmd.exe');
  });

  it('replace_string on the whole value refuses values it cannot write as Sigma text (C029)', () => {
    const p = spec('ecs-winlog.yml');
    const q = spl(rule(`${HEAD}  sel:\n    Image|windash|contains: '-c'\n  condition: sel\n`), p);
    expect(q).toMatch(/^not expressible: C029 /);
  });

  it('value_placeholders resolve from the pipeline vars', () => {
    const p = spec('ecs-winlog.yml');
    const q = spl(rule(`${HEAD}  sel:\n    User|expand: '%admin_users%'\n  condition: sel\n`), p);
    expect(q).toContain('"admin"');
    expect(q).toContain('"Administrator"');
  });

  it('add_condition: values compare case-insensitively (Sigma strings), a trailing * is a prefix', () => {
    const p = spec('windows-audit-index.yml');
    const r = rule(
      'title: t\nlogsource: {product: windows, service: applocker}\ndetection:\n  sel:\n    EventID: 8004\n  condition: sel\n',
    );
    const processed = processRule(r, [p]);
    expect(processed.filters).toContainEqual({
      kind: 'string',
      field: 'source',
      pattern: ['WinEventLog:Microsoft-Windows-AppLocker/', { wildcard: 'multi' }],
      cased: false,
    });
  });

  it('processing_item_applied follows an earlier add_condition: 4688 field names for process_creation only', () => {
    const p = spec('windows-audit-index.yml');
    expect(spl(rule(`${HEAD}  sel:\n    Image: x\n  condition: sel\n`), p)).toContain('NewProcessName="x"');
    const fc = 'title: t\nlogsource: {product: windows, category: file_event}\ndetection:\n';
    expect(spl(rule(`${fc}  sel:\n    Image: x\n  condition: sel\n`), p)).toContain('Image="x"');
  });

  it('rule_failure and detection_item_failure fail the rule (C004) where they apply', () => {
    const yaml = `name: f
priority: 10
transformations:
  - type: detection_item_failure
    message: no hashes here
    field_name_conditions:
      - type: include_fields
        fields: [Hashes]
  - type: rule_failure
    message: no linux
    rule_conditions:
      - type: logsource
        product: linux
`;
    const p = loadPipelineSpec(yaml).spec!;
    expect(spl(rule(`${HEAD}  sel:\n    Hashes|contains: x\n  condition: sel\n`), p)).toMatch(/C004 .*no hashes here/);
    expect(spl(rule(`${HEAD}  sel:\n    Image: x\n  condition: sel\n`), p)).toBe('Image="x"');
    const linux = 'title: t\nlogsource: {product: linux, category: process_creation}\ndetection:\n';
    expect(spl(rule(`${linux}  sel:\n    Image: x\n  condition: sel\n`), p)).toMatch(/C004 .*no linux/);
  });
});

describe('what Sigil does not import is an error at its place', () => {
  it('names each unsupported transformation, condition and option with file:line:col', () => {
    const r = load('unsupported.yml');
    expect(r.spec).toBeUndefined();
    expect(r.diagnostics.map((d) => `${d.line}:${d.column} ${d.code} ${d.message}`)).toEqual([
      '28:1 C031 pySigma finalizers are not supported (they change the query text after conversion)',
      "6:5 C030 transformation 1 (to_sysmon): pySigma transformation 'change_logsource' is not supported",
      "13:5 C030 transformation 2 (integrity_levels): pySigma transformation 'map_string' is not supported",
      '18:5 C031 transformation 3 (drop_nulls): detection_item_conditions is not supported',
      "26:9 C031 transformation 4 (tagged): rule condition type 'tag' is not supported (only logsource)",
    ]);
    expect(
      r.diagnostics.every((d) => d.file === 'test/pipelines/pysigma/unsupported.yml' && d.severity === 'error'),
    ).toBe(true);
  });

  it('refuses options that change meaning: negated conditions, templates, Python-only regexes, unknown state', () => {
    const one = (t: string): string[] =>
      loadPipelineSpec(`name: x\npriority: 1\ntransformations:\n${t}`).diagnostics.map((d) => `${d.code} ${d.message}`);
    expect(one('  - type: add_condition\n    negated: true\n    conditions: {a: b}\n')).toEqual([
      'C031 transformation 1: add_condition: negated is not supported',
    ]);
    expect(one('  - type: add_condition\n    conditions: {a: "x*y"}\n')[0]).toMatch(
      /C031 .*wildcards or escapes inside/,
    );
    expect(one('  - type: replace_string\n    regex: "(?P<x>a)"\n    replacement: b\n')[0]).toMatch(
      /C031 .*Python-only/,
    );
    expect(one('  - type: set_state\n    key: nosuchkey\n    val: x\n')[0]).toMatch(/C031 .*unknown backend state key/);
    expect(one('  - type: field_name_mapping\n    mapping: {a: b}\n    rule_cond_not: true\n')[0]).toMatch(
      /C031 .*rule_cond_not/,
    );
    expect(
      one(
        '  - type: field_name_mapping\n    mapping: {a: b}\n    rule_conditions:\n      - type: logsource\n        product: windows\n      - type: logsource\n        product: linux\n',
      )[0],
    ).toMatch(/C031 .*can never hold/);
  });

  it('warns (C111) for transformations that only edit the fields: list, and imports the rest', () => {
    const r = load('ecs-winlog.yml');
    expect(r.spec).toBeDefined();
    expect(r.diagnostics.map((d) => `${d.line}:${d.column} ${d.severity} ${d.code}`)).toEqual(['67:5 warning C111']);
  });
});
