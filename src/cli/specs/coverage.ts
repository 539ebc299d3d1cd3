/** `sigil coverage`: name, description and options. Loaded for every command, so it imports nothing heavy; the handler is in ../commands/coverage.ts. */
import type { CommandModule } from 'yargs';
import { repeatable } from './repeatable.js';

export interface CoverageArgs {
  paths: string[];
  technique?: string;
  navigator?: string;
  gaps: boolean;
  tactic?: string[];
  platform?: string[];
  format: 'md' | 'json';
  limit: number;
  'attack-data'?: string;
  corpus?: string;
}

export const coverageSpec: Pick<CommandModule<object, CoverageArgs>, 'command' | 'describe' | 'builder'> = {
  command: 'coverage <paths..>',
  describe:
    'ATT&CK coverage: the authoring guide for one technique (--technique), a Navigator layer of a repository (--navigator) or the techniques no rule covers (--gaps)',
  builder: (y) =>
    y
      .positional('paths', { type: 'string', array: true, demandOption: true, describe: 'rule files or directories' })
      .option('technique', {
        alias: 't',
        type: 'string',
        describe: 'ATT&CK technique id, e.g. T1546.003: the authoring guide for it',
      })
      .option('navigator', {
        type: 'string',
        requiresArg: true,
        describe: 'write an ATT&CK Navigator layer (format 4.5) of the rules to FILE: score = rules per technique',
      })
      .option('gaps', {
        type: 'boolean',
        default: false,
        describe: 'list the techniques of --tactic and --platform that no rule is tagged with',
      })
      .option(
        'tactic',
        repeatable('with --gaps: a tactic shortname (persistence, privilege-escalation, …), repeatable; default all'),
      )
      .option(
        'platform',
        repeatable('with --gaps: an ATT&CK platform (Windows, Linux, macOS, …), repeatable; default all'),
      )
      .option('format', { choices: ['md', 'json'] as const, default: 'md' as const })
      .option('limit', { type: 'number', default: 20, describe: 'rows in the field and value tables' })
      .option('attack-data', { type: 'string', describe: 'a newer ATT&CK STIX bundle (enterprise-attack.json)' })
      .option('corpus', {
        type: 'string',
        describe: 'rule directory for reach counts instead of the built-in SigmaHQ index',
      })
      .example('$0 coverage --technique T1546.003 rules/', 'what the rules for WMI event subscription look at')
      .example('$0 coverage rules/ --navigator layer.json', 'an ATT&CK Navigator layer of the repository')
      .example(
        '$0 coverage rules/ --gaps --tactic persistence --platform Windows',
        'Windows persistence techniques without a rule',
      ),
};
