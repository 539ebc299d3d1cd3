import type { Check, FixEdit } from '../../types.js';
import { entryName, type NamedEntry } from '../../attack.js';
import { attackTagKind, splitTags } from '../../tags.js';

export const attackRevoked: Check = {
  meta: {
    code: 'T005',
    name: 'attack-revoked',
    family: 'tags',
    defaultSeverity: 'warning',
    summary: 'An `attack.` tag names a revoked or deprecated technique, group or software.',
    why: 'MITRE revokes ids when techniques merge or move; tags on the old id no longer count towards the technique that replaced it.',
    bad: 'tags:\n    - attack.t1084',
    good: 'tags:\n    - attack.t1546.003',
    pysigma: ['attacktag'],
    fixable: true,
  },
  check(ctx) {
    for (const t of splitTags(ctx.document.tags)) {
      if (t.namespace !== 'attack') continue;
      const kind = attackTagKind(t.name);
      const id = t.name.toUpperCase();
      if (kind === 'technique') {
        const info = ctx.attack.techniques[id];
        if (!info || (!info.revoked && !info.deprecated)) continue;
        const what = info.revoked ? 'revoked' : 'deprecated';
        if (info.replacedBy)
          ctx.report({
            message: `'${t.tag}' (${info.name}) is ${what}: use attack.${info.replacedBy.toLowerCase()}.`,
            loc: ctx.document.locs['tags'],
            hint: `Replace it with attack.${info.replacedBy.toLowerCase()} (${ctx.attack.techniques[info.replacedBy]?.name ?? ''}).`,
            fix: `attack.${info.replacedBy.toLowerCase()}`,
            ...editIf(successorEdit(ctx.document.tags ?? [], t.tag, `attack.${info.replacedBy.toLowerCase()}`)),
          });
        else
          ctx.report({
            message: `'${t.tag}' (${info.name}) is ${what} in ATT&CK ${ctx.attack.version} and has no replacement.`,
            loc: ctx.document.locs['tags'],
            hint: 'Remove the tag or map the rule to a current technique.',
          });
      } else if (kind === 'group' || kind === 'software' || kind === 'campaign') {
        const table: Record<string, NamedEntry> =
          kind === 'group' ? ctx.attack.groups : kind === 'software' ? ctx.attack.software : ctx.attack.campaigns;
        const e = table[id];
        if (!e || typeof e === 'string' || (!e.revoked && !e.deprecated)) continue;
        const repl = e.replaced_by ? ` use attack.${e.replaced_by.toLowerCase()}` : ' it has no replacement';
        ctx.report({
          message: `'${t.tag}' (${entryName(e)}) is ${e.revoked ? 'revoked' : 'deprecated'}:${repl}.`,
          loc: ctx.document.locs['tags'],
          hint: e.replaced_by ? `Replace it with attack.${e.replaced_by.toLowerCase()}.` : 'Remove the tag.',
        });
      }
    }
  },
};

/** The successor replaces the revoked tag; when the rule already has it, the revoked tag goes. */
function successorEdit(tags: readonly string[], tag: string, successor: string): FixEdit | undefined {
  const i = tags.indexOf(tag);
  if (i < 0) return undefined;
  return tags.includes(successor)
    ? { op: 'delete', path: ['tags', i], from: tag }
    : { op: 'set', path: ['tags', i], from: tag, value: successor };
}

const editIf = (edit: FixEdit | undefined): { edit?: FixEdit } => (edit ? { edit } : {});
