/**
 * Splunk saved-search settings per rule (issue 20): `.sigil.yml` (`artifacts: savedsearches:`)
 * sets the defaults, `--set` overrides them for a run, and a rule's own `sigil: artifacts:
 * savedsearches:` overrides both. Checked by reading the stanza back with a conf parser; invalid
 * values are a per-rule error (C038) at the value's line and column.
 */
import { describe, expect, it } from 'vitest';
import type { SigmaRule } from '../../../src/ast/types.js';
import { getBackend } from '../../../src/backends/index.js';
import type { ArtifactDefaults, ConversionSuccess } from '../../../src/backends/types.js';
import { convertDocument } from '../../../src/convert.js';
import { parse } from '../../../src/parser/index.js';
import { readConf } from '../../helpers/conf-reader.js';

const RULE = `title: Wmic Spawned
id: 2c4d8f3a-9b1e-4c7d-8e2f-5a6b7c8d9e0f
status: test
description: wmic runs
author: Sigil
date: 2026-12-04
logsource:
    category: process_creation
    product: windows
detection:
    selection:
        Image|endswith: '\\wmic.exe'
    condition: selection
level: medium
`;
const withSettings = (settings: string): SigmaRule =>
  parse(RULE + `sigil:\n    artifacts:\n        savedsearches:\n${settings}`).documents[0]!.document as SigmaRule;

const format = getBackend('splunk')!.formats.find((f) => f.name === 'savedsearches')!;
const stanza = (rule: SigmaRule, options: Record<string, string> = {}, defaults?: ArtifactDefaults) => {
  const r = convertDocument(rule, { target: 'splunk', pipelines: ['splunk-windows'], options });
  expect(r.ok).toBe(true);
  const result = r as ConversionSuccess;
  const problem = format.check?.(result, rule, defaults);
  if (problem) return { problem };
  const conf = readConf(format.render(result, rule, options, defaults).text);
  return { keys: Object.fromEntries(conf.stanzas[0]!.settings) };
};

describe('savedsearches settings', () => {
  it('keeps the defaults without settings', () => {
    const { keys } = stanza(parse(RULE).documents[0]!.document as SigmaRule);
    expect(keys).toMatchObject({ cron_schedule: '*/10 * * * *', 'alert.suppress': '0', enableSched: '1' });
  });

  it('reads schedule, severity, suppression and enabled from the rule', () => {
    const rule = withSettings(
      "            cron_schedule: '*/5 * * * *'\n            earliest_time: '-70m@m'\n            severity: high\n            enabled: false\n            suppression:\n                duration: 2h\n                fields: [dest, user]\n",
    );
    const { keys } = stanza(rule);
    expect(keys).toMatchObject({
      cron_schedule: '*/5 * * * *',
      'dispatch.earliest_time': '-70m@m',
      enableSched: '0',
      'alert.suppress': '1',
      'alert.suppress.period': '120m',
      'alert.suppress.fields': 'dest,user',
      'action.notable.param.severity': 'high',
    });
  });

  it('takes the rule over --set, and --set over .sigil.yml', () => {
    const defaults = { savedsearches: { cron_schedule: '0 * * * *', latest_time: '-1m@m' } };
    const plain = parse(RULE).documents[0]!.document as SigmaRule;
    expect(stanza(plain, {}, defaults).keys).toMatchObject({
      cron_schedule: '0 * * * *',
      'dispatch.latest_time': '-1m@m',
    });
    expect(stanza(plain, { cron_schedule: '*/15 * * * *' }, defaults).keys).toMatchObject({
      cron_schedule: '*/15 * * * *',
    });
    const own = withSettings("            cron_schedule: '*/2 * * * *'\n");
    expect(stanza(own, { cron_schedule: '*/15 * * * *' }, defaults).keys).toMatchObject({
      cron_schedule: '*/2 * * * *',
    });
  });

  it('refuses invalid values with C038 at their position', () => {
    const bad = withSettings("            cron_schedule: 'every minute'\n");
    const { problem } = stanza(bad);
    expect(problem).toMatchObject({ code: 'C038' });
    expect(problem!.message).toMatch(/cron_schedule/);
    expect(problem!.loc?.line).toBe(18);
    expect(stanza(withSettings('            earliest_time: yesterday\n')).problem?.code).toBe('C038');
    expect(stanza(withSettings('            colour: red\n')).problem?.message).toMatch(/unknown setting/);
  });
});
