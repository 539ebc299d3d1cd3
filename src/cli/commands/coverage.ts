import fs from 'node:fs';
import type { CommandModule } from 'yargs';
import type { SigmaDocument } from '../../ast/types.js';
import { attackDataFromStix, BUILTIN_ATTACK } from '../../lint/attack.js';
import { coverageMarkdown, coverageReport, normalizeTechnique, type CoverageInput } from '../../lint/coverage.js';
import { buildCatalog, BUILTIN_CATALOG } from '../../lint/noise/catalog.js';
import { err, out, UsageError } from '../io.js';
import { loadRules } from '../load.js';

interface Args {
  paths: string[];
  technique: string;
  format: 'md' | 'json';
  limit: number;
  'attack-data'?: string;
  corpus?: string;
}

export const coverageCommand: CommandModule<object, Args> = {
  command: 'coverage <paths..>',
  describe: 'Authoring guide for one ATT&CK technique: its rules, fields, top indicators and their reach',
  builder: (y) =>
    y
      .positional('paths', { type: 'string', array: true, demandOption: true, describe: 'rule files or directories' })
      .option('technique', { alias: 't', type: 'string', demandOption: true, describe: 'ATT&CK technique id, e.g. T1546.003' })
      .option('format', { choices: ['md', 'json'] as const, default: 'md' as const })
      .option('limit', { type: 'number', default: 20, describe: 'rows in the field and value tables' })
      .option('attack-data', { type: 'string', describe: 'a newer ATT&CK STIX bundle (enterprise-attack.json)' })
      .option('corpus', { type: 'string', describe: 'rule directory for reach counts instead of the built-in SigmaHQ index' })
      .example('$0 coverage --technique T1546.003 rules/', 'what the rules for WMI event subscription look at'),
  handler: (argv) => {
    if (!normalizeTechnique(argv.technique)) throw new UsageError(`'${argv.technique}' is not a technique id like T1546 or T1546.003`);
    let attack = BUILTIN_ATTACK;
    if (argv['attack-data']) {
      let data: unknown;
      try {
        data = JSON.parse(fs.readFileSync(argv['attack-data'], 'utf8'));
      } catch (e) {
        throw new UsageError(`cannot read --attack-data ${argv['attack-data']}: ${(e as Error).message}`);
      }
      const a = attackDataFromStix(data);
      if (typeof a === 'string') throw new UsageError(`--attack-data ${argv['attack-data']}: ${a}`);
      attack = a;
    }
    const { results } = loadRules(argv.paths, { schema: false, resolve: false });
    const inputs: CoverageInput[] = results.flatMap((r) => r.documents.filter((d) => d.document).map((d) => ({ document: d.document as SigmaDocument, ...(r.file !== undefined ? { file: r.file } : {}) })));
    let catalog = BUILTIN_CATALOG;
    if (argv.corpus) {
      const c = loadRules([argv.corpus], { schema: false, resolve: false });
      catalog = buildCatalog(c.results.flatMap((r) => r.documents.map((d) => d.document).filter((d): d is SigmaDocument => !!d)), argv.corpus);
    }
    const report = coverageReport(argv.technique, inputs, attack, catalog, argv.limit);
    out(argv.format === 'json' ? JSON.stringify(report, null, 2) + '\n' : coverageMarkdown(report));
    if (report.total === 0) err(`no rule is tagged attack.${report.technique.id.toLowerCase()}\n`);
  },
};
