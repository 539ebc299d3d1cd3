import type { Check } from '../../types.js';
import { logsourceKey } from '../../taxonomy.js';
import { fieldMatches } from '../../walk.js';

/**
 * Logsource → fields the logsource already implies. The Windows categories that stand for a
 * fixed set of Sysmon events and that `sigmahq_category_event_id` (L005) does not cover:
 * their EventID is implied by the category.
 */
const REDUNDANT_FIELDS: Record<string, string[]> = {
  'windows|registry_event|': ['EventID'],
  'windows|wmi_event|': ['EventID'],
};

export const redundantField: Check = {
  meta: {
    code: 'D017',
    name: 'redundant-field',
    family: 'detection',
    defaultSeverity: 'warning',
    summary: 'A field is already implied by the logsource (e.g. EventID in a registry_event rule).',
    why: 'The logsource category is mapped by pipelines to the right events; repeating the event id ties the rule to one log provider and breaks it on others (EDR telemetry has no Sysmon EventID).',
    bad: 'logsource:\n    category: registry_event\n    product: windows\ndetection:\n    selection:\n        EventID: 13\n        TargetObject|endswith: \\Run\\evil\n    condition: selection',
    good: 'logsource:\n    category: registry_event\n    product: windows\ndetection:\n    selection:\n        TargetObject|endswith: \\Run\\evil\n    condition: selection',
    pysigma: ['sigmahq_redundant_field'],
  },
  check(ctx) {
    const d = ctx.document;
    if (d.kind !== 'rule') return;
    const fields = REDUNDANT_FIELDS[logsourceKey(d.logsource)];
    if (!fields) return;
    for (const { match } of fieldMatches(d)) {
      if (match.field !== null && fields.includes(match.field))
        ctx.report({
          message: `'${match.field}' is redundant: logsource ${d.logsource.category} already implies it.`,
          loc: match.loc,
          hint: `Remove '${match.field}'.`,
        });
    }
  },
};
