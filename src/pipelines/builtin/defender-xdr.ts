/**
 * Microsoft Defender XDR advanced hunting (Device* tables). Sysmon field names → Defender
 * columns, per table. Sources: learn.microsoft.com advanced-hunting table pages; DeviceEvents
 * ActionType names as documented there, except where a route says `unverified`.
 */
import type { PipelineSpec, Transformation } from '../types.js';

const windows = (category: string) => ({ product: 'windows', category });

/** Columns of the process a Device* event is about (the "initiating" process). */
const INITIATING = {
  Image: 'InitiatingProcessFolderPath',
  CommandLine: 'InitiatingProcessCommandLine',
  ProcessId: 'InitiatingProcessId',
  IntegrityLevel: 'InitiatingProcessIntegrityLevel',
  Company: 'InitiatingProcessVersionInfoCompanyName',
  Description: 'InitiatingProcessVersionInfoFileDescription',
  Product: 'InitiatingProcessVersionInfoProductName',
  OriginalFileName: 'InitiatingProcessVersionInfoOriginalFileName',
  ParentProcessId: 'InitiatingProcessParentId',
} as const;

const HASH_COLUMNS = { MD5: 'MD5', SHA1: 'SHA1', SHA256: 'SHA256' };
const HASH_FIELDS = { md5: 'MD5', sha1: 'SHA1', sha256: 'SHA256' };
const REGISTRY_HIVES = [
  { prefix: 'HKLM\\', with: 'HKEY_LOCAL_MACHINE\\' },
  { prefix: 'HKU\\', with: 'HKEY_USERS\\' },
  { prefix: 'HKCU\\', with: 'HKEY_CURRENT_USER\\' },
  { prefix: 'HKCR\\', with: 'HKEY_CLASSES_ROOT\\' },
];

const T = {
  process: 'DeviceProcessEvents',
  image: 'DeviceImageLoadEvents',
  file: 'DeviceFileEvents',
  registry: 'DeviceRegistryEvents',
  network: 'DeviceNetworkEvents',
  events: 'DeviceEvents',
} as const;

const transformations: Transformation[] = [
  { type: 'set_state', state: { product: 'defender', timeColumn: 'Timestamp' } },
  // Sysmon writes registry paths with short hive names; Defender with the long ones.
  { type: 'replace_prefix', when: { table: T.registry }, fields: ['TargetObject'], replacements: REGISTRY_HIVES },
  // Defender records pipe names as \Device\NamedPipe\<name>; Sysmon as \<name>.
  {
    type: 'replace_prefix',
    when: { table: T.events, logsource: windows('pipe_created') },
    fields: ['PipeName'],
    replacements: [{ prefix: '\\', with: '\\Device\\NamedPipe\\' }],
  },
  // Hashes are one Sysmon field (`SHA1=…,MD5=…`) and separate Defender columns.
  {
    type: 'split_hashes',
    when: { table: [T.process, T.image, T.file, T.events] },
    field: 'Hashes',
    columns: HASH_COLUMNS,
  },
  {
    type: 'field_map',
    when: { table: T.process },
    map: {
      Image: 'FolderPath',
      CommandLine: 'ProcessCommandLine',
      ParentImage: 'InitiatingProcessFolderPath',
      ParentCommandLine: 'InitiatingProcessCommandLine',
      OriginalFileName: 'ProcessVersionInfoOriginalFileName',
      Description: 'ProcessVersionInfoFileDescription',
      Product: 'ProcessVersionInfoProductName',
      Company: 'ProcessVersionInfoCompanyName',
      IntegrityLevel: 'ProcessIntegrityLevel',
      ProcessId: 'ProcessId',
      ParentProcessId: 'InitiatingProcessId',
      LogonId: 'LogonId',
      ...HASH_FIELDS,
    },
  },
  {
    type: 'split_domain_user',
    when: { table: T.process },
    field: 'User',
    domain: 'AccountDomain',
    user: 'AccountName',
  },
  {
    type: 'split_domain_user',
    when: { table: T.process },
    field: 'ParentUser',
    domain: 'InitiatingProcessAccountDomain',
    user: 'InitiatingProcessAccountName',
  },
  { type: 'field_map', when: { table: T.image }, map: { ImageLoaded: 'FolderPath', ...INITIATING, ...HASH_FIELDS } },
  { type: 'field_map', when: { table: T.file }, map: { TargetFilename: 'FolderPath', ...INITIATING, ...HASH_FIELDS } },
  {
    type: 'field_map',
    when: { table: T.registry },
    map: { TargetObject: 'RegistryTargetObject', Details: 'RegistryValueData', ...INITIATING },
  },
  {
    type: 'value_map',
    when: { table: T.registry },
    field: 'EventType',
    column: 'ActionType',
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
    when: { table: T.network },
    map: {
      DestinationIp: 'RemoteIP',
      DestinationPort: 'RemotePort',
      DestinationHostname: 'RemoteUrl',
      SourceIp: 'LocalIP',
      SourcePort: 'LocalPort',
      Protocol: 'Protocol',
      ...INITIATING,
    },
  },
  {
    type: 'value_map',
    when: { table: T.network },
    field: 'Initiated',
    column: 'ActionType',
    values: {
      true: ['ConnectionSuccess', 'ConnectionAttempt', 'ConnectionFailed', 'ConnectionRequest'],
      false: ['InboundConnectionAccepted'],
    },
  },
  {
    type: 'field_map',
    when: { logsource: windows('create_remote_thread') },
    map: {
      SourceImage: 'InitiatingProcessFolderPath',
      TargetImage: 'FolderPath',
      SourceProcessId: 'InitiatingProcessId',
      TargetProcessId: 'ProcessId',
      StartModule: 'AdditionalFields.StartModule',
      StartFunction: 'AdditionalFields.StartFunction',
      StartAddress: 'AdditionalFields.StartAddress',
    },
  },
  {
    type: 'field_map',
    when: { logsource: windows('pipe_created') },
    map: { PipeName: 'AdditionalFields.PipeName', ...INITIATING },
  },
  {
    type: 'field_map',
    when: { logsource: windows('driver_load') },
    map: { ImageLoaded: 'FolderPath', ...HASH_FIELDS },
  },
  {
    type: 'field_map',
    when: { logsource: windows('dns_query') },
    map: { QueryName: 'AdditionalFields.DnsQueryString', ...INITIATING },
  },
  {
    type: 'field_map',
    when: { logsource: windows('wmi_event') },
    map: {
      Consumer: 'AdditionalFields.Consumer',
      Filter: 'AdditionalFields.ESS',
      Destination: 'AdditionalFields.Consumer',
      Namespace: 'AdditionalFields.Namespace',
      ...INITIATING,
    },
  },
  // Sysmon writes a WMI subscription as events 19 (filter), 20 (consumer) and 21 (binding);
  // Defender records the subscription once, when the binding is made (see the route's note).
  {
    type: 'value_map',
    when: { logsource: windows('wmi_event') },
    field: 'EventID',
    column: 'ActionType',
    values: {
      19: ['WmiBindEventFilterToConsumer'],
      20: ['WmiBindEventFilterToConsumer'],
      21: ['WmiBindEventFilterToConsumer'],
    },
  },
  {
    type: 'split_domain_user',
    when: { table: [T.image, T.file, T.registry, T.network, T.events] },
    field: 'User',
    domain: 'InitiatingProcessAccountDomain',
    user: 'InitiatingProcessAccountName',
  },
  {
    type: 'fail',
    when: { table: [T.process, T.image, T.file, T.registry, T.network, T.events] },
    fields: ['Imphash'],
    reason: 'Defender XDR does not record import hashes',
  },
];

export const defenderXdr: PipelineSpec = {
  name: 'defender-xdr',
  description: 'Microsoft Defender XDR advanced hunting: Sysmon-style Windows rules → Device* tables and columns',
  targets: ['kql'],
  routes: [
    { logsource: windows('process_creation'), table: T.process },
    { logsource: windows('image_load'), table: T.image },
    {
      logsource: windows('file_event'),
      table: T.file,
      conditions: { ActionType: ['FileCreated', 'FileModified'] },
      note: 'Sysmon FileCreate fires on creation and overwrite',
    },
    { logsource: windows('file_change'), table: T.file, conditions: { ActionType: 'FileModified' } },
    { logsource: windows('file_rename'), table: T.file, conditions: { ActionType: 'FileRenamed' } },
    { logsource: windows('file_delete'), table: T.file, conditions: { ActionType: 'FileDeleted' } },
    {
      logsource: windows('registry_add'),
      table: T.registry,
      conditions: { ActionType: 'RegistryKeyCreated' },
      extend: { RegistryTargetObject: 'RegistryKey' },
    },
    {
      logsource: windows('registry_delete'),
      table: T.registry,
      conditions: { ActionType: ['RegistryKeyDeleted', 'RegistryValueDeleted'] },
      extend: {
        RegistryTargetObject:
          'iff(isempty(RegistryValueName), RegistryKey, strcat(RegistryKey, @"\\", RegistryValueName))',
      },
    },
    {
      logsource: windows('registry_set'),
      table: T.registry,
      conditions: { ActionType: 'RegistryValueSet' },
      // Sysmon's TargetObject is key\value name; Defender keeps them apart.
      extend: { RegistryTargetObject: 'strcat(RegistryKey, @"\\", RegistryValueName)' },
    },
    {
      logsource: windows('registry_event'),
      table: T.registry,
      extend: {
        RegistryTargetObject:
          'iff(isempty(RegistryValueName), RegistryKey, strcat(RegistryKey, @"\\", RegistryValueName))',
      },
    },
    { logsource: windows('network_connection'), table: T.network },
    {
      logsource: windows('create_remote_thread'),
      table: T.events,
      conditions: { ActionType: 'CreateRemoteThreadApiCall' },
    },
    {
      logsource: windows('pipe_created'),
      table: T.events,
      conditions: { ActionType: 'NamedPipeEvent' },
      note: 'pipe name in AdditionalFields.PipeName',
    },
    { logsource: windows('driver_load'), table: T.events, conditions: { ActionType: 'DriverLoad' } },
    {
      logsource: windows('dns_query'),
      table: T.events,
      conditions: { ActionType: 'DnsQueryResponse' },
      unverified:
        'the DnsQueryResponse ActionType and its AdditionalFields.DnsQueryString are community-documented, not in the DeviceEvents table reference',
    },
    {
      logsource: windows('wmi_event'),
      table: T.events,
      conditions: { ActionType: 'WmiBindEventFilterToConsumer' },
      unverified:
        "the WmiBindEventFilterToConsumer ActionType and its AdditionalFields (Consumer, ESS, Namespace) are community-documented, not in Microsoft's DeviceEvents reference",
    },
  ],
  transformations,
};
