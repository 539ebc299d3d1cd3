import type { Check } from '../../types.js';
import { baseName } from '../files/filename.js';

/** pySigma-validators-sigmahq `SigmahqFilenameConventionValidator` (re.match: anchored at the start only). */
const PATTERN = /^[a-z0-9_]{10,90}\.yml/;

export const filenameConvention: Check = {
  meta: {
    code: 'M029',
    name: 'filename-convention',
    family: 'metadata',
    defaultSeverity: 'warning',
    summary:
      'The file name is not 10–90 lower-case letters, digits and underscores (with at least one underscore) followed by `.yml`.',
    why: 'SigmaHQ names rule files in snake_case with a logsource prefix so they sort, search and import predictably across operating systems.',
    bad: 'rules/windows/process_creation/Certutil-Decode.yaml',
    good: 'rules/windows/process_creation/proc_creation_win_certutil_decode.yml',
    pysigma: ['sigmahq_filename_convention'],
  },
  check(ctx) {
    const name = baseName(ctx);
    if (name === undefined) return;
    if (PATTERN.test(name) && name.includes('_')) return;
    ctx.report({
      message: `File name '${name}' does not follow the SigmaHQ convention ([a-z0-9_]{10,90}.yml with an underscore).`,
      loc: ctx.loc,
      hint: 'Rename it in snake_case, e.g. proc_creation_win_certutil_decode.yml.',
    });
  },
};
