import type { Check } from '../../types.js';
import { knownFields } from '../../taxonomy.js';
import { fieldMatches } from '../../walk.js';

export const fieldNotInTaxonomy: Check = {
  meta: {
    code: 'D013',
    name: 'field-not-in-taxonomy',
    family: 'detection',
    defaultSeverity: 'warning',
    summary: "A field name is not in the logsource's taxonomy.",
    why: "Pipelines map taxonomy fields to each backend's columns; an unknown name (a typo such as `Commandline`, or a vendor column) is passed through unmapped and matches nothing.",
    bad: 'logsource:\n    category: process_creation\n    product: windows\ndetection:\n    selection:\n        Commandline|contains: -decode\n    condition: selection',
    good: 'logsource:\n    category: process_creation\n    product: windows\ndetection:\n    selection:\n        CommandLine|contains: -decode\n    condition: selection',
    pysigma: ['sigmahq_field_name'],
  },
  check(ctx) {
    const d = ctx.document;
    // Service logsources (windows/security, system…) carry per-event fields the taxonomy does not list.
    if (d.kind !== 'rule' || !d.logsource.category) return;
    const known = knownFields(ctx.taxonomy, d.logsource);
    if (!known) return;
    const set = known.exact;
    const lower = known.folded;
    const seen = new Set<string>();
    for (const { match } of fieldMatches(d)) {
      const f = match.field;
      if (f === null || set.has(f) || seen.has(f)) continue;
      seen.add(f);
      const near = lower.get(f.toLowerCase());
      ctx.report({
        message: `Field '${f}' is not in the taxonomy of logsource ${[d.logsource.product, d.logsource.category, d.logsource.service].filter(Boolean).join('/')}.`,
        loc: match.loc,
        hint: near ? `Did you mean '${near}'?` : 'Check the field name against sigma-appendix-taxonomy.md.',
      });
    }
  },
};
