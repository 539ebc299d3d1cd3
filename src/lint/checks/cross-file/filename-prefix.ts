import type { LogSource } from '../../../ast/types.js';
import type { Check, DocumentInfo } from '../../types.js';
import { baseName } from '../files/filename.js';

/**
 * Logsource (`product|category|service`) → file-name prefix, from pySigma-validators-sigmahq
 * tools/sigmahq_filename.json (version 20240809), the data behind `sigmahq_filename_prefix`.
 * The same conventions are described in ../shared/spec/sigmahq/sigmahq-filename-convention.md.
 */
const FILENAME_PREFIX: Record<string, string> = {
  'aws||': 'aws',
  'azure||': 'azure_',
  'bitbucket||audit': 'bitbucket_audit_',
  'cisco||': 'cisco_',
  'django|application|': 'appframework_django_',
  'fortios||': 'fortios_',
  'gcp||': 'gcp_',
  'github||': 'github_',
  'huawei||': 'huawei_',
  'juniper||': 'juniper_',
  'jvm|application|': 'java_',
  'kubernetes|application|audit': 'kubernetes_audit_',
  'kubernetes||audit': 'kubernetes_audit_',
  'linux||': 'lnx_',
  'linux|file_event|': 'file_event_lnx_',
  'linux|network_connection|': 'net_connection_lnx_',
  'linux||auditd': 'lnx_auditd_',
  'linux||auth': 'lnx_auth_',
  'linux||clamav': 'lnx_clamav',
  'linux||cron': 'lnx_cron_',
  'linux||guacamole': 'lnx_guacamole_',
  'linux||sshd': 'lnx_sshd_',
  'linux||sudo': 'lnx_sudo',
  'linux||syslog': 'lnx_syslog_',
  'linux||vsftpd': 'lnx_vsftpd_',
  'linux|process_creation|': 'proc_creation_lnx_',
  'm365||': 'microsoft365_',
  'macos||': 'macos_',
  'macos|file_event|': 'file_event_macos_',
  'macos|process_creation|': 'proc_creation_macos_',
  'nodejs|application|': 'nodejs_',
  '|antivirus|': 'av_',
  '|database|': 'db_',
  '|dns|': 'net_dns_',
  '|firewall|': 'net_firewall_',
  '||apache': 'web_apache_',
  '||nginx': 'web_nginx_',
  '|proxy|': 'proxy_',
  '|webserver|': 'web_',
  'okta||': 'okta_',
  'onelogin||': 'onelogin_',
  'opencanary|application|': 'opencanary_',
  'paloalto|appliance|globalprotect': 'paloalto_globalprotect_',
  'paloalto|file_event|globalprotect': 'file_event_paloalto_globalprotect_',
  'python|application|': 'app_python_',
  'rpc_firewall|application|': 'rpc_firewall_',
  'ruby_on_rails|application|': 'appframework_ruby_',
  'spring|application|': 'spring_',
  'velocity|application|': 'velocity_',
  'windows|create_remote_thread|': 'create_remote_thread_win_',
  'windows|create_stream_hash|': 'create_stream_hash_',
  'windows|dns_query|': 'dns_query_win_',
  'windows|driver_load|': 'driver_load_win_',
  'windows|file_access|': 'file_access_win_',
  'windows|file_change|': 'file_change_win_',
  'windows|file_delete|': 'file_delete_win_',
  'windows|file_event|': 'file_event_win_',
  'windows|file_executable_detected|': 'file_executable_detected_win_',
  'windows|file_rename|': 'file_rename_win_',
  'windows|image_load|': 'image_load_',
  'windows|network_connection|': 'net_connection_win_',
  'windows||applocker': 'win_applocker_',
  'windows||appmodel-runtime': 'win_appmodel_runtime_',
  'windows||appxdeployment-server': 'win_appxdeployment_server_',
  'windows||appxpackaging-om': 'win_appxpackaging_om_',
  'windows||bits-client': 'win_bits_client_',
  'windows||capi2': 'win_capi2_',
  'windows||certificateservicesclient-lifecycle-system': 'win_certificateservicesclient_lifecycle_system_',
  'windows||codeintegrity-operational': 'win_codeintegrity_',
  'windows||diagnosis-scripted': 'win_diagnosis_scripted',
  'windows||dns-client': 'win_dns_client',
  'windows||dns-server': 'win_dns_server',
  'windows||dns-server-analytic': 'win_dns_analytic_',
  'windows||firewall-as': 'win_firewall_as_',
  'windows||ldap': 'win_ldap_',
  'windows||lsa-server': 'win_lsa_server_',
  'windows||msexchange-management': 'win_exchange_',
  'windows||': 'win_',
  'windows||openssh': 'win_sshd_openssh_',
  'windows||powershell-classic': 'posh_pc_',
  'windows||security': 'win_security_',
  'windows||security-mitigations': 'win_security_mitigations_',
  'windows||shell-core': 'win_shell_core',
  'windows||smbclient-connectivity': 'win_smbclient_connectivity_',
  'windows||smbclient-security': 'win_smbclient_security_',
  'windows||sysmon': 'sysmon_',
  'windows||system': 'win_system_',
  'windows||taskscheduler': 'win_taskscheduler_',
  'windows||terminalservices-localsessionmanager': 'win_terminalservices_',
  'windows||windefend': 'win_defender_',
  'windows||wmi': 'win_wmi_',
  'windows|pipe_created|': 'pipe_created_',
  'windows|process_access|': 'proc_access_win_',
  'windows|process_creation|': 'proc_creation_win_',
  'windows|process_tampering|': 'proc_tampering_',
  'windows|ps_classic_provider_start|': 'posh_pc_',
  'windows|ps_classic_start|': 'posh_pc_',
  'windows|ps_module|': 'posh_pm_',
  'windows|ps_script|': 'posh_ps_',
  'windows|raw_access_thread|': 'raw_access_thread_',
  'windows|registry_add|': 'registry_add_',
  'windows|registry_delete|': 'registry_delete_',
  'windows|registry_event|': 'registry_event_',
  'windows|registry_set|': 'registry_set_',
  'windows|sysmon_error|': 'sysmon_',
  'windows|sysmon_status|': 'sysmon_',
  'windows|wmi_event|': 'sysmon_wmi_',
  'zeek||': 'zeek_',
};

const key = (ls: LogSource): string => `${ls.product ?? ''}|${ls.category ?? ''}|${ls.service ?? ''}`;

/** The expected prefix: the exact logsource first, else the product alone (as pySigma falls back). */
export function expectedPrefix(ls: LogSource): string | undefined {
  return FILENAME_PREFIX[key(ls)] ?? (ls.product ? FILENAME_PREFIX[`${ls.product}||`] : undefined);
}

export const filenamePrefix: Check = {
  meta: {
    code: 'X005',
    name: 'filename-prefix',
    family: 'cross-file',
    defaultSeverity: 'warning',
    summary: "The file name does not start with the prefix SigmaHQ uses for the rule's logsource.",
    why: 'A logsource prefix (proc_creation_win_, registry_set_, win_security_ …) groups rules in listings and makes the logsource visible from the file name alone. Files that combine rules with a correlation are exempt (they may hold several logsources).',
    bad: '# rules/windows/process_creation/certutil_decode.yml\nlogsource:\n    category: process_creation\n    product: windows',
    good: '# rules/windows/process_creation/proc_creation_win_certutil_decode.yml\nlogsource:\n    category: process_creation\n    product: windows',
    pysigma: ['sigmahq_filename_prefix'],
  },
  // Cross-file only in that it needs the other documents of the same file (combined files are exempt).
  crossFile: {
    create: () => new Map<string, DocumentInfo[]>(),
    collect(state, doc) {
      if (!doc.file) return;
      const m = state as Map<string, DocumentInfo[]>;
      const list = m.get(doc.file);
      if (list) list.push(doc);
      else m.set(doc.file, [doc]);
    },
    finish(state, ctx) {
      for (const docs of (state as Map<string, DocumentInfo[]>).values()) {
        if (docs.some((d) => d.document.kind === 'correlation')) continue;
        for (const d of docs) {
          const name = baseName(d);
          if (name === undefined || d.document.kind !== 'rule') continue;
          const prefix = expectedPrefix(d.document.logsource);
          if (prefix === undefined || name.startsWith(prefix)) continue;
          ctx.report(d, {
            message: `File name '${name}' should start with '${prefix}' for this logsource.`,
            loc: d.loc,
            hint: `Rename the file to ${prefix}….yml.`,
          });
        }
      }
    },
  },
};
