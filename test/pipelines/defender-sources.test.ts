/**
 * Defender XDR routes beyond Sysmon-on-Windows (Linux/macOS Device* rows, Security 4624/4625 →
 * DeviceLogonEvents, WMI-Activity 5861 → WmiBindEventFilterToConsumer, Security 4697/4698-4702,
 * the account management events, System 7045, DNS-Client 3008, App Control and AppLocker →
 * DeviceEvents actions, ParentImage and GrandParentImage through the file name) and the mapping defects fixed with them (pipe and hive prefixes inside
 * contains values, hex LogonId, WMI Destination). Each route is cross-checked: the emitted query,
 * run by the KQL test interpreter on a Defender row, agrees with Sigil's evaluator on the Sigma
 * event that row records.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { SigmaRule } from '../../src/ast/types.js';
import { tableColumns } from '../../src/backends/kql/schema.js';
import { convertDocument } from '../../src/convert.js';
import { compileRule } from '../../src/eval/compile.js';
import { parse } from '../../src/parser/index.js';
import { runKql, type Row } from '../backends/kql/kql-interpreter.js';
import { REPO_ROOT, SHARED } from '../helpers/paths.js';
import { runs } from '../helpers/property.js';
import { applyPipelineToRule, loadPipelineSpec } from '../../src/pipelines/index.js';

const CORPUS = path.join(SHARED, 'corpus/sigmahq');

function ruleOf(text: string): SigmaRule {
  return parse(text).documents[0]!.document! as SigmaRule;
}
const corpusRule = (rel: string): SigmaRule => ruleOf(fs.readFileSync(path.join(CORPUS, rel), 'utf8'));
const packRule = (rel: string): SigmaRule => ruleOf(fs.readFileSync(path.join(REPO_ROOT, 'rules', rel), 'utf8'));
const inline = (logsource: string, detection: string): SigmaRule =>
  ruleOf(`title: t\nlogsource: {${logsource}}\ndetection:\n${detection}\n`);

function kql(rule: SigmaRule): { query: string; table: string } {
  const r = convertDocument(rule, { target: 'kql', pipelines: ['defender-xdr'] });
  if (!r.ok) throw new Error(r.errors.map((e) => `${e.code} ${e.message}`).join('; '));
  const query = r.queries[0]!;
  return { query, table: query.split('\n')[0]! };
}

function failure(rule: SigmaRule): { code: string; message: string } {
  const r = convertDocument(rule, { target: 'kql', pipelines: ['defender-xdr'] });
  if (r.ok) throw new Error(`converted: ${r.queries[0]}`);
  return r.errors[0]!;
}

/**
 * Runs the query on each Defender row and the evaluator on the Sigma event it records; both must
 * agree, and the cases must include a match and a non-match (else the check proves nothing).
 */
function crossCheck(rule: SigmaRule, cases: { event: Record<string, unknown>; row: Row }[]): void {
  const { query, table } = kql(rule);
  const columns = tableColumns(table, 'defender')!;
  const compiled = compileRule(rule);
  const outcomes = cases.map(({ event, row }) => {
    const want = compiled.matches(event);
    expect(runKql(query, row, { table, columns }), `${JSON.stringify(row)}\n${query}`).toBe(want);
    return want;
  });
  expect(outcomes, 'cases cover a match and a non-match').toContain(true);
  expect(outcomes).toContain(false);
}

describe('Linux and macOS rules → Device* tables', () => {
  it('process_creation: Image, ParentImage, CommandLine on DeviceProcessEvents, POSIX rows only', () => {
    const rule = corpusRule('rules/linux/process_creation/proc_creation_lnx_susp_java_children.yml');
    expect(kql(rule).query).toContain('| where FolderPath startswith_cs "/"');
    crossCheck(rule, [
      {
        event: { Image: '/usr/bin/curl', ParentImage: '/usr/lib/jvm/bin/java', CommandLine: 'curl http://x' },
        row: {
          FolderPath: '/usr/bin/curl',
          InitiatingProcessFolderPath: '/usr/lib/jvm/bin/java',
          ProcessCommandLine: 'curl http://x',
        },
      },
      {
        event: { Image: '/usr/bin/ls', ParentImage: '/usr/bin/bash', CommandLine: 'ls -la' },
        row: { FolderPath: '/usr/bin/ls', InitiatingProcessFolderPath: '/usr/bin/bash', ProcessCommandLine: 'ls -la' },
      },
    ]);
  });

  it('a Windows row with the same values is not a Linux event (scoped by the path column)', () => {
    const rule = inline(
      'product: linux, category: process_creation',
      '  sel: {CommandLine|contains: curl}\n  condition: sel',
    );
    const { query, table } = kql(rule);
    const columns = tableColumns(table, 'defender')!;
    expect(runKql(query, { FolderPath: '/usr/bin/curl', ProcessCommandLine: 'curl x' }, { table, columns })).toBe(true);
    expect(runKql(query, { FolderPath: 'C:\\curl.exe', ProcessCommandLine: 'curl x' }, { table, columns })).toBe(false);
  });

  it('User is the plain account name on Linux and macOS', () => {
    const rule = inline(
      'product: macos, category: process_creation',
      "  sel: {User: root, Image|endswith: '/osascript'}\n  condition: sel",
    );
    expect(kql(rule).query).toContain('AccountName =~ "root"');
    crossCheck(rule, [
      {
        event: { User: 'root', Image: '/usr/bin/osascript' },
        row: { AccountName: 'root', FolderPath: '/usr/bin/osascript' },
      },
      {
        event: { User: 'bob', Image: '/usr/bin/osascript' },
        row: { AccountName: 'bob', FolderPath: '/usr/bin/osascript' },
      },
    ]);
  });

  it('file_event → DeviceFileEvents (created or modified)', () => {
    const rule = corpusRule('rules/linux/file_event/file_event_lnx_doas_conf_creation.yml');
    crossCheck(rule, [
      { event: { TargetFilename: '/etc/doas.conf' }, row: { ActionType: 'FileCreated', FolderPath: '/etc/doas.conf' } },
      { event: { TargetFilename: '/etc/passwd' }, row: { ActionType: 'FileCreated', FolderPath: '/etc/passwd' } },
    ]);
  });

  it('network_connection → DeviceNetworkEvents', () => {
    const rule = corpusRule('rules/linux/network_connection/net_connection_lnx_back_connect_shell_dev.yml');
    crossCheck(rule, [
      {
        event: { Image: '/bin/bash', DestinationIp: '10.1.2.3' },
        row: { InitiatingProcessFolderPath: '/bin/bash', RemoteIP: '10.1.2.3' },
      },
      {
        event: { Image: '/bin/bash', DestinationIp: '127.0.0.1' },
        row: { InitiatingProcessFolderPath: '/bin/bash', RemoteIP: '127.0.0.1' },
      },
    ]);
  });

  it('CurrentDirectory has no Defender column: the rule fails (C002)', () => {
    const rule = inline(
      'product: linux, category: process_creation',
      "  sel: {CurrentDirectory: '/tmp'}\n  condition: sel",
    );
    expect(failure(rule).code).toBe('C002');
  });
});

describe('Security 4624 → DeviceLogonEvents', () => {
  it('LogonType numbers become Defender logon type names', () => {
    const rule = corpusRule(
      'rules/windows/builtin/security/account_management/win_security_susp_logon_newcredentials.yml',
    );
    crossCheck(rule, [
      { event: { EventID: 4624, LogonType: 9 }, row: { ActionType: 'LogonSuccess', LogonType: 'NewCredentials' } },
      { event: { EventID: 4624, LogonType: 10 }, row: { ActionType: 'LogonSuccess', LogonType: 'RemoteInteractive' } },
    ]);
  });

  it('IpAddress is RemoteIP', () => {
    const rule = corpusRule('rules/windows/builtin/security/account_management/win_security_rdp_localhost_login.yml');
    crossCheck(rule, [
      {
        event: { EventID: 4624, LogonType: 10, IpAddress: '::1' },
        row: { ActionType: 'LogonSuccess', LogonType: 'RemoteInteractive', RemoteIP: '::1' },
      },
      {
        event: { EventID: 4624, LogonType: 10, IpAddress: '10.0.0.5' },
        row: { ActionType: 'LogonSuccess', LogonType: 'RemoteInteractive', RemoteIP: '10.0.0.5' },
      },
    ]);
  });

  it("IpAddress '-' (no address) has no Defender value: C004; other Security events: C007", () => {
    const rdp = corpusRule(
      'rules/windows/builtin/security/account_management/win_security_successful_external_remote_rdp_login.yml',
    );
    expect(failure(rdp)).toMatchObject({ code: 'C004', message: expect.stringMatching(/IpAddress.*'-'/) });
    // Any condition that '-' satisfies differs the same way: `not contains '-'` would let Defender's empty RemoteIP through.
    const logon = (sel: string, condition = 'sel'): SigmaRule =>
      inline('product: windows, service: security', `  sel: {EventID: 4624}\n  f: {${sel}}\n  condition: ${condition}`);
    for (const sel of ["IpAddress|contains: '-'", "IpAddress: '*'", "IpAddress|re: '^-$'"])
      expect(failure(logon(sel, 'sel and not f')), sel).toMatchObject({ code: 'C004' });
    for (const sel of ["IpAddress|cidr: '10.0.0.0/8'", "IpAddress|startswith: '10.'", "IpAddress: '::1'"])
      expect(() => kql(logon(sel, 'sel and not f')), sel).not.toThrow();
    const other = inline('product: windows, service: security', '  sel: {EventID: 4688}\n  condition: sel');
    expect(failure(other)).toMatchObject({ code: 'C007', message: expect.stringContaining("'4688'") });
  });
});

describe('Windows event log services → DeviceEvents actions (routes by event ID)', () => {
  const action = (ActionType: string, extra: Record<string, unknown>): Row => ({ ActionType, AdditionalFields: extra });

  it('System 7045 → ServiceInstalled, ServiceName in AdditionalFields', () => {
    const rule = corpusRule(
      'rules/windows/builtin/system/service_control_manager/win_system_krbrelayup_service_installation.yml',
    );
    const { query, table } = kql(rule);
    expect(table).toBe('DeviceEvents');
    expect(query).toContain('tostring(AdditionalFields.ServiceName) =~ "KrbSCM"');
    const scm = { EventID: 7045, Provider_Name: 'Service Control Manager' };
    crossCheck(rule, [
      { event: { ...scm, ServiceName: 'KrbSCM' }, row: action('ServiceInstalled', { ServiceName: 'KrbSCM' }) },
      { event: { ...scm, ServiceName: 'Spooler' }, row: action('ServiceInstalled', { ServiceName: 'Spooler' }) },
    ]);
  });

  it('Security 4697 → ServiceInstalled', () => {
    const rule = corpusRule(
      'rules-emerging-threats/2017/Malware/CosmicDuke/win_security_mal_cosmik_duke_persistence.yml',
    );
    crossCheck(rule, [
      {
        event: { EventID: 4697, ServiceName: 'javamtsup' },
        row: action('ServiceInstalled', { ServiceName: 'javamtsup' }),
      },
      { event: { EventID: 4697, ServiceName: 'other' }, row: action('ServiceInstalled', { ServiceName: 'other' }) },
    ]);
  });

  it('Security 4698, 4699, 4701, 4702 → ScheduledTask* actions, TaskName in AdditionalFields', () => {
    const rule = corpusRule(
      'rules-emerging-threats/2023/TA/Cozy-Bear/win_security_apt_cozy_bear_scheduled_tasks_name.yml',
    );
    const name = '\\Microsoft\\Windows\\WiMSDFS';
    crossCheck(rule, [
      { event: { EventID: 4698, TaskName: name }, row: action('ScheduledTaskCreated', { TaskName: name }) },
      { event: { EventID: 4699, TaskName: name }, row: action('ScheduledTaskDeleted', { TaskName: name }) },
      // 4701 (disabled) is not among the rule's events.
      { event: { EventID: 4701, TaskName: name }, row: action('ScheduledTaskDisabled', { TaskName: name }) },
      { event: { EventID: 4698, TaskName: '\\Other' }, row: action('ScheduledTaskCreated', { TaskName: '\\Other' }) },
    ]);
    const deletion = corpusRule(
      'rules-threat-hunting/windows/builtin/security/win_security_scheduled_task_deletion.yml',
    );
    const mrt = '\\Microsoft\\Windows\\RemovalTools\\MRT_ERROR_HB';
    crossCheck(deletion, [
      { event: { EventID: 4699, TaskName: '\\Evil' }, row: action('ScheduledTaskDeleted', { TaskName: '\\Evil' }) },
      { event: { EventID: 4699, TaskName: mrt }, row: action('ScheduledTaskDeleted', { TaskName: mrt }) },
      { event: { EventID: 4698, TaskName: '\\Evil' }, row: action('ScheduledTaskCreated', { TaskName: '\\Evil' }) },
    ]);
  });

  it('DNS-Client 3008 → DnsQueryResponse, as Sysmon dns_query', () => {
    const rule = corpusRule('rules/windows/builtin/dns_client/win_dns_client_mega_nz.yml');
    const q = (name: string): Row => action('DnsQueryResponse', { DnsQueryString: name });
    crossCheck(rule, [
      { event: { EventID: 3008, QueryName: 'x.userstorage.mega.co.nz' }, row: q('x.userstorage.mega.co.nz') },
      { event: { EventID: 3008, QueryName: 'example.org' }, row: q('example.org') },
    ]);
  });

  it('a Security rule on other or mixed event IDs goes on to DeviceLogonEvents', () => {
    const route = (detection: string): string => {
      const r = convertDocument(inline('product: windows, service: security', detection), {
        target: 'kql',
        pipelines: ['defender-xdr'],
      });
      return r.ok ? r.tables![0]! : r.errors[0]!.message;
    };
    expect(route('  sel: {EventID: 4624, LogonType: 10}\n  condition: sel')).toBe('DeviceLogonEvents');
    // 4698 or 4624: no route holds both events; the logon route cannot map 4698.
    expect(route('  sel: {EventID: [4698, 4624]}\n  condition: sel')).toContain("no mapping for the value '4698'");
    // An event ID only inside a `not` restricts nothing.
    expect(route('  sel: {EventID: 4698}\n  condition: not sel')).toContain("no mapping for the value '4698'");
    expect(route('  a: {EventID: 4698, TaskName: x}\n  b: {EventID: 4699}\n  condition: a or b')).toBe('DeviceEvents');
    const system = convertDocument(
      inline('product: windows, service: system', '  sel: {EventID: [7045, 7036]}\n  condition: sel'),
      { target: 'kql', pipelines: ['defender-xdr'] },
    );
    expect(!system.ok && system.errors[0]!.code).toBe('C001');
  });

  it('refuses the fields Defender holds differently or under a column of the same name (C004)', () => {
    const cases: [string, string, string, RegExp][] = [
      ['service: system', 'EventID: 7045, ImagePath|contains: powershell', 'ImagePath', /image path/],
      [
        'service: security',
        "EventID: 4697, ServiceFileName|contains: '\\\\127.0.0.1'",
        'ServiceFileName',
        /image path/,
      ],
      ['service: security', "EventID: 4698, TaskContent|contains: '<Command>'", 'TaskContent', /JSON/],
      // DeviceEvents has AccountName and ProcessId columns; 7045's fields of those names are other values.
      ['service: system', 'EventID: 7045, AccountName: LocalSystem', 'AccountName', /Defender equivalent/],
      ['service: system', 'EventID: 7045, ProcessId: 0', 'ProcessId', /Defender equivalent/],
      ['service: security', 'EventID: 4699, SubjectUserName: x', 'SubjectUserName', /Defender equivalent/],
      // The target-account fields are the account events' (4720 …) only: a task or service event has
      // none, and the Account* columns of its DeviceEvents row are another account.
      ['service: security', 'EventID: 4698, TargetUserName: bob', 'TargetUserName', /no target account/],
      ['service: security', 'EventID: [4697], TargetSid: S-1-5-18', 'TargetSid', /no target account/],
      ['service: system', 'EventID: 7045, TargetDomainName: x', 'TargetDomainName', /no target account/],
      ['service: dns-client', 'EventID: 3008, QueryStatus: 0', 'QueryStatus', /query name/],
    ];
    for (const [service, sel, field, why] of cases) {
      const e = failure(inline(`product: windows, ${service}`, `  sel: {${sel}}\n  condition: sel`));
      expect(e, sel).toMatchObject({ code: 'C004', message: expect.stringContaining(`field ${field}`) });
      expect(e.message, sel).toMatch(why);
    }
    const other = inline(
      'product: windows, service: system',
      "  sel: {EventID: 7045, Provider_Name: 'Other Provider', ServiceName: x}\n  condition: sel",
    );
    expect(failure(other)).toMatchObject({ code: 'C007', message: expect.stringContaining("'Other Provider'") });
  });

  it('each of these routes warns that its action names are community-documented (C103)', () => {
    const r = convertDocument(
      corpusRule('rules/windows/builtin/system/service_control_manager/win_system_moriya_rootkit.yml'),
      { target: 'kql', pipelines: ['defender-xdr'] },
    );
    expect(r.ok && r.warnings.map((w) => w.code)).toContain('C103');
  });
});

describe('ParentImage on non-process tables → InitiatingProcessParentFileName', () => {
  const fileRule = (value: string): SigmaRule =>
    inline('product: windows, category: file_event', `  sel: {${value}}\n  condition: sel`);

  it("endswith '\\\\name' is the parent's file name", () => {
    const rule = fileRule("ParentImage|endswith: '\\winword.exe'");
    expect(kql(rule).query).toContain('InitiatingProcessParentFileName =~ "winword.exe"');
    crossCheck(rule, [
      {
        event: { ParentImage: 'C:\\Office\\WINWORD.EXE' },
        row: { ActionType: 'FileCreated', InitiatingProcessParentFileName: 'WINWORD.EXE' },
      },
      {
        event: { ParentImage: 'C:\\Office\\notwinword.exe' },
        row: { ActionType: 'FileCreated', InitiatingProcessParentFileName: 'notwinword.exe' },
      },
    ]);
  });

  it('endswith a piece of a name stays endswith', () => {
    expect(kql(fileRule("ParentImage|endswith: 'word.exe'")).query).toContain(
      'InitiatingProcessParentFileName endswith "word.exe"',
    );
  });

  it('other conditions fail the rule with C022', () => {
    for (const v of [
      "ParentImage|contains: '\\Temp\\'",
      "ParentImage: 'C:\\x.exe'",
      "ParentImage|endswith: '\\Temp\\x.exe'",
    ])
      expect(failure(fileRule(v)).code, v).toBe('C022');
  });
});

describe('defect: prefix rewrites only where the value is anchored at the start', () => {
  const PIPES = [
    'pipe_created_hktl_efspotato',
    'pipe_created_hktl_cobaltstrike',
    'pipe_created_hktl_coercedpotato',
    'pipe_created_hktl_generic_cred_dump_tools_pipes',
    'pipe_created_hktl_koh_default_pipe',
    'pipe_created_pua_csexec_default_pipe',
    'pipe_created_pua_remcom_default_pipe',
  ];
  for (const name of PIPES)
    it(`${name}: no contains/endswith value gains \\Device\\NamedPipe\\`, () => {
      const { query } = kql(corpusRule(`rules/windows/pipe_created/${name}.yml`));
      expect(query).not.toMatch(/(contains|endswith)(_cs)? @?"\\Device\\NamedPipe/);
      // Anchored values (equals, startswith) do, or the query reads no pipe name anchored.
      if (/(=~|startswith|in~) \(?@?"\\(?!Device)/.test(query))
        throw new Error(`an anchored value lacks the prefix:\n${query}`);
    });

  it('a pipe value that may begin inside \\Device\\NamedPipe fails the rule (C024)', () => {
    const rule = (v: string): SigmaRule =>
      inline('product: windows, category: pipe_created', `  sel: {'PipeName|contains': '${v}'}\n  condition: sel`);
    for (const v of ['NamedPipe\\x', 'pe\\x', 'Device', 'e\\'])
      expect(failure(rule(v)), v).toMatchObject({ code: 'C024' });
    for (const v of ['\\pipe\\x', 'example', 'x\\pipe']) expect(() => kql(rule(v)), v).not.toThrow();
  });

  it('property: every pipe rule that converts agrees with the evaluator on every pipe name', () => {
    // Letters of the added text and the separator, so values overlap it often.
    const text = fc
      .array(fc.constantFrom('\\', 'p', 'i', 'e', 'N', 'D', 'x'), { minLength: 1, maxLength: 6 })
      .map((cs) => cs.join(''));
    const modifier = fc.constantFrom('', '|startswith', '|contains', '|endswith');
    const seen = { converted: 0, refused: 0, matched: 0 };
    fc.assert(
      fc.property(modifier, text, fc.array(text, { minLength: 1, maxLength: 4 }), (mod, value, names) => {
        const rule = inline(
          'product: windows, category: pipe_created',
          `  sel: {'PipeName${mod}': '${value}'}\n  condition: sel`,
        );
        const r = convertDocument(rule, { target: 'kql', pipelines: ['defender-xdr'] });
        if (!r.ok) {
          expect(r.errors[0]!.code).toBe('C024');
          seen.refused++;
          return;
        }
        seen.converted++;
        const columns = tableColumns('DeviceEvents', 'defender')!;
        for (const n of [...names.map((x) => `\\${x}`), `\\${value}`, value]) {
          const pipe = n.startsWith('\\') ? n : `\\${n}`;
          const want = compileRule(rule).matches({ PipeName: pipe });
          if (want) seen.matched++;
          const row = { ActionType: 'NamedPipeEvent', AdditionalFields: { PipeName: `\\Device\\NamedPipe${pipe}` } };
          expect(runKql(r.queries[0]!, row, { table: 'DeviceEvents', columns }), `${pipe}\n${r.queries[0]}`).toBe(want);
        }
      }),
      { numRuns: runs(300) },
    );
    expect(seen.converted).toBeGreaterThan(0);
    expect(seen.refused).toBeGreaterThan(0);
    expect(seen.matched).toBeGreaterThan(0);
  });

  it('efspotato matches the pipes it is written for', () => {
    const rule = corpusRule('rules/windows/pipe_created/pipe_created_hktl_efspotato.yml');
    const row = (pipe: string): Row => ({
      ActionType: 'NamedPipeEvent',
      AdditionalFields: { PipeName: `\\Device\\NamedPipe${pipe}` },
    });
    crossCheck(rule, [
      { event: { PipeName: '\\lsarpc\\pipe\\srvsvc' }, row: row('\\lsarpc\\pipe\\srvsvc') },
      { event: { PipeName: '\\pipe\\srvsvc' }, row: row('\\pipe\\srvsvc') },
      { event: { PipeName: '\\other' }, row: row('\\other') },
    ]);
  });

  it('HKU\\ inside contains (9b0f8a61): the text anywhere, or either user hive at the start', () => {
    const { query } = kql(
      corpusRule('rules/windows/registry/registry_set/registry_set_persistence_com_key_linking.yml'),
    );
    expect(query).toContain('RegistryTargetObject contains @"HKU\\"');
    expect(query).toContain('RegistryTargetObject startswith @"HKEY_USERS\\"');
    expect(query).toContain('RegistryTargetObject startswith @"HKEY_CURRENT_USER\\"');
  });

  it('HKLM\\ inside contains (5b175490)', () => {
    const { query } = kql(corpusRule('rules/windows/registry/registry_event/registry_event_redmimicry_winnti_reg.yml'));
    expect(query).toContain('contains @"HKLM\\SOFTWARE\\Microsoft\\HTMLHelp\\data"');
    expect(query).toContain('startswith @"HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\HTMLHelp\\data"');
  });

  it('a start-anchored HKU\\ value matches both user hive prefixes, and nothing else', () => {
    const rule = inline(
      'product: windows, category: registry_set',
      "  sel: {TargetObject|startswith: 'HKU\\S-1-5-21'}\n  condition: sel",
    );
    const { query } = kql(rule);
    expect(query).toContain('startswith @"HKEY_USERS\\S-1-5-21"');
    expect(query).toContain('startswith @"HKEY_CURRENT_USER\\S-1-5-21"');
    expect(query).not.toContain('"HKU\\');
  });

  it('the Sigma target prints the same rewrites', () => {
    const rule = corpusRule('rules/windows/registry/registry_set/registry_set_persistence_com_key_linking.yml');
    const r = convertDocument(rule, { target: 'sigma', pipelines: ['defender-xdr'] });
    if (!r.ok) throw new Error(r.errors[0]!.message);
    const text = r.queries.join('\n');
    expect(text).toContain('HKEY_CURRENT_USER\\');
    expect(text).toContain('HKEY_USERS\\');
    const efs = convertDocument(corpusRule('rules/windows/pipe_created/pipe_created_hktl_efspotato.yml'), {
      target: 'sigma',
      pipelines: ['defender-xdr'],
    });
    if (!efs.ok) throw new Error(efs.errors[0]!.message);
    expect(efs.queries.join('\n')).not.toMatch(/contains[^\n]*\n(\s+- )?'?\\Device/);
  });
});

describe('defect: numbers compare as numbers on numeric columns', () => {
  it("LogonId '0x3e7' (61065c72) is LogonId == 999", () => {
    const rule = corpusRule(
      'rules-threat-hunting/windows/process_creation/proc_creation_win_susp_elevated_system_shell.yml',
    );
    const { query } = kql(rule);
    expect(query).toContain('LogonId == 999');
    expect(query).not.toContain('tostring(LogonId)');
    const base = { Image: 'C:\\Windows\\System32\\cmd.exe', User: 'NT AUTHORITY\\SYSTEM' };
    const row = { FolderPath: 'C:\\Windows\\System32\\cmd.exe', AccountDomain: 'NT AUTHORITY', AccountName: 'SYSTEM' };
    crossCheck(rule, [
      { event: { ...base, LogonId: '0x3e7' }, row: { ...row, LogonId: 999 } },
      { event: { ...base, LogonId: '0x3e8' }, row: { ...row, LogonId: 1000 } },
    ]);
  });

  it("a value that is no number on a numeric column fails the rule (C023), e.g. d21374ff's 'null'", () => {
    const rule = corpusRule('rules/windows/process_creation/proc_creation_win_wmiprvse_spawning_process.yml');
    expect(failure(rule)).toMatchObject({ code: 'C023', message: expect.stringContaining("'null'") });
  });
});

describe('WMI: Sysmon Destination, EventType, WMI-Activity 5861', () => {
  it('Destination (the command or script) reads AdditionalFields.PossibleCause', () => {
    const rule = corpusRule('rules/windows/wmi_event/sysmon_wmi_susp_scripting.yml');
    expect(kql(rule).query).not.toContain('AdditionalFields.Consumer');
    const row = (cause: string): Row => ({
      ActionType: 'WmiBindEventFilterToConsumer',
      AdditionalFields: { PossibleCause: cause },
    });
    crossCheck(rule, [
      { event: { Destination: 'powershell -nop -c x' }, row: row('powershell -nop -c x') },
      { event: { Destination: 'notepad.exe' }, row: row('notepad.exe') },
    ]);
  });

  it('a Sysmon 19/20 rule on EventType or Operation fails with the reason, not as a side effect', () => {
    const onEventType = inline(
      'product: windows, category: wmi_event',
      "  sel: {EventType: WmiConsumerEvent, Destination|contains: 'powershell'}\n  condition: sel",
    );
    expect(failure(onEventType)).toMatchObject({
      code: 'C004',
      message: expect.stringContaining('no EventType or Operation column'),
    });
    // The pack's consumer rule selects on Operation (Created or Modified), not EventType.
    const rule = packRule('windows/wmi_event/sysmon_wmi_consumer_susp_content.yml');
    expect(failure(rule)).toMatchObject({
      code: 'C004',
      message: expect.stringContaining('no EventType or Operation column'),
    });
  });

  it('WMI-Activity 5861 → WmiBindEventFilterToConsumer with PossibleCause and CONSUMER', () => {
    const rule = packRule('windows/builtin/wmi/win_wmi_activity_susp_consumer_content.yml');
    const row = (cause: string): Row => ({
      ActionType: 'WmiBindEventFilterToConsumer',
      AdditionalFields: { PossibleCause: cause },
    });
    const evil = 'instance of CommandLineEventConsumer { CommandLineTemplate = "powershell -enc AAAA"; }';
    const benign = 'instance of CommandLineEventConsumer { CommandLineTemplate = "notepad"; }';
    crossCheck(rule, [
      { event: { EventID: 5861, PossibleCause: evil }, row: row(evil) },
      { event: { EventID: 5861, PossibleCause: benign }, row: row(benign) },
    ]);
    const other = inline('product: windows, service: wmi', '  sel: {EventID: 5859}\n  condition: sel');
    expect(failure(other).code).toBe('C007');
  });
});

describe('pipeline files: path_to_name and fail with values', () => {
  const rule = inline(
    'product: windows, category: process_creation',
    "  sel: {ParentImage|endswith: '\\\\cmd.exe', Status: 'x'}\n  condition: sel",
  );

  it('load from YAML and apply like the built-in steps', () => {
    const { spec, diagnostics } = loadPipelineSpec(
      [
        'name: mine',
        'transformations:',
        '  - type: path_to_name',
        '    field: ParentImage',
        '    column: InitiatingProcessParentFileName',
        '  - type: fail',
        '    fields: [Status]',
        "    values: ['-']",
        '    reason: no dash',
      ].join('\n'),
      'mine.yml',
    );
    expect(diagnostics).toEqual([]);
    const r = convertDocument(rule, { target: 'kql', pipelines: [spec!, 'defender-xdr'] });
    // Status 'x' is not a listed value: the rule reaches the table, where Status is no column.
    expect(r.ok ? r.queries[0] : r.errors[0]!.message).toContain("'Status'");
    const dash = inline('product: windows, category: process_creation', "  sel: {Status: '-'}\n  condition: sel");
    const refused = convertDocument(dash, { target: 'kql', pipelines: [spec!, 'defender-xdr'] });
    expect(!refused.ok && refused.errors[0]).toMatchObject({
      code: 'C004',
      message: expect.stringContaining('no dash'),
    });
  });

  it('a path_to_name without its column is an invalid pipeline file (C013)', () => {
    const { spec, diagnostics } = loadPipelineSpec(
      'name: x\ntransformations:\n  - type: path_to_name\n    field: ParentImage\n',
      'p.yml',
    );
    expect(spec).toBeUndefined();
    expect(diagnostics[0]!.code).toBe('C013');
  });
});

describe('Defender Antivirus ASR events 1121/1122 → DeviceEvents Asr* action types', () => {
  const WMI = 'e6db77e5-3df2-4cf1-b95a-636979351e5b';
  const LSASS = '9e6c4e1f-7d60-472f-ba1a-a39ef669e4b2';
  const asr = (eventId: number, id: string) => ({
    event: { EventID: eventId, ID: id },
    row: {} as Row,
  });
  /** The DeviceEvents row Defender writes for the same decision (Microsoft's ASR reference). */
  const withAction = (c: { event: Record<string, unknown>; row: Row }, actionType: string) => ({
    event: c.event,
    row: { ...c.row, ActionType: actionType },
  });

  it("the pack's ASR rule: block and audit of the WMI persistence rule, no other rule or decision", () => {
    const rule = packRule('windows/builtin/windefend/win_defender_asr_wmi_persistence.yml');
    crossCheck(rule, [
      withAction(asr(1121, WMI.toUpperCase()), 'AsrPersistenceThroughWmiBlocked'),
      withAction(asr(1122, WMI), 'AsrPersistenceThroughWmiAudited'),
      withAction(asr(1121, LSASS), 'AsrLsassCredentialTheftBlocked'),
      withAction(asr(1122, LSASS), 'AsrLsassCredentialTheftAudited'),
    ]);
  });

  it('an event id alone selects the mode of every ASR rule, by the action type suffix', () => {
    const rule = inline('product: windows, service: windefend', '  sel:\n    EventID: 1121\n  condition: sel');
    crossCheck(rule, [
      withAction(asr(1121, LSASS), 'AsrLsassCredentialTheftBlocked'),
      withAction(asr(1121, WMI), 'AsrPersistenceThroughWmiBlocked'),
      withAction(asr(1122, WMI), 'AsrPersistenceThroughWmiAudited'),
    ]);
    // Rows that are not ASR decisions never match, whatever their suffix.
    const { query, table } = kql(rule);
    const columns = tableColumns(table, 'defender')!;
    expect(runKql(query, { ActionType: 'ControlledFolderAccessViolationBlocked' }, { table, columns })).toBe(false);
    expect(runKql(query, { ActionType: 'AsrPersistenceThroughWmiWarnBypassed' }, { table, columns })).toBe(false);
  });

  it('other Defender Antivirus events, unknown rule GUIDs and fields DeviceEvents lacks are refused per rule', () => {
    const other = failure(
      inline('product: windows, service: windefend', '  sel:\n    EventID: 1116\n  condition: sel'),
    );
    expect(other.code).toBe('C007');
    expect(other.message).toContain("'1116'");
    const unknown = failure(
      inline(
        'product: windows, service: windefend',
        "  sel:\n    EventID: 1121\n    ID: '00000000-0000-0000-0000-000000000000'\n  condition: sel",
      ),
    );
    expect(unknown.code).toBe('C007');
    const path = failure(corpusRule('rules/windows/builtin/windefend/win_defender_asr_lsass_access.yml'));
    expect(path).toMatchObject({ code: 'C004', message: expect.stringContaining('field Path') });
    // An ASR rule's GUID alone also matches its other events (warn mode 1129 …), which have no action here.
    const guidOnly = failure(
      inline(
        'product: windows, service: windefend',
        "  sel:\n    ID: 'd4f940ab-401b-4efc-aadc-ad5f3c50688a'\n  condition: sel",
      ),
    );
    expect(guidOnly).toMatchObject({ code: 'C004', message: expect.stringContaining('does not restrict EventID') });
  });
});

describe('pipeline files: a value_map value may map to conditions', () => {
  it('loads, applies with its modifiers, and rejects a modifier the conditions do not allow (C013)', () => {
    const text = (modifier: string) =>
      [
        'name: levels',
        'transformations:',
        '  - type: value_map',
        '    field: Level',
        '    column: ProcessIntegrityLevel',
        '    values:',
        `      high: { 'ProcessIntegrityLevel|${modifier}': 'High' }`,
        "      low: ['Low']",
      ].join('\n');
    const { spec, diagnostics } = loadPipelineSpec(text('startswith'), 'levels.yml');
    expect(diagnostics).toEqual([]);
    const rule = inline('product: windows, category: process_creation', '  sel:\n    Level: high\n  condition: sel');
    const r = convertDocument(rule, { target: 'kql', pipelines: [spec!, 'defender-xdr'] });
    expect(r.ok ? r.queries[0] : r.errors[0]!.message).toContain('ProcessIntegrityLevel startswith_cs "High"');
    const bad = loadPipelineSpec(text('re'), 'levels.yml');
    expect(bad.spec).toBeUndefined();
    expect(bad.diagnostics[0]!.code).toBe('C013');
  });
});

describe('App Control and AppLocker → DeviceEvents actions (Microsoft ActionType ↔ event ID table)', () => {
  const ci = 'product: windows, service: codeintegrity-operational';
  const applocker = 'product: windows, service: applocker';

  it('each documented event ID is its ActionType', () => {
    const rule = corpusRule('rules/windows/builtin/code_integrity/win_codeintegrity_enforced_policy_block.yml');
    const { query, table } = kql(rule);
    expect(table).toBe('DeviceEvents');
    expect(query).toContain('ActionType == "AppControlCodeIntegrityPolicyBlocked"');
    crossCheck(rule, [
      { event: { EventID: 3077 }, row: { ActionType: 'AppControlCodeIntegrityPolicyBlocked' } },
      { event: { EventID: 3076 }, row: { ActionType: 'AppControlCodeIntegrityPolicyAudited' } },
      { event: { EventID: 3036 }, row: { ActionType: 'AppControlCodeIntegrityImageRevoked' } },
    ]);
    const blocked = inline(applocker, '  sel: {EventID: [8004, 8007, 8022]}\n  condition: sel');
    crossCheck(blocked, [
      { event: { EventID: 8004 }, row: { ActionType: 'AppControlExecutableBlocked' } },
      { event: { EventID: 8007 }, row: { ActionType: 'AppControlScriptBlocked' } },
      { event: { EventID: 8022 }, row: { ActionType: 'AppControlPackagedAppBlocked' } },
      { event: { EventID: 8003 }, row: { ActionType: 'AppControlExecutableAudited' } },
      { event: { EventID: 8029 }, row: { ActionType: 'AppControlCIScriptBlocked' } },
    ]);
  });

  it('a rule needing an event ID outside the table is not routed (C001); other fields are refused (C004)', () => {
    // 8025 (packaged app deployment blocked) and 3033 have no Defender action.
    const prevented = corpusRule(
      'rules/windows/builtin/applocker/win_applocker_application_was_prevented_from_running.yml',
    );
    expect(failure(prevented)).toMatchObject({
      code: 'C001',
      message: expect.stringMatching(
        /take only rules that match nothing but their event IDs \(8001, .*8029\); this rule can match 8004, 8007, 8022, 8025/,
      ),
    });
    expect(failure(inline(ci, '  sel: {EventID: 3033}\n  condition: sel')).code).toBe('C001');
    // An event ID only inside a `not` restricts nothing: the route does not take the rule.
    expect(failure(inline(ci, '  sel: {EventID: 3077}\n  condition: not sel')).code).toBe('C001');
    const file = failure(inline(ci, "  sel: {EventID: 3077, FileNameBuffer|endswith: '\\\\x.sys'}\n  condition: sel"));
    expect(file).toMatchObject({ code: 'C004', message: expect.stringContaining('field FileNameBuffer') });
    const keyword = failure(inline(applocker, "  sel: {EventID: 8004}\n  kw: ['evil.exe']\n  condition: sel and kw"));
    expect(keyword).toMatchObject({ code: 'C004', message: expect.stringContaining('keyword') });
  });

  it('no C103 warning: the names are in Microsoft documentation', () => {
    const r = convertDocument(
      corpusRule('rules/windows/builtin/code_integrity/win_codeintegrity_revoked_image_blocked.yml'),
      { target: 'kql', pipelines: ['defender-xdr'] },
    );
    expect(r.ok && r.warnings).toEqual([]);
  });
});

describe('Security 4625 → DeviceLogonEvents LogonFailed', () => {
  const security = 'product: windows, service: security';

  it('4625 is LogonFailed; TargetUserName is the account of the logon', () => {
    const rule = corpusRule(
      'rules-emerging-threats/2019/Exploits/CVE-2019-0708/win_security_exploit_cve_2019_0708_scanner_poc.yml',
    );
    crossCheck(rule, [
      {
        event: { EventID: 4625, TargetUserName: 'AAAAAAA' },
        row: { ActionType: 'LogonFailed', AccountName: 'AAAAAAA' },
      },
      { event: { EventID: 4625, TargetUserName: 'bob' }, row: { ActionType: 'LogonFailed', AccountName: 'bob' } },
      {
        event: { EventID: 4624, TargetUserName: 'AAAAAAA' },
        row: { ActionType: 'LogonSuccess', AccountName: 'AAAAAAA' },
      },
    ]);
  });

  it('4624 and 4625 rules keep their own conditions, also together in one rule', () => {
    const success = inline(
      security,
      "  sel: {EventID: 4624, LogonType: 10, TargetDomainName: 'CORP'}\n  condition: sel",
    );
    const failed = inline(
      security,
      "  sel: {EventID: 4625, LogonType: 3, TargetUserSid: 'S-1-5-21-1-500'}\n  condition: sel",
    );
    const both = inline(
      security,
      "  ok: {EventID: 4624, LogonType: 10}\n  ko: {EventID: 4625, IpAddress: '10.0.0.9'}\n  condition: ok or ko",
    );
    const list = inline(security, "  sel: {EventID: [4624, 4625], TargetUserName: 'admin'}\n  condition: sel");
    for (const r of [success, failed, both, list]) expect(kql(r).table).toBe('DeviceLogonEvents');
    expect(kql(success).query).not.toContain('LogonFailed');
    expect(kql(failed).query).not.toContain('LogonSuccess');
    const rows = {
      rdpOk: {
        event: { EventID: 4624, LogonType: 10, TargetDomainName: 'CORP', IpAddress: '10.0.0.9' },
        row: {
          ActionType: 'LogonSuccess',
          LogonType: 'RemoteInteractive',
          AccountDomain: 'CORP',
          RemoteIP: '10.0.0.9',
        },
      },
      rdpKo: {
        event: { EventID: 4625, LogonType: 10, TargetDomainName: 'CORP', IpAddress: '10.0.0.9' },
        row: { ActionType: 'LogonFailed', LogonType: 'RemoteInteractive', AccountDomain: 'CORP', RemoteIP: '10.0.0.9' },
      },
      netKo: {
        event: { EventID: 4625, LogonType: 3, TargetUserSid: 'S-1-5-21-1-500', TargetUserName: 'admin' },
        row: { ActionType: 'LogonFailed', LogonType: 'Network', AccountSid: 'S-1-5-21-1-500', AccountName: 'admin' },
      },
      netOk: {
        event: { EventID: 4624, LogonType: 3, TargetUserSid: 'S-1-5-21-1-500', TargetUserName: 'admin' },
        row: { ActionType: 'LogonSuccess', LogonType: 'Network', AccountSid: 'S-1-5-21-1-500', AccountName: 'admin' },
      },
    };
    const all = Object.values(rows);
    crossCheck(success, all);
    crossCheck(failed, all);
    crossCheck(both, all);
    crossCheck(list, all);
  });

  it('a Security rule that can match other events than logons is refused (C004), not read as a logon', () => {
    // The corpus rule deliberately has no EventID: it matches the account names in any Security event.
    const anyEvent = corpusRule('rules/windows/builtin/security/win_security_susp_computer_name.yml');
    expect(failure(anyEvent)).toMatchObject({
      code: 'C004',
      message: expect.stringContaining('does not restrict EventID'),
    });
    for (const [detection, why] of [
      ["  sel: {TargetUserName: 'admin'}\n  condition: sel", 'no EventID'],
      ['  sel: {EventID: 4624}\n  condition: not sel', 'only a negated EventID'],
      [
        "  a: {EventID: 4625, TargetUserName: x}\n  b: {IpAddress: '10.0.0.1'}\n  condition: a or b",
        'one branch without',
      ],
    ])
      expect(failure(inline(security, detection)), why).toMatchObject({ code: 'C004' });
    // Restricted in every alternative, also beside a negated condition: converted.
    const restricted = inline(
      security,
      "  a: {EventID: 4625}\n  b: {TargetUserName: 'guest'}\n  condition: a and not b",
    );
    expect(kql(restricted).table).toBe('DeviceLogonEvents');
  });

  it('Status, SubStatus and FailureReason have no exact Defender value (C004); 4776 stays C007', () => {
    for (const sel of ["Status: '0xC0000072'", "SubStatus: '0xC000006F'", "FailureReason: '%%2313'"]) {
      const e = failure(inline(security, `  sel: {EventID: 4625, ${sel}}\n  condition: sel`));
      expect(e, sel).toMatchObject({ code: 'C004', message: expect.stringContaining('NTSTATUS') });
    }
    const reasons = corpusRule('rules/windows/builtin/security/win_security_susp_failed_logon_reasons.yml');
    expect(failure(reasons)).toMatchObject({ code: 'C007', message: expect.stringContaining("'4776'") });
  });
});

describe('Security account management → DeviceEvents UserAccount* actions', () => {
  const security = 'product: windows, service: security';
  const row = (ActionType: string, extra: Row = {}): Row => ({ ActionType, ...extra });

  it('4720 → UserAccountCreated, TargetUserName is AccountName', () => {
    const rule = corpusRule('rules/windows/builtin/security/win_security_hidden_user_creation.yml');
    crossCheck(rule, [
      {
        event: { EventID: 4720, TargetUserName: 'backdoor$' },
        row: row('UserAccountCreated', { AccountName: 'backdoor$' }),
      },
      {
        event: { EventID: 4720, TargetUserName: 'HomeGroupUser$' },
        row: row('UserAccountCreated', { AccountName: 'HomeGroupUser$' }),
      },
      { event: { EventID: 4720, TargetUserName: 'alice' }, row: row('UserAccountCreated', { AccountName: 'alice' }) },
      {
        event: { EventID: 4726, TargetUserName: 'backdoor$' },
        row: row('UserAccountDeleted', { AccountName: 'backdoor$' }),
      },
    ]);
  });

  it('4732/4733: the group is the Account* columns, the member AdditionalFields.MemberSid', () => {
    const rule = inline(
      security,
      "  sel: {EventID: [4732, 4733], TargetSid: 'S-1-5-32-544', MemberSid|startswith: 'S-1-5-21-'}\n  condition: sel",
    );
    expect(kql(rule).query).toContain('tostring(AdditionalFields.MemberSid) startswith "S-1-5-21-"');
    const member = (ActionType: string, group: string, sid: string): Row =>
      row(ActionType, { AccountSid: group, AdditionalFields: { MemberSid: sid } });
    crossCheck(rule, [
      {
        event: { EventID: 4732, TargetSid: 'S-1-5-32-544', MemberSid: 'S-1-5-21-9-1001' },
        row: member('UserAccountAddedToLocalGroup', 'S-1-5-32-544', 'S-1-5-21-9-1001'),
      },
      {
        event: { EventID: 4733, TargetSid: 'S-1-5-32-544', MemberSid: 'S-1-5-21-9-1001' },
        row: member('UserAccountRemovedFromLocalGroup', 'S-1-5-32-544', 'S-1-5-21-9-1001'),
      },
      {
        event: { EventID: 4732, TargetSid: 'S-1-5-32-545', MemberSid: 'S-1-5-21-9-1001' },
        row: member('UserAccountAddedToLocalGroup', 'S-1-5-32-545', 'S-1-5-21-9-1001'),
      },
      {
        event: { EventID: 4720, TargetSid: 'S-1-5-32-544', MemberSid: 'S-1-5-21-9-1001' },
        row: member('UserAccountCreated', 'S-1-5-32-544', 'S-1-5-21-9-1001'),
      },
    ]);
  });

  it('refuses the fields with no verified column (C004), and the events with no action (C007)', () => {
    const cases: [string, string][] = [
      ['rules/windows/builtin/security/win_security_user_added_to_local_administrators.yml', 'SubjectUserName'],
      ['rules/windows/builtin/security/win_security_susp_local_anon_logon_created.yml', 'SamAccountName'],
      ['rules/windows/builtin/security/win_security_alert_enable_weak_encryption.yml', 'NewUacValue'],
    ];
    for (const [rel, field] of cases)
      expect(failure(corpusRule(rel)), rel).toMatchObject({
        code: 'C004',
        message: expect.stringContaining(`field ${field}`),
      });
    // 4722 (enabled) and 4725 (disabled) have no action name in any Microsoft material.
    for (const id of [4722, 4725, 4781])
      expect(failure(inline(security, `  sel: {EventID: ${id}}\n  condition: sel`)).code, String(id)).toBe('C007');
  });

  it('warns that the action names are not in the DeviceEvents reference (C103)', () => {
    const r = convertDocument(corpusRule('rules/windows/builtin/security/win_security_user_creation.yml'), {
      target: 'kql',
      pipelines: ['defender-xdr'],
    });
    expect(r.ok && r.warnings.map((w) => w.message).join()).toContain('UserAccountCreated');
  });
});

describe('GrandParentImage → InitiatingProcessParentFileName on DeviceProcessEvents', () => {
  const procRule = (value: string): SigmaRule =>
    inline('product: windows, category: process_creation', `  sel: {${value}}\n  condition: sel`);

  it("endswith '\\\\name' is the grandparent's file name", () => {
    const rule = corpusRule(
      'rules-emerging-threats/2023/Malware/Pikabot/proc_creation_win_malware_pikabot_discovery.yml',
    );
    expect(kql(rule).query).toContain('InitiatingProcessParentFileName =~ "rundll32.exe"');
    crossCheck(rule, [
      {
        event: {
          GrandParentImage: 'C:\\Windows\\System32\\RUNDLL32.EXE',
          ParentImage: 'C:\\x\\a.exe',
          CommandLine: 'whoami.exe /all',
        },
        row: {
          InitiatingProcessParentFileName: 'RUNDLL32.EXE',
          InitiatingProcessFolderPath: 'C:\\x\\a.exe',
          ProcessCommandLine: 'whoami.exe /all',
        },
      },
      {
        event: {
          GrandParentImage: 'C:\\x\\notrundll32.exe',
          ParentImage: 'C:\\x\\a.exe',
          CommandLine: 'whoami.exe /all',
        },
        row: {
          InitiatingProcessParentFileName: 'notrundll32.exe',
          InitiatingProcessFolderPath: 'C:\\x\\a.exe',
          ProcessCommandLine: 'whoami.exe /all',
        },
      },
      {
        event: {
          GrandParentImage: 'C:\\Windows\\System32\\rundll32.exe',
          ParentImage: 'C:\\x\\a.exe',
          CommandLine: 'whoami',
        },
        row: {
          InitiatingProcessParentFileName: 'rundll32.exe',
          InitiatingProcessFolderPath: 'C:\\x\\a.exe',
          ProcessCommandLine: 'whoami',
        },
      },
    ]);
  });

  it('other conditions on the grandparent fail the rule with C022', () => {
    for (const v of [
      "GrandParentImage|contains: '\\Temp\\'",
      "GrandParentImage: 'C:\\x.exe'",
      "GrandParentImage|endswith: '\\Temp\\x.exe'",
    ])
      expect(failure(procRule(v)).code, v).toBe('C022');
  });
});

describe('Sysmon registry EventID → DeviceRegistryEvents ActionType (as the EventType map)', () => {
  it('12 is a key created or deleted or a value deleted, 13 a value set', () => {
    const rule = corpusRule('rules/windows/registry/registry_event/registry_event_mal_azorult.yml');
    const key = 'HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\services\\localNETService';
    const target = 'HKLM\\SYSTEM\\CurrentControlSet\\services\\localNETService';
    crossCheck(rule, [
      { event: { EventID: 12, TargetObject: target }, row: { ActionType: 'RegistryKeyCreated', RegistryKey: key } },
      { event: { EventID: 12, TargetObject: target }, row: { ActionType: 'RegistryKeyDeleted', RegistryKey: key } },
      {
        event: { EventID: 13, TargetObject: `${target}\\x` },
        row: { ActionType: 'RegistryValueSet', RegistryKey: key, RegistryValueName: 'x' },
      },
      {
        event: { EventID: 12, TargetObject: `${target}2` },
        row: { ActionType: 'RegistryKeyCreated', RegistryKey: `${key}2` },
      },
    ]);
  });

  it('14 (rename) has no mapping (C007)', () => {
    const rule = inline(
      'product: windows, category: registry_event',
      "  sel: {EventID: 14, TargetObject|contains: 'Run'}\n  condition: sel",
    );
    expect(failure(rule)).toMatchObject({ code: 'C007', message: expect.stringContaining("'14'") });
  });
});

describe('fail with eventIdRequired (pipeline files, KQL and Sigma output)', () => {
  const spec = loadPipelineSpec(
    [
      'name: logons-only',
      'routes:',
      '  - logsource: { product: windows, service: security }',
      '    table: DeviceLogonEvents',
      'transformations:',
      '  - type: fail',
      '    eventIdRequired: true',
      '    reason: only logons here',
      '  - type: value_map',
      '    field: EventID',
      '    column: ActionType',
      '    values: { 4624: [LogonSuccess] }',
    ].join('\n'),
    'logons.yml',
  );
  const rule = (detection: string): SigmaRule => inline('product: windows, service: security', detection);

  it('loads, and refuses a rule that restricts EventID in no alternative on every target', () => {
    expect(spec.diagnostics).toEqual([]);
    for (const target of ['kql', 'sigma'] as const) {
      const free = convertDocument(rule("  sel: {RemoteIP: '10.0.0.1'}\n  condition: sel"), {
        target,
        pipelines: [spec.spec!],
      });
      expect(!free.ok && free.errors[0], target).toMatchObject({
        code: 'C004',
        message: expect.stringContaining('only logons here'),
      });
      const bound = convertDocument(rule("  sel: {EventID: 4624, RemoteIP: '10.0.0.1'}\n  condition: sel"), {
        target,
        pipelines: [spec.spec!],
      });
      expect(bound.ok, target).toBe(true);
    }
  });

  it('the rewritten Sigma rule reports the same refusal', () => {
    const free = applyPipelineToRule(rule("  sel: {RemoteIP: '10.0.0.1'}\n  condition: sel"), [spec.spec!]);
    expect(free.errors.map((e) => e.code)).toEqual(['C004']);
    const bound = applyPipelineToRule(rule('  sel: {EventID: 4624}\n  condition: sel'), [spec.spec!]);
    expect(bound.errors).toEqual([]);
  });

  it('defender-xdr guards its WMI-Activity route (5861 only) the same way', () => {
    const wmi = (detection: string): SigmaRule => inline('product: windows, service: wmi', detection);
    expect(failure(wmi("  sel: {Namespace: 'root\\subscription'}\n  condition: sel"))).toMatchObject({
      code: 'C004',
      message: expect.stringContaining('only event 5861'),
    });
    expect(kql(wmi("  sel: {EventID: 5861, Namespace: 'root\\subscription'}\n  condition: sel")).table).toBe(
      'DeviceEvents',
    );
  });

  it('a non-boolean eventIdRequired is an invalid pipeline file (C013)', () => {
    const bad = loadPipelineSpec(
      'name: x\ntransformations:\n  - type: fail\n    eventIdRequired: yes-please\n    reason: r\n',
      'p.yml',
    );
    expect(bad.spec).toBeUndefined();
    expect(bad.diagnostics[0]!.code).toBe('C013');
  });
});
