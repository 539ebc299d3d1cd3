/**
 * `splunk` (the Splunk backend's default): every log source scoped explicitly.
 *
 * - Windows keeps splunk-windows' routing: the event log channel (`source="WinEventLog:<channel>"`)
 *   plus the EventCode of Sysmon and PowerShell categories.
 * - Every other log source is scoped by a search macro, one per log source, the way Splunk's own
 *   detection content (ESCU) does it: the query starts with `` `sigma_aws_cloudtrail` `` and the
 *   macro's definition (`sourcetype="aws:cloudtrail"`) lives in macros.conf, which
 *   `--format macros` / `--format app` write and a team edits to fit its indexes and inputs.
 *
 * The default definitions follow the sourcetypes the Splunk add-ons document (named in `addOn`).
 * Generic categories (proxy, firewall, webserver, dns, antivirus) use the CIM tags the add-ons'
 * event types set, since many vendors feed them. Where no add-on documents a sourcetype, the default
 * is a placeholder sourcetype `sigma:<log source>` and the route is `unverified`: every converted
 * rule carries a C103 warning saying the macro must be edited. Field names stay Sigma's unless an
 * add-on is documented to extract them under another name (`fields`).
 */
import { ANY_LINUX_MACRO } from '../../backends/splunk/contract.js';
import type { ConditionMap, LogsourceMatch, PipelineSpec, Route, Transformation } from '../types.js';
import { WINDOWS_ROUTES } from './splunk-windows.js';

interface SourceMacro {
  logsource: LogsourceMatch;
  macro: string;
  definition: string;
  /** The Splunk add-on that documents the sourcetype (or the CIM data model whose tags are used). */
  addOn: string;
  conditions?: ConditionMap;
  /** Set when no add-on documents a sourcetype: the definition is a placeholder to edit. */
  unverified?: string;
}

const SYSMON_LINUX = 'sourcetype="sysmon:linux"';
const SYSMON_LINUX_ADDON = 'Splunk Add-on for Sysmon for Linux (source Syslog:Linux-Sysmon/Operational)';
const NIX_ADDON = 'Splunk Add-on for Unix and Linux';
const AAD = 'sourcetype="azure:monitor:aad"';
const AAD_ADDON = 'Splunk Add-on for Microsoft Cloud Services (Azure Monitor AAD via Event Hub)';
const O365 = 'sourcetype="o365:management:activity"';
const O365_ADDON = 'Splunk Add-on for Microsoft Office 365';
const CISCO_IOS = 'sourcetype="cisco:ios"';
const CISCO_ADDON = 'Cisco Networks Add-on for Splunk Enterprise';

/** A log source no Splunk add-on documents: a placeholder sourcetype, reported on every rule. */
function placeholder(logsource: LogsourceMatch, macro: string): SourceMacro {
  const name = [logsource.product, logsource.service ?? logsource.category].filter(Boolean).join(':');
  return {
    logsource,
    macro,
    definition: `sourcetype="sigma:${name}"`,
    addOn: 'none documented',
    unverified: `no Splunk add-on documents a sourcetype for this log source; edit the macro ${macro} in macros.conf (its default is a placeholder sourcetype)`,
  };
}

const sysmonLinux = (category: string, eventId: number): SourceMacro => ({
  logsource: { product: 'linux', category },
  macro: 'sigma_linux_sysmon',
  definition: SYSMON_LINUX,
  addOn: SYSMON_LINUX_ADDON,
  conditions: { EventID: eventId },
});

const service = (product: string, svc: string, macro: string, definition: string, addOn: string): SourceMacro => ({
  logsource: { product, service: svc },
  macro,
  definition,
  addOn,
});

const category = (cat: string, macro: string, definition: string, addOn: string): SourceMacro => ({
  logsource: { category: cat },
  macro,
  definition,
  addOn,
});

/** The log sources scoped by macros (Windows is routed by channel; see splunk-windows.ts). */
export const SOURCE_MACROS: SourceMacro[] = [
  // Linux: Sysmon for Linux (process, file, network), auditd, syslog files.
  sysmonLinux('process_creation', 1),
  sysmonLinux('network_connection', 3),
  sysmonLinux('file_event', 11),
  service('linux', 'auditd', 'sigma_linux_auditd', 'sourcetype IN ("linux:audit", "auditd")', NIX_ADDON),
  service('linux', 'auth', 'sigma_linux_auth', 'sourcetype="linux_secure"', NIX_ADDON),
  service('linux', 'sshd', 'sigma_linux_sshd', 'sourcetype="linux_secure"', NIX_ADDON),
  service('linux', 'sudo', 'sigma_linux_sudo', 'sourcetype="linux_secure"', NIX_ADDON),
  service('linux', 'syslog', 'sigma_linux_syslog', 'sourcetype="syslog"', NIX_ADDON),
  service('linux', 'cron', 'sigma_linux_cron', 'sourcetype="syslog"', NIX_ADDON),
  placeholder({ product: 'linux', service: 'vsftpd' }, 'sigma_linux_vsftpd'),
  placeholder({ product: 'linux', service: 'clamav' }, 'sigma_linux_clamav'),
  placeholder({ product: 'linux', service: 'guacamole' }, 'sigma_linux_guacamole'),
  {
    // Keyword rules over every Linux log (no category, no service; the backend refuses this route
    // for a Linux category or service no route above knows, as splunk-windows does).
    logsource: { product: 'linux' },
    macro: ANY_LINUX_MACRO,
    definition: 'sourcetype IN ("linux_secure", "syslog", "linux:audit", "auditd", "sysmon:linux")',
    addOn: `${NIX_ADDON}; ${SYSMON_LINUX_ADDON}`,
  },
  // macOS: no Splunk add-on documents process or file events (EndpointSecurity).
  placeholder({ product: 'macos', category: 'process_creation' }, 'sigma_macos_process_creation'),
  placeholder({ product: 'macos', category: 'file_event' }, 'sigma_macos_file_event'),
  // Cloud and identity.
  service('aws', 'cloudtrail', 'sigma_aws_cloudtrail', 'sourcetype="aws:cloudtrail"', 'Splunk Add-on for AWS'),
  service(
    'azure',
    'activitylogs',
    'sigma_azure_activitylogs',
    'sourcetype="azure:monitor:activity"',
    'Splunk Add-on for Microsoft Cloud Services (Azure Monitor activity log)',
  ),
  service('azure', 'auditlogs', 'sigma_azure_auditlogs', AAD, AAD_ADDON),
  service('azure', 'signinlogs', 'sigma_azure_signinlogs', AAD, AAD_ADDON),
  service('azure', 'pim', 'sigma_azure_pim', AAD, AAD_ADDON),
  service('azure', 'riskdetection', 'sigma_azure_riskdetection', AAD, AAD_ADDON),
  service('m365', 'audit', 'sigma_m365_audit', O365, O365_ADDON),
  service('m365', 'exchange', 'sigma_m365_exchange', O365, O365_ADDON),
  service('m365', 'threat_management', 'sigma_m365_threat_management', O365, O365_ADDON),
  service('m365', 'threat_detection', 'sigma_m365_threat_detection', O365, O365_ADDON),
  service('okta', 'okta', 'sigma_okta', 'sourcetype="OktaIM2:log"', 'Splunk Add-on for Okta Identity Cloud'),
  service(
    'gcp',
    'gcp.audit',
    'sigma_gcp_audit',
    'sourcetype="google:gcp:pubsub:message"',
    'Splunk Add-on for Google Cloud Platform (Pub/Sub audit logs)',
  ),
  service(
    'gcp',
    'google_workspace.admin',
    'sigma_google_workspace_admin',
    'sourcetype="gws:reports:admin"',
    'Splunk Add-on for Google Workspace',
  ),
  service(
    'gcp',
    'google_workspace.login',
    'sigma_google_workspace_login',
    'sourcetype="gws:reports:login"',
    'Splunk Add-on for Google Workspace',
  ),
  service(
    'github',
    'audit',
    'sigma_github_audit',
    'sourcetype="github:enterprise:audit"',
    'Splunk Add-on for GitHub (audit log)',
  ),
  // Sigma files Kubernetes audit rules with and without `category: application`: one route for both.
  service(
    'kubernetes',
    'audit',
    'sigma_kubernetes_audit',
    'sourcetype="kube:apiserver:audit"',
    'Splunk OpenTelemetry Collector for Kubernetes',
  ),
  placeholder({ product: 'bitbucket', service: 'audit' }, 'sigma_bitbucket_audit'),
  placeholder({ product: 'onelogin', service: 'onelogin.events' }, 'sigma_onelogin_events'),
  placeholder({ product: 'cisco', service: 'duo' }, 'sigma_cisco_duo'),
  // Network devices.
  service('cisco', 'aaa', 'sigma_cisco_aaa', CISCO_IOS, CISCO_ADDON),
  service('cisco', 'syslog', 'sigma_cisco_syslog', CISCO_IOS, CISCO_ADDON),
  service('cisco', 'bgp', 'sigma_cisco_bgp', CISCO_IOS, CISCO_ADDON),
  service('cisco', 'ldp', 'sigma_cisco_ldp', CISCO_IOS, CISCO_ADDON),
  service('fortigate', 'event', 'sigma_fortigate_event', 'sourcetype="fortigate_event"', 'Fortinet FortiGate Add-on'),
  service('fortios', 'sslvpnd', 'sigma_fortios_sslvpnd', 'sourcetype="fortigate_event"', 'Fortinet FortiGate Add-on'),
  {
    logsource: { product: 'paloalto', service: 'globalprotect' },
    macro: 'sigma_paloalto_globalprotect',
    definition: 'sourcetype="pan:globalprotect"',
    addOn: 'Palo Alto Networks Add-on for Splunk',
  },
  placeholder({ product: 'juniper', service: 'bgp' }, 'sigma_juniper_bgp'),
  placeholder({ product: 'huawei', service: 'bgp' }, 'sigma_huawei_bgp'),
  // Zeek: the Splunk Add-on for Zeek aka Bro names a sourcetype per log (JSON output).
  ...['dns', 'http', 'smb_files', 'dce_rpc', 'x509', 'rdp', 'kerberos'].map((log) =>
    service('zeek', log, `sigma_zeek_${log}`, `sourcetype="bro:${log}:json"`, 'Splunk Add-on for Zeek aka Bro'),
  ),
  // Generic categories fed by many vendors: the CIM tags their add-ons set (the data model's constraint).
  category('proxy', 'sigma_proxy', 'tag=web tag=proxy', 'CIM Web data model, Proxy dataset (tag=web tag=proxy)'),
  category('webserver', 'sigma_webserver', 'tag=web', 'CIM Web data model (tag=web)'),
  category(
    'firewall',
    'sigma_firewall',
    'tag=network tag=communicate',
    'CIM Network Traffic data model (tag=network tag=communicate)',
  ),
  category('dns', 'sigma_dns', 'tag=network tag=resolution tag=dns', 'CIM Network Resolution (DNS) data model'),
  category('antivirus', 'sigma_antivirus', 'tag=malware tag=attack', 'CIM Malware data model, Malware_Attacks'),
  // Web servers named by service.
  placeholder({ service: 'apache' }, 'sigma_apache'),
  placeholder({ service: 'nginx' }, 'sigma_nginx'),
  // Application logs: no add-on documents these.
  ...[
    'opencanary',
    'rpc_firewall',
    'jvm',
    'spring',
    'python',
    'django',
    'nodejs',
    'ruby_on_rails',
    'velocity',
    'sql',
  ].map((product) => placeholder({ product, category: 'application' }, `sigma_${product}_application`)),
  placeholder({ category: 'database' }, 'sigma_database'),
];

const routes: Route[] = [
  ...WINDOWS_ROUTES,
  ...SOURCE_MACROS.map((m): Route => ({
    logsource: m.logsource,
    table: m.macro,
    ...(m.conditions ? { conditions: m.conditions } : {}),
    note: `${m.definition} (${m.addOn})`,
    ...(m.unverified ? { unverified: m.unverified } : {}),
  })),
];

/** One default definition per macro (a macro shared by several log sources has one definition). */
const macroDefinitions = new Map<string, string>();
for (const m of SOURCE_MACROS) if (!macroDefinitions.has(m.macro)) macroDefinitions.set(m.macro, m.definition);

const definitionSteps: Transformation[] = [...macroDefinitions].map(([macro, definition]) => ({
  type: 'set_state',
  when: { table: macro },
  state: { macro_definition: definition },
}));

export const splunk: PipelineSpec = {
  name: 'splunk',
  description:
    'Splunk, every log source scoped: Windows by event log channel (as splunk-windows), every other log source by a search macro per log source whose default definition follows the Splunk add-on sourcetype (macros.conf via --format macros)',
  targets: ['splunk'],
  routes,
  transformations: [
    { type: 'set_state', state: { splunk_routing: 'macro' } },
    {
      type: 'set_state',
      when: { logsource: { product: 'windows' } },
      state: { splunk_routing: 'windows', index: '*', source_convention: 'classic' },
    },
    ...definitionSteps,
    { type: 'field_map', when: { logsource: { product: 'windows' } }, map: { EventID: 'EventCode' } },
    // The Sysmon for Linux add-on extracts the event ID as EventCode, as the Windows add-ons do.
    { type: 'field_map', when: { table: 'sigma_linux_sysmon' }, map: { EventID: 'EventCode' } },
  ],
};
