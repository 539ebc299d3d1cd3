/** `sigil parse`: name, description and options. Loaded for every command, so it imports nothing heavy; the handler is in ../commands/parse.ts. */
import type { CommandModule } from 'yargs';

export interface ParseArgs {
  paths: string[];
  json: boolean;
  schema: boolean;
  quiet: boolean;
}

export const parseSpec: Pick<CommandModule<object, ParseArgs>, 'command' | 'describe' | 'builder'> = {
  command: 'parse <paths..>',
  describe: 'Parse Sigma rules, correlations and filters into the AST and report diagnostics',
  builder: (y) =>
    y
      .positional('paths', {
        type: 'string',
        array: true,
        demandOption: true,
        describe: 'files, directories (recursive *.yml/*.yaml) or - for stdin',
      })
      .option('json', {
        type: 'boolean',
        default: false,
        describe: 'one JSON object per document per line: {file, kind, id, title, ast} or {file, errors}',
      })
      .option('schema', {
        type: 'boolean',
        default: true,
        describe: 'also validate against the Sigma JSON schemas (--no-schema to skip)',
      })
      .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'print errors only' })
      .example('$0 parse rules/', 'check that every rule parses')
      .example('$0 parse rule.yml --json | jq .ast.detection', 'inspect the AST of one rule')
      .example('cat rule.yml | $0 parse -', 'read a rule from stdin'),
};
