/**
 * `--filter FILE|DIR`: Sigma filter documents (meta filters) applied to the rules they name
 * before conversion or evaluation (src/pipelines/filters.ts). Reading them is an input step: a
 * file that does not parse, or holds no filter document, is a usage error (exit 2) rather than
 * a run that silently applies nothing.
 */
import type { FilterRule, SigmaRule } from '../ast/types.js';
import { parse, type ParseResult } from '../parser/index.js';
import { formatDiagnostic } from './format.js';
import { displayName, expandPaths, readInput, UsageError } from './io.js';

export interface LoadedFilters {
  filters: FilterRule[];
  /** Files the filters came from (absolute or as given), to recognise them among the inputs. */
  files: Set<string>;
}

export function loadFilters(paths: readonly string[] | undefined): LoadedFilters {
  const filters: FilterRule[] = [];
  const files = new Set<string>();
  if (!paths || paths.length === 0) return { filters, files };
  for (const given of paths) {
    const expanded = expandPaths([given]);
    const before = filters.length;
    for (const file of expanded) {
      const result = parse(readInput(file), { file: displayName(file) });
      const errors = [...result.diagnostics, ...result.documents.flatMap((d) => d.diagnostics)].filter(
        (d) => d.severity === 'error',
      );
      const found = result.documents.map((d) => d.document).filter((d): d is FilterRule => d?.kind === 'filter');
      // In a directory, rule files beside the filters are simply not filters.
      if (found.length === 0 && expanded.length > 1) continue;
      if (errors.length)
        throw new UsageError(
          `--filter ${displayName(file)} does not parse:\n${errors.map((e) => formatDiagnostic(e, false)).join('\n')}`,
        );
      filters.push(...found);
      files.add(file);
    }
    if (filters.length === before)
      throw new UsageError(`--filter ${given} holds no Sigma filter document (a top-level 'filter:' with 'rules:')`);
  }
  return { filters, files };
}

/** The warning line for a filter that names a rule but cannot apply to it (C104). */
export function filterNotApplied(file: string, filter: FilterRule, rule: SigmaRule, reason: string): string {
  return `${file}: warning C104 filter '${filter.title ?? filter.id ?? '?'}' names rule '${rule.title ?? rule.id ?? '?'}' but is not applied: ${reason}\n`;
}

/**
 * Filters without repeats: a filter given with --filter that is also among the inputs (a
 * directory holding rules and filters) applies once. Same id (or title without one) and the same
 * rules is the same filter.
 */
export function distinctFilters(filters: readonly FilterRule[]): FilterRule[] {
  const seen = new Set<string>();
  return filters.filter((f) => {
    const key = `${f.id ?? ''}\u0000${f.id ? '' : (f.title ?? '')}\u0000${f.filter.rules.join('\u0000')}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The filter documents among parsed inputs (those without errors). */
export function filtersIn(results: readonly ParseResult[]): FilterRule[] {
  return results.flatMap((r) =>
    r.documents
      .filter((d) => d.document?.kind === 'filter' && !d.diagnostics.some((e) => e.severity === 'error'))
      .map((d) => d.document as FilterRule),
  );
}
