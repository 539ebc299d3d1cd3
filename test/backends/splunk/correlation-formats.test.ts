/** Correlations → stats/streamstats; output formats (savedsearches.conf, ESCU YAML). */
import { describe, expect, it } from 'vitest';
import { parse } from '../../../src/parser/index.js';
import { getBackend } from '../../../src/backends/index.js';
import { convertDocument } from '../../../src/convert.js';
import type { CorrelationRule, SigmaDocument, SigmaRule } from '../../../src/ast/types.js';
import type { ConversionSuccess } from '../../../src/backends/types.js';
import { splitPipes } from './spl-reader.js';

const BASE = `title: Failed logon
id: 0e95725d-7320-415d-80f7-004da920fc11
name: failed_logon
status: test
level: medium
tags:
    - attack.credential-access
    - attack.t1110.001
logsource:
    product: windows
    service: security
detection:
    selection:
        EventID: 4625
    condition: selection
---
title: Successful logon
id: 3a2d2b0e-6b7a-4d3e-9c1a-1d5e0f2b9a77
name: success_logon
status: test
level: medium
logsource:
    product: windows
    service: security
detection:
    selection:
        EventID: 4624
        TargetUserName|re: '^adm.*'
    condition: selection
`;

function docs(correlation: string): SigmaDocument[] {
  const r = parse(BASE + '---\n' + correlation, { schema: false });
  return r.documents.map((d) => {
    if (!d.document) throw new Error(d.diagnostics.map((x) => x.message).join('; '));
    return d.document;
  });
}

function convert(correlation: string) {
  const all = docs(correlation);
  const lookup = (k: string) => all.find((d) => d.id === k || d.name === k);
  return convertDocument(all[all.length - 1]!, { target: 'splunk', pipelines: ['splunk-windows'], lookup });
}

const corr = (body: string): string =>
  `title: Correlated\nid: 9f0c9e3e-5f4e-4c1e-8a57-2c1a8b1d9e01\nstatus: test\nlevel: high\ncorrelation:\n${body.replace(/^/gm, '    ')}\n`;

describe('correlations', () => {
  it('event_count with a lower bound: sliding window (streamstats time_window)', () => {
    const r = convert(
      corr(
        'type: event_count\nrules:\n    - failed_logon\ngroup-by:\n    - TargetUserName\ntimespan: 5m\ncondition:\n    gte: 10',
      ),
    );
    expect(r.ok && r.queries[0]).toBe(
      'index=* source="WinEventLog:Security" EventCode=4625 | streamstats time_window=5m count as sigil_event_count by TargetUserName | where sigil_event_count>=10',
    );
    expect(r.warnings).toEqual([]);
  });
  it('event_count with an upper bound: fixed buckets and warning C102', () => {
    const r = convert(
      corr(
        'type: event_count\nrules:\n    - failed_logon\ngroup-by:\n    - TargetUserName\ntimespan: 1h\ncondition:\n    lt: 3',
      ),
    );
    expect(r.ok && r.queries[0]).toBe(
      'index=* source="WinEventLog:Security" EventCode=4625 | bin _time span=1h | stats count as sigil_event_count by TargetUserName _time | where sigil_event_count<3',
    );
    expect(r.warnings.map((w) => w.code)).toEqual(['C102']);
  });
  it('value_count: distinct count of the condition field', () => {
    const r = convert(
      corr(
        'type: value_count\nrules:\n    - failed_logon\ngroup-by:\n    - IpAddress\ntimespan: 10m\ncondition:\n    field: TargetUserName\n    gt: 20',
      ),
    );
    expect(r.ok && r.queries[0]).toBe(
      'index=* source="WinEventLog:Security" EventCode=4625 | streamstats time_window=10m dc(TargetUserName) as sigil_value_count by IpAddress | where sigil_value_count>20',
    );
  });
  it('temporal: multisearch over both rules, sliding distinct count of rules; aliases become evals', () => {
    const r = convert(
      corr(
        'type: temporal\nrules:\n    - failed_logon\n    - success_logon\naliases:\n    user:\n        failed_logon: TargetUserName\n        success_logon: TargetUserName\ngroup-by:\n    - user\ntimespan: 30s',
      ),
    );
    expect(r.ok).toBe(true);
    const q = (r as ConversionSuccess).queries[0]!;
    expect(q).toBe(
      '| multisearch [search index=* source="WinEventLog:Security" EventCode=4625 | eval user=TargetUserName | eval sigil_rule="failed_logon"] [search index=* source="WinEventLog:Security" EventCode=4624 | regex TargetUserName="^adm.*" | eval user=TargetUserName | eval sigil_rule="success_logon"] | sort 0 _time | streamstats time_window=30s dc(sigil_rule) as sigil_rule_count by user | where sigil_rule_count>=2',
    );
    expect(() => splitPipes(q)).not.toThrow();
  });
  it('temporal_ordered with two rules: in time order, a second-rule event with a first-rule event in its window', () => {
    const r = convert(
      corr(
        'type: temporal_ordered\nrules:\n    - failed_logon\n    - success_logon\ngroup-by:\n    - TargetUserName\ntimespan: 5m',
      ),
    );
    expect(r.ok && r.queries[0]).toContain(
      '| sort 0 _time | streamstats time_window=5m count(eval(sigil_rule="failed_logon")) as sigil_first_count by TargetUserName | where sigil_rule=="success_logon" AND sigil_first_count>0',
    );
    expect(r.warnings).toEqual([]);
  });
  it('a correlation whose base rule cannot be converted is reported (C011)', () => {
    const all = docs(corr('type: event_count\nrules:\n    - missing_rule\ntimespan: 5m\ncondition:\n    gte: 2'));
    const r = convertDocument(all[2]!, { target: 'splunk', lookup: () => undefined });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.errors[0]!.code).toBe('C011');
  });
});

describe('output formats', () => {
  const backend = getBackend('splunk')!;
  const rule = docs(
    corr('type: event_count\nrules:\n    - failed_logon\ntimespan: 5m\ncondition:\n    gte: 10'),
  )[0] as SigmaRule;
  const result = convertDocument(rule, { target: 'splunk' }) as ConversionSuccess;
  it('lists plain, savedsearches, macros and app (no escu: contentctl refuses a lone detection file)', () =>
    expect(backend.formats.map((f) => f.name)).toEqual(['query', 'savedsearches', 'macros', 'app']));
  it('savedsearches: a scheduled ES correlation search with notable and risk actions and ATT&CK annotations', () => {
    const text = backend.formats[1]!.render(result, rule, {}).text;
    const lines = text.split('\n');
    expect(lines[0]).toBe('# Sigma rule 0e95725d-7320-415d-80f7-004da920fc11');
    expect(lines[1]).toBe('[Failed logon]');
    const kv = Object.fromEntries(
      lines
        .slice(1)
        .filter((l) => l.includes(' = '))
        .map((l) => l.split(' = ') as [string, string]),
    );
    expect(kv['search']).toBe('index=* source="WinEventLog:Security" EventCode=4625');
    expect(kv['enableSched']).toBe('1');
    expect(kv['cron_schedule']).toBe('*/10 * * * *');
    expect(kv['dispatch.earliest_time']).toBe('-10m@m');
    expect(kv['dispatch.latest_time']).toBe('now');
    expect(kv['action.correlationsearch.enabled']).toBe('1');
    expect(JSON.parse(kv['action.correlationsearch.annotations']!)).toEqual({ mitre_attack: ['T1110.001'] });
    expect(kv['action.notable.param.severity']).toBe('medium');
    // ES's current risk parameter; a raw Windows search carries the add-on's dest and user.
    expect(kv['action.risk.param._risk_score']).toBeUndefined();
    expect(kv['action.risk.param._risk_object']).toBeUndefined();
    expect(JSON.parse(kv['action.risk.param._risk']!)).toEqual([
      { risk_object_field: 'dest', risk_object_type: 'system', risk_score: 50 },
      { risk_object_field: 'user', risk_object_type: 'user', risk_score: 50 },
    ]);
    expect(backend.formats[1]!.render(result, rule, { cron_schedule: '0 * * * *' }).text).toContain(
      'cron_schedule = 0 * * * *',
    );
  });
  it('savedsearches: a correlation ending in stats names only group-by fields as risk objects', () => {
    const all = docs(
      corr(
        'type: event_count\nrules:\n    - failed_logon\ngroup-by:\n    - Computer\n    - IpAddress\ntimespan: 1h\ncondition:\n    lt: 3',
      ),
    );
    const c = all[all.length - 1]!;
    const r = convertDocument(c, { target: 'splunk', lookup: (k) => all.find((d) => d.name === k) });
    expect(r.ok).toBe(true);
    const stanza = backend.formats[1]!.render(r as ConversionSuccess, c as CorrelationRule, {}).text;
    const risk = JSON.parse(/^action\.risk\.param\._risk = (.*)$/m.exec(stanza)![1]!) as Record<string, string>[];
    const search = /^search = (.*)$/m.exec(stanza)![1]!;
    // Only the by-fields of the final stats remain in the results.
    expect(search).toMatch(/\| stats .* by Computer,? IpAddress/);
    expect(risk).toEqual([
      { risk_object_field: 'Computer', risk_object_type: 'system', risk_score: 75 },
      { threat_object_field: 'IpAddress', threat_object_type: 'ip_address' },
    ]);
  });
  it('savedsearches: multi-line values are continued with a backslash', () => {
    const multi = { ...rule, description: 'line one\nline two' };
    expect(backend.formats[1]!.render(result, multi, {}).text).toContain('description = line one \\\nline two');
  });
});

describe('splunk-windows settings', () => {
  const rule = docs(corr('type: event_count\nrules:\n    - failed_logon\ntimespan: 5m\ncondition:\n    gte: 10'))[0]!;
  const q = (options: Record<string, string>) => {
    const r = convertDocument(rule, { target: 'splunk', options });
    return r.ok ? r.queries[0] : r.errors[0]!.message;
  };
  it('source convention classic (default), xml, legacy', () => {
    expect(q({})).toBe('index=* source="WinEventLog:Security" EventCode=4625');
    expect(q({ source_convention: 'xml' })).toBe(
      'index=* sourcetype="XmlWinEventLog" source="XmlWinEventLog:Security" EventCode=4625',
    );
    expect(q({ 'source-convention': 'legacy' })).toBe('index=* sourcetype="WinEventLog:Security" EventCode=4625');
    expect(q({ source_convention: 'bogus' })).toContain("unknown source_convention 'bogus'");
  });
  it('index is a setting', () =>
    expect(q({ index: 'wineventlog' })).toBe('index=wineventlog source="WinEventLog:Security" EventCode=4625'));
  it('non-Windows logsources are reported, not guessed', () => {
    const linux = parse(
      'title: L\nlogsource:\n    product: linux\n    service: auditd\ndetection:\n    s:\n        type: EXECVE\n    condition: s\n',
      { schema: false },
    ).documents[0]!.document!;
    // splunk-windows covers Windows only; the default pipeline (splunk) scopes it by a macro (sources.test.ts).
    const r = convertDocument(linux, { target: 'splunk', pipelines: ['splunk-windows'] });
    expect(!r.ok && r.errors[0]!.code).toBe('C001');
  });
  it('windows ETW-only categories are reported, the product-only logsource searches every channel', () => {
    const fa = parse(
      'title: F\nlogsource:\n    product: windows\n    category: file_access\ndetection:\n    s:\n        FileName: x\n    condition: s\n',
      { schema: false },
    ).documents[0]!.document!;
    expect(convertDocument(fa, { target: 'splunk' }).ok).toBe(false);
    const any = parse(
      "title: K\nlogsource:\n    product: windows\ndetection:\n    k:\n        - 'mimikatz'\n    condition: k\n",
      { schema: false },
    ).documents[0]!.document!;
    const r = convertDocument(any, { target: 'splunk' });
    expect(r.ok && r.queries[0]).toBe('index=* source="WinEventLog:*" "*mimikatz*"');
  });
});
