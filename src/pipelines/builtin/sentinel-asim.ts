/**
 * Microsoft Sentinel with ASIM (Advanced Security Information Model) parsers: normalized
 * process, file, registry, network, DNS and web events from any source, through imProcessCreate,
 * imFileEvent, imRegistry, imNetworkSession, imDns and imWebSession. Field names from
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
const REGISTRY_TARGET = 'iff(isempty(RegistryValue), RegistryKey, strcat(RegistryKey, @"\\", RegistryValue))';

export const sentinelAsim: PipelineSpec = {
  name: 'sentinel-asim',
  description:
    'Microsoft Sentinel with ASIM parsers: imProcessCreate, imFileEvent, imRegistry, imNetworkSession, imDns, imWebSession',
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
  ],
  transformations: [
    { type: 'set_state', state: { product: 'sentinel', timeColumn: 'TimeGenerated' } },
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
