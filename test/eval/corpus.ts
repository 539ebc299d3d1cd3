/** Shared corpus loading for the evaluator tests (fs lives in tests and the CLI, never in src/eval). */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from '../../src/parser/index.js';
import type { SigmaDocument, SigmaRule } from '../../src/ast/types.js';
import { SHARED } from '../helpers/paths.js';

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

/** Every document of every rule file under the given corpus folders. */
export function loadCorpus(folders: readonly string[]): CorpusDoc[] {
  const out: CorpusDoc[] = [];
  for (const folder of folders) {
    const dir = path.join(CORPUS, folder);
    if (!fs.existsSync(dir)) continue;
    for (const file of walkFiles(dir, /\.ya?ml$/)) {
      const r = parse(fs.readFileSync(file), { file, schema: false });
      for (const d of r.documents)
        if (d.document && !d.diagnostics.some((x) => x.severity === 'error')) out.push({ file, document: d.document });
    }
  }
  return out;
}

export const isRule = (d: SigmaDocument): d is SigmaRule => d.kind === 'rule';
