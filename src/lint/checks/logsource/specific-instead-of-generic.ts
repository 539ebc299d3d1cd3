import type { Check } from '../../types.js';
import { fieldMatches } from '../../walk.js';

/** Windows event ids that have a generic logsource category (pySigma's table). */
const GENERIC: Record<string, Record<number, string>> = {
  sysmon: {
    1: 'process_creation',
    2: 'file_change',
    3: 'network_connection',
    4: 'sysmon_status',
    5: 'process_termination',
    6: 'driver_load',
    7: 'image_load',
    8: 'create_remote_thread',
    9: 'raw_access_thread',
    10: 'process_access',
    11: 'file_event',
    12: 'registry_event',
    13: 'registry_event',
    14: 'registry_event',
    15: 'create_stream_hash',
    16: 'sysmon_status',
    17: 'pipe_created',
    18: 'pipe_created',
    19: 'wmi_event',
    20: 'wmi_event',
    21: 'wmi_event',
    22: 'dns_query',
    23: 'file_delete',
    24: 'clipboard_change',
    25: 'process_tampering',
    26: 'file_delete_detected',
    27: 'file_block_executable',
    28: 'file_block_shredding',
    29: 'file_executable_detected',
    255: 'sysmon_error',
  },
  security: { 4688: 'process_creation' },
};

export const specificInsteadOfGeneric: Check = {
  meta: {
    code: 'L002',
    name: 'specific-instead-of-generic',
    family: 'logsource',
    defaultSeverity: 'warning',
    summary: 'A Sysmon or Security event id is used where a generic logsource category exists.',
    why: 'A rule on `service: sysmon` + `EventID: 1` only runs where Sysmon is installed; `category: process_creation` also runs on EDR and Security 4688 data through pipelines.',
    bad: 'logsource:\n    product: windows\n    service: sysmon\ndetection:\n    selection:\n        EventID: 1\n        Image|endswith: \\certutil.exe\n    condition: selection',
    good: 'logsource:\n    product: windows\n    category: process_creation\ndetection:\n    selection:\n        Image|endswith: \\certutil.exe\n    condition: selection',
    pysigma: ['specific_instead_of_generic_logsource'],
  },
  check(ctx) {
    const d = ctx.document;
    if (d.kind !== 'rule' || d.logsource.product !== 'windows' || !d.logsource.service) return;
    const table = GENERIC[d.logsource.service];
    if (!table) return;
    for (const { match } of fieldMatches(d)) {
      if (match.field !== 'EventID') continue;
      for (const v of match.values) {
        const n = v.type === 'number' ? v.value : undefined;
        if (n !== undefined && table[n])
          ctx.report({
            message: `EventID ${n} of service '${d.logsource.service}' has the generic category '${table[n]}'.`,
            loc: v.loc ?? match.loc,
            hint: `Use logsource category: ${table[n]} (product: windows) and drop the EventID.`,
          });
      }
    }
  },
};
