import type { Check } from '../../types.js';
import { attackKnows, attackTagKind, splitTags } from '../../tags.js';

export const attackUnknown: Check = {
  meta: {
    code: 'T004',
    name: 'attack-unknown',
    family: 'tags',
    defaultSeverity: 'warning',
    summary:
      'An `attack.` tag names a tactic, technique, group, software or campaign the ATT&CK snapshot does not know.',
    why: 'A mistyped technique id silently drops the rule from coverage reports. An id newer than the snapshot is reported too (as a warning naming the snapshot version): pass a newer STIX bundle with --attack-data.',
    bad: 'tags:\n    - attack.t1059.099',
    good: 'tags:\n    - attack.t1059.001',
    pysigma: ['attacktag'],
  },
  check(ctx) {
    for (const t of splitTags(ctx.document.tags)) {
      if (t.namespace !== 'attack') continue;
      const kind = attackTagKind(t.name);
      if (kind === 'unknown')
        ctx.report({
          message: `'${t.tag}' is not an ATT&CK tactic, technique, group, software or campaign tag.`,
          loc: ctx.document.locs['tags'],
          hint: 'Write attack.<tactic-shortname>, attack.tNNNN[.NNN], attack.gNNNN, attack.sNNNN or attack.cNNNN.',
        });
      else if (!attackKnows(ctx.attack, kind, t.name))
        ctx.report({
          message: `'${t.tag}': unknown ATT&CK ${kind} in the ATT&CK ${ctx.attack.version} snapshot.`,
          loc: ctx.document.locs['tags'],
          hint: `Check the id; if it is newer than ATT&CK ${ctx.attack.version}, lint with --attack-data enterprise-attack.json of that release.`,
        });
    }
  },
};
