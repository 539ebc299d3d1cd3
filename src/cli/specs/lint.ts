/** `sigil lint`: name, description and options. Loaded for every command, so it imports nothing heavy; the handler is in ../commands/lint.ts. */
import type { CommandModule } from 'yargs';
import { repeatable } from './repeatable.js';
import type { Severity } from '../../diagnostics.js';

export interface LintArgs {
  paths: string[];
  format: 'text' | 'json' | 'sarif' | 'github';
  'fail-on': Severity | 'never';
  config?: string;
  preset?: string;
  explain?: string;
  'list-checks': boolean;
  'attack-data'?: string;
  corpus?: string;
  baseline?: string;
  telemetry?: string[];
  rows?: string;
  noise: boolean;
  scores: boolean;
  quiet: boolean;
  fix: boolean;
  'fix-dry-run': boolean;
}

export const lintSpec: Pick<CommandModule<object, LintArgs>, 'command' | 'describe' | 'builder'> = {
  command: 'lint [paths..]',
  describe: 'Check rules for correctness and SigmaHQ conventions, and score how noisy each rule is',
  builder: (y) =>
    y
      .positional('paths', {
        type: 'string',
        array: true,
        default: [],
        describe: 'rule files or directories (recursive), or - for stdin',
      })
      .option('format', {
        alias: 'f',
        choices: ['text', 'json', 'sarif', 'github'] as const,
        default: 'text' as const,
        describe: 'output format',
      })
      .option('fail-on', {
        choices: ['error', 'warning', 'info', 'never'] as const,
        default: 'error' as const,
        describe: 'exit 1 when a finding at or above this severity exists',
      })
      .option('config', {
        type: 'string',
        describe: 'configuration file (default: .sigil.yml found from the current directory upwards)',
      })
      .option('preset', {
        type: 'string',
        describe: "start from a preset: 'sigmahq' (SigmaHQ's CI validators and exclusions)",
      })
      .option('explain', { type: 'string', describe: "print a check's documentation (code or name) and exit" })
      .option('list-checks', { type: 'boolean', default: false, describe: 'list every check and exit' })
      .option('attack-data', {
        type: 'string',
        describe: 'a newer ATT&CK STIX bundle (enterprise-attack.json) instead of the built-in v18.1 snapshot',
      })
      .option('corpus', {
        type: 'string',
        describe: 'rule directory to use as the noise reach catalog instead of the built-in SigmaHQ index',
      })
      .option('baseline', {
        type: 'string',
        describe: 'benign events (JSON Lines) to measure each rule against and fold into the noise score',
      })
      .option(
        'telemetry',
        repeatable(
          "event exports (JSON Lines, optionally .gz; files or directories; repeatable) to run every rule over: the noise score rests on the hits where they cover the rule's log source",
        ),
      )
      .option('rows', {
        type: 'string',
        describe:
          "--telemetry holds rows exported from the tables of this KQL pipeline (defender-xdr, sentinel, sentinel-event; PIPELINE:TABLE names the table of files without a Type column), as JSON or CSV: read through the pipeline's field mapping in reverse",
      })
      .option('noise', { type: 'boolean', default: true, describe: 'compute noise scores (--no-noise to skip)' })
      .option('scores', {
        type: 'boolean',
        default: false,
        describe: 'text format: print the noise score of every rule',
      })
      .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'text format: print errors only' })
      .option('fix', {
        type: 'boolean',
        default: false,
        describe:
          'apply the unambiguous fixes and the fmt layout to the files (atomically, comments kept), then report what remains',
      })
      .option('fix-dry-run', {
        type: 'boolean',
        default: false,
        describe: 'print the fixes --fix would make as a unified diff; writes nothing',
      })
      .example('$0 lint rules/', 'lint a rule repository')
      .example(
        '$0 lint rules/ --preset sigmahq --format sarif > sigil.sarif',
        'SigmaHQ CI checks, SARIF for GitHub code scanning',
      )
      .example('$0 lint rule.yml --scores', 'show the noise score and its explanation')
      .example('$0 lint rules/ --fix', 'fix tag case, duplicate and revoked tags and the layout, in place')
      .example('$0 lint rules/ --telemetry exports/ --format json', 'noise measured on your own events')
      .example(
        '$0 lint rules/ --telemetry DeviceProcessEvents.csv --rows defender-xdr --format json',
        'noise measured on Defender XDR advanced hunting rows',
      )
      .example('$0 lint --explain D009', 'documentation of a check'),
};
