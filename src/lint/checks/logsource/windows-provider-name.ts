import type { Check } from '../../types.js';
import { fieldMatches } from '../../walk.js';

/**
 * Windows category → the providers it already stands for, from pySigma-validators-sigmahq
 * tools/sigmahq_windows_validator.json (version 20240809).
 */
const CATEGORY_PROVIDERS: Record<string, string[]> = {
  clipboard_capture: ['Microsoft-Windows-Sysmon'],
  create_remote_thread: ['Microsoft-Windows-Sysmon'],
  create_stream_hash: ['Microsoft-Windows-Sysmon'],
  dns_query: ['Microsoft-Windows-Sysmon'],
  driver_load: ['Microsoft-Windows-Sysmon'],
  file_access: ['Microsoft-Windows-Sysmon'],
  file_change: ['Microsoft-Windows-Sysmon'],
  file_delete: ['Microsoft-Windows-Sysmon'],
  file_event: ['Microsoft-Windows-Sysmon'],
  image_load: ['Microsoft-Windows-Sysmon'],
  network_connection: ['Microsoft-Windows-Sysmon', 'Microsoft-Windows-TCPIP'],
  pipe_created: ['Microsoft-Windows-Sysmon'],
  process_access: ['Microsoft-Windows-Sysmon', 'Microsoft-Windows-Kernel-Audit-API-Calls'],
  process_creation: [
    'Microsoft-Windows-Sysmon',
    'Microsoft-Windows-Security-Auditing',
    'Microsoft-Windows-Kernel-Process',
    'SystemTraceProvider-Process',
  ],
  process_tampering: ['Microsoft-Windows-Sysmon'],
  process_termination: ['Microsoft-Windows-Sysmon'],
  ps_classic_provider_start: ['PowerShell'],
  ps_classic_script: ['PowerShell'],
  ps_classic_start: ['PowerShell'],
  ps_module: ['Microsoft-Windows-PowerShell'],
  ps_script: ['Microsoft-Windows-PowerShell'],
  raw_access_thread: ['Microsoft-Windows-Sysmon'],
  registry_add: ['Microsoft-Windows-Sysmon'],
  registry_delete: ['Microsoft-Windows-Sysmon'],
  registry_event: ['Microsoft-Windows-Sysmon'],
  registry_rename: ['Microsoft-Windows-Sysmon'],
  registry_set: ['Microsoft-Windows-Sysmon'],
  sysmon_error: ['Microsoft-Windows-Sysmon'],
  sysmon_status: ['Microsoft-Windows-Sysmon'],
  wmi_event: ['Microsoft-Windows-Sysmon'],
};

export const windowsProviderName: Check = {
  meta: {
    code: 'L006',
    name: 'windows-provider-name',
    family: 'logsource',
    defaultSeverity: 'warning',
    summary: 'A generic Windows category rule filters on a Provider_Name the category already stands for.',
    why: "The category (process_creation, registry_set …) is mapped by pipelines to its providers; naming one (Sysmon) ties the rule to it and breaks it for the category's other sources.",
    bad: 'logsource:\n    category: process_creation\n    product: windows\ndetection:\n    selection:\n        Provider_Name: Microsoft-Windows-Sysmon\n        Image|endswith: \\certutil.exe\n    condition: selection',
    good: 'logsource:\n    category: process_creation\n    product: windows\ndetection:\n    selection:\n        Image|endswith: \\certutil.exe\n    condition: selection',
    pysigma: ['sigmahq_category_windows_provider_name'],
  },
  check(ctx) {
    const d = ctx.document;
    if (d.kind !== 'rule' || d.logsource.product !== 'windows' || d.logsource.service || !d.logsource.category) return;
    const providers = CATEGORY_PROVIDERS[d.logsource.category];
    if (!providers) return;
    for (const { match } of fieldMatches(d)) {
      if (match.field !== 'Provider_Name') continue;
      for (const v of match.values) {
        if (
          v.type === 'string' &&
          v.parts.length === 1 &&
          typeof v.parts[0] === 'string' &&
          providers.includes(v.parts[0])
        ) {
          ctx.report({
            message: `Provider_Name '${v.parts[0]}' is implied by category ${d.logsource.category}.`,
            loc: v.loc ?? match.loc,
            hint: 'Remove the Provider_Name condition.',
          });
        }
      }
    }
  },
};
