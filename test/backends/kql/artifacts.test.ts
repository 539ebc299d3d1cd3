/**
 * The KQL artifacts' ids, deployment settings (`.sigil.yml` `artifacts:` and a rule's
 * `sigil: { artifacts: … }`), and the consumer checks themselves (they must fail what their
 * consumer refuses, or the corpus test proves nothing).
 */
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { SigmaRule } from '../../../src/ast/types.js';
import { getBackend } from '../../../src/backends/index.js';
import { parseDuration, isoDuration, shortDuration } from '../../../src/backends/settings.js';
import { templateId, uuidV5 } from '../../../src/backends/kql/template-id.js';
import type { ArtifactDefaults, ConversionSuccess } from '../../../src/backends/types.js';
import { convertDocument } from '../../../src/convert.js';
import { parse } from '../../../src/parser/index.js';
import { expectGolden } from '../../helpers/golden.js';
import { armProblems, defenderProblems, sentinelTemplateProblems } from './consumer-checks.js';

const HERE = path.dirname(new URL(import.meta.url).pathname);
const kql = getBackend('kql')!;

const RULE = `title: Whoami Run By A Service Account
id: 0f0c7a2e-6d1b-4a8e-9a55-3c2b1d0e9f71
status: test
description: whoami.exe run by a service account.
tags:
    - attack.discovery
    - attack.t1033
logsource:
    category: process_creation
    product: windows
detection:
    selection:
        Image|endswith: '\\whoami.exe'
    condition: selection
level: medium
`;

const ruleOf = (text: string): SigmaRule => {
  const d = parse(text, { file: 'rule.yml' }).documents[0]!;
  expect(d.diagnostics.filter((x) => x.severity === 'error')).toEqual([]);
  return d.document as SigmaRule;
};

function artifact(
  format: string,
  pipeline: string,
  rule: SigmaRule,
  defaults?: ArtifactDefaults,
): { text?: string; error?: { code: string; message: string; line?: number; column?: number } } {
  const res = convertDocument(rule, { target: 'kql', pipelines: [pipeline] });
  expect(res.ok).toBe(true);
  const f = kql.formats.find((x) => x.name === format)!;
  const e = f.check?.(res as ConversionSuccess, rule, defaults);
  if (e)
    return {
      error: { code: e.code, message: e.message, ...(e.loc ? { line: e.loc.line, column: e.loc.column } : {}) },
    };
  return { text: f.render(res as ConversionSuccess, rule, {}, defaults).text };
}

const withSettings = (settings: string): SigmaRule => ruleOf(RULE + `sigil:\n    artifacts:\n${settings}`);

describe('artifact ids', () => {
  it('UUID v5 matches RFC 9562 (DNS namespace, www.example.com)', () => {
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe(
      '2ed6657d-e927-568b-95e1-2665a8aea6a2',
    );
  });

  it('one rule gets one id per pipeline and format, the same each time; the Sigma id stays as data', () => {
    const rule = ruleOf(RULE);
    const ids = ['sentinel', 'sentinel-asim'].flatMap((p) =>
      ['sentinel-rule', 'sentinel-arm'].map((f) => templateId(rule.id!, [p], f)),
    );
    expect(new Set(ids).size).toBe(4);
    expect(templateId(rule.id!, ['sentinel'], 'sentinel-rule')).toBe(ids[0]);
    const a = parseYaml(artifact('sentinel-rule', 'sentinel', rule).text!) as Record<string, unknown>;
    const b = parseYaml(artifact('sentinel-rule', 'sentinel-asim', rule).text!) as Record<string, unknown>;
    expect(a['id']).not.toBe(b['id']);
    expect(a['sigma']).toEqual({ id: rule.id, pipelines: ['sentinel'], format: 'sentinel-rule' });
    const arm = JSON.parse(artifact('sentinel-arm', 'sentinel', rule).text!) as {
      metadata: { sigma: { id: string } };
      resources: { name: string }[];
    };
    expect(arm.metadata.sigma.id).toBe(rule.id);
    expect(arm.resources[0]!.name).toContain(templateId(rule.id!, ['sentinel'], 'sentinel-arm'));
  });
});

describe('durations', () => {
  it('reads the short and the ISO 8601 forms, and refuses what Sentinel has no use for', () => {
    expect(parseDuration('30m')).toBe(30);
    expect(parseDuration('1h')).toBe(60);
    expect(parseDuration('14d')).toBe(14 * 1440);
    expect(parseDuration('PT1H30M')).toBe(90);
    expect(parseDuration('P1DT2H')).toBe(26 * 60);
    for (const bad of ['P1W', 'P1M', 'PT30S', 'PT', 'P', '1.5h', 'h', '', 'PT1.5H'])
      expect(parseDuration(bad), bad).toBeUndefined();
    expect(shortDuration(90)).toBe('90m');
    expect(shortDuration(1440)).toBe('1d');
    expect(isoDuration(26 * 60 + 5)).toBe('P1DT2H5M');
    expect(isoDuration(60)).toBe('PT1H');
  });
});

const SETTINGS = `        sentinel-rule:
            queryFrequency: 30m
            queryPeriod: PT2H
            triggerOperator: gt
            triggerThreshold: 2
            severity: High
            suppression: {enabled: true, duration: 6h}
            grouping:
                matchingMethod: Selected
                groupByEntities: [Host, Account]
                lookbackDuration: 1d
            eventGrouping: AlertPerResult
            customDetails:
                Parent: ParentProcessName
        defender-detection:
            frequency: 3h
            severity: low
`;

describe('settings from the rule (sigil: { artifacts: … }) and from .sigil.yml (golden)', () => {
  it('the parser keeps the settings in the AST, with the position of each value', () => {
    const rule = withSettings(SETTINGS);
    expect(rule.custom['sigil']).toMatchObject({ artifacts: { 'sentinel-rule': { queryFrequency: '30m' } } });
    expect(rule.locs['sigil.artifacts.sentinel-rule.queryFrequency']).toMatchObject({ line: 19, column: 29 });
  });

  for (const [format, pipeline, ext] of [
    ['sentinel-rule', 'sentinel-asim', 'yaml'],
    ['sentinel-arm', 'sentinel-asim', 'json'],
    ['defender-detection', 'defender-xdr', 'json'],
  ] as const)
    it(`${format}: from the rule's own settings`, (ctx) => {
      const out = artifact(format, pipeline, withSettings(SETTINGS));
      expect(out.error).toBeUndefined();
      const parsed = ext === 'yaml' ? parseYaml(out.text!) : JSON.parse(out.text!);
      if (format === 'sentinel-rule') expect(sentinelTemplateProblems(parsed, () => true)).toEqual([]);
      if (format === 'sentinel-arm') expect(armProblems(parsed, () => true)).toEqual([]);
      if (format === 'defender-detection') expect(defenderProblems(parsed)).toEqual([]);
      expectGolden(ctx, path.join(HERE, `golden/settings/rule.${format}.${ext}`), out.text!);
    });

  it('sentinel-rule: .sigil.yml defaults, overridden by the rule where it says so', (ctx) => {
    const defaults = {
      'sentinel-rule': { queryFrequency: '1d', queryPeriod: '2d', triggerThreshold: 5, severity: 'Low' },
    };
    const plain = parseYaml(artifact('sentinel-rule', 'sentinel', ruleOf(RULE), defaults).text!) as Record<
      string,
      unknown
    >;
    expect(plain).toMatchObject({ queryFrequency: '1d', queryPeriod: '2d', triggerThreshold: 5, severity: 'Low' });
    const own = artifact(
      'sentinel-rule',
      'sentinel',
      withSettings('        sentinel-rule:\n            severity: High\n'),
      defaults,
    ).text!;
    expect(parseYaml(own)).toMatchObject({ queryFrequency: '1d', severity: 'High' });
    expectGolden(ctx, path.join(HERE, 'golden/settings/config.sentinel-rule.yaml'), own);
  });
});

describe('invalid settings: a located per-rule error (C038, C039)', () => {
  const cases: [string, string, string, number][] = [
    ['a duration Sentinel rejects', '        sentinel-rule:\n            queryPeriod: P1W\n', 'not a duration', 19],
    ['frequency under 5 minutes', '        sentinel-rule:\n            queryFrequency: 1m\n', 'outside', 19],
    ['period over 14 days', '        sentinel-rule:\n            queryPeriod: 15d\n', 'outside', 19],
    [
      'frequency longer than period',
      '        sentinel-rule:\n            queryFrequency: 2h\n            queryPeriod: 1h\n',
      'longer than queryPeriod',
      19,
    ],
    [
      'suppression over 24 hours',
      '        sentinel-rule:\n            suppression: {enabled: true, duration: 25h}\n',
      'outside',
      19,
    ],
    [
      'an unknown key',
      '        sentinel-rule:\n            queryFrequncy: 1h\n',
      "unknown setting 'queryFrequncy'",
      19,
    ],
    [
      'an unknown format',
      '        sentinel-rules:\n            queryPeriod: 1h\n',
      "unknown setting 'sentinel-rules'",
      19,
    ],
    ['a threshold out of range', '        sentinel-rule:\n            triggerThreshold: 10001\n', '0 … 10000', 19],
  ];
  for (const [what, settings, message, line] of cases)
    it(what, () => {
      const { error } = artifact('sentinel-rule', 'sentinel', withSettings(settings));
      expect(error?.code).toBe('C038');
      expect(error?.message).toContain(message);
      expect(error?.line).toBe(line);
      expect(error?.column).toBeGreaterThan(1);
      // The ARM template reads the same settings.
      expect(artifact('sentinel-arm', 'sentinel', withSettings(settings)).error?.code).toBe('C038');
    });

  it('Defender: a schedule Graph does not offer', () => {
    const { error } = artifact(
      'defender-detection',
      'defender-xdr',
      withSettings('        defender-detection:\n            frequency: 2h\n'),
    );
    expect(error).toMatchObject({ code: 'C038', line: 19 });
    expect(error!.message).toContain('not a schedule');
  });

  it("a Defender section's problem is not a Sentinel artifact's", () => {
    const rule = withSettings('        defender-detection:\n            frequency: 2h\n');
    expect(artifact('sentinel-rule', 'sentinel', rule).error).toBeUndefined();
  });

  it('a custom detail naming a column the results do not carry (C039)', () => {
    const { error } = artifact(
      'sentinel-rule',
      'sentinel-asim',
      withSettings('        sentinel-rule:\n            customDetails:\n                Parent: NoSuchColumn\n'),
    );
    expect(error).toMatchObject({ code: 'C039', line: 20 });
  });

  it('an invalid default given through the library API (no file to point at)', () => {
    const { error } = artifact('sentinel-rule', 'sentinel', ruleOf(RULE), { 'sentinel-rule': { queryPeriod: '30s' } });
    expect(error?.code).toBe('C038');
    expect(error?.message).toContain('artifacts.sentinel-rule.queryPeriod');
  });

  it('frequency and period valid alone but not together across .sigil.yml and the rule', () => {
    const { error } = artifact(
      'sentinel-rule',
      'sentinel',
      withSettings('        sentinel-rule:\n            queryPeriod: 30m\n'),
      { 'sentinel-rule': { queryFrequency: '1h' } },
    );
    expect(error?.code).toBe('C038');
  });
});

describe('the consumer checks refuse what their consumer refuses', () => {
  const good = (): Record<string, unknown> =>
    parseYaml(artifact('sentinel-rule', 'sentinel', ruleOf(RULE)).text!) as Record<string, unknown>;

  it('a written template passes', () => expect(sentinelTemplateProblems(good(), () => true)).toEqual([]));

  const broken: [string, (d: Record<string, unknown>) => void, string][] = [
    ['an empty entity mapping list', (d) => (d['entityMappings'] = []), '0 entity mappings'],
    [
      'an identifier the entity type does not have',
      (d) => (d['entityMappings'] = [{ entityType: 'Host', fieldMappings: [{ identifier: 'Name', columnName: 'X' }] }]),
      'invalid identifier',
    ],
    [
      'six entity mappings',
      (d) =>
        (d['entityMappings'] = Array.from({ length: 6 }, () => ({
          entityType: 'IP',
          fieldMappings: [{ identifier: 'Address', columnName: 'IpAddress' }],
        }))),
      '6 entity mappings',
    ],
    ['a query over 10,000 characters', (d) => (d['query'] = 'x'.repeat(10_001)), 'query of 10001'],
    ['search *', (d) => (d['query'] = 'search * | where x == 1'), 'search *'],
    ['a frequency longer than the period', (d) => ((d['queryFrequency'] = '2h'), (d['queryPeriod'] = '1h')), 'shorter'],
    ['a technique without its tactic', (d) => ((d['tactics'] = []), (d['relevantTechniques'] = ['T1033'])), 'T1033'],
    ['a non-GUID id', (d) => (d['id'] = 'abc'), 'not a GUID'],
  ];
  for (const [what, change, problem] of broken)
    it(what, () => {
      const d = good();
      change(d);
      expect(sentinelTemplateProblems(d, (c) => c !== 'X').join('; ')).toContain(problem);
    });

  it('a column the results do not carry', () => {
    expect(sentinelTemplateProblems(good(), () => false).join('; ')).toContain('is not in the results');
  });

  it('Defender: an impacted asset whose column the query does not return', () => {
    const d = JSON.parse(artifact('defender-detection', 'defender-xdr', ruleOf(RULE)).text!) as {
      queryCondition: { queryText: string };
    };
    expect(defenderProblems(d as unknown as Record<string, unknown>)).toEqual([]);
    d.queryCondition.queryText = d.queryCondition.queryText.replace(', AccountSid', '');
    expect(defenderProblems(d as unknown as Record<string, unknown>).join('; ')).toContain('accountSid');
  });
});
