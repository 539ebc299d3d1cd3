import type { LogSource } from '../../../ast/types.js';
import type { Check } from '../../types.js';
import { fieldsFor, logsourceKey, type Taxonomy } from '../../taxonomy.js';
import { fieldMatches } from '../../walk.js';

/**
 * The field list pySigma-validators-sigmahq checks a logsource against, or undefined when it
 * checks nothing. The vendored taxonomy adds the product's common fields (Windows: EventID,
 * Provider_Name…) to every logsource; a logsource that lists nothing beyond them (windows/security,
 * ps_classic_start…) has no field list of its own in SigmaHQ's data and is not checked.
 */
export function checkedFields(tax: Taxonomy, ls: LogSource): string[] | undefined {
  const fields = fieldsFor(tax, ls);
  if (!fields || fields.length === 0) return undefined;
  const common = new Set(tax.logsources[`${ls.product ?? ''}||`] ?? []);
  if (common.size > 0 && fields.every((f) => common.has(f))) return undefined;
  return fields;
}

const checkedByTaxonomy = new WeakMap<Taxonomy, Map<string, ReadonlySet<string> | undefined>>();

/** `checkedFields` as a set, built once per taxonomy and logsource. */
function checkedFieldSet(tax: Taxonomy, ls: LogSource): ReadonlySet<string> | undefined {
  let byKey = checkedByTaxonomy.get(tax);
  if (!byKey) checkedByTaxonomy.set(tax, (byKey = new Map()));
  const key = logsourceKey(ls);
  if (!byKey.has(key)) {
    const fields = checkedFields(tax, ls);
    byKey.set(key, fields ? new Set(fields) : undefined);
  }
  return byKey.get(key);
}

export const invalidFieldname: Check = {
  meta: {
    code: 'D022',
    name: 'invalid-fieldname',
    family: 'detection',
    defaultSeverity: 'warning',
    summary: "A field name is not in the field list of the rule's logsource (any logsource with a list).",
    why: "Pipelines and SigmaHQ's tooling only know the fields of a logsource's taxonomy; any other name (a typo, a vendor column, a field of another event type) passes through unmapped and matches nothing. Unlike D013 this also covers service logsources with their own field lists, and reports every occurrence.",
    bad: 'logsource:\n    product: windows\n    service: ntlm\ndetection:\n    selection:\n        WorkstationNam: EVIL-PC\n    condition: selection',
    good: 'logsource:\n    product: windows\n    service: ntlm\ndetection:\n    selection:\n        WorkstationName: EVIL-PC\n    condition: selection',
    pysigma: ['sigmahq_invalid_fieldname'],
  },
  check(ctx) {
    const d = ctx.document;
    if (d.kind !== 'rule') return;
    const set = checkedFieldSet(ctx.taxonomy, d.logsource);
    if (!set) return;
    const where = [d.logsource.product, d.logsource.category, d.logsource.service].filter(Boolean).join('/');
    for (const { match } of fieldMatches(d)) {
      const f = match.field;
      if (f === null || set.has(f)) continue;
      ctx.report({
        message: `Field '${f}' does not exist in logsource ${where}.`,
        loc: match.loc,
        hint: 'Check the name against the logsource fields in sigma-appendix-taxonomy.md.',
      });
    }
  },
};
