import type { CommandModule } from 'yargs';
import {
  displayName,
  err,
  expandPaths,
  out,
  readInput,
  requireRuleFiles,
  STDIN,
  UsageError,
  writeFileAtomic,
} from '../io.js';
import { formatDiagnostic } from '../format.js';
import { formatSigmaText } from '../../backends/sigma/format.js';
import { fmtSpec, type FmtArgs as Args } from '../specs/fmt.js';

export const fmtCommand: CommandModule<object, Args> = {
  ...fmtSpec,
  handler: (argv) => {
    if (argv.check && argv.write)
      throw new UsageError('--check and --write cannot be combined: --check only reports, --write rewrites.');
    const files = expandPaths(argv.paths);
    requireRuleFiles(files, argv.paths);
    if (argv.write && files.includes(STDIN))
      throw new UsageError('--write cannot rewrite stdin; drop --write to print the result.');
    let deviating = 0;
    let failed = 0;
    let written = 0;
    for (const f of files) {
      const name = displayName(f);
      let bytes: Uint8Array;
      try {
        bytes = readInput(f);
      } catch (e) {
        failed++;
        err(
          `${name}:1:1: error I001 Cannot read the file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.\n  hint: Check the path and its permissions; rules are read from regular files (links are followed).\n`,
        );
        continue;
      }
      let text: string;
      try {
        text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
      } catch {
        failed++;
        err(
          `${name}:1:1: error F001 Cannot read the file as UTF-8 text.\n  hint: Save the rule as UTF-8 (sigil parse locates the invalid bytes).\n`,
        );
        continue;
      }
      const r = formatSigmaText(text, { file: name });
      if (r.diagnostics.length) {
        failed++;
        for (const d of r.diagnostics) err(formatDiagnostic(d) + '\n');
        if (!argv.check && !argv.write) out(text);
        continue;
      }
      if (argv.check) {
        if (r.changed) {
          deviating++;
          out(`${name}: ${r.reasons.join(', ')}\n`);
        }
      } else if (argv.write) {
        if (r.changed) {
          try {
            writeFileAtomic(f, r.text);
            written++;
          } catch (e) {
            failed++;
            err(
              `${name}:1:1: error F003 Cannot write the file (left unchanged): ${(e as NodeJS.ErrnoException).code === 'EROFS_FILE' ? 'it is read-only' : ((e as NodeJS.ErrnoException).code ?? (e as Error).message)}.\n`,
            );
          }
        }
      } else out(r.text);
    }
    if (argv.check)
      err(
        `${files.length} files checked, ${deviating} not formatted${failed ? `, ${failed} could not be formatted` : ''}\n`,
      );
    else if (argv.write)
      err(`${files.length} files, ${written} reformatted${failed ? `, ${failed} could not be formatted` : ''}\n`);
    // A file that cannot be read or formatted is a finding like a file not formatted (docs/cli.md).
    process.exitCode = failed || deviating ? 1 : 0;
  },
};
