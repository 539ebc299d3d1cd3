/** Reads and parses every rule file named on the command line. */
import { resolveReferences, type ParseResult } from '../parser/index.js';
import { expandPaths, progress } from './io.js';
import { parseFiles } from './parse-pool.js';

export interface LoadedSet {
  results: ParseResult[];
  /** Diagnostics from cross-document reference resolution, merged into each document's list. */
  referenceDiagnostics: number;
}

export function loadRules(paths: readonly string[], options: { schema?: boolean; resolve?: boolean } = {}): LoadedSet {
  const files = expandPaths(paths);
  const bar = progress(files.length);
  const results = parseFiles({ files, schema: options.schema !== false }, () => bar.tick());
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
