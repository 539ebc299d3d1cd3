/**
 * Which Windows events a Sigma logsource sees: pipeline data (Channel + EventID per
 * category, Channel per service), shared with the backends. Used by the evaluator's
 * optional logsource filter. Unknown categories and services are never filtered out
 * (a rule the table cannot place sees every Windows event).
 */
import type { LogSource } from '../ast/types.js';

const SYSMON_CHANNEL = 'Microsoft-Windows-Sysmon/Operational';
const PS_CHANNEL = 'Microsoft-Windows-PowerShell/Operational';
const PS_CLASSIC_CHANNEL = 'Windows PowerShell';

interface ChannelEvents {
  channel: string;
  /** Absent: any EventID of the channel. */
  eventIds?: readonly number[];
}

/** Windows logsource categories → the (Channel, EventID) pairs that carry them. */
const WINDOWS_CATEGORIES: Readonly<Record<string, readonly ChannelEvents[]>> = {
  process_creation: [
    { channel: SYSMON_CHANNEL, eventIds: [1] },
    { channel: 'Security', eventIds: [4688] },
  ],
  file_change: [{ channel: SYSMON_CHANNEL, eventIds: [2] }],
  network_connection: [{ channel: SYSMON_CHANNEL, eventIds: [3] }],
  sysmon_status: [{ channel: SYSMON_CHANNEL, eventIds: [4, 16] }],
  process_termination: [{ channel: SYSMON_CHANNEL, eventIds: [5] }],
  driver_load: [{ channel: SYSMON_CHANNEL, eventIds: [6] }],
  image_load: [{ channel: SYSMON_CHANNEL, eventIds: [7] }],
  create_remote_thread: [{ channel: SYSMON_CHANNEL, eventIds: [8] }],
  raw_access_thread: [{ channel: SYSMON_CHANNEL, eventIds: [9] }],
  process_access: [{ channel: SYSMON_CHANNEL, eventIds: [10] }],
  file_event: [{ channel: SYSMON_CHANNEL, eventIds: [11] }],
  registry_add: [{ channel: SYSMON_CHANNEL, eventIds: [12] }],
  registry_delete: [{ channel: SYSMON_CHANNEL, eventIds: [12] }],
  registry_set: [{ channel: SYSMON_CHANNEL, eventIds: [13] }],
  registry_rename: [{ channel: SYSMON_CHANNEL, eventIds: [14] }],
  registry_event: [{ channel: SYSMON_CHANNEL, eventIds: [12, 13, 14] }],
  create_stream_hash: [{ channel: SYSMON_CHANNEL, eventIds: [15] }],
  pipe_created: [{ channel: SYSMON_CHANNEL, eventIds: [17, 18] }],
  wmi_event: [{ channel: SYSMON_CHANNEL, eventIds: [19, 20, 21] }],
  dns_query: [{ channel: SYSMON_CHANNEL, eventIds: [22] }],
  file_delete: [{ channel: SYSMON_CHANNEL, eventIds: [23, 26] }],
  clipboard_capture: [{ channel: SYSMON_CHANNEL, eventIds: [24] }],
  process_tampering: [{ channel: SYSMON_CHANNEL, eventIds: [25] }],
  file_block_executable: [{ channel: SYSMON_CHANNEL, eventIds: [27] }],
  file_block_shredding: [{ channel: SYSMON_CHANNEL, eventIds: [28] }],
  file_executable_detected: [{ channel: SYSMON_CHANNEL, eventIds: [29] }],
  sysmon_error: [{ channel: SYSMON_CHANNEL, eventIds: [255] }],
  ps_module: [{ channel: PS_CHANNEL, eventIds: [4103] }],
  ps_script: [{ channel: PS_CHANNEL, eventIds: [4104] }],
  ps_classic_start: [{ channel: PS_CLASSIC_CHANNEL, eventIds: [400] }],
  ps_classic_provider_start: [{ channel: PS_CLASSIC_CHANNEL, eventIds: [600] }],
  ps_classic_script: [{ channel: PS_CLASSIC_CHANNEL, eventIds: [800] }],
};

/** Windows logsource services → their event log channel. */
const WINDOWS_SERVICES: Readonly<Record<string, string>> = {
  security: 'Security',
  system: 'System',
  application: 'Application',
  sysmon: SYSMON_CHANNEL,
  powershell: PS_CHANNEL,
  'powershell-classic': PS_CLASSIC_CHANNEL,
  windefend: 'Microsoft-Windows-Windows Defender/Operational',
  wmi: 'Microsoft-Windows-WMI-Activity/Operational',
  taskscheduler: 'Microsoft-Windows-TaskScheduler/Operational',
  'codeintegrity-operational': 'Microsoft-Windows-CodeIntegrity/Operational',
  'firewall-as': 'Microsoft-Windows-Windows Firewall With Advanced Security/Firewall',
  'bits-client': 'Microsoft-Windows-Bits-Client/Operational',
  'dns-client': 'Microsoft-Windows-DNS Client Events/Operational',
  'dns-server': 'DNS Server',
  'appxdeployment-server': 'Microsoft-Windows-AppXDeploymentServer/Operational',
  'msexchange-management': 'MSExchange Management',
  ntlm: 'Microsoft-Windows-NTLM/Operational',
  'terminalservices-localsessionmanager': 'Microsoft-Windows-TerminalServices-LocalSessionManager/Operational',
  'smbclient-security': 'Microsoft-Windows-SmbClient/Security',
  'security-mitigations': 'Microsoft-Windows-Security-Mitigations/KernelMode',
  'shell-core': 'Microsoft-Windows-Shell-Core/Operational',
  openssh: 'OpenSSH/Operational',
  'lsa-server': 'Microsoft-Windows-LSA/Operational',
  'driver-framework': 'Microsoft-Windows-DriverFrameworks-UserMode/Operational',
  capi2: 'Microsoft-Windows-CAPI2/Operational',
};

/** The Windows identity of an event: its channel and EventID (when it carries them). */
export interface WindowsEventKey {
  channel: string;
  eventId: number | null;
}

/**
 * Whether a rule with this logsource sees a Windows event with this channel and EventID.
 * Conservative: anything the tables do not know about is kept.
 */
export function logsourceSees(ls: LogSource, ev: WindowsEventKey): boolean {
  if (ls.product !== undefined && ls.product.toLowerCase() !== 'windows') return false;
  const channel = ev.channel.toLowerCase();
  if (ls.category !== undefined) {
    const places = WINDOWS_CATEGORIES[ls.category.toLowerCase()];
    if (
      places &&
      !places.some(
        (p) =>
          p.channel.toLowerCase() === channel &&
          (p.eventIds === undefined || (ev.eventId !== null && p.eventIds.includes(ev.eventId))),
      )
    )
      return false;
  }
  if (ls.service !== undefined) {
    const ch = WINDOWS_SERVICES[ls.service.toLowerCase()];
    if (ch !== undefined && ch.toLowerCase() !== channel) return false;
  }
  return true;
}

/**
 * Whether the tables place a logsource on Windows channels: a Windows category or service they
 * know. Telemetry covers a rule only then; an unplaced rule sees every event, which says nothing
 * about the events of its source.
 */
export function logsourcePlaced(ls: LogSource): boolean {
  if (ls.product !== undefined && ls.product.toLowerCase() !== 'windows') return false;
  const category = ls.category !== undefined && WINDOWS_CATEGORIES[ls.category.toLowerCase()] !== undefined;
  const service = ls.service !== undefined && WINDOWS_SERVICES[ls.service.toLowerCase()] !== undefined;
  return category || service;
}
