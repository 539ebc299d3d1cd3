import type { Check } from '../../types.js';

export const noisyRule: Check = {
  meta: {
    code: 'N001',
    name: 'noisy-rule',
    family: 'noise',
    defaultSeverity: 'warning',
    summary: "The rule's noisiness score is high: it is likely to fire on benign activity.",
    why: 'The score combines how many other rules use the same indicators (corpus reach), how specific the values are (with diminishing returns for length), the boolean structure (the noisiest branch of an OR decides; filters help), unusual process lineage (an Office or server parent starting a shell), the volume of the logsource, and whether the rule detects a read-only ATT&CK tactic (discovery, collection). A high score names the clause to narrow. See docs/noise.md.',
    bad: "detection:\n    selection:\n        Image|endswith: '\\powershell.exe'\n    condition: selection",
    good: "detection:\n    selection:\n        Image|endswith: '\\powershell.exe'\n        CommandLine|contains: ' -EncodedCommand '\n    filter_sccm:\n        ParentImage|endswith: '\\CcmExec.exe'\n    condition: selection and not filter_sccm",
  },
  check(ctx) {
    const n = ctx.noise;
    if (n && n.level === 'high')
      ctx.report({
        message: `Noise score ${n.score}/100 (high): ${n.explanation}`,
        loc: ctx.document.locs['detection'] ?? ctx.loc,
        hint: 'Narrow the named clause with a more specific indicator, or exclude known benign sources with "and not filter_…".',
      });
  },
};
