import type { Check } from '../../types.js';
import { attackKnows, attackTagKind, newerAttackId, splitTags } from '../../tags.js';

export const attackUnknown: Check = {
  meta: {
    code: 'T004',
    name: 'attack-unknown',
    family: 'tags',
    defaultSeverity: 'warning',
    summary:
      'An `attack.` tag is malformed, or names a tactic, technique, group, software or campaign that is not in ATT&CK (a near-miss or a gap, not a newer id).',
    why: 'A mistyped technique id silently drops the rule from coverage reports. Ids shaped like a newer release than the ATT&CK data are T010 (a note), not this warning.',
    bad: 'tags:\n    - attack.persistance\n    - attack.t1059.0001',
    good: 'tags:\n    - attack.persistence\n    - attack.t1059.001',
    pysigma: ['attacktag'],
  },
  check(ctx) {
    for (const t of splitTags(ctx.document.tags)) {
      if (t.namespace !== 'attack') continue;
      const kind = attackTagKind(t.name);
      if (kind === 'unknown') {
        ctx.report({
          message: `'${t.tag}' is not an ATT&CK tactic, technique, group, software or campaign tag.`,
          loc: ctx.document.locs['tags'],
          hint: 'Write attack.<tactic-shortname>, attack.tNNNN[.NNN], attack.gNNNN, attack.sNNNN or attack.cNNNN.',
        });
        continue;
      }
      if (attackKnows(ctx.attack, kind, t.name)) continue;
      const why = newerAttackId(ctx.attack, kind, t.name);
      if (why.newer) continue; // T010
      ctx.report({
        message: `'${t.tag}': no such ATT&CK ${kind} in ATT&CK ${ctx.attack.version}.`,
        loc: ctx.document.locs['tags'],
        ...(why.typo
          ? { hint: `Did you mean attack.${why.typo}?`, fix: `attack.${why.typo}` }
          : { hint: 'Check the id against ATT&CK (it is within the range the ATT&CK data covers).' }),
      });
    }
  },
};
