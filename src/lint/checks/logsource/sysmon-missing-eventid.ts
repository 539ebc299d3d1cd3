import type { Check } from '../../types.js';
import { fieldMatches } from '../../walk.js';

export const sysmonMissingEventid: Check = {
  meta: {
    code: 'L003',
    name: 'sysmon-missing-eventid',
    family: 'logsource',
    defaultSeverity: 'warning',
    summary: 'A rule on `service: sysmon` does not filter on EventID.',
    why: 'The Sysmon channel mixes 29 event types with different fields; without an EventID the rule matches across all of them.',
    bad: 'logsource:\n    product: windows\n    service: sysmon\ndetection:\n    selection:\n        RuleName: technique_id=T1055\n    condition: selection',
    good: 'logsource:\n    product: windows\n    service: sysmon\ndetection:\n    selection:\n        EventID: 255\n    condition: selection',
    pysigma: ['sigmahq_sysmon_missing_eventid'],
  },
  check(ctx) {
    const d = ctx.document;
    if (d.kind !== 'rule' || d.logsource.service !== 'sysmon') return;
    for (const { match } of fieldMatches(d)) if (match.field === 'EventID') return;
    ctx.report({
      message: "The rule reads the Sysmon channel without an 'EventID' filter.",
      loc: d.logsource.loc,
      hint: 'Add EventID, or use the generic category for the event type.',
    });
  },
};
