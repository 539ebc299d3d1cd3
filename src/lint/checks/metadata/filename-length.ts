import type { Check } from '../../types.js';
import { baseName } from '../files/filename.js';

/** pySigma `FilenameLenghValidator` bounds, on the base name with its extension. */
const MIN = 10;
const MAX = 90;

export const filenameLength: Check = {
  meta: {
    code: 'M028',
    name: 'filename-length',
    family: 'metadata',
    defaultSeverity: 'warning',
    summary: `The rule's file name is shorter than ${MIN} or longer than ${MAX} characters.`,
    why: 'Very short names say nothing about the rule; very long ones break on file systems and archive tools with path limits (Windows MAX_PATH) once nested in a rules tree.',
    bad: 'rules/windows/process_creation/a.yml',
    good: 'rules/windows/process_creation/proc_creation_win_certutil_decode.yml',
    pysigma: ['filename_lengh', 'filename_length'],
  },
  check(ctx) {
    const name = baseName(ctx);
    if (name === undefined || (name.length >= MIN && name.length <= MAX)) return;
    ctx.report({
      message: `File name '${name}' has ${name.length} characters (${MIN} to ${MAX} allowed).`,
      loc: ctx.loc,
      hint: name.length < MIN ? 'Use a descriptive name: <logsource prefix>_<subject>.yml.' : 'Shorten the file name.',
    });
  },
};
