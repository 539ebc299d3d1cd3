/**
 * Exports of log shippers read like EVTX records: nxlog's flat objects (OTRF Security-Datasets)
 * and Winlogbeat's get the EVTX header names, keep their own, and lose nxlog's quirks.
 */
import { describe, expect, it } from 'vitest';
import { normalizeEvent } from '../../src/eval/event-shapes.js';
import { compileRule } from '../../src/eval/compile.js';
import { parse } from '../../src/parser/index.js';
import type { SigmaRule } from '../../src/ast/types.js';

const SYSMON = 'Microsoft-Windows-Sysmon/Operational';

function rule(detection: string, logsource = 'category: registry_set\n  product: windows'): SigmaRule {
  const text = `title: t\nlogsource:\n  ${logsource}\ndetection:\n${detection}\n`;
  const doc = parse(text).documents[0]!.document;
  if (doc?.kind !== 'rule') throw new Error('fixture does not parse');
  return doc;
}

describe('nxlog flat objects (OTRF)', () => {
  const nx = {
    SourceName: 'Microsoft-Windows-Sysmon',
    SourceModuleType: 'im_msvistalog',
    Channel: SYSMON,
    EventID: 13,
    Hostname: 'HR001.shire.com',
    RecordNumber: 202752,
    ProviderGuid: '{5770385F-C22A-43E0-BF4C-06F5698FFBD9}',
    ExecutionProcessID: 3144,
    EventType: 'INFO',
    ProcessID: 3144,
    Image: '&lt;unknown process&gt;',
    Message: 'Registry value set:\r\nRuleName: \r\nEventType: SetValue\r\nProcessId: 2636\r\nImage: <unknown process>',
  };

  it('gets the EVTX header names beside its own', () => {
    const e = normalizeEvent(nx);
    expect(e).toMatchObject({
      Provider_Name: 'Microsoft-Windows-Sysmon',
      SourceName: 'Microsoft-Windows-Sysmon',
      Computer: 'HR001.shire.com',
      EventRecordID: 202752,
      Provider_Guid: '{5770385F-C22A-43E0-BF4C-06F5698FFBD9}',
      Execution_ProcessID: 3144,
    });
  });

  it("restores Sysmon's EventType and ProcessId from the message, and unescapes XML entities", () => {
    const e = normalizeEvent(nx);
    expect(e['EventType']).toBe('SetValue');
    expect(e['ProcessId']).toBe('2636');
    expect(e['Image']).toBe('<unknown process>');
    // The message is the rendered text: left as it is.
    expect(e['Message']).toBe(nx.Message);
    expect(
      compileRule(rule('  sel:\n    EventType: SetValue\n    Image: <unknown process>\n  condition: sel')).matches(nx),
    ).toBe(true);
  });

  it("keeps a Sysmon EventType nxlog did not overwrite, and a non-Sysmon event's own", () => {
    expect(normalizeEvent({ ...nx, EventType: 'CreateKey' })['EventType']).toBe('CreateKey');
    expect(normalizeEvent({ ...nx, Channel: 'Security', EventType: 'AUDIT_SUCCESS' })['EventType']).toBe(
      'AUDIT_SUCCESS',
    );
    // No message to restore from: nxlog's record type is not Sysmon's, so there is no EventType.
    const { Message: _m, ...bare } = nx;
    expect(normalizeEvent(bare)['EventType']).toBeUndefined();
  });

  it('a plain flat object is still taken as it is', () => {
    const flat = { Channel: 'Security', EventID: 4624 };
    expect(normalizeEvent(flat)).toBe(flat);
  });
});

describe('Winlogbeat', () => {
  it('6.x: log_name, event_id, computer_name and event_data', () => {
    const e = normalizeEvent({
      event_id: 7036,
      log_name: 'System',
      computer_name: 'HFDC01.shire.com',
      source_name: 'Service Control Manager',
      record_number: '19819',
      event_data: { param1: 'Software Protection', param2: 'running' },
    });
    expect(e).toMatchObject({
      EventID: 7036,
      Channel: 'System',
      Computer: 'HFDC01.shire.com',
      Provider_Name: 'Service Control Manager',
      EventRecordID: '19819',
      param1: 'Software Protection',
    });
  });

  it('7.x+: the same fields under winlog', () => {
    const e = normalizeEvent({
      winlog: {
        channel: SYSMON,
        event_id: '1',
        computer_name: 'ws1',
        provider_name: 'Microsoft-Windows-Sysmon',
        event_data: { Image: 'C:\\Windows\\System32\\cmd.exe' },
      },
    });
    expect(e).toMatchObject({
      Channel: SYSMON,
      EventID: '1',
      Computer: 'ws1',
      Image: 'C:\\Windows\\System32\\cmd.exe',
    });
    const r = rule(
      "  sel:\n    Image|endswith: '\\cmd.exe'\n  condition: sel",
      'category: process_creation\n  product: windows',
    );
    expect(compileRule(r).matches(e)).toBe(true);
  });
});
