import type { FieldMatch, StringPart } from '../../../ast/types.js';
import type { Check, FixEdit } from '../../types.js';
import { fieldMatches, matchKey } from '../../walk.js';

const isMulti = (p: StringPart | undefined): boolean =>
  p !== undefined && typeof p !== 'string' && 'wildcard' in p && p.wildcard === 'multi';
const plain = (parts: StringPart[]): boolean => parts.every((p) => typeof p === 'string');
/** Length as pySigma counts it: characters plus one per wildcard. */
const length = (parts: StringPart[]): number => parts.reduce((n, p) => n + (typeof p === 'string' ? p.length : 1), 0);

export const wildcardsInsteadOfModifiers: Check = {
  meta: {
    code: 'D008',
    name: 'wildcards-instead-of-modifiers',
    family: 'detection',
    defaultSeverity: 'warning',
    summary: "Values use leading/trailing '*' where contains, startswith or endswith would say it.",
    why: 'Modifiers state the intent, keep values readable, and let backends emit their native operators (has, startswith, endswith) instead of wildcard matching.',
    bad: "Image: '*\\certutil.exe'",
    good: "Image|endswith: '\\certutil.exe'",
    pysigma: ['wildcards_instead_of_modifiers'],
    fixable: true,
  },
  check(ctx) {
    for (const { identifier, match } of fieldMatches(ctx.document)) {
      const vals = match.values;
      if (vals.length === 0 || !vals.every((v) => v.type === 'string' && length(v.parts) > 1)) continue;
      const parts = vals.map((v) => (v.type === 'string' ? v.parts : []));
      const mods = match.modifiers;
      const hasMod = (m: string): boolean => mods.includes(m as never);
      let want: string | undefined;
      if (parts.every((p) => isMulti(p[0]) && isMulti(p[p.length - 1]) && plain(p.slice(1, -1))) && !hasMod('contains'))
        want = 'contains';
      else if (parts.every((p) => isMulti(p[0]) && plain(p.slice(1))) && !hasMod('endswith')) want = 'endswith';
      else if (parts.every((p) => isMulti(p[p.length - 1]) && plain(p.slice(0, -1))) && !hasMod('startswith'))
        want = 'startswith';
      if (want)
        ctx.report({
          message: `'${matchKey(match)}' uses wildcards where '|${want}' would say it.`,
          loc: match.loc,
          hint: `Write '${match.field ?? ''}|${want}' and drop the ${want === 'contains' ? 'leading and trailing' : want === 'endswith' ? 'leading' : 'trailing'} '*'.`,
          ...fixFor(identifier, match, want),
        });
    }
  },
};

/**
 * The fix: the modifier in the key, the wildcards out of the values. Only for a field of a
 * selection written as a mapping (the edit finds nothing to change otherwise), with no modifier
 * but `all` or `cased`, and values whose text stays the same literal without the wildcard (not
 * ending in a backslash, which would then escape differently, and not empty).
 */
function fixFor(identifier: string, match: FieldMatch, want: string): { edit?: FixEdit } {
  if (match.field === null || !match.modifiers.every((m) => m === 'all' || m === 'cased')) return {};
  const values: { from: string; value: string }[] = [];
  for (const v of match.values) {
    if (v.type !== 'string') return {};
    let text = v.raw;
    if (want !== 'startswith') text = text.slice(1);
    if (want !== 'endswith') text = text.slice(0, -1);
    if (text === '' || text.endsWith('\\') || (want !== 'startswith' && !v.raw.startsWith('*'))) return {};
    if (want !== 'endswith' && !v.raw.endsWith('*')) return {};
    values.push({ from: v.raw, value: text });
  }
  const key = [match.field, ...match.modifiers].join('|');
  return {
    edit: {
      op: 'set-key',
      path: ['detection', identifier],
      from: key,
      value: [match.field, want, ...match.modifiers].join('|'),
      values,
    },
  };
}
