import type { Check } from '../../types.js';

export const referencesGithubBranch: Check = {
  meta: {
    code: 'M020',
    name: 'references-github-branch',
    family: 'metadata',
    defaultSeverity: 'warning',
    summary: 'A GitHub file reference points at a branch instead of a commit (permalink).',
    why: 'Branch links rot when files move or change; a permalink keeps showing what the author read.',
    bad: 'references:\n    - https://github.com/SigmaHQ/sigma/blob/master/README.md',
    good: 'references:\n    - https://github.com/SigmaHQ/sigma/blob/bd2a4c37efde5f69f87040173e990f1f6ff9e234/README.md',
    pysigma: ['sigmahq_github_link'],
  },
  check(ctx) {
    for (const r of ctx.document.references ?? []) {
      if (/^https:\/\/github\.com\/.*\.\w{1,3}$/.test(r) && !/\/[0-9a-z]{40}\//.test(r))
        ctx.report({
          message: `GitHub link to a branch: ${r}`,
          loc: ctx.document.locs['references'],
          hint: "Press 'y' on the GitHub page to get the permalink with the commit hash.",
        });
    }
  },
};
