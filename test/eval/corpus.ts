/** Shared corpus loading for the evaluator tests (fs lives in tests and the CLI, never in src/eval). */
import fs from 'node:fs';
import path from 'node:path';
import type { SigmaDocument, SigmaRule } from '../../src/ast/types.js';
import { SHARED } from '../helpers/paths.js';
import { parsedCorpus } from '../helpers/corpus.js';

export const CORPUS = `${SHARED}/corpus/sigmahq`;

export function walkFiles(dir: string, ext: RegExp, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walkFiles(p, ext, out);
    else if (ext.test(e.name)) out.push(p);
  }
  return out.sort();
}

export interface CorpusDoc {
  file: string;
  document: SigmaDocument;
}

/**
 * Every document without errors of every rule file under the given corpus folders (parsed once
 * for all corpus suites: test/helpers/corpus.ts).
 */
export function loadCorpus(folders: readonly string[]): CorpusDoc[] {
  const present = folders.filter((folder) => fs.existsSync(path.join(CORPUS, folder)));
  const out: CorpusDoc[] = [];
  for (const { file, result } of parsedCorpus(present, { schema: false }))
    for (const d of result.documents)
      if (d.document && !d.diagnostics.some((x) => x.severity === 'error')) out.push({ file, document: d.document });
  return out;
}

export const isRule = (d: SigmaDocument): d is SigmaRule => d.kind === 'rule';
