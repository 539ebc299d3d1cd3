import type { Check } from '../../types.js';
import { splitTags } from '../../tags.js';

/** Name patterns per namespace (pySigma's CAR, CVE, detection and STP tag validators). */
const PATTERNS: Record<string, { re: RegExp; example: string }> = {
  car: { re: /^\d{4}-\d{2}-\d{3}$/, example: 'car.2016-04-005' },
  cve: { re: /^\d+-\d+$/, example: 'cve.2021-44228' },
  detection: { re: /^(dfir|emerging-threats|threat-hunting)$/, example: 'detection.threat-hunting' },
  stp: { re: /^[1-5][auk]?$/, example: 'stp.2a' },
};

export const tagPattern: Check = {
  meta: {
    code: 'T009',
    name: 'tag-pattern',
    family: 'tags',
    defaultSeverity: 'warning',
    summary: "A `car.`, `cve.`, `detection.` or `stp.` tag does not follow its namespace's pattern.",
    why: 'These namespaces have fixed formats (the tags appendix); `cve.CVE-2021-44228` or `detection.hunting` are not found by tools.',
    bad: 'tags:\n    - cve.CVE-2021-44228',
    good: 'tags:\n    - cve.2021-44228',
    pysigma: ['cartag', 'cvetag', 'detection_tag', 'stptag'],
  },
  check(ctx) {
    for (const t of splitTags(ctx.document.tags)) {
      const p = PATTERNS[t.namespace];
      if (p && !p.re.test(t.name))
        ctx.report({
          message: `'${t.tag}' does not match the ${t.namespace} tag pattern.`,
          loc: ctx.document.locs['tags'],
          hint: `Write it like ${p.example}.`,
        });
    }
  },
};
