/**
 * Microsoft Sentinel (Log Analytics) with Windows event collection: Security events in
 * SecurityEvent (its columns carry the event data fields by name), every other Windows channel —
 * Sysmon, PowerShell, WMI-Activity, System, Application… — in WindowsEvent (Azure Monitor Agent,
 * "Windows Forwarded Events"), whose dynamic EventData column holds the event's named fields
 * exactly as Sysmon/Windows write them, so Sigma's field names and values apply unchanged.
 */
import type { PipelineSpec, Route } from '../types.js';
import { SOURCE_ROUTES, SOURCE_TRANSFORMATIONS } from './sentinel-sources.js';

const SYSMON = 'Microsoft-Windows-Sysmon';
const sysmon = (
  category: string,
  eventId: number | number[],
  extra: Record<string, string | string[]> = {},
): Route => ({
  logsource: { product: 'windows', category },
  table: 'WindowsEvent',
  conditions: { Provider: SYSMON, EventID: eventId, ...extra },
});
const channel = (service: string, name: string): Route => ({
  logsource: { product: 'windows', service },
  table: 'WindowsEvent',
  conditions: { Channel: name },
});

export const sentinel: PipelineSpec = {
  name: 'sentinel',
  description:
    'Microsoft Sentinel: Windows Security events → SecurityEvent; Sysmon, PowerShell, WMI and other channels → WindowsEvent (EventData); Linux/macOS → Device* (Defender XDR connector) and Syslog; AWS, Entra ID, Azure, Microsoft 365, Okta, GCP, CEF proxies and firewalls, IIS and DNS server logs → their connector tables',
  targets: ['kql'],
  routes: [
    { logsource: { product: 'windows', service: 'security' }, table: 'SecurityEvent' },
    sysmon('process_creation', 1),
    sysmon('network_connection', 3),
    sysmon('driver_load', 6),
    sysmon('image_load', 7),
    sysmon('create_remote_thread', 8),
    sysmon('raw_access_thread', 9),
    sysmon('process_access', 10),
    sysmon('file_event', 11),
    sysmon('registry_add', 12, { 'EventData.EventType': 'CreateKey' }),
    sysmon('registry_delete', 12, { 'EventData.EventType': ['DeleteKey', 'DeleteValue'] }),
    sysmon('registry_set', 13),
    sysmon('registry_rename', 14),
    sysmon('registry_event', [12, 13, 14]),
    sysmon('create_stream_hash', 15),
    sysmon('pipe_created', [17, 18]),
    sysmon('wmi_event', [19, 20, 21]),
    sysmon('dns_query', 22),
    sysmon('file_delete', [23, 26]),
    sysmon('clipboard_capture', 24),
    sysmon('process_tampering', 25),
    sysmon('file_block_executable', 27),
    { logsource: { product: 'windows', service: 'sysmon' }, table: 'WindowsEvent', conditions: { Provider: SYSMON } },
    {
      logsource: { product: 'windows', category: 'ps_script' },
      table: 'WindowsEvent',
      conditions: { Channel: 'Microsoft-Windows-PowerShell/Operational', EventID: 4104 },
    },
    {
      logsource: { product: 'windows', category: 'ps_module' },
      table: 'WindowsEvent',
      conditions: { Channel: 'Microsoft-Windows-PowerShell/Operational', EventID: 4103 },
    },
    channel('powershell', 'Microsoft-Windows-PowerShell/Operational'),
    channel('wmi', 'Microsoft-Windows-WMI-Activity/Operational'),
    channel('system', 'System'),
    channel('application', 'Application'),
    channel('windefend', 'Microsoft-Windows-Windows Defender/Operational'),
    channel('codeintegrity-operational', 'Microsoft-Windows-CodeIntegrity/Operational'),
    channel('taskscheduler', 'Microsoft-Windows-TaskScheduler/Operational'),
    channel('bits-client', 'Microsoft-Windows-Bits-Client/Operational'),
    channel('dns-client', 'Microsoft-Windows-DNS Client Events/Operational'),
    channel('firewall-as', 'Microsoft-Windows-Windows Firewall With Advanced Security/Firewall'),
    channel('appxdeployment-server', 'Microsoft-Windows-AppXDeploymentServer/Operational'),
    channel('msexchange-management', 'MSExchange Management'),
    channel('smbclient-security', 'Microsoft-Windows-SmbClient/Security'),
    channel('ntlm', 'Microsoft-Windows-NTLM/Operational'),
    channel('driver-framework', 'Microsoft-Windows-DriverFrameworks-UserMode/Operational'),
    channel(
      'terminalservices-localsessionmanager',
      'Microsoft-Windows-TerminalServices-LocalSessionManager/Operational',
    ),
    channel('security-mitigations', 'Microsoft-Windows-Security-Mitigations/KernelMode'),
    channel('printservice-admin', 'Microsoft-Windows-PrintService/Admin'),
    channel('printservice-operational', 'Microsoft-Windows-PrintService/Operational'),
    channel('openssh', 'OpenSSH/Operational'),
    channel('lsa-server', 'Microsoft-Windows-LSA/Operational'),
    channel('applocker', 'Microsoft-Windows-AppLocker/EXE and DLL'),
    ...SOURCE_ROUTES,
  ],
  transformations: [
    { type: 'set_state', state: { product: 'sentinel', timeColumn: 'TimeGenerated' } },
    // Security events: SecurityEvent has a column per event data field (same names).
    // WindowsEvent: header fields are columns, event data fields live in EventData.
    {
      type: 'field_map',
      when: { table: 'WindowsEvent' },
      map: { Provider_Name: 'Provider', EventID: 'EventID', Channel: 'Channel', Computer: 'Computer' },
    },
    {
      type: 'field_template',
      when: { table: 'WindowsEvent' },
      template: 'EventData.{field}',
      // Header fields only: Sigma's provider is Provider_Name; a Sigma field named Provider (WMI-Activity
      // 5859/5861) is event data, read from EventData like any other.
      except: ['EventID', 'Channel', 'Computer', 'Keywords', 'Opcode', 'Task', 'Version'],
    },
    ...SOURCE_TRANSFORMATIONS,
  ],
};
