/**
 * Which columns of a route's table identify what, for the alert's consumer: Sentinel entity
 * mappings and Defender impacted assets. Per table (or ASIM parser), so that a route to a new
 * table gets entities by adding its entry here; only columns the table has (the vendored schema)
 * and the query returns are used, never a guessed one.
 *
 * Sentinel's identifiers per entity type and the limits are those of Azure-Sentinel's template
 * validation (.script/tests/detectionTemplateSchemaValidation/Models/EntityMappingIdentifiers.cs
 * and ScheduledTemplateInternalModel.cs: at most 5 entity mappings of at most 3 identifiers each,
 * each mapping holding one of its type's required identifiers).
 */

export type SentinelEntityType =
  | 'Account'
  | 'AzureResource'
  | 'CloudApplication'
  | 'DNS'
  | 'File'
  | 'FileHash'
  | 'Host'
  | 'IP'
  | 'Mailbox'
  | 'Process'
  | 'RegistryKey'
  | 'RegistryValue'
  | 'URL';

/** Valid identifiers per entity type, and the sets of which a mapping must hold one. */
export const SENTINEL_IDENTIFIERS: Record<SentinelEntityType, { valid: string[]; required: string[][] }> = {
  Account: {
    valid: [
      'Name',
      'FullName',
      'NTDomain',
      'DnsDomain',
      'UPNSuffix',
      'Sid',
      'AadTenantId',
      'AadUserId',
      'PUID',
      'IsDomainJoined',
      'DisplayName',
      'ObjectGuid',
    ],
    required: [['FullName'], ['Sid'], ['Name'], ['AadUserId'], ['PUID'], ['ObjectGuid']],
  },
  AzureResource: { valid: ['ResourceId'], required: [['ResourceId']] },
  CloudApplication: { valid: ['AppId', 'Name', 'InstanceName'], required: [['AppId'], ['Name']] },
  DNS: { valid: ['DomainName'], required: [['DomainName']] },
  File: { valid: ['Directory', 'Name'], required: [['Name']] },
  FileHash: { valid: ['Algorithm', 'Value'], required: [['Algorithm', 'Value']] },
  Host: {
    valid: [
      'DnsDomain',
      'NTDomain',
      'HostName',
      'FullName',
      'NetBiosName',
      'AzureID',
      'OMSAgentID',
      'OSFamily',
      'OSVersion',
      'IsDomainJoined',
    ],
    required: [['FullName'], ['HostName'], ['NetBiosName'], ['AzureID'], ['OMSAgentID']],
  },
  IP: { valid: ['Address'], required: [['Address']] },
  Mailbox: {
    valid: ['MailboxPrimaryAddress', 'DisplayName', 'Upn', 'ExternalDirectoryObjectId', 'RiskLevel'],
    required: [['MailboxPrimaryAddress']],
  },
  Process: {
    valid: ['ProcessId', 'CommandLine', 'ElevationToken', 'CreationTimeUtc'],
    required: [['CommandLine'], ['ProcessId']],
  },
  RegistryKey: { valid: ['Hive', 'Key'], required: [['Key'], ['Hive']] },
  RegistryValue: { valid: ['Name', 'Value', 'ValueType'], required: [['Name']] },
  URL: { valid: ['Url'], required: [['Url']] },
};

const MAX_ENTITY_MAPPINGS = 5;
const MAX_FIELD_MAPPINGS = 3;

export interface EntityMapping {
  entityType: SentinelEntityType;
  fieldMappings: { identifier: string; columnName: string }[];
}

type Spec = [SentinelEntityType, Record<string, string>];

// Shapes shared by the Defender XDR tables (the same columns in each).
const DEVICE: Spec = ['Host', { HostName: 'DeviceName' }];
const ACCOUNT: Spec = ['Account', { Name: 'AccountName', NTDomain: 'AccountDomain', Sid: 'AccountSid' }];
const INITIATING_ACCOUNT: Spec = [
  'Account',
  {
    Name: 'InitiatingProcessAccountName',
    NTDomain: 'InitiatingProcessAccountDomain',
    Sid: 'InitiatingProcessAccountSid',
  },
];
const PROCESS: Spec = [
  'Process',
  { ProcessId: 'ProcessId', CommandLine: 'ProcessCommandLine', CreationTimeUtc: 'ProcessCreationTime' },
];
const INITIATING_PROCESS: Spec = [
  'Process',
  {
    ProcessId: 'InitiatingProcessId',
    CommandLine: 'InitiatingProcessCommandLine',
    CreationTimeUtc: 'InitiatingProcessCreationTime',
  },
];
const FILE: Spec = ['File', { Name: 'FileName' }];
const REMOTE_IP: Spec = ['IP', { Address: 'RemoteIP' }];
// ASIM parsers.
const DVC: Spec = ['Host', { HostName: 'DvcHostname' }];
const ACTOR: Spec = ['Account', { Name: 'ActorUsername' }];
const ACTING_PROCESS: Spec = ['Process', { ProcessId: 'ActingProcessId', CommandLine: 'ActingProcessCommandLine' }];
const DVC_IP: Spec = ['IP', { Address: 'DvcIpAddr' }];

/**
 * Entities per table, most telling first (the first five that the results carry are written).
 * A table absent from the vendored schema contributes nothing until its columns are vendored.
 */
const TABLE_ENTITIES: Record<string, Spec[]> = {
  DeviceProcessEvents: [DEVICE, ACCOUNT, PROCESS, FILE, INITIATING_PROCESS],
  DeviceFileEvents: [DEVICE, INITIATING_ACCOUNT, FILE, INITIATING_PROCESS, ['IP', { Address: 'RequestSourceIP' }]],
  DeviceRegistryEvents: [
    DEVICE,
    INITIATING_ACCOUNT,
    ['RegistryKey', { Key: 'RegistryKey' }],
    ['RegistryValue', { Name: 'RegistryValueName', Value: 'RegistryValueData', ValueType: 'RegistryValueType' }],
    INITIATING_PROCESS,
  ],
  DeviceNetworkEvents: [DEVICE, INITIATING_ACCOUNT, REMOTE_IP, ['URL', { Url: 'RemoteUrl' }], INITIATING_PROCESS],
  DeviceImageLoadEvents: [DEVICE, INITIATING_ACCOUNT, FILE, INITIATING_PROCESS],
  DeviceEvents: [DEVICE, INITIATING_ACCOUNT, INITIATING_PROCESS, FILE, REMOTE_IP],
  DeviceLogonEvents: [DEVICE, ACCOUNT, REMOTE_IP, INITIATING_PROCESS],
  DeviceInfo: [DEVICE, ['IP', { Address: 'PublicIP' }], ['AzureResource', { ResourceId: 'AzureResourceId' }]],
  SecurityEvent: [
    ['Host', { FullName: 'Computer' }],
    ['Account', { Name: 'SubjectUserName', NTDomain: 'SubjectDomainName', Sid: 'SubjectUserSid' }],
    ['Account', { Name: 'TargetUserName', NTDomain: 'TargetDomainName', Sid: 'TargetUserSid' }],
    ['Process', { CommandLine: 'CommandLine' }],
    ['IP', { Address: 'IpAddress' }],
  ],
  // EventData holds the event's fields as XML: only the record's own columns can be mapped.
  WindowsEvent: [['Host', { FullName: 'Computer' }]],
  Event: [
    ['Host', { FullName: 'Computer' }],
    ['Account', { FullName: 'UserName' }],
  ],
  SigninLogs: [
    ['Account', { FullName: 'UserPrincipalName', AadUserId: 'UserId', DisplayName: 'UserDisplayName' }],
    ['IP', { Address: 'IPAddress' }],
    ['CloudApplication', { AppId: 'AppId', Name: 'AppDisplayName' }],
  ],
  AuditLogs: [['AzureResource', { ResourceId: '_ResourceId' }]],
  AzureActivity: [
    ['Account', { FullName: 'Caller' }],
    ['IP', { Address: 'CallerIpAddress' }],
    ['AzureResource', { ResourceId: '_ResourceId' }],
  ],
  AWSCloudTrail: [
    ['Account', { Name: 'UserIdentityUserName' }],
    ['IP', { Address: 'SourceIpAddress' }],
  ],
  OfficeActivity: [
    ['Account', { FullName: 'UserId' }],
    ['IP', { Address: 'ClientIP' }],
  ],
  Syslog: [
    ['Host', { HostName: 'HostName' }],
    ['IP', { Address: 'HostIP' }],
    ['Process', { ProcessId: 'ProcessID' }],
  ],
  CommonSecurityLog: [
    ['Host', { HostName: 'DeviceName' }],
    ['IP', { Address: 'SourceIP' }],
    ['IP', { Address: 'DestinationIP' }],
    ['Account', { Name: 'SourceUserName' }],
    ['URL', { Url: 'RequestURL' }],
  ],
  imProcessCreate: [
    DVC,
    ACTOR,
    ['Process', { ProcessId: 'TargetProcessId', CommandLine: 'TargetProcessCommandLine' }],
    ['FileHash', { Algorithm: 'HashType', Value: 'Hash' }],
    DVC_IP,
  ],
  imFileEvent: [DVC, ACTOR, ['File', { Name: 'TargetFileName' }], ACTING_PROCESS, DVC_IP],
  imRegistry: [
    DVC,
    ACTOR,
    ['RegistryKey', { Key: 'RegistryKey' }],
    ['RegistryValue', { Name: 'RegistryValue', Value: 'RegistryValueData', ValueType: 'RegistryValueType' }],
    ACTING_PROCESS,
  ],
  imNetworkSession: [
    DVC,
    ['IP', { Address: 'SrcIpAddr' }],
    ['IP', { Address: 'DstIpAddr' }],
    ['Account', { Name: 'SrcUsername' }],
    ['Host', { HostName: 'DstHostname' }],
  ],
  imDns: [
    DVC,
    ['DNS', { DomainName: 'DnsQuery' }],
    ['IP', { Address: 'SrcIpAddr' }],
    ['Account', { Name: 'SrcUsername' }],
  ],
  // The user names of these schemas come in several forms (UPN, Windows, simple): only the address.
  imAuthentication: [['IP', { Address: 'SrcIpAddr' }]],
  imAuditEvent: [['IP', { Address: 'SrcIpAddr' }]],
};

/**
 * Entities whose values sit in a dynamic column (WindowsEvent's EventData: a Sysmon event's
 * fields). The results carry such a field only as part of the dynamic value, so the artifact's
 * query adds it as a column (`| extend CommandLine = tostring(EventData.CommandLine)`), and only
 * for fields the query itself reads: those the rule's event has, never a guessed one.
 */
const DYNAMIC_ENTITIES: Record<string, Spec[]> = {
  WindowsEvent: [
    ['Account', { FullName: 'EventData.User' }],
    [
      'Account',
      { Name: 'EventData.TargetUserName', NTDomain: 'EventData.TargetDomainName', Sid: 'EventData.TargetUserSid' },
    ],
    ['Process', { CommandLine: 'EventData.CommandLine', ProcessId: 'EventData.ProcessId' }],
    ['IP', { Address: 'EventData.DestinationIp' }],
    ['IP', { Address: 'EventData.SourceIp' }],
    ['DNS', { DomainName: 'EventData.QueryName' }],
    ['RegistryKey', { Key: 'EventData.TargetObject' }],
    ['IP', { Address: 'EventData.IpAddress' }],
  ],
};

export interface SentinelEntities {
  mappings: EntityMapping[];
  /** Columns the artifact's query adds for its entities (name → expression), in order. */
  extend: Record<string, string>;
}

/**
 * The entity mappings of a result that reads `table` and returns `output` columns (all of the
 * table's for a plain rule; only the named ones after a summarize or project). `read` (a plain
 * rule's fields read, as target paths) lets dynamic fields become entity columns.
 */
export function sentinelEntities(
  table: string,
  output: ReadonlySet<string>,
  read?: ReadonlySet<string>,
): SentinelEntities {
  const extend: Record<string, string> = {};
  const available = new Set(output);
  const dynamic: Spec[] = [];
  for (const [entityType, fields] of read ? (DYNAMIC_ENTITIES[table] ?? []) : []) {
    const columns: Record<string, string> = {};
    for (const [identifier, path] of Object.entries(fields)) {
      if (!read!.has(path)) continue;
      const [base, ...rest] = path.split('.');
      const name = rest.join('_');
      // A name the table already has, or that another entity took, would change its meaning.
      if (!/^[A-Za-z_]\w*$/.test(name) || (output.has(name) && !Object.hasOwn(extend, name))) continue;
      extend[name] ??= `tostring(${base}.${rest.join('.')})`;
      available.add(name);
      columns[identifier] = name;
    }
    dynamic.push([entityType, columns]);
  }
  const mappings = pick([...(TABLE_ENTITIES[table] ?? []), ...dynamic], available);
  // Only the columns an entity kept are added to the query.
  const used = new Set(mappings.flatMap((m) => m.fieldMappings.map((f) => f.columnName)));
  return { mappings, extend: Object.fromEntries(Object.entries(extend).filter(([k]) => used.has(k))) };
}

function pick(specs: readonly Spec[], output: ReadonlySet<string>): EntityMapping[] {
  const out: EntityMapping[] = [];
  for (const [entityType, fields] of specs) {
    const fieldMappings = Object.entries(fields)
      .filter(([, column]) => output.has(column))
      .slice(0, MAX_FIELD_MAPPINGS)
      .map(([identifier, columnName]) => ({ identifier, columnName }));
    const ids = new Set(fieldMappings.map((f) => f.identifier));
    if (!SENTINEL_IDENTIFIERS[entityType].required.some((set) => set.every((i) => ids.has(i)))) continue;
    out.push({ entityType, fieldMappings });
    if (out.length === MAX_ENTITY_MAPPINGS) break;
  }
  return out;
}

/**
 * Graph detectionRule impacted assets: the identifier names a column of the results (its name
 * with the first letter lowered). The allowed identifiers are Graph's deviceAssetIdentifier and
 * userAssetIdentifier values; the first one the results carry is used for each kind.
 */
const DEVICE_ASSET = ['deviceId', 'deviceName'];
const USER_ASSET = ['accountSid', 'accountObjectId', 'accountUpn', 'accountName', 'initiatingProcessAccountUpn'];

export interface ImpactedAsset {
  '@odata.type': string;
  identifier: string;
}

const column = (identifier: string): string => identifier[0]!.toUpperCase() + identifier.slice(1);

export function defenderImpactedAssets(output: ReadonlySet<string>): ImpactedAsset[] {
  const out: ImpactedAsset[] = [];
  const device = DEVICE_ASSET.find((i) => output.has(column(i)));
  if (device) out.push({ '@odata.type': '#microsoft.graph.security.impactedDeviceAsset', identifier: device });
  const user = USER_ASSET.find((i) => output.has(column(i)));
  if (user) out.push({ '@odata.type': '#microsoft.graph.security.impactedUserAsset', identifier: user });
  return out;
}

/** The columns the impacted assets name (the Defender query must return them). */
export function impactedAssetColumns(assets: readonly ImpactedAsset[]): string[] {
  return assets.map((a) => column(a.identifier));
}
