import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Ajv } from 'ajv';
// A CommonJS module: under NodeNext its default import is `module.exports`, whose `default` is the plugin.
import ajvFormats from 'ajv-formats';
import { toGithub, toJson, toSarif } from '../../src/lint/output.js';
import { lintTexts, rule } from './helpers.js';
import { SHARED } from '../helpers/paths.js';

const noisy = rule({
  title: 'title: Detects PowerShell',
  detection: "detection:\n    selection:\n        Image|endswith: '\\powershell.exe'\n    condition: selection",
});
const broken = 'title: x\nlogsource: [\n';

describe('lint outputs', () => {
  const report = lintTexts([
    { file: 'rules/win/noisy.yml', text: noisy },
    { file: 'rules/bad name.yml', text: broken },
    { file: 'rules/ok.yml', text: rule({ id: 'id: 9b0e61a2-54f5-4c6f-bd9e-7d8d5c4b3a21', title: 'title: Other' }) },
  ]);

  it('SARIF validates against the SARIF 2.1.0 schema, with rules, help and relative physical locations', () => {
    const schema = JSON.parse(fs.readFileSync(`${SHARED}/schemas/sarif-schema-2.1.0.json`, 'utf8'));
    // The schema's own language-tag pattern is not valid as a Unicode regex: compile patterns without the u flag.
    const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
    ajvFormats.default(ajv);
    const validate = ajv.compile(schema);
    const sarif = JSON.parse(toSarif(report, '0.1.0'));
    const ok = validate(sarif);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    expect(sarif.runs).toHaveLength(1);
    const run = sarif.runs[0];
    const ids = run.tool.driver.rules.map((r: { id: string }) => r.id);
    expect(ids).toContain('M004');
    expect(ids).toContain('N001');
    expect(ids).toContain('P002');
    const m004 = run.tool.driver.rules.find((r: { id: string }) => r.id === 'M004');
    expect(m004.helpUri).toMatch(/M004\.md$/);
    expect(m004.help.markdown).toContain('## Why');
    const res = run.results.find((r: { ruleId: string }) => r.ruleId === 'M004');
    expect(res.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: 'rules/win/noisy.yml' },
      region: { startLine: 1, startColumn: 8 },
    });
    expect(
      run.results.find((r: { ruleId: string }) => r.ruleId === 'P002').locations[0].physicalLocation.artifactLocation
        .uri,
    ).toBe('rules/bad%20name.yml');
    for (const r of run.results) expect(run.tool.driver.rules[r.ruleIndex].id).toBe(r.ruleId);
  });

  it('JSON has per rule its file, id, findings and noise object', () => {
    const json = JSON.parse(toJson(report));
    const d = json.documents.find((x: { file: string }) => x.file === 'rules/win/noisy.yml');
    expect(d.id).toBe('3c1b2f0e-8a4d-4e5b-9c6d-7e8f9a0b1c2d');
    expect(d.findings.map((f: { code: string }) => f.code)).toContain('M004');
    expect(d.noise.level).toBe('high');
    expect(d.noise.explanation).toMatch(
      /^selection: Image endswith '\\powershell\.exe' is used by \d+ other rules(, in [\d.]+ % of benign events with such a value)? and alone matches common activity \(powershell\.exe runs on every machine\); no other indicator narrows this branch/,
    );
    expect(Object.keys(d.noise).sort()).toEqual(['explanation', 'level', 'score']);
    expect(json.fileFindings[0].code).toBe('P002');
  });

  it('GitHub annotations name file, line, column and the code', () => {
    const gh = toGithub(report).split('\n');
    expect(gh).toContain(
      '::warning file=rules/win/noisy.yml,line=1,col=8,title=M004 title-start::The title starts with \'Detects\'.%0AHint: Name the behaviour, e.g. "Certutil Decode".',
    );
    expect(
      gh.some((l) => l.startsWith('::error file=rules/bad name.yml,line=3,col=1,title=P002 parse::YAML syntax error')),
    ).toBe(true);
  });
});
