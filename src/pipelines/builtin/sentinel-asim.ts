/**
 * Microsoft Sentinel with ASIM (Advanced Security Information Model) parsers: normalized
 * process, file, registry, network, DNS and web events from any source, through imProcessCreate,
 * imFileEvent, imRegistry, imNetworkSession, imDns and imWebSession (Linux processes and files
 * where the parser names the OS); Entra ID sign-ins through
 * imAuthentication, Entra ID audit and Azure activity through imAuditEvent. Field names from
 * Microsoft's ASIM schemas (columns: src/data/kql/kql-tables.json).
 */
import type { PipelineSpec } from '../types.js';

const windows = (category: string) => ({ product: 'windows', category });
const HIVES = [
  { prefix: 'HKLM\\', with: 'HKEY_LOCAL_MACHINE\\' },
  { prefix: 'HKU\\', with: 'HKEY_USERS\\' },
  { prefix: 'HKCU\\', with: 'HKEY_CURRENT_USER\\' },
  { prefix: 'HKCR\\', with: 'HKEY_CLASSES_ROOT\\' },
];
const ACTING = {
  Image: 'ActingProcessName',
  CommandLine: 'ActingProcessCommandLine',
  ProcessId: 'ActingProcessId',
  User: 'ActorUsername',
};
const ASIM_PARSERS = [
  'imProcessCreate',
  'imFileEvent',
  'imRegistry',
  'imNetworkSession',
  'imDns',
  'imWebSession',
  'imAuthentication',
  'imAuditEvent',
];
const REGISTRY_TARGET = 'iff(isempty(RegistryValue), RegistryKey, strcat(RegistryKey, @"\\", RegistryValue))';

export const sentinelAsim: PipelineSpec = {
  name: 'sentinel-asim',
  description:
    'Microsoft Sentinel with ASIM parsers: imProcessCreate, imFileEvent, imRegistry, imNetworkSession, imDns, imWebSession, imAuthentication, imAuditEvent',
  targets: ['kql'],
  routes: [
    { logsource: windows('process_creation'), table: 'imProcessCreate' },
    { logsource: windows('file_event'), table: 'imFileEvent', conditions: { EventType: 'FileCreated' } },
    { logsource: windows('file_delete'), table: 'imFileEvent', conditions: { EventType: 'FileDeleted' } },
    { logsource: windows('file_rename'), table: 'imFileEvent', conditions: { EventType: 'FileRenamed' } },
    { logsource: windows('file_change'), table: 'imFileEvent', conditions: { EventType: 'FileModified' } },
    {
      logsource: windows('registry_add'),
      table: 'imRegistry',
      conditions: { EventType: 'RegistryKeyCreated' },
      extend: { RegistryTargetObject: 'RegistryKey' },
    },
    {
      logsource: windows('registry_delete'),
      table: 'imRegistry',
      conditions: { EventType: ['RegistryKeyDeleted', 'RegistryValueDeleted'] },
      extend: { RegistryTargetObject: REGISTRY_TARGET },
    },
    {
      logsource: windows('registry_set'),
      table: 'imRegistry',
      conditions: { EventType: 'RegistryValueSet' },
      extend: { RegistryTargetObject: REGISTRY_TARGET },
    },
    { logsource: windows('registry_event'), table: 'imRegistry', extend: { RegistryTargetObject: REGISTRY_TARGET } },
    { logsource: windows('network_connection'), table: 'imNetworkSession' },
    // Linux: the rows whose parser names the device's OS (Sysmon for Linux's parsers set DvcOs to
    // "Linux"); a parser that leaves DvcOs empty (Defender for Endpoint's) is not read.
    {
      logsource: { product: 'linux', category: 'process_creation' },
      table: 'imProcessCreate',
      conditions: { DvcOs: 'Linux' },
      note: 'rows with DvcOs "Linux" (Sysmon for Linux); parsers that leave DvcOs empty are not read',
    },
    {
      logsource: { product: 'linux', category: 'file_event' },
      table: 'imFileEvent',
      conditions: { EventType: 'FileCreated', DvcOs: 'Linux' },
      note: 'rows with DvcOs "Linux" (Sysmon for Linux); parsers that leave DvcOs empty are not read',
    },
    // Client-side queries with the requesting process: only Sysmon's (event 22) rows of imDns,
    // which also normalizes DNS server and resolver logs.
    { logsource: windows('dns_query'), table: 'imDns', conditions: { EventProduct: 'Sysmon' } },
    {
      logsource: { category: 'dns' },
      table: 'imDns',
      note: 'every DNS source ASIM normalizes (server, resolver and client logs)',
    },
    { logsource: { category: 'webserver' }, table: 'imWebSession' },
    { logsource: { category: 'proxy' }, table: 'imWebSession' },
    { logsource: { category: 'firewall' }, table: 'imNetworkSession' },
    // Cloud sources, each scoped to the rows its own parser normalizes: `Type` is the table the
    // row came from, which every ASIM parser keeps.
    {
      logsource: { product: 'azure', service: 'signinlogs' },
      table: 'imAuthentication',
      conditions: { Type: ['SigninLogs', 'AADNonInteractiveUserSignInLogs'] },
      note: "Entra ID user sign-ins, interactive and non-interactive: imAuthentication's rows from those two tables",
    },
    {
      logsource: { product: 'azure', service: 'auditlogs' },
      table: 'imAuditEvent',
      conditions: { Type: 'AuditLogs' },
      note: "Entra ID audit logs: imAuditEvent's rows from AuditLogs",
    },
    {
      logsource: { product: 'azure', service: 'activitylogs' },
      table: 'imAuditEvent',
      conditions: { Type: 'AzureActivity' },
      note: "Azure activity: imAuditEvent's rows from AzureActivity, whose ASIM parser keeps the Administrative category (every Resource Manager create, update, delete and action operation)",
    },
  ],
  transformations: [
    { type: 'set_state', state: { product: 'sentinel', timeColumn: 'TimeGenerated' } },
    {
      type: 'fail',
      when: { table: ASIM_PARSERS },
      keywords: true,
      reason:
        "an ASIM parser's row is not the event: it adds columns of its own (EventVendor, EventSchema, ObjectType …) and drops original fields, so a search of every column neither finds only nor finds all of what a search of the event does",
    },
    {
      type: 'split_hashes',
      when: { table: 'imProcessCreate' },
      field: 'Hashes',
      columns: {
        MD5: 'TargetProcessMD5',
        SHA1: 'TargetProcessSHA1',
        SHA256: 'TargetProcessSHA256',
        IMPHASH: 'TargetProcessIMPHASH',
      },
    },
    {
      type: 'field_map',
      when: { table: 'imProcessCreate' },
      map: {
        Image: 'TargetProcessName',
        CommandLine: 'TargetProcessCommandLine',
        ParentImage: 'ActingProcessName',
        ParentCommandLine: 'ActingProcessCommandLine',
        OriginalFileName: 'TargetProcessFileOriginalName',
        Company: 'TargetProcessFileCompany',
        Description: 'TargetProcessFileDescription',
        Product: 'TargetProcessFileProduct',
        FileVersion: 'TargetProcessFileVersion',
        IntegrityLevel: 'TargetProcessIntegrityLevel',
        CurrentDirectory: 'TargetProcessCurrentDirectory',
        ProcessId: 'TargetProcessId',
        ParentProcessId: 'ActingProcessId',
        User: 'TargetUsername',
        ParentUser: 'ActorUsername',
        md5: 'TargetProcessMD5',
        sha1: 'TargetProcessSHA1',
        sha256: 'TargetProcessSHA256',
        Imphash: 'TargetProcessIMPHASH',
      },
    },
    {
      type: 'split_hashes',
      when: { table: 'imFileEvent' },
      field: 'Hashes',
      columns: { MD5: 'TargetFileMD5', SHA1: 'TargetFileSHA1', SHA256: 'TargetFileSHA256' },
    },
    { type: 'field_map', when: { table: 'imFileEvent' }, map: { TargetFilename: 'TargetFilePath', ...ACTING } },
    {
      type: 'field_map',
      when: { table: 'imFileEvent', logsource: windows('file_rename') },
      // A rename's old path: the file event schema's source file (SrcFilePath), the new one TargetFilePath.
      map: { SourceFilename: 'SrcFilePath' },
    },
    { type: 'replace_prefix', when: { table: 'imRegistry' }, fields: ['TargetObject'], replacements: HIVES },
    {
      type: 'field_map',
      when: { table: 'imRegistry' },
      map: { TargetObject: 'RegistryTargetObject', Details: 'RegistryValueData', ...ACTING },
    },
    {
      type: 'value_map',
      when: { table: 'imRegistry' },
      field: 'EventType',
      column: 'EventType',
      values: {
        SetValue: ['RegistryValueSet'],
        CreateKey: ['RegistryKeyCreated'],
        DeleteKey: ['RegistryKeyDeleted'],
        DeleteValue: ['RegistryValueDeleted'],
        RenameKey: ['RegistryKeyRenamed'],
      },
    },
    {
      type: 'field_map',
      when: { table: 'imNetworkSession' },
      map: {
        DestinationIp: 'DstIpAddr',
        DestinationPort: 'DstPortNumber',
        DestinationHostname: 'DstHostname',
        SourceIp: 'SrcIpAddr',
        SourcePort: 'SrcPortNumber',
        SourceHostname: 'SrcHostname',
        Protocol: 'NetworkProtocol',
        Image: 'SrcProcessName',
        ProcessId: 'SrcProcessId',
        User: 'SrcUsername',
      },
    },
    {
      type: 'value_map',
      when: { table: 'imNetworkSession' },
      field: 'Initiated',
      column: 'NetworkDirection',
      values: { true: ['Outbound'], false: ['Inbound'] },
    },
    {
      type: 'field_map',
      when: { table: 'imDns' },
      map: { QueryName: 'DnsQuery', Image: 'SrcProcessName', ProcessId: 'SrcProcessId', User: 'SrcUsername' },
    },
    {
      type: 'field_map',
      when: { table: 'imDns', logsource: { category: 'dns' } },
      map: { query: 'DnsQuery', record_type: 'DnsQueryTypeName', src_ip: 'SrcIpAddr' },
    },
    {
      type: 'field_map',
      when: { table: 'imWebSession' },
      // W3C (webserver) and proxy field names → the web session schema. Url is the whole URL:
      // the query alone (cs-uri-query) or the path alone (cs-uri-stem) has no column.
      map: {
        'c-uri': 'Url',
        'c-useragent': 'HttpUserAgent',
        'cs-user-agent': 'HttpUserAgent',
        'cs-method': 'HttpRequestMethod',
        'cs-host': 'HttpHost',
        'cs-referer': 'HttpReferrer',
        'cs-referrer': 'HttpReferrer',
        'sc-status': 'HttpStatusCode',
        'c-ip': 'SrcIpAddr',
        src_ip: 'SrcIpAddr',
        dst_ip: 'DstIpAddr',
      },
    },
    {
      type: 'field_map',
      when: { table: 'imAuthentication', logsource: { product: 'azure', service: 'signinlogs' } },
      // What both sign-in parsers rename or copy unchanged (Azure-Sentinel ASimAuthenticationAADSigninLogs
      // and …AADNonInteractive): the user agent, the user's UPN, the device id. Other sign-in fields
      // (ResultDescription, AuthenticationRequirement, ConditionalAccessStatus …) are dropped or
      // rewritten through lookups, so a rule using them finds no column (C002).
      map: {
        userAgent: 'HttpUserAgent',
        UserPrincipalName: 'TargetUsername',
        'DeviceDetail.deviceId': 'SrcDvcId',
        'DeviceDetail.deviceid': 'SrcDvcId',
      },
    },
    {
      type: 'value_map',
      when: { table: 'imAuthentication', logsource: { product: 'azure', service: 'signinlogs' } },
      // EventResult is 'Success' exactly when ResultType is 0; any other code is 'Failure'.
      field: 'ResultType',
      column: 'EventResult',
      values: { '0': ['Success'] },
    },
    {
      type: 'field_map',
      when: { table: 'imAuditEvent', logsource: { product: 'azure', service: 'auditlogs' } },
      // The Entra ID audit parser renames ActivityDisplayName (the diagnostic export's
      // properties.message) to Operation and OperationName to EventOriginalType, and keeps Category
      // in AdditionalFields.
      map: {
        'properties.message': 'Operation',
        ActivityDisplayName: 'Operation',
        operationName: 'EventOriginalType',
        OperationName: 'EventOriginalType',
        Category: 'AdditionalFields.Category',
        category: 'AdditionalFields.Category',
        LoggedByService: 'TargetAppName',
      },
    },
    {
      type: 'value_map',
      when: { table: 'imAuditEvent', logsource: { product: 'azure', service: 'auditlogs' } },
      // Result 'success' / 'failure' become EventResult 'Success' / 'Failure'; other results are 'NA'.
      field: 'Status',
      column: 'EventResult',
      values: { success: ['Success'], failure: ['Failure'] },
    },
    {
      type: 'field_map',
      when: { table: 'imAuditEvent', logsource: { product: 'azure', service: 'activitylogs' } },
      // The AzureActivity parser renames OperationNameValue (MICROSOFT.…/WRITE) to Operation.
      map: { operationName: 'Operation', OperationNameValue: 'Operation' },
    },
    {
      type: 'value_map',
      when: { table: 'imAuditEvent', logsource: { product: 'azure', service: 'activitylogs' } },
      // Only the Administrative category reaches imAuditEvent (as EventOriginalType): a rule on
      // another category would find no rows, so it is refused (C007).
      field: 'CategoryValue',
      column: 'EventOriginalType',
      values: { Administrative: ['Administrative'] },
    },
    {
      type: 'field_map',
      when: { table: 'imNetworkSession', logsource: { category: 'firewall' } },
      map: {
        src_ip: 'SrcIpAddr',
        src_port: 'SrcPortNumber',
        dst_ip: 'DstIpAddr',
        dst_port: 'DstPortNumber',
        action: 'DvcAction',
      },
    },
  ],
};
