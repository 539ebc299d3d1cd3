import type { Check } from '../../types.js';
import { fieldMatches } from '../../walk.js';

/** Constructs outside Sigma's regular-expression subset that backends cannot translate (lookaround, atomic groups). */
const UNSUPPORTED: [string, string][] = [
  ['(?=', 'lookahead'],
  ['(?!', 'negative lookahead'],
  ['(?<=', 'lookbehind'],
  ['(?<!', 'negative lookbehind'],
  ['(?>', 'atomic group'],
];

export const regexUnsupportedConstruct: Check = {
  meta: {
    code: 'D012',
    name: 'regex-unsupported-construct',
    family: 'detection',
    defaultSeverity: 'error',
    summary: "A regular expression uses a construct outside Sigma's regex subset (lookaround, atomic groups).",
    why: 'Splunk, KQL (RE2) and most SIEM engines reject lookaround and atomic groups; the rule fails to convert or deploy.',
    bad: "CommandLine|re: 'powershell(?!.*-NoProfile)'",
    good: "selection:\n    CommandLine|re: 'powershell'\nfilter:\n    CommandLine|contains: '-NoProfile'\ncondition: selection and not filter",
    pysigma: ['sigmahq_unsupported_regex_group_construct'],
  },
  check(ctx) {
    for (const { match } of fieldMatches(ctx.document)) {
      for (const v of match.values) {
        if (v.type !== 'regex') continue;
        const hit = UNSUPPORTED.find(([s]) => v.pattern.includes(s));
        if (hit)
          ctx.report({
            message: `The regular expression uses a ${hit[1]} ('${hit[0]}'), which Sigma's regex subset does not include.`,
            loc: v.loc ?? match.loc,
            hint: 'Express the exclusion as a separate selection combined with "and not".',
          });
      }
    }
  },
};
