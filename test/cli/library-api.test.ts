import { describe, expect, it } from 'vitest';
import { convert, evaluate, lint, parse } from '../../src/index.js';
import type { SigmaRule } from '../../src/index.js';

const RULE = `title: Wmic creates an event consumer
id: 6a1f6fd4-9c34-4b58-9a51-0f1a4c6b1e21
status: test
logsource:
    category: process_creation
    product: windows
detection:
    selection:
        Image|endswith: '\\wmic.exe'
        CommandLine|contains: 'CommandLineEventConsumer'
    condition: selection
level: high
`;

describe('library API: parse, convert, lint, evaluate', () => {
  it('runs the four verbs on one rule', () => {
    const parsed = parse(RULE, { file: 'wmic.yml' });
    expect(parsed.diagnostics).toEqual([]);
    const rule = parsed.documents[0]!.document as SigmaRule;
    expect(rule.kind).toBe('rule');

    const kql = convert(rule, { target: 'kql', pipelines: ['defender-xdr'] });
    expect(kql.ok && kql.queries[0]).toContain('ProcessCommandLine contains "CommandLineEventConsumer"');

    expect(
      evaluate(rule, {
        Image: 'C:\\Windows\\System32\\wbem\\WMIC.exe',
        CommandLine: 'wmic PATH CommandLineEventConsumer CREATE Name="x"',
      }),
    ).toBe(true);
    expect(evaluate(rule, { Image: 'C:\\Windows\\System32\\cmd.exe', CommandLine: 'CommandLineEventConsumer' })).toBe(
      false,
    );
    // EVTX rendered as JSON is accepted as is.
    expect(
      evaluate(rule, {
        Event: {
          System: { EventID: 1, Channel: 'Microsoft-Windows-Sysmon/Operational' },
          EventData: { Image: 'C:\\x\\wmic.exe', CommandLine: 'commandlineeventconsumer' },
        },
      }),
    ).toBe(true);

    const report = lint([parsed]);
    expect(report.documents[0]!.noise?.score).toBeTypeOf('number');
  });
});
