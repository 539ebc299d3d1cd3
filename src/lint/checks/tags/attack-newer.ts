import type { Check } from '../../types.js';
import { attackKnows, attackTagKind, newerAttackId, splitTags } from '../../tags.js';

export const attackNewer: Check = {
  meta: {
    code: 'T010',
    name: 'attack-newer-than-data',
    family: 'tags',
    defaultSeverity: 'info',
    summary:
      'An `attack.` tag is unknown to the ATT&CK data Sigil uses but shaped like an id of a newer release (possibly right).',
    why: 'ATT&CK adds tactics and techniques in every release (v19: stealth, defense-impairment, T1685–T1690); a rule may be newer than the bundled snapshot. Lint with --attack-data and the newer enterprise-attack.json to check such tags (docs/lint/index.md explains how to refresh the snapshot).',
    bad: 'tags:\n    - attack.stealth',
    good: 'tags:\n    - attack.defense-evasion',
    pysigma: ['attacktag'],
  },
  check(ctx) {
    for (const t of splitTags(ctx.document.tags)) {
      if (t.namespace !== 'attack') continue;
      const kind = attackTagKind(t.name);
      if (kind === 'unknown' || attackKnows(ctx.attack, kind, t.name)) continue;
      if (!newerAttackId(ctx.attack, kind, t.name).newer) continue;
      ctx.report({
        message: `'${t.tag}' is unknown to the ATT&CK ${ctx.attack.version} data, possibly a newer ${kind}.`,
        loc: ctx.document.locs['tags'],
        hint: `To check it, lint with --attack-data enterprise-attack.json of the release that has it.`,
      });
    }
  },
};
