/** `sigil convert`: name, description and options. Loaded for every command, so it imports nothing heavy; the handler is in ../commands/convert.ts. */
import type { CommandModule } from 'yargs';
import { repeatable } from './repeatable.js';

export interface ConvertArgs {
  paths: string[];
  target: string;
  pipeline?: string[];
  format?: string;
  output?: string;
  json: boolean;
  set?: string[];
  filter?: string[];
  config?: string;
}

export const convertSpec: Pick<CommandModule<object, ConvertArgs>, 'command' | 'describe' | 'builder'> = {
  command: 'convert <paths..>',
  describe: 'Convert Sigma rules to a query language (KQL for Defender XDR / Sentinel, …)',
  builder: (y) =>
    y
      .positional('paths', {
        type: 'string',
        array: true,
        demandOption: true,
        describe: 'rule files, directories or - for stdin',
      })
      .option('target', { alias: 't', type: 'string', default: 'kql', describe: 'target backend (sigil list targets)' })
      .option('pipeline', {
        alias: 'p',
        ...repeatable(
          "pipeline name or pipeline YAML file, repeat -p to apply several in order (default: the target's)",
        ),
      })
      .option('format', { alias: 'f', type: 'string', describe: 'output format (sigil list formats)' })
      .option('output', {
        alias: 'o',
        type: 'string',
        describe: 'write to FILE, or one file per rule into DIR (ending in / or an existing directory)',
      })
      .option('json', {
        type: 'boolean',
        default: false,
        describe: 'one JSON object per rule per line: {file, id, title, queries} or {file, id, title, errors}',
      })
      .option(
        'filter',
        repeatable(
          'Sigma filter file or directory: applied to the rules it names before conversion (repeatable; docs/filters.md)',
        ),
      )
      .option('config', {
        type: 'string',
        describe:
          "configuration file whose artifacts: mapping sets the formats' deployment defaults (default: .sigil.yml found from the current directory upwards)",
      })
      .option('set', {
        alias: 's',
        ...repeatable(
          'backend or format option key=value, repeatable (e.g. index=wineventlog, source_convention=xml, cron_schedule="*/10 * * * *")',
        ),
      })
      .example('$0 convert rules/ -t kql -p defender-xdr', 'Defender XDR advanced hunting queries')
      .example(
        '$0 convert rule.yml -p sentinel --format sentinel-rule -o out/',
        'Sentinel analytics rules, one YAML file per rule',
      )
      .example(
        '$0 convert rules/ -t splunk --format savedsearches --set index=wineventlog',
        'savedsearches.conf stanzas for one index',
      )
      .example('$0 convert rules/ -p sentinel --filter filters/', 'with the tuning of a directory of Sigma filters'),
};
