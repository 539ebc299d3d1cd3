/** `sigil test`: name, description and options. Loaded for every command, so it imports nothing heavy; the handler is in ../commands/test.ts. */
import type { CommandModule } from 'yargs';

export interface TestArgs {
  paths: string[];
  format: 'text' | 'json' | 'junit';
  filter?: string[];
}

export const testSpec: Pick<CommandModule<object, TestArgs>, 'command' | 'describe' | 'builder'> = {
  command: 'test <paths..>',
  describe:
    'Run rule tests: name.tests.yml beside a rule, and SigmaHQ regression_data (regression_tests_path or info.yml by rule id)',
  builder: (y) =>
    y
      .positional('paths', {
        type: 'string',
        array: true,
        demandOption: true,
        describe: 'rule files or directories (tests files are found beside the rules)',
      })
      .option('format', {
        choices: ['text', 'json', 'junit'] as const,
        default: 'text' as const,
        describe: 'output: text, one JSON document, or JUnit XML for CI',
      })
      .option('filter', {
        type: 'string',
        requiresArg: true,
        describe:
          'Sigma filter file or directory: tests run on the rules as filtered (filters among the paths apply too; repeatable; docs/filters.md)',
        coerce: (v: string | string[]) => ([] as string[]).concat(v),
      })
      .example('$0 test rules/windows/', 'run every test of the Windows rules')
      .example('$0 test rules/ --format junit > junit.xml', 'CI report'),
};
