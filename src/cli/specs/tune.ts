/** `sigil tune`: name, description and options. Loaded for every command, so it imports nothing heavy; the handler is in ../commands/tune.ts. */
import type { CommandModule } from 'yargs';
import { repeatable } from './repeatable.js';

export interface TuneArgs {
  rules: string[];
  telemetry?: string[];
  config?: string;
  output?: string;
  format: 'text' | 'json';
  identity: boolean;
}

export const tuneSpec: Pick<CommandModule<object, TuneArgs>, 'command' | 'describe' | 'builder'> = {
  command: 'tune <rules..>',
  describe:
    "Propose filters for noisy rules from their hits on your telemetry (SigmaHQ's filter_main_*/filter_optional_*), never breaking the rules' own tests",
  builder: (y) =>
    y
      .positional('rules', {
        type: 'string',
        array: true,
        demandOption: true,
        describe: 'rule files or directories (recursive *.yml/*.yaml)',
      })
      .option(
        'telemetry',
        repeatable(
          "event exports to run the rules over (JSON Lines / JSON, optionally .gz; files or directories; repeatable); default: the configuration's telemetry:",
        ),
      )
      .option('config', {
        type: 'string',
        requiresArg: true,
        describe:
          'configuration file whose telemetry: key names the event exports when --telemetry is not given (default: .sigil.yml found from the current directory upwards)',
      })
      .option('output', {
        alias: 'o',
        type: 'string',
        requiresArg: true,
        describe:
          'write a Sigma filter document (for --filter of convert, hunt and test) instead of printing the tuned rules',
      })
      .option('format', {
        choices: ['text', 'json'] as const,
        default: 'text' as const,
        describe: 'text: the tuned rules as YAML (a summary on stderr; with -o the summary); json: the proposals',
      })
      .option('identity', {
        type: 'boolean',
        default: false,
        describe:
          'also propose identity values (host and user names, SIDs, GUIDs, process and logon ids, addresses), marked environment-specific',
      })
      .example('$0 tune rules/noisy.yml --telemetry exports/', 'print the rule with proposed filters')
      .example(
        '$0 tune rules/ --telemetry exports/ -o tuning.yml && $0 convert rules/ --filter tuning.yml',
        'write the proposals as a Sigma filter document and apply it',
      ),
};
