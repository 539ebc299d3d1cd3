/** `sigil test` and `sigil hunt`, run through their handlers on files in a temporary directory. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { testCommand } from '../../src/cli/commands/test.js';
import { huntCommand } from '../../src/cli/commands/hunt.js';

let dir = '';

const RULE = `title: WMIC event consumer
id: 5f2d1c3b-6a1e-4c2b-9d7e-0a1b2c3d4e5f
status: test
logsource:
    category: process_creation
    product: windows
detection:
    selection:
        Image|endswith: '\\wmic.exe'
        CommandLine|contains|all:
            - 'create'
            - 'eventconsumer'
    filter_sccm:
        ParentImage|endswith: '\\CcmExec.exe'
    condition: selection and not filter_sccm
level: high
`;

const TESTS = `tests:
  - name: wmic creates an event consumer
    match: true
    event: { Image: 'C:\\Windows\\System32\\wbem\\WMIC.exe', CommandLine: 'wmic create eventconsumer' }
  - name: sccm client is filtered
    match: false
    event: { Image: 'C:\\Windows\\System32\\wbem\\WMIC.exe', CommandLine: 'create eventconsumer', ParentImage: 'C:\\Windows\\CCM\\CcmExec.exe' }
  - name: from a file
    match: true
    events_file: samples/x.jsonl
`;

const EVTX = (image: string) =>
  JSON.stringify(
    {
      Event: {
        System: {
          Provider: { '#attributes': { Name: 'Microsoft-Windows-Sysmon' } },
          EventID: 1,
          Channel: 'Microsoft-Windows-Sysmon/Operational',
        },
        EventData: { Image: image, CommandLine: 'x create EventConsumer' },
      },
    },
    null,
    2,
  );

function write(rel: string, text: string): string {
  const p = path.join(dir, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, text);
  return p;
}

/** Runs a command handler, capturing stdout, stderr and the exit code. */
async function run(
  handler: (argv: never) => unknown,
  argv: Record<string, unknown>,
): Promise<{ stdout: string; stderr: string; code: number }> {
  let stdout = '';
  let stderr = '';
  const o = vi
    .spyOn(process.stdout, 'write')
    .mockImplementation((s: string | Uint8Array) => ((stdout += String(s)), true));
  const e = vi
    .spyOn(process.stderr, 'write')
    .mockImplementation((s: string | Uint8Array) => ((stderr += String(s)), true));
  process.exitCode = 0;
  try {
    await handler(argv as never);
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { stdout, stderr, code };
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sigil-eval-cli-'));
  write('rules/wmic.yml', RULE);
  write('rules/wmic.tests.yml', TESTS);
  write(
    'rules/samples/x.jsonl',
    '{"Image":"C:\\\\x\\\\notepad.exe"}\n{"Image":"C:\\\\Windows\\\\wmic.exe","CommandLine":"create EventConsumer"}\n',
  );
  // SigmaHQ layout without regression_tests_path: found by id under regression_data.
  write(
    'repo/rules/other.yml',
    RULE.replace('5f2d1c3b-6a1e-4c2b-9d7e-0a1b2c3d4e5f', '0e1d2c3b-4a5f-4e6d-8c7b-9a0b1c2d3e4f'),
  );
  write(
    'repo/regression_data/rules/other/info.yml',
    'id: 1\nrule_metadata:\n    - id: 0e1d2c3b-4a5f-4e6d-8c7b-9a0b1c2d3e4f\n      title: x\nregression_tests_info:\n    - name: Positive Detection Test\n      type: evtx\n      match_count: 1\n      path: regression_data/rules/other/ev.evtx\n',
  );
  write(
    'repo/regression_data/rules/other/ev.json',
    EVTX('C:\\Windows\\System32\\wbem\\WMIC.exe') + '\n' + EVTX('C:\\Windows\\notepad.exe'),
  );
  // A failing test.
  write('bad/wmic.yml', RULE);
  write(
    'bad/wmic.tests.yml',
    "tests:\n  - name: deliberately wrong\n    match: true\n    event: { Image: 'C:\\wmic.exe', CommandLine: 'list' }\n",
  );
  write(
    'events.jsonl',
    '{"Channel":"Microsoft-Windows-Sysmon/Operational","EventID":1,"Image":"C:\\\\wmic.exe","CommandLine":"create eventconsumer"}\n{"Channel":"Microsoft-Windows-Sysmon/Operational","EventID":11,"Image":"C:\\\\wmic.exe","CommandLine":"create eventconsumer"}\n\n{"Image":"C:\\\\wmic.exe","CommandLine":"create eventconsumer"}\n',
  );
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('sigil test', () => {
  it('runs name.tests.yml cases and reports each', async () => {
    const r = await run(testCommand.handler as never, { paths: [path.join(dir, 'rules')], format: 'text' });
    expect(r.code).toBe(0);
    expect(r.stdout.match(/^PASS /gm)?.length).toBe(3);
    expect(r.stderr).toContain('3 test cases: 3 passed, 0 failed');
  });
  it('finds SigmaHQ regression cases by rule id under regression_data', async () => {
    const r = await run(testCommand.handler as never, { paths: [path.join(dir, 'repo', 'rules')], format: 'json' });
    const report = JSON.parse(r.stdout);
    expect(report.passed).toBe(1);
    expect(report.cases[0].reason).toBe('1 of 2 events matched (at least 1 expected)');
    expect(r.code).toBe(0);
  });
  it('a failing case exits 1 and explains which identifier and field failed', async () => {
    const r = await run(testCommand.handler as never, { paths: [path.join(dir, 'bad')], format: 'text' });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('FAIL WMIC event consumer — deliberately wrong');
    expect(r.stdout).toContain('selection: false');
    expect(r.stdout).toContain('✗ CommandLine|contains|all ["create","eventconsumer"] — event: "list"');
    expect(r.stdout).toContain('✗ ParentImage|endswith "\\\\CcmExec.exe" — event: absent');
  });
  it('junit output for CI', async () => {
    const r = await run(testCommand.handler as never, { paths: [path.join(dir, 'bad')], format: 'junit' });
    expect(r.stdout).toMatch(/<testsuites name="sigil test" tests="1" failures="1">/);
    expect(r.stdout).toContain('<failure message="no event matched (1 tested)">');
  });
  it('exits 2 when no tests are found', async () => {
    write('lonely/r.yml', RULE);
    const r = await run(testCommand.handler as never, { paths: [path.join(dir, 'lonely')], format: 'text' });
    expect(r.code).toBe(2);
  });
});

describe('sigil hunt', () => {
  it('prints one JSON line per match; the logsource filter applies to events with a Channel', async () => {
    const r = await run(huntCommand.handler as never, {
      rules: [path.join(dir, 'rules')],
      events: [path.join(dir, 'events.jsonl')],
      format: 'jsonl',
      'logsource-filter': true,
    });
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.event_index)).toEqual([0, 2]);
    expect(lines[0]).toEqual({
      rule_id: '5f2d1c3b-6a1e-4c2b-9d7e-0a1b2c3d4e5f',
      title: 'WMIC event consumer',
      event_index: 0,
      file: path.join(dir, 'events.jsonl'),
    });
    expect(r.code).toBe(0);
  });
  it('without the filter every rule sees every event; table counts per rule', async () => {
    const r = await run(huntCommand.handler as never, {
      rules: [path.join(dir, 'rules')],
      events: [path.join(dir, 'events.jsonl')],
      format: 'table',
      'logsource-filter': false,
    });
    expect(r.stdout).toMatch(/^\s+3\s+5f2d1c3b-6a1e-4c2b-9d7e-0a1b2c3d4e5f\s+WMIC event consumer$/m);
  });
  it('decides a count bounded from above when its window ends, and at the end of the input (event_index null)', async () => {
    write(
      'corr/rules.yml',
      `title: WMIC
name: wmic
logsource:
    category: process_creation
    product: windows
detection:
    selection:
        Image|endswith: '\\wmic.exe'
    condition: selection
---
title: Rare WMIC use per host
correlation:
    type: event_count
    rules: [wmic]
    group-by: [Computer]
    timespan: 1m
    condition:
        lt: 2
`,
    );
    const ev = (host: string, s: number): string =>
      JSON.stringify({
        Image: 'C:\\Windows\\System32\\wbem\\WMIC.exe',
        Computer: host,
        TimeCreated: new Date(Date.UTC(2024, 0, 1, 0, 0, s)).toISOString(),
      });
    write('corr/events.jsonl', [ev('a', 0), ev('b', 1), ev('b', 2), ev('a', 30)].join('\n') + '\n');
    const r = await run(huntCommand.handler as never, {
      rules: [path.join(dir, 'corr/rules.yml')],
      events: [path.join(dir, 'corr/events.jsonl')],
      format: 'jsonl',
      'logsource-filter': false,
    });
    // The base rule is withheld (the correlation has no `generate`): only alerts are printed.
    const alerts = r.stdout
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l))
      .filter((l) => 'correlation_id' in l);
    // Host a: 2 matches in its minute (no alert); host b: 2 as well; nothing is decided on arrival.
    expect(alerts).toEqual([]);
    // Nor does the base rule alert on its own: the correlation does not set `generate`.
    expect(r.stdout.trim()).toBe('');
    write('corr/events2.jsonl', [ev('a', 0), ev('b', 1), ev('b', 2)].join('\n') + '\n');
    const r2 = await run(huntCommand.handler as never, {
      rules: [path.join(dir, 'corr/rules.yml')],
      events: [path.join(dir, 'corr/events2.jsonl')],
      format: 'jsonl',
      'logsource-filter': false,
    });
    const alerts2 = r2.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .filter((l) => 'correlation_id' in l);
    expect(alerts2).toEqual([
      {
        correlation_id: null,
        title: 'Rare WMIC use per host',
        type: 'event_count',
        group: { Computer: 'a' },
        value: 1,
        time: '2024-01-01T00:01:00.000Z',
        event_index: null,
        file: null,
        // The events behind the alert: host a's one match.
        events: [{ file: path.join(dir, 'corr/events2.jsonl'), event_index: 0 }],
      },
    ]);
  });
  it('reads EVTX JSON documents and reports invalid lines with exit 1 (bad input, docs/cli.md)', async () => {
    const evtx = await run(huntCommand.handler as never, {
      rules: [path.join(dir, 'rules')],
      events: [path.join(dir, 'repo/regression_data/rules/other/ev.json')],
      format: 'jsonl',
      'logsource-filter': true,
    });
    expect(evtx.stdout.trim().split('\n').length).toBe(1);
    write('broken.jsonl', '{"Image":"a"}\n{oops\n');
    const bad = await run(huntCommand.handler as never, {
      rules: [path.join(dir, 'rules')],
      events: [path.join(dir, 'broken.jsonl')],
      format: 'jsonl',
      'logsource-filter': true,
    });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/broken\.jsonl:2:1: error E003 Invalid JSON event/);
  });
});
