/** `sigil hunt`: name, description and options. Loaded for every command, so it imports nothing heavy; the handler is in ../commands/hunt.ts. */
import type { CommandModule } from 'yargs';
import { repeatable } from './repeatable.js';

export interface HuntArgs {
  rules: string[];
  events?: string[];
  format: 'jsonl' | 'table';
  'logsource-filter': boolean;
  'timestamp-field'?: string[];
  filter?: string[];
}

export const huntSpec: Pick<CommandModule<object, HuntArgs>, 'command' | 'describe' | 'builder'> = {
  command: 'hunt [events..]',
  describe: 'Run rules (and correlations) over events: JSON Lines files, JSON files, EVTX files or - for stdin',
  builder: (y) =>
    y
      .positional('events', {
        type: 'string',
        array: true,
        describe: 'JSON Lines / JSON / EVTX event files; - or none reads stdin',
      })
      .option('rules', {
        alias: 'r',
        type: 'string',
        requiresArg: true,
        demandOption: true,
        describe: 'a rule file or directory (repeat -r for more)',
        coerce: (v: string | string[]) => ([] as string[]).concat(v),
      })
      .option('format', {
        choices: ['jsonl', 'table'] as const,
        default: 'jsonl' as const,
        describe: 'jsonl: one {rule_id, title, event_index, file} per match; table: counts per rule',
      })
      .option('logsource-filter', {
        type: 'boolean',
        default: true,
        describe:
          'test a rule only against events of its logsource (applies to events that carry a Windows Channel; --no-logsource-filter to test every rule on every event)',
      })
      .option('filter', {
        type: 'string',
        requiresArg: true,
        describe:
          'Sigma filter file or directory, applied to the rules it names (filters among --rules apply too; repeatable; docs/filters.md)',
        coerce: (v: string | string[]) => ([] as string[]).concat(v),
      })
      .option(
        'timestamp-field',
        repeatable(
          'fields holding the event time for correlations (default: TimeCreated @timestamp timestamp Timestamp TimeGenerated) (repeatable)',
        ),
      )
      .example('$0 hunt -r rules/windows events.jsonl', 'print every match as JSON Lines')
      .example('zcat big.jsonl.gz | $0 hunt -r rules/ - --format table', 'count matches per rule over a stream'),
};
