/**
 * Sentinel routes for the log sources beyond Windows event logs: Linux and macOS endpoint events
 * (the Device* tables Sentinel holds when the Microsoft Defender XDR connector streams them),
 * Linux syslog, AWS CloudTrail, Microsoft Entra ID sign-in and audit logs, Azure activity,
 * Microsoft 365, Okta, Google Cloud audit logs, CEF firewalls and proxies, IIS web logs and DNS
 * server logs. Every Sigma field maps to the column that carries it, per Microsoft's table
 * reference (columns: src/data/kql/kql-tables.json); a field no column carries is left unmapped
 * (the backend refuses it, C002) or refused by a `fail` step where a same-named column holds
 * something else.
 */
import type { LogsourceMatch, Route, Transformation } from '../types.js';

/**
 * Device* rows of one OS platform: DeviceInfo.OSPlatform names it ("Linux", "macOS"); the
 * event tables do not, so the devices are looked up.
 */
const osScope = (platform: string): Record<string, string> => ({
  DeviceOSPlatform: `iff(DeviceId in ((DeviceInfo | where OSPlatform == "${platform}" | distinct DeviceId)), "${platform}", "")`,
});
const endpoint = (product: 'linux' | 'macos', platform: string): Route[] => [
  {
    logsource: { product, category: 'process_creation' },
    table: 'DeviceProcessEvents',
    conditions: { DeviceOSPlatform: platform },
    extend: osScope(platform),
    note: 'needs the Microsoft Defender XDR connector (device events)',
  },
  {
    logsource: { product, category: 'file_event' },
    table: 'DeviceFileEvents',
    conditions: { DeviceOSPlatform: platform, ActionType: ['FileCreated', 'FileModified'] },
    extend: osScope(platform),
    note: 'needs the Microsoft Defender XDR connector (device events)',
  },
  {
    logsource: { product, category: 'network_connection' },
    table: 'DeviceNetworkEvents',
    conditions: { DeviceOSPlatform: platform },
    extend: osScope(platform),
    note: 'needs the Microsoft Defender XDR connector (device events)',
  },
];

const syslogService = (service: string, processName: string): Route => ({
  logsource: { product: 'linux', service },
  table: 'Syslog',
  conditions: { ProcessName: processName },
});

/** The routes, appended after the Windows routes of the `sentinel` pipeline. */
export const SOURCE_ROUTES: Route[] = [
  ...endpoint('linux', 'Linux'),
  ...endpoint('macos', 'macOS'),
  syslogService('sshd', 'sshd'),
  syslogService('vsftpd', 'vsftpd'),
  { logsource: { product: 'linux', service: 'syslog' }, table: 'Syslog' },
  // Rules for Linux as a whole (no category or service): any syslog message.
  { logsource: { product: 'linux', category: '', service: '' }, table: 'Syslog' },
  { logsource: { product: 'aws', service: 'cloudtrail' }, table: 'AWSCloudTrail', extend: awsJsonColumns() },
  {
    logsource: { product: 'azure', service: 'signinlogs' },
    table: 'SigninLogs',
    // Sigma's sign-in logs are every user sign-in; Entra ID writes the non-interactive ones
    // (token refreshes, sign-ins a client makes for the user) to a second table.
    union: ['AADNonInteractiveUserSignInLogs'],
    note: 'interactive (SigninLogs) and non-interactive (AADNonInteractiveUserSignInLogs) user sign-ins; columns that are JSON text in the latter are parsed',
  },
  { logsource: { product: 'azure', service: 'auditlogs' }, table: 'AuditLogs' },
  { logsource: { product: 'azure', service: 'activitylogs' }, table: 'AzureActivity' },
  { logsource: { product: 'm365', service: 'audit' }, table: 'OfficeActivity' },
  {
    logsource: { product: 'okta', service: 'okta' },
    table: 'Okta_CL',
    note: 'Okta Single Sign-On connector (Okta_CL)',
  },
  { logsource: { product: 'gcp', service: 'gcp.audit' }, table: 'GCPAuditLogs' },
  {
    logsource: { category: 'proxy' },
    table: 'CommonSecurityLog',
    note: 'CEF from the proxy; CommonSecurityLog holds every CEF device: add a DeviceVendor/DeviceProduct condition in a pipeline file to narrow it',
  },
  {
    logsource: { category: 'firewall' },
    table: 'CommonSecurityLog',
    note: 'CEF from the firewall; CommonSecurityLog holds every CEF device: add a DeviceVendor/DeviceProduct condition in a pipeline file to narrow it',
  },
  {
    logsource: { category: 'webserver' },
    table: 'W3CIISLog',
    note: "IIS logs in W3C format (the web server table Sentinel's agents fill); other web servers need a pipeline file",
  },
  {
    // DNS server logs (lookups the server answered), not client-side queries: Sysmon's
    // dns_query (event 22, with the requesting process) stays on WindowsEvent.
    logsource: { category: 'dns' },
    table: 'DnsEvents',
    conditions: { SubType: 'LookupQuery' },
    note: 'DNS server query logs (legacy DNS solution / Windows DNS Server analytic log)',
  },
  {
    logsource: { product: 'windows', service: 'dns-server' },
    table: 'WindowsEvent',
    conditions: { Channel: 'DNS Server' },
  },
];

/** CloudTrail's JSON-object fields, parsed so Sigma's dotted names (`requestParameters.x`) read them. */
function awsJsonColumns(): Record<string, string> {
  return {
    requestParameters: 'parse_json(RequestParameters)',
    responseElements: 'parse_json(ResponseElements)',
    additionalEventData: 'parse_json(AdditionalEventData)',
  };
}

const DEVICE: LogsourceMatch[] = [{ product: 'linux' }, { product: 'macos' }];
const DEVICE_INITIATING = {
  Image: 'InitiatingProcessFolderPath',
  CommandLine: 'InitiatingProcessCommandLine',
  ProcessId: 'InitiatingProcessId',
  User: 'InitiatingProcessAccountName',
};

/** The field maps of SOURCE_ROUTES, appended after the Windows transformations. */
export const SOURCE_TRANSFORMATIONS: Transformation[] = [
  {
    type: 'field_map',
    when: { logsource: DEVICE, table: 'DeviceProcessEvents' },
    map: {
      Image: 'FolderPath',
      CommandLine: 'ProcessCommandLine',
      ParentImage: 'InitiatingProcessFolderPath',
      ParentCommandLine: 'InitiatingProcessCommandLine',
      ProcessId: 'ProcessId',
      ParentProcessId: 'InitiatingProcessId',
      // Linux and macOS accounts have no domain: the name is the whole account.
      User: 'AccountName',
      ParentUser: 'InitiatingProcessAccountName',
    },
  },
  {
    type: 'fail',
    when: { logsource: DEVICE, table: ['DeviceProcessEvents', 'DeviceFileEvents', 'DeviceNetworkEvents'] },
    fields: ['LogonId', 'OriginalFileName', 'Company', 'Description', 'Product', 'Hashes'],
    reason:
      "Defender's Linux and macOS sensors are not documented to fill this column as Sigma means it (PE version info, Windows logon IDs)",
  },
  {
    type: 'field_map',
    when: { logsource: DEVICE, table: 'DeviceFileEvents' },
    map: { TargetFilename: 'FolderPath', ...DEVICE_INITIATING },
  },
  {
    type: 'field_map',
    when: { logsource: DEVICE, table: 'DeviceNetworkEvents' },
    map: {
      DestinationIp: 'RemoteIP',
      DestinationPort: 'RemotePort',
      DestinationHostname: 'RemoteUrl',
      SourceIp: 'LocalIP',
      SourcePort: 'LocalPort',
      ...DEVICE_INITIATING,
    },
  },
  {
    type: 'value_map',
    when: { logsource: DEVICE, table: 'DeviceNetworkEvents' },
    field: 'Initiated',
    column: 'ActionType',
    values: {
      true: ['ConnectionSuccess', 'ConnectionAttempt', 'ConnectionFailed', 'ConnectionRequest'],
      false: ['InboundConnectionAccepted'],
    },
  },
  {
    type: 'field_map',
    when: { table: 'AWSCloudTrail' },
    map: {
      eventName: 'EventName',
      eventSource: 'EventSource',
      eventType: 'EventTypeName',
      eventVersion: 'EventVersion',
      eventID: 'AwsEventId',
      requestID: 'AwsRequestId',
      awsRegion: 'AWSRegion',
      errorCode: 'ErrorCode',
      errorMessage: 'ErrorMessage',
      sourceIPAddress: 'SourceIpAddress',
      userAgent: 'UserAgent',
      recipientAccountId: 'RecipientAccountId',
      requestParameters: 'RequestParameters',
      responseElements: 'ResponseElements',
      additionalEventData: 'AdditionalEventData',
      'userIdentity.type': 'UserIdentityType',
      'userIdentity.arn': 'UserIdentityArn',
      'userIdentity.accountId': 'UserIdentityAccountId',
      'userIdentity.principalId': 'UserIdentityPrincipalid',
      'userIdentity.userName': 'UserIdentityUserName',
      'userIdentity.invokedBy': 'UserIdentityInvokedBy',
      'userIdentity.accessKeyId': 'UserIdentityAccessKeyId',
      'userIdentity.sessionContext.sessionIssuer.type': 'SessionIssuerType',
      'userIdentity.sessionContext.sessionIssuer.arn': 'SessionIssuerArn',
      'userIdentity.sessionContext.sessionIssuer.userName': 'SessionIssuerUserName',
      'userIdentity.sessionContext.sessionIssuer.principalId': 'SessionIssuerPrincipalId',
      'userIdentity.sessionContext.sessionIssuer.accountId': 'SessionIssuerAccountId',
    },
  },
  {
    type: 'field_map',
    when: { table: 'SigninLogs' },
    map: {
      userAgent: 'UserAgent',
      conditionalAccessStatus: 'ConditionalAccessStatus',
      ClientApp: 'ClientAppUsed',
      // DeviceDetail's keys are camelCase (deviceId, trustType, isCompliant); Kusto keys are case-sensitive.
      'DeviceDetail.trusttype': 'DeviceDetail.trustType',
      'DeviceDetail.deviceid': 'DeviceDetail.deviceId',
      'DeviceDetail.iscompliant': 'DeviceDetail.isCompliant',
      'DeviceDetail.ismanaged': 'DeviceDetail.isManaged',
    },
  },
  {
    type: 'fail',
    when: { table: 'SigninLogs' },
    fields: ['Status'],
    reason: "SigninLogs' Status is a JSON object (errorCode, failureReason), not the text the rule compares",
  },
  {
    type: 'fail',
    when: { table: 'AuditLogs' },
    fields: ['TargetResources', 'InitiatedBy'],
    reason: 'TargetResources and InitiatedBy are JSON arrays/objects, not the text the rule compares',
  },
  {
    type: 'fail',
    when: { table: 'AuditLogs' },
    fields: [
      'TargetResources.ModifiedProperties.DisplayName',
      'TargetResources.ModifiedProperties.NewValue',
      'TargetResources.modifiedProperties',
      'TargetResources.modifiedProperties.newValue',
    ],
    reason: 'TargetResources is an array: a path through it reads no single value',
  },
  {
    type: 'field_map',
    when: { table: 'AuditLogs' },
    // The diagnostic export's properties.message is the activity's display name; its result
    // (success, failure) is Result, compared case-insensitively like Sigma's Status values.
    map: {
      operationName: 'OperationName',
      category: 'Category',
      'properties.message': 'ActivityDisplayName',
      Status: 'Result',
    },
  },
  {
    type: 'field_map',
    when: { table: 'AzureActivity' },
    // Sigma's operationName is the resource provider operation (MICROSOFT.…/WRITE): OperationNameValue.
    map: { operationName: 'OperationNameValue' },
  },
  {
    type: 'field_map',
    when: { table: 'OfficeActivity' },
    map: { Workload: 'OfficeWorkload', ObjectId: 'OfficeObjectId' },
  },
  {
    type: 'field_map',
    when: { table: 'Okta_CL' },
    // The legacy connector flattens Okta's System Log JSON into `path_with_underscores_<type>`.
    map: {
      eventType: 'eventType_s',
      legacyEventType: 'legacyEventType_s',
      displayMessage: 'displayMessage_s',
      severity: 'severity_s',
      'outcome.result': 'outcome_result_s',
      'outcome.reason': 'outcome_reason_s',
      'actor.alternateId': 'actor_alternateId_s',
      'actor.displayName': 'actor_displayName_s',
      'actor.id': 'actor_id_s',
      'actor.type': 'actor_type_s',
      'client.ipAddress': 'client_ipAddress_s',
      'client.userAgent.rawUserAgent': 'client_userAgent_rawUserAgent_s',
      'securityContext.isProxy': 'securityContext_isProxy_b',
      'debugContext.debugData.requestUri': 'debugContext_debugData_requestUri_s',
      'debugContext.debugData.logOnlySecurityData': 'debugContext_debugData_logOnlySecurityData_s',
      'debugContext.debugData.threatSuspected': 'debugContext_debugData_threatSuspected_s',
    },
  },
  {
    type: 'field_map',
    when: { table: 'GCPAuditLogs' },
    map: {
      'gcp.audit.method_name': 'MethodName',
      'data.protoPayload.methodName': 'MethodName',
      'data.protoPayload.serviceName': 'ServiceName',
      'data.protoPayload.resource.type': 'GCPResourceType',
      'data.protoPayload.logName': 'LogName',
      'data.protoPayload.authenticationInfo.principalEmail': 'PrincipalEmail',
    },
  },
  {
    type: 'field_map',
    when: { table: 'CommonSecurityLog', logsource: { category: 'proxy' } },
    // CEF: request = the URL, requestClientApplication = the user agent, dhost = the host.
    map: {
      'c-uri': 'RequestURL',
      'c-useragent': 'RequestClientApplication',
      'cs-method': 'RequestMethod',
      'cs-host': 'DestinationHostName',
      'r-dns': 'DestinationHostName',
      'cs-cookie': 'RequestCookies',
      'cs-referrer': 'RequestContext',
      dst_ip: 'DestinationIP',
      src_ip: 'SourceIP',
    },
  },
  {
    type: 'field_map',
    when: { table: 'CommonSecurityLog', logsource: { category: 'firewall' } },
    map: {
      src_ip: 'SourceIP',
      src_port: 'SourcePort',
      dst_ip: 'DestinationIP',
      dst_port: 'DestinationPort',
      action: 'DeviceAction',
    },
  },
  {
    type: 'field_map',
    when: { table: 'W3CIISLog' },
    map: {
      'c-ip': 'cIP',
      'cs-bytes': 'csBytes',
      'cs-cookie': 'csCookie',
      'cs-host': 'csHost',
      'cs-method': 'csMethod',
      'cs-referer': 'csReferer',
      'cs-uri-query': 'csUriQuery',
      'cs-uri-stem': 'csUriStem',
      'cs-user-agent': 'csUserAgent',
      'cs-username': 'csUserName',
      'cs-version': 'csVersion',
      'sc-bytes': 'scBytes',
      'sc-status': 'scStatus',
      'sc-substatus': 'scSubStatus',
      'sc-win32-status': 'scWin32Status',
      's-ip': 'sIP',
      's-port': 'sPort',
      's-sitename': 'sSiteName',
      'time-taken': 'TimeTaken',
    },
  },
  {
    type: 'field_map',
    when: { table: 'DnsEvents' },
    map: { query: 'Name', record_type: 'QueryType', src_ip: 'ClientIP' },
  },
];
