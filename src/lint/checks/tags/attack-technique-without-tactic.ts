import type { Check } from '../../types.js';
import { attackKnows, attackTagKind, splitTags } from '../../tags.js';

export const attackTechniqueWithoutTactic: Check = {
  meta: {
    code: 'T006',
    name: 'attack-technique-without-tactic',
    family: 'tags',
    defaultSeverity: 'warning',
    summary: 'A technique is tagged without any of its tactics.',
    why: 'SigmaHQ tags each technique together with its tactic so that tactic-level views (the ATT&CK matrix columns) include the rule.',
    bad: 'tags:\n    - attack.t1546.003',
    good: 'tags:\n    - attack.persistence\n    - attack.t1546.003',
  },
  check(ctx) {
    const tags = splitTags(ctx.document.tags).filter((t) => t.namespace === 'attack');
    const tactics = tags.filter((t) => attackTagKind(t.name) === 'tactic').map((t) => t.name.replace(/_/g, '-'));
    // A tactic newer than the snapshot (e.g. ATT&CK v19 'stealth') may be the technique's new home: skip.
    if (tactics.some((t) => !attackKnows(ctx.attack, 'tactic', t))) return;
    for (const t of tags) {
      if (attackTagKind(t.name) !== 'technique') continue;
      const info = ctx.attack.techniques[t.name.toUpperCase()];
      if (!info || info.revoked || info.deprecated || info.tactics.length === 0) continue;
      if (!info.tactics.some((x) => tactics.includes(x))) {
        ctx.report({
          message: `'${t.tag}' (${info.name}) is tagged without its tactic (${info.tactics.map((x) => 'attack.' + x).join(' or ')}).`,
          loc: ctx.document.locs['tags'],
          hint: `Add attack.${info.tactics[0]}.`,
        });
      }
    }
  },
};
