import fs from 'node:fs';
import path from 'node:path';
import type { CommandModule } from 'yargs';
import type { SigmaDocument, SigmaRule } from '../../ast/types.js';
import { filterNamesRule } from '../../pipelines/filters.js';
import { getBackend, listBackends } from '../../backends/index.js';
import type { BackendOptions, OutputFormat, RenderedOutput } from '../../backends/types.js';
import { lookupRule, type ParseResult } from '../../parser/index.js';
import { listPipelines, loadPipelineSpec, resolvePipelines, type PipelineSpec } from '../../pipelines/index.js';
import { formatDiagnostic } from '../format.js';
import { loadRules } from '../load.js';
import { distinctFilters, filtersIn, loadFilters } from '../filters.js';
import { readArtifactDefaults } from '../artifact-config.js';
import { findConfig } from '../config-file.js';
import { convertParsedFile, type ConvertSettings, type FileConversion } from '../convert-file.js';
import { runFiles } from '../parse-pool.js';
import { prepareTask, type PoolTask } from '../pool-tasks.js';
import { UsageError, err, expandPaths, out, progress, requireRuleFiles, useColor, writeFileAtomic } from '../io.js';
import { convertSpec, type ConvertArgs as Args } from '../specs/convert.js';

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

/** A file name holds at most 255 bytes: room for a suffix, a disambiguating `_` and an extension. */
const MAX_BASE_BYTES = 200;

/**
 * The output file name (without extension) for a rule file, unique within the run: the rule
 * file's name, `stdin` for standard input, `-N` for the N-th document of a multi-document file.
 */
function outputName(file: string, index: number | undefined, used: Set<string>): string {
  let base = file === '<stdin>' ? 'stdin' : path.basename(file).replace(/\.ya?ml$/i, '');
  while (Buffer.byteLength(base) > MAX_BASE_BYTES) base = Array.from(base).slice(0, -1).join('');
  if (index !== undefined) base += `-${index}`;
  while (used.has(base)) base += '_';
  used.add(base);
  return base;
}

function writeFailure(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  return `Cannot write the output file: ${code === 'EROFS_FILE' ? 'it is read-only' : (code ?? (e as Error).message)}.`;
}

/** How several rendered outputs share one stream or file, by file type. */
function joinOutputs(texts: string[], extension: string): string {
  if (extension === '.yaml' || extension === '.yml') return texts.map((t) => t.replace(/^---\n/, '')).join('---\n');
  if (extension === '.json')
    return texts.length === 1 ? texts[0]! : `[\n${texts.map((t) => t.trim()).join(',\n')}\n]\n`;
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
      throw new UsageError(
        `cannot read pipeline file ${n}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      );
    }
    const { spec, diagnostics } = loadPipelineSpec(text, n);
    if (!spec)
      throw new UsageError(
        `invalid pipeline file ${n}:\n${diagnostics.map((d) => '  ' + formatDiagnostic(d, false)).join('\n')}`,
      );
    // Warnings of a pipeline that loaded (C105: a table the schemas do not hold; C111: an ignored
    // pySigma transformation) do not stop the conversion.
    for (const d of diagnostics) err(formatDiagnostic(d) + '\n');
    return spec;
  });
}

/**
 * The detection rules (file and document index) that a correlation among the paths refers to
 * without `generate: true`.
 */
function withheldRules(results: readonly ParseResult[]): Set<string> {
  const where = new Map<SigmaDocument, string>();
  for (const r of results)
    for (const d of r.documents) if (d.document) where.set(d.document, `${r.file ?? '<input>'}\0${d.index}`);
  const out = new Set<string>();
  for (const r of results)
    for (const d of r.documents) {
      const corr = d.document;
      if (corr?.kind !== 'correlation' || corr.correlation.generate) continue;
      for (const ref of corr.correlation.rules) {
        const target = lookupRule(results, ref);
        const key = target?.kind === 'rule' ? where.get(target) : undefined;
        if (key !== undefined) out.add(key);
      }
    }
  return out;
}

export const convertCommand: CommandModule<object, Args> = {
  ...convertSpec,
  handler: async (argv) => {
    const backend = getBackend(argv.target);
    if (!backend)
      throw new UsageError(
        `unknown target '${argv.target}' (known: ${listBackends()
          .map((b) => b.name)
          .join(', ')})`,
      );
    const format: OutputFormat | undefined = argv.format
      ? backend.formats.find((f) => f.name === argv.format)
      : backend.formats[0];
    if (!format)
      throw new UsageError(
        `unknown format '${argv.format}' for ${backend.name} (known: ${backend.formats.map((f) => f.name).join(', ')})`,
      );
    const options = parseSettings(argv.set);
    // An option nobody reads would be ignored silently: a typo (`--set indx=…`) is a usage error.
    const known = { ...backend.options, ...format.options };
    for (const key of Object.keys(options)) {
      if (Object.hasOwn(known, key.replace(/-/g, '_'))) continue;
      const names = Object.keys(known);
      throw new UsageError(
        `unknown --set option '${key}' for ${backend.name}/${format.name} (known: ${names.length ? names.join(', ') : 'none'})`,
      );
    }
    const pipelines = argv.pipeline?.length ? resolvePipelineArgs(argv.pipeline) : undefined;
    const unknown = resolvePipelines(pipelines ?? []).unknown;
    if (unknown.length)
      throw new UsageError(
        `unknown pipeline ${unknown.join(', ')} (known: ${listPipelines()
          .map((p) => p.name)
          .join(', ')}; or give a pipeline YAML file)`,
      );
    const { filters } = loadFilters(argv.filter);
    const configFile = argv.config ?? findConfig(process.cwd());
    const artifacts = configFile ? await readArtifactDefaults(configFile, format.name) : undefined;
    const settings: ConvertSettings = {
      target: backend.name,
      format: format.name,
      options,
      json: argv.json,
      color: useColor(),
      ...(pipelines ? { pipelines } : {}),
      ...(filters.length ? { filters } : {}),
      ...(artifacts ? { artifacts } : {}),
    };
    // Each file is parsed and converted on its own, in the parse pool (parse-pool.ts).
    const files = expandPaths(argv.paths);
    requireRuleFiles(files, argv.paths);
    const bar = progress(files.length);
    const task: PoolTask = { name: 'convert', settings };
    await prepareTask(task);
    const conversions = runFiles<FileConversion>(files, task, () => bar.tick());
    bar.done();
    // A correlation names rules that may live in other files, and so does a filter: convert
    // those files again with the whole set loaded (rare; the rest needs no cross-file lookup).
    const deferred = conversions.some((c) => c.items.some((i) => i.kind === 'deferred'));
    const filterDocs = conversions.some((c) => c.items.some((i) => i.kind === 'filter'));
    let withheld = new Set<string>();
    if (deferred || filterDocs) {
      const { results } = loadRules(argv.paths, { schema: false });
      // The spec's `generate`: the rules a correlation refers to are converted on their own only
      // when it sets `generate: true`. Like pySigma, one correlation without it is enough to keep
      // a rule from being converted alone, even when the rule is also given on its own. Canonical
      // Sigma (-t sigma) rewrites every rule file, so it keeps them all.
      if (backend.name !== 'sigma') withheld = withheldRules(results);
      const lookup = (ref: string): SigmaDocument | undefined => lookupRule(results, ref);
      const found = filtersIn(results);
      const all = distinctFilters([...filters, ...found]);
      const filtered: ConvertSettings = all.length ? { ...settings, filters: all } : settings;
      conversions.forEach((c, k) => {
        const named =
          found.length > 0 &&
          results[k]!.documents.some(
            (d) => d.document?.kind === 'rule' && found.some((f) => filterNamesRule(f, d.document as SigmaRule)),
          );
        if (named || c.items.some((i) => i.kind === 'deferred'))
          conversions[k] = convertParsedFile(results[k]!, filtered, lookup);
      });
    }
    if (withheld.size)
      conversions.forEach((c) => {
        c.items = c.items.filter(
          (i) => !((i.kind === 'converted' || i.kind === 'failed') && withheld.has(`${c.file}\0${i.index}`)),
        );
      });
    const outDir =
      argv.output &&
      (argv.output.endsWith('/') || (fs.existsSync(argv.output) && fs.statSync(argv.output).isDirectory()))
        ? argv.output
        : undefined;
    const single: string[] = [];
    let singleExtension = '';
    const reasons = new Map<string, number>();
    let converted = 0;
    let failed = 0;
    let parseErrors = 0;
    let unwritten = 0;
    const usedNames = new Set<string>();
    // A format made of one artifact for the run (macros.conf, a Splunk app) collects every output.
    const combined: RenderedOutput[] = [];
    for (const c of conversions) {
      for (const item of c.items) {
        if (item.kind === 'invalid') parseErrors++;
        else if (item.kind === 'failed') {
          failed++;
          if (item.reason) reasons.set(item.reason, (reasons.get(item.reason) ?? 0) + 1);
        } else if (item.kind === 'converted') {
          converted++;
          if (item.rendered && format.combine) combined.push(item.rendered);
          else if (item.rendered && outDir) {
            const target = path.join(outDir, outputName(c.file, c.documents > 1 ? item.index : undefined, usedNames));
            try {
              writeFileAtomic(target + item.rendered.extension, item.rendered.text);
            } catch (e) {
              unwritten++;
              err(`${target}${item.rendered.extension}: error I003 ${writeFailure(e)}\n`);
            }
          } else if (item.rendered) {
            singleExtension = item.rendered.extension;
            single.push(format.comment ? `${format.comment(item.label)}\n${item.rendered.text}` : item.rendered.text);
          }
        }
        if ('json' in item && item.json) out(item.json + '\n');
        if ('stderr' in item && item.stderr) err(item.stderr);
      }
    }
    if (format.combine && !argv.json) {
      const artifact = format.combine(combined, options);
      if ('error' in artifact) throw new UsageError(artifact.error);
      const target = outDir ? path.join(outDir, artifact.fileName) : argv.output;
      if (target) {
        try {
          writeFileAtomic(target, artifact.data);
        } catch (e) {
          unwritten++;
          err(`${target}: error I003 ${writeFailure(e)}\n`);
        }
      } else if (typeof artifact.data !== 'string' && process.stdout.isTTY) {
        throw new UsageError(`--format ${format.name} writes an archive: give -o <file or directory>`);
      } else process.stdout.write(artifact.data);
    } else if (!argv.json && !outDir) {
      const text = single.length ? joinOutputs(single, singleExtension) : '';
      if (argv.output) {
        try {
          writeFileAtomic(argv.output, text);
        } catch (e) {
          unwritten++;
          err(`${argv.output}: error I003 ${writeFailure(e)}\n`);
        }
      } else out(text);
    }
    const top = [...reasons.entries()].sort((a, b) => b[1] - a[1]);
    err(
      `converted ${converted}, not expressible ${failed}${parseErrors ? `, invalid ${parseErrors}` : ''}${
        top.length
          ? ` (${top
              .slice(0, 6)
              .map(([k, n]) => `${k}: ${n}`)
              .join('; ')})`
          : ''
      }\n`,
    );
    if (withheld.size)
      err(
        `${withheld.size} rule${withheld.size > 1 ? 's' : ''} referenced by correlations without 'generate: true' ${withheld.size > 1 ? 'are' : 'is'} not converted on ${withheld.size > 1 ? 'their' : 'its'} own\n`,
      );
    if (unwritten) err(`${unwritten} output file${unwritten > 1 ? 's' : ''} could not be written\n`);
    process.exitCode = failed || parseErrors || unwritten ? 1 : 0;
  },
};
