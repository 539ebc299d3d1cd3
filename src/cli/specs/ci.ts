/** `sigil ci`: name, description and options. Loaded for every command, so it imports nothing heavy; the handler is in ../commands/ci.ts. */
import type { CommandModule } from 'yargs';

export interface CiArgs {
  base?: string;
  all: boolean;
  config?: string;
  summary?: string;
  sarif?: string;
  junit?: string;
  annotations: boolean;
}

export const ciSpec: Pick<CommandModule<object, CiArgs>, 'command' | 'describe' | 'builder'> = {
  command: 'ci',
  describe:
    'Check a rules repository change: lint, rule tests and conversion of the changed rules (and what refers to them) at the base and now, with a report of every query that changes',
  builder: (y) =>
    y
      .option('base', {
        type: 'string',
        requiresArg: true,
        describe: 'git revision to compare with (e.g. origin/main); the changed rule files are checked',
      })
      .option('all', { type: 'boolean', default: false, describe: 'check every rule file, without comparing' })
      .option('config', {
        type: 'string',
        describe: 'configuration file (default: .sigil.yml found from the current directory upwards)',
      })
      .option('summary', {
        type: 'string',
        requiresArg: true,
        describe: 'append the Markdown report to FILE (e.g. $GITHUB_STEP_SUMMARY)',
      })
      .option('sarif', {
        type: 'string',
        requiresArg: true,
        describe: 'write the lint findings as SARIF 2.1.0 to FILE',
      })
      .option('junit', {
        type: 'string',
        requiresArg: true,
        describe: 'write the rule test results as JUnit XML to FILE',
      })
      .option('annotations', {
        type: 'boolean',
        default: true,
        describe: 'print GitHub workflow annotations on stdout (--no-annotations for a text summary only)',
      })
      .example('$0 ci --base origin/main --summary "$GITHUB_STEP_SUMMARY" --sarif sigil.sarif', 'a pull request check')
      .example('$0 ci --all', 'check every rule of the repository'),
};
