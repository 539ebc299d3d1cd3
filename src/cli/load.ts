/** Reads and parses every rule file named on the command line. */
import { resolveReferences, type ParseResult } from '../parser/index.js';
import { expandPaths, progress, requireRuleFiles } from './io.js';
import { parseFiles } from './parse-pool.js';

export interface LoadedSet {
  /** One result per file; cross-document reference diagnostics (P032) are merged in. */
  results: ParseResult[];
}

export function loadRules(paths: readonly string[], options: { schema?: boolean; resolve?: boolean } = {}): LoadedSet {
  const files = expandPaths(paths);
  requireRuleFiles(files, paths);
  const bar = progress(files.length);
  const results = parseFiles({ files, schema: options.schema !== false }, () => bar.tick());
  bar.done();
  if (options.resolve !== false) {
    const refs = resolveReferences(results);
    for (const r of results)
      for (const d of r.documents) {
        const extra = d.document ? refs.get(d.document) : undefined;
        if (extra) d.diagnostics.push(...extra);
      }
  }
  return { results };
}
