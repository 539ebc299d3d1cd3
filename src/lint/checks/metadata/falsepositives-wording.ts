import type { Check } from '../../types.js';

const BANNED = ['none', 'pentest', 'penetration'];
const TYPOS: Record<string, string> = {
  unkown: 'Unknown',
  ligitimate: 'Legitimate',
  legitim: 'Legitimate',
  legitimeate: 'Legitimate',
};

export const falsepositivesWording: Check = {
  meta: {
    code: 'M024',
    name: 'falsepositives-wording',
    family: 'metadata',
    defaultSeverity: 'warning',
    summary: "A `falsepositives` entry uses a banned word ('None', 'pentest') or a common typo.",
    why: "Almost every rule has false positives: 'None' is rarely true and 'Unknown' is the honest answer; penetration tests are true positives, not false ones.",
    bad: 'falsepositives:\n    - None',
    good: 'falsepositives:\n    - Unknown',
    pysigma: ['sigmahq_falsepositives_banned_word', 'sigmahq_falsepositives_typo_word'],
  },
  check(ctx) {
    for (const fp of ctx.document.falsepositives ?? []) {
      for (const word of fp.split(' ')) {
        const w = word.toLowerCase().trim();
        if (BANNED.includes(w))
          ctx.report({
            message: `False-positive entry uses the banned word '${word}'.`,
            loc: ctx.document.locs['falsepositives'],
            hint: "Name real benign causes, or write 'Unknown'.",
          });
        else if (Object.hasOwn(TYPOS, w))
          ctx.report({
            message: `Typo in false-positive entry: '${word}'.`,
            loc: ctx.document.locs['falsepositives'],
            hint: `Write '${TYPOS[w]}'.`,
          });
      }
    }
  },
};
