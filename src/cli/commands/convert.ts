import fs from 'node:fs';
import path from 'node:path';
import type { CommandModule } from 'yargs';
import type { SigmaDocument } from '../../ast/types.js';
import { convertDocument, getBackend, listBackends } from '../../backends/index.js';
import type { BackendOptions, ConversionError, OutputFormat } from '../../backends/types.js';
import { lookupRule } from '../../parser/index.js';
import { loadPipelineSpec, type PipelineSpec } from '../../pipelines/index.js';
import { formatDiagnostic } from '../format.js';
import { loadRules } from '../load.js';
import { UsageError, err, out, writeFileAtomic } from '../io.js';

interface Args {
  paths: string[];
  target: string;
  pipeline?: string[];
  format?: string;
  output?: string;
  json: boolean;
  set?: string[];
}

/** Parses `--set key=value` backend options (numbers and booleans typed). */
function parseSettings(pairs: string[] | undefined): BackendOptions {
  const options: BackendOptions = {};
  for (const pair of pairs ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--set takes key=value, not '${pair}'`);
    const key = pair.slice(0, eq).trim();
    const raw = pair.slice(eq + 1);
    options[key] = raw === 'true' ? true : raw === 'false' ? false : /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw;
  }
  return options;
}

/** How several rendered outputs share one stream or file, by file type. */
function joinOutputs(texts: string[], extension: string): string {
  if (extension === '.yaml' || extension === '.yml') return texts.map((t) => t.replace(/^---\n/, '')).join('---\n');
  if (extension === '.json') return texts.length === 1 ? texts[0]! : `[\n${texts.map((t) => t.trim()).join(',\n')}\n]\n`;
  // Queries and .conf stanzas stand apart with a blank line between them.
  return texts.map((t) => (t.endsWith('\n') ? t : t + '\n')).join('\n');
}

function resolvePipelineArgs(names: string[]): (string | PipelineSpec)[] {
  return names.map((n) => {
    if (!/\.ya?ml$/i.test(n)) return n;
    let text: string;
    try {
      text = fs.readFileSync(n, 'utf8');
    } catch (e) {
      throw new UsageError(`cannot read pipeline file ${n}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    const { spec, diagnostics } = loadPipelineSpec(text, n);
    if (!spec) throw new UsageError(`invalid pipeline file ${n}:\n${diagnostics.map((d) => '  ' + formatDiagnostic(d, false)).join('\n')}`);
    return spec;
  });
}

export const convertCommand: CommandModule<object, Args> = {
  command: 'convert <paths..>',
  describe: 'Convert Sigma rules to a query language (KQL for Defender XDR / Sentinel, …)',
  builder: (y) =>
    y
      .positional('paths', { type: 'string', array: true, demandOption: true, describe: 'rule files, directories or - for stdin' })
      .option('target', { alias: 't', type: 'string', default: 'kql', describe: 'target backend (sigil list targets)' })
      .option('pipeline', { alias: 'p', type: 'string', array: true, describe: 'pipeline name or pipeline YAML file, several apply in order (default: the target\'s)' })
      .option('format', { alias: 'f', type: 'string', describe: 'output format (sigil list formats)' })
      .option('output', { alias: 'o', type: 'string', describe: 'write to FILE, or one file per rule into DIR (ending in / or an existing directory)' })
      .option('json', { type: 'boolean', default: false, describe: 'one JSON object per rule per line: {file, id, title, queries} or {file, id, title, errors}' })
      .option('set', { alias: 's', type: 'string', array: true, describe: 'backend or format option key=value (e.g. index=wineventlog, source_convention=xml, cron_schedule="*/10 * * * *")' })
      .example('$0 convert rules/ -t kql -p defender-xdr', 'Defender XDR advanced hunting queries')
      .example('$0 convert rule.yml -p sentinel --format sentinel-rule -o out/', 'Sentinel analytics rules, one YAML file per rule')
      .example('$0 convert rules/ -t splunk --format savedsearches --set index=wineventlog', 'savedsearches.conf stanzas for one index'),
  handler: (argv) => {
    const backend = getBackend(argv.target);
    if (!backend) throw new UsageError(`unknown target '${argv.target}' (known: ${listBackends().map((b) => b.name).join(', ')})`);
    const format: OutputFormat | undefined = argv.format ? backend.formats.find((f) => f.name === argv.format) : backend.formats[0];
    if (!format) throw new UsageError(`unknown format '${argv.format}' for ${backend.name} (known: ${backend.formats.map((f) => f.name).join(', ')})`);
    const pipelines = argv.pipeline?.length ? resolvePipelineArgs(argv.pipeline) : undefined;
    const options = parseSettings(argv.set);
    // Schema findings are warnings that `sigil parse` and `sigil lint` report; conversion needs only the parser's errors.
    const { results } = loadRules(argv.paths, { schema: false });
    const outDir = argv.output && (argv.output.endsWith('/') || (fs.existsSync(argv.output) && fs.statSync(argv.output).isDirectory())) ? argv.output : undefined;
    const single: string[] = [];
    let singleExtension = '';
    const reasons = new Map<string, number>();
    let converted = 0;
    let failed = 0;
    let parseErrors = 0;
    const usedNames = new Set<string>();
    const lookup = (ref: string): SigmaDocument | undefined => lookupRule(results, ref);
    for (const r of results) {
      const file = r.file ?? '<input>';
      for (const d of r.documents) {
        const doc = d.document;
        const errs = d.diagnostics.filter((x) => x.severity === 'error');
        if (!doc || errs.length) {
          parseErrors++;
          if (argv.json) out(JSON.stringify({ file, id: null, title: null, errors: errs.map(({ file: _f, ...rest }) => rest) }) + '\n');
          else for (const e of errs) err(formatDiagnostic(e) + '\n');
          continue;
        }
        if (doc.kind === 'filter') continue;
        const res = convertDocument(doc, { target: backend.name, ...(pipelines ? { pipelines } : {}), options, lookup });
        const head = { file, id: doc.id ?? null, title: doc.title ?? null };
        let errors: ConversionError[] | undefined = res.ok ? undefined : res.errors;
        if (res.ok && format.check) {
          const e = format.check(res, doc);
          if (e) errors = [e];
        }
        if (errors || !res.ok) {
          failed++;
          const list = errors ?? [];
          for (const e of list.slice(0, 1)) reasons.set(`${e.code} ${e.reason}`, (reasons.get(`${e.code} ${e.reason}`) ?? 0) + 1);
          if (argv.json) out(JSON.stringify({ ...head, errors: list.map(({ loc, ...e }) => ({ ...e, ...(loc ? { line: loc.line, column: loc.column } : {}) })) }) + '\n');
          else for (const e of list) err(`${file}:${e.loc?.line ?? 1}:${e.loc?.column ?? 1}: error ${e.code} rule '${doc.title ?? doc.id ?? '?'}' cannot be converted: ${e.message}${e.hint ? `\n  hint: ${e.hint}` : ''}\n`);
          continue;
        }
        converted++;
        // --json carries the queries themselves; a non-default format's rendering rides along.
        const isDefaultFormat = format.name === backend.formats[0]!.name;
        if (argv.json) {
          const output = isDefaultFormat ? {} : { output: format.render(res, doc, options).text };
          out(JSON.stringify({ ...head, queries: res.queries, tables: res.tables, fields: res.fields, ...output, ...(res.warnings.length ? { warnings: res.warnings } : {}) }) + '\n');
          continue;
        }
        const rendered = format.render(res, doc, options);
        if (outDir) {
          let base = path.basename(file).replace(/\.ya?ml$/i, '') + (r.documents.length > 1 ? `-${d.index}` : '');
          while (usedNames.has(base)) base += '_';
          usedNames.add(base);
          writeFileAtomic(path.join(outDir, base + rendered.extension), rendered.text);
        } else {
          singleExtension = rendered.extension;
          single.push(rendered.extension === '.kql' ? `// ${doc.title ?? ''}${doc.id ? ` (${doc.id})` : ''}\n${rendered.text}` : rendered.text);
        }
        for (const w of res.warnings) err(`${file}: warning ${w.code} ${w.message}\n`);
      }
    }
    if (!argv.json && !outDir) {
      const text = single.length ? joinOutputs(single, singleExtension) : '';
      if (argv.output) writeFileAtomic(argv.output, text);
      else out(text);
    }
    const top = [...reasons.entries()].sort((a, b) => b[1] - a[1]);
    err(`converted ${converted}, not expressible ${failed}${parseErrors ? `, invalid ${parseErrors}` : ''}${top.length ? ` (${top.slice(0, 6).map(([k, n]) => `${k}: ${n}`).join('; ')})` : ''}\n`);
    process.exitCode = failed || parseErrors ? 1 : 0;
  },
};
