/**
 * `splunk-windows`: Windows event logs as Splunk's Add-on for Microsoft Windows and the
 * Sysmon add-on index them. A route's `table` is the event log CHANNEL (several channels are
 * joined with `|`); the Splunk backend turns it into `source="WinEventLog:<channel>"`,
 * `source="XmlWinEventLog:<channel>"` or the legacy `sourcetype="WinEventLog:<channel>"`,
 * per the `source_convention` setting (state below; override with the backend option
 * `source_convention=classic|xml|legacy`). `index` is a setting too (default `*`, i.e. every
 * index the user may search; set it to where the Windows data lives, e.g. `index=wineventlog`).
 *
 * Channels: the Sigma Windows service → channel table (as in pySigma's windows_logsource_mapping).
 * Sysmon categories route to the Sysmon channel with their EventCode (Sysmon's event IDs);
 * PowerShell categories to the PowerShell channels with theirs. Field names stay Sysmon's
 * (the add-ons extract them under those names), except EventID → EventCode.
 */
import { ANY_CHANNEL } from '../../backends/splunk/contract.js';
import type { ConditionMap, PipelineSpec, Route } from '../types.js';

const SYSMON_CHANNEL = 'Microsoft-Windows-Sysmon/Operational';
const PS_OPERATIONAL = 'Microsoft-Windows-PowerShell/Operational|PowerShellCore/Operational';
const PS_CLASSIC = 'Windows PowerShell';

/** Sigma `service:` → Windows event log channel(s). */
const WINDOWS_SERVICE_CHANNELS: Record<string, string[]> = {
  security: ['Security'],
  application: ['Application'],
  system: ['System'],
  sysmon: [SYSMON_CHANNEL],
  powershell: ['Microsoft-Windows-PowerShell/Operational', 'PowerShellCore/Operational'],
  'powershell-classic': [PS_CLASSIC],
  taskscheduler: ['Microsoft-Windows-TaskScheduler/Operational'],
  wmi: ['Microsoft-Windows-WMI-Activity/Operational'],
  'dns-server': ['DNS Server'],
  'dns-server-audit': ['Microsoft-Windows-DNS-Server/Audit'],
  'dns-server-analytic': ['Microsoft-Windows-DNS-Server/Analytical'],
  'driver-framework': ['Microsoft-Windows-DriverFrameworks-UserMode/Operational'],
  ntlm: ['Microsoft-Windows-NTLM/Operational'],
  dhcp: ['Microsoft-Windows-DHCP-Server/Operational'],
  'msexchange-management': ['MSExchange Management'],
  applocker: [
    'Microsoft-Windows-AppLocker/MSI and Script',
    'Microsoft-Windows-AppLocker/EXE and DLL',
    'Microsoft-Windows-AppLocker/Packaged app-Deployment',
    'Microsoft-Windows-AppLocker/Packaged app-Execution',
  ],
  'printservice-admin': ['Microsoft-Windows-PrintService/Admin'],
  'printservice-operational': ['Microsoft-Windows-PrintService/Operational'],
  'codeintegrity-operational': ['Microsoft-Windows-CodeIntegrity/Operational'],
  'smbclient-security': ['Microsoft-Windows-SmbClient/Security'],
  'smbclient-connectivity': ['Microsoft-Windows-SmbClient/Connectivity'],
  'smbserver-connectivity': ['Microsoft-Windows-SMBServer/Connectivity'],
  'firewall-as': ['Microsoft-Windows-Windows Firewall With Advanced Security/Firewall'],
  'bits-client': ['Microsoft-Windows-Bits-Client/Operational'],
  windefend: ['Microsoft-Windows-Windows Defender/Operational'],
  'terminalservices-localsessionmanager': ['Microsoft-Windows-TerminalServices-LocalSessionManager/Operational'],
  'microsoft-servicebus-client': ['Microsoft-ServiceBus-Client'],
  ldap_debug: ['Microsoft-Windows-LDAP-Client/Debug'],
  ldap: ['Microsoft-Windows-LDAP-Client/Debug'],
  'security-mitigations': [
    'Microsoft-Windows-Security-Mitigations/Kernel Mode',
    'Microsoft-Windows-Security-Mitigations/User Mode',
  ],
  'diagnosis-scripted': ['Microsoft-Windows-Diagnosis-Scripted/Operational'],
  'shell-core': ['Microsoft-Windows-Shell-Core/Operational'],
  openssh: ['OpenSSH/Operational'],
  bitlocker: ['Microsoft-Windows-BitLocker/BitLocker Management'],
  vhdmp: ['Microsoft-Windows-VHDMP/Operational'],
  'appxdeployment-server': ['Microsoft-Windows-AppXDeploymentServer/Operational'],
  'lsa-server': ['Microsoft-Windows-LSA/Operational'],
  'appxpackaging-om': ['Microsoft-Windows-AppxPackaging/Operational'],
  'dns-client': ['Microsoft-Windows-DNS Client Events/Operational'],
  'appmodel-runtime': ['Microsoft-Windows-AppModel-Runtime/Admin'],
  capi2: ['Microsoft-Windows-CAPI2/Operational'],
  'certificateservicesclient-lifecycle-system': [
    'Microsoft-Windows-CertificateServicesClient-Lifecycle-System/Operational',
  ],
  'iis-configuration': ['Microsoft-IIS-Configuration/Operational'],
  'kernel-shimengine': ['Microsoft-Windows-Kernel-ShimEngine/Operational'],
  'hyper-v-worker': ['Microsoft-Windows-Hyper-V-Worker-Admin'],
  'kernel-event-tracing': ['Microsoft-Windows-Kernel-EventTracing/Admin'],
  sense: ['Microsoft-Windows-SENSE/Operational'],
  ntfs: ['Microsoft-Windows-Ntfs/Operational'],
  'lsa-protection': ['Microsoft-Windows-LSA/Operational'],
};

/** Sysmon-based categories → Sysmon event IDs (the Sysmon schema). */
const SYSMON_CATEGORY_EVENTS: Record<string, number[]> = {
  process_creation: [1],
  file_change: [2],
  network_connection: [3],
  sysmon_status: [4, 16],
  process_termination: [5],
  driver_load: [6],
  image_load: [7],
  create_remote_thread: [8],
  raw_access_thread: [9],
  process_access: [10],
  file_event: [11],
  registry_add: [12],
  registry_delete: [12],
  registry_set: [13],
  registry_rename: [14],
  registry_event: [12, 13, 14],
  create_stream_hash: [15],
  pipe_created: [17, 18],
  wmi_event: [19, 20, 21],
  dns_query: [22],
  file_delete: [23, 26],
  clipboard_capture: [24],
  process_tampering: [25],
  file_delete_detected: [26],
  file_block_executable: [27],
  file_block_shredding: [28],
  file_executable_detected: [29],
  sysmon_error: [255],
};

/** PowerShell categories → channel and event ID. */
const POWERSHELL_CATEGORIES: Record<string, { channel: string; events: number[] }> = {
  ps_module: { channel: PS_OPERATIONAL, events: [4103] },
  ps_script: { channel: PS_OPERATIONAL, events: [4104] },
  ps_classic_start: { channel: PS_CLASSIC, events: [400] },
  ps_classic_provider_start: { channel: PS_CLASSIC, events: [600] },
  ps_classic_script: { channel: PS_CLASSIC, events: [800] },
};

const eventCondition = (ids: number[]): ConditionMap => ({ EventID: ids.length === 1 ? ids[0]! : ids });

/** The Windows routes: channel plus event ID conditions (also the Windows part of `splunk`). */
export const WINDOWS_ROUTES: Route[] = [
  ...Object.entries(SYSMON_CATEGORY_EVENTS).map(([category, ids]): Route => ({
    logsource: { product: 'windows', category },
    table: SYSMON_CHANNEL,
    conditions: eventCondition(ids),
  })),
  ...Object.entries(POWERSHELL_CATEGORIES).map(([category, c]): Route => ({
    logsource: { product: 'windows', category },
    table: c.channel,
    conditions: eventCondition(c.events),
  })),
  ...Object.entries(WINDOWS_SERVICE_CHANNELS).map(([service, channels]): Route => ({
    logsource: { product: 'windows', service },
    table: channels.join('|'),
  })),
  // `product: windows` alone (keyword rules over every Windows log): every channel. The backend
  // refuses this route for a logsource that names a category or service no route above knows.
  { logsource: { product: 'windows' }, table: ANY_CHANNEL },
];

export const splunkWindows: PipelineSpec = {
  name: 'splunk-windows',
  description:
    'Splunk: Windows event logs by channel (source WinEventLog:/XmlWinEventLog:<channel>), Sysmon categories by EventCode',
  targets: ['splunk'],
  routes: WINDOWS_ROUTES,
  transformations: [
    { type: 'set_state', state: { splunk_routing: 'windows', index: '*', source_convention: 'classic' } },
    { type: 'field_map', map: { EventID: 'EventCode' } },
  ],
};
