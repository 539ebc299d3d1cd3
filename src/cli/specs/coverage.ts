/** `sigil coverage`: name, description and options. Loaded for every command, so it imports nothing heavy; the handler is in ../commands/coverage.ts. */
import type { CommandModule } from 'yargs';

export interface CoverageArgs {
  paths: string[];
  technique: string;
  format: 'md' | 'json';
  limit: number;
  'attack-data'?: string;
  corpus?: string;
}

export const coverageSpec: Pick<CommandModule<object, CoverageArgs>, 'command' | 'describe' | 'builder'> = {
  command: 'coverage <paths..>',
  describe: 'Authoring guide for one ATT&CK technique: its rules, fields, top indicators and their reach',
  builder: (y) =>
    y
      .positional('paths', { type: 'string', array: true, demandOption: true, describe: 'rule files or directories' })
      .option('technique', {
        alias: 't',
        type: 'string',
        demandOption: true,
        describe: 'ATT&CK technique id, e.g. T1546.003',
      })
      .option('format', { choices: ['md', 'json'] as const, default: 'md' as const })
      .option('limit', { type: 'number', default: 20, describe: 'rows in the field and value tables' })
      .option('attack-data', { type: 'string', describe: 'a newer ATT&CK STIX bundle (enterprise-attack.json)' })
      .option('corpus', {
        type: 'string',
        describe: 'rule directory for reach counts instead of the built-in SigmaHQ index',
      })
      .example('$0 coverage --technique T1546.003 rules/', 'what the rules for WMI event subscription look at'),
};
