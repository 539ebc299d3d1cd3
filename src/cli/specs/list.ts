/** `sigil list`: name, description and options. Loaded for every command, so it imports nothing heavy; the handler is in ../commands/list.ts. */
import type { CommandModule } from 'yargs';

export interface ListArgs {
  what: 'targets' | 'pipelines' | 'formats';
}

export const listSpec: Pick<CommandModule<object, ListArgs>, 'command' | 'describe' | 'builder'> = {
  command: 'list <what>',
  describe: 'List conversion targets, pipelines or output formats',
  builder: (y) =>
    y
      .positional('what', { choices: ['targets', 'pipelines', 'formats'] as const, demandOption: true })
      .example('$0 list pipelines', 'the built-in pipelines and the targets they serve')
      .example('$0 list formats', 'output formats per target (use with convert --format)'),
};
