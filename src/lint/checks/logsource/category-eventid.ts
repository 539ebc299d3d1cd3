import type { Check } from '../../types.js';
import { fieldMatches } from '../../walk.js';

/** Windows categories that already stand for one event type (no EventID needed). */
const NO_EVENTID = new Set([
  'process_creation',
  'file_change',
  'network_connection',
  'process_termination',
  'driver_load',
  'image_load',
  'create_remote_thread',
  'raw_access_thread',
  'process_access',
  'file_event',
  'registry_add',
  'registry_delete',
  'registry_set',
  'registry_rename',
  'registry_event',
  'create_stream_hash',
  'pipe_created',
  'wmi_event',
  'dns_query',
  'file_delete',
  'clipboard_change',
  'process_tampering',
  'file_block_executable',
  'file_block_shredding',
  'file_executable_detected',
  'file_delete_detected',
  'sysmon_error',
  'sysmon_status',
  'file_access',
  'file_rename',
  'ps_module',
  'ps_script',
]);

export const categoryEventid: Check = {
  meta: {
    code: 'L005',
    name: 'category-eventid',
    family: 'logsource',
    defaultSeverity: 'warning',
    summary: 'A generic Windows category rule filters on EventID.',
    why: 'The category already selects the event type; pipelines map it to Sysmon, Security or EDR tables whose event ids differ, so an EventID filter breaks the rule on other sources.',
    bad: 'logsource:\n    category: process_creation\n    product: windows\ndetection:\n    selection:\n        EventID: 1\n        Image|endswith: \\certutil.exe\n    condition: selection',
    good: 'logsource:\n    category: process_creation\n    product: windows\ndetection:\n    selection:\n        Image|endswith: \\certutil.exe\n    condition: selection',
    pysigma: ['sigmahq_category_event_id'],
  },
  check(ctx) {
    const d = ctx.document;
    if (
      d.kind !== 'rule' ||
      d.logsource.product !== 'windows' ||
      !d.logsource.category ||
      !NO_EVENTID.has(d.logsource.category)
    )
      return;
    for (const { match } of fieldMatches(d)) {
      if (match.field === 'EventID')
        ctx.report({
          message: `Category '${d.logsource.category}' rule filters on EventID.`,
          loc: match.loc,
          hint: 'Remove the EventID: the category selects the event type.',
        });
    }
  },
};
