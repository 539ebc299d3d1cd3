/**
 * Conversion of one parsed file, as data: what to print, write and count for each document.
 * Pure of output, so that it runs in a worker thread as well as on the main thread and the
 * `convert` command prints the same bytes either way (see parse-pool.ts).
 */
import type { FilterRule, SigmaDocument } from '../ast/types.js';
import { getBackend } from '../backends/index.js';
import type { ArtifactDefaults, BackendOptions, ConversionError, RenderedOutput } from '../backends/types.js';
import { convertDocument } from '../convert.js';
import type { ParseResult } from '../parser/index.js';
import type { PipelineSpec } from '../pipelines/index.js';
import { applyFilters } from '../pipelines/filters.js';
import { formatDiagnostic } from './format.js';
import { filterNotApplied } from './filters.js';

export interface ConvertSettings {
  target: string;
  pipelines?: (string | PipelineSpec)[];
  format: string;
  options: BackendOptions;
  json: boolean;
  color: boolean;
  /** Sigma filter documents (--filter) applied to the rules they name before conversion. */
  filters?: FilterRule[];
  /** `.sigil.yml`'s `artifacts:` (deployment defaults of the formats), validated. */
  artifacts?: ArtifactDefaults;
}

export type ConvertedItem =
  /** The document did not parse: its errors. */
  | { kind: 'invalid'; json?: string; stderr?: string }
  /** The target cannot express the rule: `reason` is counted in the summary. */
  | { kind: 'failed'; reason?: string; json?: string; stderr?: string; index?: number }
  | { kind: 'converted'; json?: string; rendered?: RenderedOutput; label: string; index: number; stderr?: string }
  /** A filter document: no output of its own, it changes the rules it names. */
  | { kind: 'filter' }
  /** A correlation needs the rules it names, which may live in other files: converted after the rest. */
  | { kind: 'deferred'; index: number };

export interface FileConversion {
  file: string;
  /** How many documents the file holds (output names add `-N` when there are several). */
  documents: number;
  items: ConvertedItem[];
}

export function convertParsedFile(
  r: ParseResult,
  s: ConvertSettings,
  lookup?: (ref: string) => SigmaDocument | undefined,
): FileConversion {
  const file = r.file ?? '<input>';
  const items: ConvertedItem[] = [];
  // A file that could not be read or parsed as a whole (I/O, encoding, YAML syntax, limits) is
  // an input like any other: reported, counted and given its --json record.
  const fileErrors = r.diagnostics.filter((x) => x.severity === 'error');
  if (fileErrors.length) items.push(invalidItem(file, fileErrors, s));
  for (const d of r.documents) {
    const doc = d.document;
    if (doc?.kind === 'correlation' && !lookup) {
      items.push({ kind: 'deferred', index: d.index });
      continue;
    }
    const item = convertOne(
      file,
      d.index,
      doc,
      d.diagnostics.filter((x) => x.severity === 'error'),
      s,
      lookup,
    );
    if (item) items.push(item.kind === 'failed' ? { ...item, index: d.index } : item);
  }
  return { file, documents: r.documents.length, items };
}

function invalidItem(file: string, errs: ParseResult['diagnostics'], s: ConvertSettings): ConvertedItem {
  return s.json
    ? {
        kind: 'invalid',
        json: JSON.stringify({ file, id: null, title: null, errors: errs.map(({ file: _f, ...rest }) => rest) }),
      }
    : { kind: 'invalid', stderr: errs.map((e) => formatDiagnostic(e, s.color) + '\n').join('') };
}

function convertOne(
  file: string,
  index: number,
  doc: SigmaDocument | undefined,
  errs: ParseResult['diagnostics'],
  s: ConvertSettings,
  lookup?: (ref: string) => SigmaDocument | undefined,
): ConvertedItem | undefined {
  if (!doc || errs.length) return invalidItem(file, errs, s);
  // A filter among the inputs applies to the rules it names, which may live in other files:
  // the command converts those again with every filter loaded.
  if (doc.kind === 'filter') return { kind: 'filter' };
  let notes = '';
  let subject: SigmaDocument = doc;
  /** Titles of the filters applied: shown with the result, since their conditions are now the rule's. */
  let appliedFilters: string[] = [];
  if (subject.kind === 'rule' && s.filters?.length) {
    const filtered = applyFilters(subject, s.filters);
    for (const m of filtered.mismatched) notes += filterNotApplied(file, m.filter, subject, m.reason);
    subject = filtered.rule;
    appliedFilters = filtered.applied.map((f) => f.title ?? f.id ?? '?');
  }
  // A correlation's rules are filtered like rules converted on their own.
  const filters = s.filters;
  if (lookup && filters?.length) {
    const plain = lookup;
    lookup = (ref) => {
      const d = plain(ref);
      return d?.kind === 'rule' ? applyFilters(d, filters).rule : d;
    };
  }
  const backend = getBackend(s.target)!;
  const format = backend.formats.find((f) => f.name === s.format)!;
  const res = convertDocument(subject, {
    target: backend.name,
    ...(s.pipelines ? { pipelines: s.pipelines } : {}),
    options: s.options,
    ...(lookup ? { lookup } : {}),
  });
  const head = {
    file,
    id: subject.id ?? null,
    title: subject.title ?? null,
    ...(appliedFilters.length ? { filters: appliedFilters } : {}),
  };
  let errors: ConversionError[] | undefined = res.ok ? undefined : res.errors;
  if (res.ok && format.check) {
    const e = format.check(res, subject, s.artifacts);
    if (e) errors = [e];
  }
  if (errors || !res.ok) {
    const list = errors ?? [];
    const reason = list[0] ? `${list[0].code} ${list[0].reason}` : undefined;
    const base = reason !== undefined ? { kind: 'failed' as const, reason } : { kind: 'failed' as const };
    if (s.json)
      return {
        ...base,
        json: JSON.stringify({
          ...head,
          errors: list.map(({ loc, ...e }) => ({ ...e, ...(loc ? { line: loc.line, column: loc.column } : {}) })),
        }),
        ...(notes ? { stderr: notes } : {}),
      };
    return {
      ...base,
      stderr:
        notes +
        list
          .map(
            (e) =>
              `${file}:${e.loc?.line ?? 1}:${e.loc?.column ?? 1}: error ${e.code} rule '${subject.title ?? subject.id ?? '?'}' cannot be converted: ${e.message}${e.hint ? `\n  hint: ${e.hint}` : ''}${appliedFilters.length ? `\n  note: with filter${appliedFilters.length > 1 ? 's' : ''} ${appliedFilters.map((t) => `'${t}'`).join(', ')} applied` : ''}\n`,
          )
          .join(''),
    };
  }
  const label = `${subject.title ?? ''}${subject.id ? ` (${subject.id})` : ''}`;
  // --json carries the queries themselves; a non-default format's rendering rides along.
  if (s.json) {
    const output =
      format.name === backend.formats[0]!.name
        ? {}
        : { output: format.render(res, subject, s.options, s.artifacts).text };
    return {
      kind: 'converted',
      label,
      index,
      json: JSON.stringify({
        ...head,
        queries: res.queries,
        tables: res.tables,
        fields: res.fields,
        ...output,
        ...(res.warnings.length ? { warnings: res.warnings } : {}),
      }),
      ...(notes ? { stderr: notes } : {}),
    };
  }
  const warnings = notes + res.warnings.map((w) => `${file}: warning ${w.code} ${w.message}\n`).join('');
  return {
    kind: 'converted',
    label,
    index,
    rendered: format.render(res, subject, s.options, s.artifacts),
    ...(warnings ? { stderr: warnings } : {}),
  };
}
