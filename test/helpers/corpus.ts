/**
 * The SigmaHQ corpus (../shared/corpus/sigmahq), listed and parsed once per test worker.
 *
 * The corpus-wide suites run in one vitest project without isolation (`shared` in
 * vitest.config.ts), so they share this module and its caches: each folder is read and parsed
 * at most once per parse option instead of once per test file. The results are deep-frozen: a
 * suite that needs to add to them (lint/corpus.test.ts adds reference diagnostics) must copy
 * what it changes, and a mutation by the code under test fails loudly instead of leaking into
 * the next suite.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse, type ParseResult } from '../../src/parser/index.js';
import { yamlFiles } from './files.js';
import { CORPUS } from './paths.js';

/** The rule folders (about 3,800 rules), and every folder of rule files (scripts/corpus-folders.mjs). */
export { RULE_FOLDERS as RULE_DIRS, ALL_FOLDERS as ALL_DIRS } from '../../scripts/corpus-folders.mjs';

export interface CorpusFile {
  /** Absolute path; also the `file` given to parse(), so diagnostics carry it. */
  file: string;
  /** Path relative to the corpus root, e.g. `rules/windows/…/x.yml`. */
  rel: string;
  /** Undefined when parse() threw (then `crash` holds the stack). */
  result?: ParseResult;
  crash?: string;
}

export interface ParsedCorpusFile extends CorpusFile {
  result: ParseResult;
}

const listings = new Map<string, readonly string[]>();
const parsed = new Map<string, readonly CorpusFile[]>();

/** Every YAML file of one corpus folder (`rules`, `deprecated`, …), sorted; cached. */
export function corpusFiles(dir: string): readonly string[] {
  let files = listings.get(dir);
  if (!files) {
    files = Object.freeze(yamlFiles(path.join(CORPUS, dir)));
    listings.set(dir, files);
  }
  return files;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

function parseDir(dir: string, schema: boolean): readonly CorpusFile[] {
  const key = `${schema ? 'schema' : 'no-schema'}:${dir}`;
  let out = parsed.get(key);
  if (!out) {
    out = corpusFiles(dir).map((file): CorpusFile => {
      const rel = path.relative(CORPUS, file);
      try {
        return { file, rel, result: parse(fs.readFileSync(file), { file, schema }) };
      } catch (e) {
        return { file, rel, crash: (e as Error).stack ?? String(e) };
      }
    });
    deepFreeze(out);
    parsed.set(key, out);
  }
  return out;
}

/**
 * The corpus folders parsed with parse(bytes, { file, schema }), in the order of `dirs` and
 * then of the paths. A file on which parse() throws is kept with its `crash`.
 */
export function loadCorpus(dirs: readonly string[], options: { schema: boolean }): readonly CorpusFile[] {
  return dirs.flatMap((d) => parseDir(d, options.schema));
}

/** As loadCorpus, for suites that need a result for every file: a crash throws. */
export function parsedCorpus(dirs: readonly string[], options: { schema: boolean }): readonly ParsedCorpusFile[] {
  const all = loadCorpus(dirs, options);
  const ok = all.filter((f): f is ParsedCorpusFile => f.result !== undefined);
  if (ok.length < all.length) {
    const crashes = all.filter((f) => f.result === undefined).map((f) => f.crash);
    throw new Error(`parse() threw on ${crashes.length} corpus files:\n${crashes.join('\n')}`);
  }
  return ok;
}
