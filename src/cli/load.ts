/** Reads and parses every rule file named on the command line. */
import { parse, resolveReferences, type ParseResult } from '../parser/index.js';
import type { Diagnostic } from '../diagnostics.js';
import { displayName, expandPaths, progress, readInput } from './io.js';

export interface LoadedSet {
  results: ParseResult[];
  /** Diagnostics from cross-document reference resolution, merged into each document's list. */
  referenceDiagnostics: number;
}

export function loadRules(paths: readonly string[], options: { schema?: boolean; resolve?: boolean } = {}): LoadedSet {
  const files = expandPaths(paths);
  const bar = progress(files.length);
  const results: ParseResult[] = [];
  for (const f of files) {
    const file = displayName(f);
    let bytes: Uint8Array;
    try {
      bytes = readInput(f);
    } catch (e) {
      const d: Diagnostic = { code: 'P001', severity: 'error', message: `Cannot read the file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`, file, line: 1, column: 1 };
      results.push({ file, documents: [], diagnostics: [d] });
      bar.tick();
      continue;
    }
    results.push(parse(bytes, { file, schema: options.schema !== false }));
    bar.tick();
  }
  bar.done();
  let referenceDiagnostics = 0;
  if (options.resolve !== false) {
    const refs = resolveReferences(results);
    for (const r of results) for (const d of r.documents) {
      const extra = d.document ? refs.get(d.document) : undefined;
      if (extra) {
        d.diagnostics.push(...extra);
        referenceDiagnostics += extra.length;
      }
    }
  }
  return { results, referenceDiagnostics };
}
