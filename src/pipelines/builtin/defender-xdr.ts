/**
 * Microsoft Defender XDR advanced hunting (Device* tables). Sysmon field names → Defender
 * columns, per table; Linux and macOS rules (Defender for Endpoint's Linux and macOS sensors
 * write the same Device* tables) and the Windows logon and WMI-Activity events Defender
 * records. Sources: learn.microsoft.com advanced-hunting table pages; DeviceEvents ActionType
 * names as documented there, except where a route says `unverified`.
 */
import type { PipelineSpec, Transformation } from '../types.js';

const windows = (category: string) => ({ product: 'windows', category });
const linux = (category: string) => ({ product: 'linux', category });
const macos = (category: string) => ({ product: 'macos', category });
/** Linux and macOS logsources of a category (both sensors write the same tables and columns). */
const posix = (category: string) => [linux(category), macos(category)];
/**
 * Device* rows carry no operating system column; DeviceInfo has it, but a join has no place in
 * a detection. A Linux or macOS path starts with `/`, a Windows path with a drive letter or
 * `\\`: the path column of the row tells them apart (not Linux from macOS).
 */
const POSIX_NOTE =
  'scoped to Linux and macOS rows by the path column starting with "/" (Device* rows have no OS column); Linux and macOS rows are not told apart';

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
  // Defender writes user hives as HKEY_CURRENT_USER\<SID>\… (published hunting output); nothing
  // published says it never writes HKEY_USERS\ (.DEFAULT, S-1-5-18): both are alternatives.
  { prefix: 'HKU\\', with: 'HKEY_USERS\\' },
  { prefix: 'HKU\\', with: 'HKEY_CURRENT_USER\\' },
  { prefix: 'HKCU\\', with: 'HKEY_CURRENT_USER\\' },
  { prefix: 'HKCR\\', with: 'HKEY_CLASSES_ROOT\\' },
];

/** Windows event log services some of whose events Defender records as DeviceEvents actions. */
const WINDOWS_LOGS = [
  { product: 'windows', service: 'security' },
  { product: 'windows', service: 'system' },
];

const DNS_CLIENT = { product: 'windows', service: 'dns-client' };
const DNS_UNVERIFIED =
  'the DnsQueryResponse ActionType and its AdditionalFields.DnsQueryString are community-documented, not in the DeviceEvents table reference';

/** Where Defender's service and scheduled task actions are named (none is in the DeviceEvents reference). */
const DEVICE_EVENTS_ACTIONS_UNVERIFIED =
  "the ActionType names and AdditionalFields keys (ServiceName, TaskName) are community-documented (published hunting queries), not in Microsoft's DeviceEvents reference";

const T = {
  process: 'DeviceProcessEvents',
  image: 'DeviceImageLoadEvents',
  file: 'DeviceFileEvents',
  registry: 'DeviceRegistryEvents',
  network: 'DeviceNetworkEvents',
  events: 'DeviceEvents',
  logon: 'DeviceLogonEvents',
} as const;

/** Windows logon types (SECURITY_LOGON_TYPE, the number in event 4624) → Defender's LogonType names. */
const LOGON_TYPES: Record<string, string[]> = {
  2: ['Interactive'],
  3: ['Network'],
  4: ['Batch'],
  5: ['Service'],
  7: ['Unlock'],
  8: ['NetworkCleartext'],
  9: ['NewCredentials'],
  10: ['RemoteInteractive'],
  11: ['CachedInteractive'],
};

/**
 * Attack surface reduction rules: GUID → the name Defender's DeviceEvents ActionType carries
 * (`Asr<Name>Audited` / `Asr<Name>Blocked`). Source: Microsoft's "Attack surface reduction rules
 * reference" (per-rule GUID and "Advanced hunting action type"). A GUID not listed fails the
 * rule (C007): no guessed names.
 */
const ASR_RULES: Record<string, string> = {
  '56a863a9-875e-4185-98a7-b882c64b5ce5': 'VulnerableSignedDriver',
  '7674ba52-37eb-4a4f-a9a1-f0f9a1619a2c': 'AdobeReaderChildProcess',
  'd4f940ab-401b-4efc-aadc-ad5f3c50688a': 'OfficeChildProcess',
  '9e6c4e1f-7d60-472f-ba1a-a39ef669e4b2': 'LsassCredentialTheft',
  'be9ba2d9-53ea-4cdc-84e5-9b1eeee46550': 'ExecutableEmailContent',
  '01443614-cd74-433a-b99e-2ecdc07bfc25': 'UntrustedExecutable',
  '5beb7efe-fd9a-4556-801d-275e5ffc04cc': 'ObfuscatedScript',
  'd3e037e1-3eb8-44c8-a917-57927947596d': 'ScriptExecutableDownload',
  '3b576869-a4ec-4529-8536-b80a7769e899': 'ExecutableOfficeContent',
  '75668c1f-73b5-4cf0-bb93-3ecf5cb7cc84': 'OfficeProcessInjection',
  '26190899-1602-49e8-8b27-eb1d0a1ce869': 'OfficeCommAppChildProcess',
  'e6db77e5-3df2-4cf1-b95a-636979351e5b': 'PersistenceThroughWmi',
  'd1e49aac-8f56-4280-b9ba-993a6d77406c': 'PsexecWmiChildProcess',
  'b2b3f03d-6a65-4f7b-a9c7-1c7ef74a9ba4': 'UntrustedUsbProcess',
  '92e97fa1-2edf-4476-bdd6-9dd0b4dddc7b': 'OfficeMacroWin32ApiCalls',
  'c1db55ab-c21a-4637-bb3f-a12568109d35': 'Ransomware',
};
const ASR_ACTION_TYPES = Object.fromEntries(
  Object.entries(ASR_RULES).map(([guid, name]) => [guid, [`Asr${name}Audited`, `Asr${name}Blocked`]]),
);

/**
 * App Control for Business (CodeIntegrity-Operational) and AppLocker events → DeviceEvents
 * ActionType. Source: Microsoft's "Querying App Control events centrally using Advanced hunting"
 * (ActionType name ↔ ETW source event ID table, every row). An event ID not listed has no
 * Defender row: the rule is not taken by the route.
 */
const CODE_INTEGRITY_ACTIONS: Record<number, string> = {
  3023: 'AppControlCodeIntegrityDriverRevoked',
  3036: 'AppControlCodeIntegrityImageRevoked',
  3076: 'AppControlCodeIntegrityPolicyAudited',
  3077: 'AppControlCodeIntegrityPolicyBlocked',
  3089: 'AppControlCodeIntegritySigningInformation',
  3090: 'AppControlCodeIntegrityOriginAllowed',
  3091: 'AppControlCodeIntegrityOriginAudited',
  3092: 'AppControlCodeIntegrityOriginBlocked',
  3099: 'AppControlCodeIntegrityPolicyLoaded',
};
const APPLOCKER_ACTIONS: Record<number, string> = {
  8001: 'AppControlPolicyApplied',
  8003: 'AppControlExecutableAudited',
  8004: 'AppControlExecutableBlocked',
  8006: 'AppControlScriptAudited',
  8007: 'AppControlScriptBlocked',
  8021: 'AppControlPackagedAppAudited',
  8022: 'AppControlPackagedAppBlocked',
  8028: 'AppControlCIScriptAudited',
  8029: 'AppControlCIScriptBlocked',
};
const CODE_INTEGRITY = { product: 'windows', service: 'codeintegrity-operational' };
const APPLOCKER = { product: 'windows', service: 'applocker' };
const eventIdValues = (actions: Record<number, string>) =>
  Object.fromEntries(Object.entries(actions).map(([id, action]) => [id, [action]]));

/**
 * Security account management events → DeviceEvents actions. The names are not in Microsoft's
 * DeviceEvents reference: UserAccountCreated (with AccountName/AccountDomain the new account) is
 * in Microsoft's Microsoft-365-Defender-Hunting-Queries (Persistence/Create account.txt), and
 * UserAccountAddedToLocalGroup (AccountName/AccountSid the group, AdditionalFields.MemberSid the
 * member) in a contributed query there (Persistence/LocalAdminGroupChanges.txt); the others only
 * in community queries.
 */
const ACCOUNT_ACTIONS: Record<number, string> = {
  4720: 'UserAccountCreated',
  4726: 'UserAccountDeleted',
  4738: 'UserAccountModified',
  4732: 'UserAccountAddedToLocalGroup',
  4733: 'UserAccountRemovedFromLocalGroup',
};
const ACCOUNT_FIELDS = ['TargetUserName', 'TargetDomainName', 'TargetSid', 'MemberSid'];
const ACCOUNT_ACTIONS_UNVERIFIED =
  "the account ActionType names and their columns (AccountName, AccountDomain, AccountSid the target account or group, AdditionalFields.MemberSid the member) come from published hunting queries (UserAccountCreated and UserAccountAddedToLocalGroup in Microsoft's Microsoft-365-Defender-Hunting-Queries, the others community-only), not Microsoft's DeviceEvents reference";

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
  // Linux and macOS account names have no DOMAIN\\ part.
  {
    type: 'field_map',
    when: { table: T.process, logsource: posix('process_creation') },
    map: { User: 'AccountName' },
  },
  {
    type: 'field_map',
    when: { table: [T.file, T.network], logsource: [...posix('file_event'), ...posix('network_connection')] },
    map: { User: 'InitiatingProcessAccountName' },
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
  // Sysmon's registry event IDs (Sysmon documentation): 12 a key or value created or deleted
  // (EventType CreateKey, DeleteKey, DeleteValue), 13 a value set (SetValue), as in the
  // EventType map above. 14 (a key or value renamed) is not mapped: no source says whether
  // Defender records a value's rename, nor in which columns a rename's new name is (NewName).
  {
    type: 'value_map',
    when: { table: T.registry },
    field: 'EventID',
    column: 'ActionType',
    values: {
      12: ['RegistryKeyCreated', 'RegistryKeyDeleted', 'RegistryValueDeleted'],
      13: ['RegistryValueSet'],
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
  // DNS-Client 3008 (a query completed) is the event Sysmon's dns_query is built from: the same
  // query name, and nothing else of the event has a Defender equivalent.
  {
    type: 'fail',
    when: { table: T.events, logsource: DNS_CLIENT },
    except: ['EventID', 'QueryName'],
    reason: 'only the query name of DNS-Client event 3008 has a Defender equivalent (AdditionalFields.DnsQueryString)',
  },
  {
    type: 'value_map',
    when: { table: T.events, logsource: DNS_CLIENT },
    field: 'EventID',
    column: 'ActionType',
    values: { 3008: ['DnsQueryResponse'] },
  },
  {
    type: 'field_map',
    when: { table: T.events, logsource: DNS_CLIENT },
    map: { QueryName: 'AdditionalFields.DnsQueryString' },
  },
  {
    type: 'field_map',
    when: { logsource: windows('wmi_event') },
    map: {
      Consumer: 'AdditionalFields.Consumer',
      Filter: 'AdditionalFields.ESS',
      // The consumer's command or script; AdditionalFields.Consumer holds only its class and name.
      Destination: 'AdditionalFields.PossibleCause',
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
    type: 'fail',
    when: { logsource: windows('wmi_event') },
    fields: ['EventType', 'Operation'],
    reason:
      'Defender has no EventType or Operation column: it records a WMI subscription once, when a filter is bound to a consumer (ActionType WmiBindEventFilterToConsumer), not the creation, change or deletion of filters and consumers (Sysmon 19/20 and their Operation)',
  },
  // WMI-Activity 5861 (a permanent consumer bound to a filter) is the event Defender records as
  // WmiBindEventFilterToConsumer, with the event's ESS, CONSUMER and PossibleCause.
  {
    type: 'value_map',
    when: { logsource: { product: 'windows', service: 'wmi' } },
    field: 'EventID',
    column: 'ActionType',
    values: { 5861: ['WmiBindEventFilterToConsumer'] },
  },
  // The route holds 5861 only: a rule that could match the log's other events (5857-5860) fails.
  {
    type: 'fail',
    when: { logsource: { product: 'windows', service: 'wmi' } },
    eventIdRequired: true,
    reason:
      'Defender records only event 5861 of the WMI-Activity log (WmiBindEventFilterToConsumer); the rule can match other events',
  },
  {
    type: 'field_map',
    when: { logsource: { product: 'windows', service: 'wmi' } },
    map: {
      ESS: 'AdditionalFields.ESS',
      CONSUMER: 'AdditionalFields.Consumer',
      PossibleCause: 'AdditionalFields.PossibleCause',
      Namespace: 'AdditionalFields.Namespace',
    },
  },
  // Security 4697 and 4698/4699/4701/4702, System 7045 → DeviceEvents (routes with eventIds).
  {
    type: 'fail',
    when: { table: T.events, logsource: WINDOWS_LOGS },
    fields: ['TaskContent', 'TaskContentNew'],
    reason:
      "Defender's AdditionalFields.TaskContent holds the task as JSON, not the task XML of events 4698 and 4702, so a condition on that text cannot be written",
  },
  {
    type: 'fail',
    when: { table: T.events, logsource: WINDOWS_LOGS },
    fields: ['ServiceFileName', 'ImagePath'],
    reason:
      "Defender splits the service's image path over FileName and FolderPath (arguments sometimes in FileName), while the event has it as one command line: a condition on it cannot be written exactly",
  },
  // The events' other fields (SubjectUserName, AccountName, ProcessId …) have no Defender column
  // or name another one: DeviceEvents' AccountName and ProcessId are not 7045's.
  {
    type: 'fail',
    when: { table: T.events, logsource: WINDOWS_LOGS },
    // (The image path and task content fields are refused above, with their own reason.)
    except: [
      'EventID',
      'Provider_Name',
      'ServiceName',
      'TaskName',
      'TaskContent',
      'TaskContentNew',
      'ServiceFileName',
      'ImagePath',
      ...ACCOUNT_FIELDS,
    ],
    // A keyword would be searched in the DeviceEvents row, not in the event's text.
    keywords: true,
    reason:
      'only the event ID, provider, ServiceName, TaskName and the target account (TargetUserName, TargetDomainName, TargetSid, MemberSid) of these events have a Defender equivalent (ActionType, Account* columns, AdditionalFields)',
  },
  {
    type: 'value_map',
    when: { table: T.events, logsource: { product: 'windows', service: 'security' } },
    field: 'EventID',
    column: 'ActionType',
    values: {
      4697: ['ServiceInstalled'],
      4698: ['ScheduledTaskCreated'],
      4699: ['ScheduledTaskDeleted'],
      4701: ['ScheduledTaskDisabled'],
      4702: ['ScheduledTaskUpdated'],
      ...eventIdValues(ACCOUNT_ACTIONS),
    },
  },
  {
    type: 'value_map',
    when: { table: T.events, logsource: { product: 'windows', service: 'system' } },
    field: 'EventID',
    column: 'ActionType',
    values: { 7045: ['ServiceInstalled'] },
  },
  // The route already holds only the Service Control Manager's 7045 (ServiceInstalled).
  {
    type: 'value_map',
    when: { table: T.events, logsource: { product: 'windows', service: 'system' } },
    field: 'Provider_Name',
    column: 'ActionType',
    values: { 'Service Control Manager': ['ServiceInstalled'] },
  },
  {
    type: 'field_map',
    when: { table: T.events, logsource: WINDOWS_LOGS },
    map: { ServiceName: 'AdditionalFields.ServiceName', TaskName: 'AdditionalFields.TaskName' },
  },
  // The account a 4720/4726/4738 event is about, or the group of a 4732/4733 event, is the row's
  // Account* columns; the member added or removed is AdditionalFields.MemberSid (ACCOUNT_ACTIONS).
  // Only for those events: a service or task event has no target account, and DeviceEvents'
  // Account* columns of its rows are another account.
  {
    type: 'fail',
    when: { table: T.events, logsource: WINDOWS_LOGS, eventIds: [4697, 4698, 4699, 4701, 4702, 7045] },
    fields: ACCOUNT_FIELDS,
    reason:
      "services and scheduled tasks have no target account: DeviceEvents' AccountName, AccountDomain and AccountSid of these rows are not the event's",
  },
  {
    type: 'field_map',
    when: {
      table: T.events,
      logsource: { product: 'windows', service: 'security' },
      eventIds: Object.keys(ACCOUNT_ACTIONS).map(Number),
    },
    map: {
      TargetUserName: 'AccountName',
      TargetDomainName: 'AccountDomain',
      TargetSid: 'AccountSid',
      MemberSid: 'AdditionalFields.MemberSid',
    },
  },
  // App Control (CodeIntegrity-Operational) and AppLocker → DeviceEvents (routes with eventIds).
  // Microsoft's table gives the event ID of each action; the events' fields (FileNameBuffer is a
  // \Device\HarddiskVolumeN path, RequestedPolicy, PolicyName …) have no documented column.
  {
    type: 'fail',
    when: { table: T.events, logsource: [CODE_INTEGRITY, APPLOCKER] },
    except: ['EventID'],
    keywords: true,
    reason:
      'only the event ID of App Control and AppLocker events has a documented Defender equivalent (the ActionType); the file and policy fields have no documented column',
  },
  {
    type: 'value_map',
    when: { table: T.events, logsource: CODE_INTEGRITY },
    field: 'EventID',
    column: 'ActionType',
    values: eventIdValues(CODE_INTEGRITY_ACTIONS),
  },
  {
    type: 'value_map',
    when: { table: T.events, logsource: APPLOCKER },
    field: 'EventID',
    column: 'ActionType',
    values: eventIdValues(APPLOCKER_ACTIONS),
  },
  // The events' other fields (Path, Process Name, User …) have no documented DeviceEvents column.
  {
    type: 'fail',
    when: { table: T.events, logsource: { product: 'windows', service: 'windefend' } },
    except: ['EventID', 'ID'],
    reason:
      'only the event ID and the ASR rule GUID (ID) of Defender Antivirus events have a Defender XDR equivalent (the ActionType)',
  },
  // The route holds the ASR events 1121 and 1122 only: a rule that could match the log's other
  // events (an ASR rule's GUID alone also matches its warn-mode 1129 events) fails.
  {
    type: 'fail',
    when: { table: T.events, logsource: { product: 'windows', service: 'windefend' } },
    eventIdRequired: true,
    reason:
      'Defender XDR records only the ASR block and audit events 1121 and 1122 of the Defender Antivirus log as DeviceEvents actions; the rule can match other events',
  },
  // Defender Antivirus 1121 / 1122: an ASR rule blocked / audited an action (Microsoft's ASR
  // event list). Defender names the action type after the rule and the mode, so the event id
  // is the mode suffix of every ASR action type, and the rule's GUID (ID) is the name.
  {
    type: 'value_map',
    when: { logsource: { product: 'windows', service: 'windefend' } },
    field: 'EventID',
    column: 'ActionType',
    values: {
      1121: { 'ActionType|startswith': 'Asr', 'ActionType|endswith': 'Blocked' },
      1122: { 'ActionType|startswith': 'Asr', 'ActionType|endswith': 'Audited' },
    },
  },
  {
    type: 'value_map',
    when: { logsource: { product: 'windows', service: 'windefend' } },
    field: 'ID',
    column: 'ActionType',
    values: ASR_ACTION_TYPES,
  },
  // Security 4624 (a successful logon) and 4625 (a failed one) → DeviceLogonEvents.
  {
    type: 'value_map',
    when: { table: T.logon },
    field: 'EventID',
    column: 'ActionType',
    values: { 4624: ['LogonSuccess'], 4625: ['LogonFailed'] },
  },
  // The route takes every Security rule the routes by event ID leave, but holds only logons: a
  // rule that can match other events (no EventID condition, or only a negated one) fails.
  {
    type: 'fail',
    when: { table: T.logon, logsource: { product: 'windows', service: 'security' } },
    eventIdRequired: true,
    reason: 'DeviceLogonEvents holds only the logons of events 4624 and 4625; the rule can match other Security events',
  },
  // Defender's FailureReason is text ("InvalidUserNameOrPassword" …); no Microsoft source maps
  // the events' NTSTATUS codes onto it, nor 4625's own FailureReason (%%2313 …).
  {
    type: 'fail',
    when: { table: T.logon },
    fields: ['Status', 'SubStatus', 'FailureReason'],
    reason:
      "Defender's FailureReason is a text reason; no Microsoft source maps the event's NTSTATUS codes (Status, SubStatus) or FailureReason onto its values",
  },
  { type: 'value_map', when: { table: T.logon }, field: 'LogonType', column: 'LogonType', values: LOGON_TYPES },
  {
    type: 'fail',
    when: { table: T.logon },
    fields: ['IpAddress'],
    values: ['-'],
    reason: "Windows writes '-' for a logon without a network address; Defender leaves RemoteIP empty",
  },
  // The account logged on (or whose logon failed) is the row's Account* columns.
  {
    type: 'field_map',
    when: { table: T.logon },
    map: {
      IpAddress: 'RemoteIP',
      IpPort: 'RemotePort',
      TargetUserName: 'AccountName',
      TargetDomainName: 'AccountDomain',
      TargetUserSid: 'AccountSid',
    },
  },
  // A renamed file's former path is SourceFilename in Sigma; Defender keeps its former name
  // (PreviousFileName, "original name of the file that was renamed") apart from its folder.
  {
    type: 'path_to_name',
    when: { table: T.file, logsource: windows('file_rename') },
    field: 'SourceFilename',
    column: 'PreviousFileName',
  },
  // The created process's grandparent is its initiating process's parent, of which
  // DeviceProcessEvents has only the file name.
  {
    type: 'path_to_name',
    when: { table: T.process },
    field: 'GrandParentImage',
    column: 'InitiatingProcessParentFileName',
  },
  // ParentImage is a path; the non-process tables have only the parent's file name.
  {
    type: 'path_to_name',
    when: { table: [T.image, T.file, T.registry, T.network, T.events] },
    field: 'ParentImage',
    column: 'InitiatingProcessParentFileName',
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
    ...posix('process_creation').map((logsource) => ({
      logsource,
      table: T.process,
      conditions: { 'FolderPath|startswith': '/' },
      note: POSIX_NOTE,
    })),
    ...posix('file_event').map((logsource) => ({
      logsource,
      table: T.file,
      conditions: { ActionType: ['FileCreated', 'FileModified'], 'FolderPath|startswith': '/' },
      note: POSIX_NOTE,
    })),
    ...posix('network_connection').map((logsource) => ({
      logsource,
      table: T.network,
      conditions: { 'InitiatingProcessFolderPath|startswith': '/' },
      note: POSIX_NOTE,
    })),
    {
      logsource: { product: 'windows', service: 'security' },
      eventIds: [4698, 4699, 4701, 4702],
      table: T.events,
      conditions: {
        ActionType: ['ScheduledTaskCreated', 'ScheduledTaskDeleted', 'ScheduledTaskDisabled', 'ScheduledTaskUpdated'],
      },
      note: 'scheduled task created, deleted, disabled, updated; TaskName in AdditionalFields (TaskContent is JSON there: refused)',
      unverified: DEVICE_EVENTS_ACTIONS_UNVERIFIED,
    },
    {
      logsource: { product: 'windows', service: 'security' },
      eventIds: [4697],
      table: T.events,
      conditions: { ActionType: 'ServiceInstalled' },
      note: 'service installed; ServiceName in AdditionalFields (the image path is refused)',
      unverified: DEVICE_EVENTS_ACTIONS_UNVERIFIED,
    },
    {
      logsource: { product: 'windows', service: 'system' },
      eventIds: [7045],
      table: T.events,
      conditions: { ActionType: 'ServiceInstalled' },
      note: 'service installed (the same action as Security 4697); ServiceName in AdditionalFields (the image path is refused)',
      unverified: DEVICE_EVENTS_ACTIONS_UNVERIFIED,
    },
    {
      logsource: { product: 'windows', service: 'security' },
      eventIds: Object.keys(ACCOUNT_ACTIONS).map(Number),
      table: T.events,
      conditions: { ActionType: Object.values(ACCOUNT_ACTIONS) },
      note: 'user account created, deleted, changed, added to or removed from a local group; the target account (or group) in the Account* columns, the member in AdditionalFields.MemberSid',
      unverified: ACCOUNT_ACTIONS_UNVERIFIED,
    },
    {
      logsource: { product: 'windows', service: 'security' },
      table: T.logon,
      note: 'events 4624 (ActionType LogonSuccess) and 4625 (LogonFailed) only; the routes above take 4697, 4698-4702 and the account events; other Security events have no Defender table',
      unverified:
        'LogonType names beyond Interactive, RemoteInteractive, Network, Batch and Service follow the SECURITY_LOGON_TYPE enumeration; the DeviceLogonEvents reference does not list them',
    },
    {
      logsource: { product: 'windows', service: 'wmi' },
      table: T.events,
      conditions: { ActionType: 'WmiBindEventFilterToConsumer' },
      note: 'event 5861 only; ESS, CONSUMER and PossibleCause in AdditionalFields',
      unverified:
        "the WmiBindEventFilterToConsumer ActionType and its AdditionalFields (Consumer, ESS, PossibleCause, Namespace) are community-documented, not in Microsoft's DeviceEvents reference",
    },
    {
      logsource: { product: 'windows', service: 'windefend' },
      table: T.events,
      conditions: { 'ActionType|startswith': 'Asr' },
      note: 'attack surface reduction events 1121 (block) and 1122 (audit) only, by EventID and the rule GUID (ID)',
    },
    {
      logsource: CODE_INTEGRITY,
      eventIds: Object.keys(CODE_INTEGRITY_ACTIONS).map(Number),
      table: T.events,
      conditions: { ActionType: Object.values(CODE_INTEGRITY_ACTIONS) },
      note: "App Control events of Microsoft's ActionType table only, by EventID (3023, 3036, 3076, 3077, 3089-3092, 3099)",
    },
    {
      logsource: APPLOCKER,
      eventIds: Object.keys(APPLOCKER_ACTIONS).map(Number),
      table: T.events,
      conditions: { ActionType: Object.values(APPLOCKER_ACTIONS) },
      note: "AppLocker events of Microsoft's App Control ActionType table only, by EventID (8001, 8003, 8004, 8006, 8007, 8021, 8022, 8028, 8029)",
    },
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
      unverified: DNS_UNVERIFIED,
    },
    {
      logsource: DNS_CLIENT,
      eventIds: [3008],
      table: T.events,
      conditions: { ActionType: 'DnsQueryResponse' },
      note: 'DNS-Client 3008 (query completed), the source of Sysmon dns_query; QueryName only',
      unverified: DNS_UNVERIFIED,
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
