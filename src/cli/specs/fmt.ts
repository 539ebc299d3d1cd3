/** `sigil fmt`: name, description and options. Loaded for every command, so it imports nothing heavy; the handler is in ../commands/fmt.ts. */
import type { CommandModule } from 'yargs';

export interface FmtArgs {
  paths: string[];
  check: boolean;
  write: boolean;
}

export const fmtSpec: Pick<CommandModule<object, FmtArgs>, 'command' | 'describe' | 'builder'> = {
  command: 'fmt <paths..>',
  describe: "Format Sigma files in SigmaHQ's convention (key order, 4-space indentation, quoting); comments are kept",
  builder: (y) =>
    y
      .positional('paths', {
        type: 'string',
        array: true,
        demandOption: true,
        describe: 'files, directories (recursive *.yml/*.yaml) or - for stdin',
      })
      .option('check', {
        type: 'boolean',
        default: false,
        describe: 'list files that are not formatted and exit 1 (for CI); writes nothing',
      })
      .option('write', {
        alias: 'w',
        type: 'boolean',
        default: false,
        describe: 'rewrite files in place (atomically: temporary file + rename)',
      })
      .example('$0 fmt rule.yml', 'print the formatted rule')
      .example('$0 fmt rules/ --check', 'fail when a rule deviates from the convention')
      .example('$0 fmt rules/ --write', 'format every rule in place'),
};
