import type { Check } from '../../types.js';
import { knownFields } from '../../taxonomy.js';
import { fieldMatches } from '../../walk.js';

export const fieldnameCast: Check = {
  meta: {
    code: 'D015',
    name: 'fieldname-cast',
    family: 'detection',
    defaultSeverity: 'warning',
    summary: "A field name differs only in letter case from a field of the logsource's taxonomy.",
    why: 'Field names are case-sensitive in most backends: `Commandline` is not `CommandLine`, passes through pipelines unmapped and matches nothing.',
    bad: 'logsource:\n    category: process_creation\n    product: windows\ndetection:\n    selection:\n        commandline|contains: -decode\n    condition: selection',
    good: 'logsource:\n    category: process_creation\n    product: windows\ndetection:\n    selection:\n        CommandLine|contains: -decode\n    condition: selection',
    pysigma: ['sigmahq_fieldname_cast'],
  },
  check(ctx) {
    const d = ctx.document;
    if (d.kind !== 'rule') return;
    const known = knownFields(ctx.taxonomy, d.logsource);
    if (!known) return;
    const { exact, folded } = known;
    for (const { match } of fieldMatches(d)) {
      const f = match.field;
      if (f === null || exact.has(f)) continue;
      const near = folded.get(f.toLowerCase());
      if (near !== undefined)
        ctx.report({
          message: `Field '${f}' should be written '${near}'.`,
          loc: match.loc,
          hint: `Use the taxonomy's spelling '${near}'.`,
          fix: near,
        });
    }
  },
};
