/**
 * Shared corpus run for the per-pipeline corpus tests (one file per pipeline so vitest runs
 * them in parallel): every rule of the SigmaHQ corpus (rules/) through one built-in pipeline,
 * and every emitted query through Microsoft's KQL language service.
 */
import type { LogSource, SigmaDocument } from '../../../src/ast/types.js';
import { convertDocument } from '../../../src/convert.js';
import { lookupRule } from '../../../src/parser/index.js';
import { kqlErrors } from './kusto.js';
import { ruleEventIds, selectRoute } from '../../../src/pipelines/routes.js';
import type { Route } from '../../../src/pipelines/types.js';
import { parsedCorpus } from '../../helpers/corpus.js';

export interface Outcome {
  documents: number;
  converted: number;
  failed: number;
  crashes: string[];
  reasons: Record<string, number>;
  byCategory: Record<string, number>;
  /** Converted rules by `product/category-or-service`. */
  byLogsource: Record<string, number>;
  invalid: { file: string; query: string; errors: string[] }[];
  /** Logsources (and EventIDs) of the detection rules, with whether each converted (for route coverage). */
  logsources: { logsource: LogSource; eventIds: Set<string> | undefined; converted: boolean }[];
}

/** The three detection folders issue-level counts are measured on (3,754 rules). */
export const DETECTION_FOLDERS = ['rules', 'rules-emerging-threats', 'rules-threat-hunting'] as const;

export function runCorpus(pipeline: string, folders: readonly string[] = ['rules']): Outcome {
  // Parsed once per folder list for all corpus suites (test/helpers/corpus.ts).
  const results = parsedCorpus([...folders], { schema: false }).map((f) => f.result);
  const docs: { file: string; doc: SigmaDocument }[] = results.flatMap((r) =>
    r.documents
      .filter((d) => d.document && !d.diagnostics.some((x) => x.severity === 'error'))
      .map((d) => ({ file: r.file!, doc: d.document! })),
  );
  const o: Outcome = {
    documents: docs.length,
    converted: 0,
    failed: 0,
    crashes: [],
    reasons: {},
    byCategory: {},
    byLogsource: {},
    invalid: [],
    logsources: [],
  };
  const product = pipeline === 'defender-xdr' ? 'defender' : 'sentinel';
  const queries: { file: string; query: string }[] = [];
  for (const { file, doc } of docs) {
    if (doc.kind === 'filter') continue;
    let r;
    try {
      r = convertDocument(doc, { target: 'kql', pipelines: [pipeline], lookup: (ref) => lookupRule(results, ref) });
    } catch (e) {
      o.crashes.push(`${file}: ${(e as Error).stack}`);
      continue;
    }
    if (doc.kind === 'rule')
      o.logsources.push({ logsource: doc.logsource, eventIds: ruleEventIds(doc), converted: r.ok });
    if (!r.ok) {
      o.failed++;
      const k = r.errors[0]!.code + ' ' + r.errors[0]!.reason;
      o.reasons[k] = (o.reasons[k] ?? 0) + 1;
      continue;
    }
    o.converted++;
    const cat = doc.kind === 'rule' ? (doc.logsource.category ?? doc.logsource.service ?? '?') : 'correlation';
    o.byCategory[cat] = (o.byCategory[cat] ?? 0) + 1;
    const ls = doc.kind === 'rule' ? `${doc.logsource.product ?? '-'}/${cat}` : 'correlation';
    o.byLogsource[ls] = (o.byLogsource[ls] ?? 0) + 1;
    for (const query of r.queries) queries.push({ file, query });
  }
  // The language service costs per query; batches of statements amortise its setup.
  // A batch with errors is re-checked query by query to name the culprit.
  const BATCH = 40;
  for (let i = 0; i < queries.length; i += BATCH) {
    const batch = queries.slice(i, i + BATCH);
    if (kqlErrors(batch.map((q) => q.query).join(';\n'), product).length === 0) continue;
    for (const q of batch) {
      const errors = kqlErrors(q.query, product);
      if (errors.length) o.invalid.push({ ...q, errors });
    }
  }
  return o;
}

/**
 * Per route of a pipeline (first matching route wins, as in the engine): how many corpus rules
 * it receives and how many of them convert.
 */
export function routeCoverage(
  routes: readonly Route[],
  o: Outcome,
): { route: string; table: string; rules: number; converted: number }[] {
  const rows = routes.map((r) => ({
    route: [
      ...Object.entries(r.logsource).map(([k, v]) => `${k}: ${v === '' ? '(none)' : v}`),
      ...(r.eventIds ? [`EventID: ${r.eventIds.join('/')}`] : []),
    ].join(', '),
    table: r.table,
    rules: 0,
    converted: 0,
  }));
  for (const { logsource, eventIds, converted } of o.logsources) {
    const route = selectRoute(routes, logsource, eventIds);
    if (!route) continue;
    const i = routes.indexOf(route);
    rows[i]!.rules++;
    if (converted) rows[i]!.converted++;
  }
  return rows;
}

/** A pipeline's route coverage as the Markdown table docs/pipelines/route-coverage/<pipeline>.md holds. */
export function routeCoverageDoc(pipeline: string, routes: readonly Route[], o: Outcome): string {
  const rows = routeCoverage(routes, o);
  return [
    `# Route coverage: ${pipeline}`,
    '',
    `How many of the ${o.documents.toLocaleString('en-US')} rules of SigmaHQ's rules/, rules-emerging-threats/ and`,
    `rules-threat-hunting/ each route of \`${pipeline}\` receives (first matching route wins) and converts.`,
    'Generated by the corpus test of the pipeline (test/backends/kql/corpus-*.test.ts, `SIGIL_UPDATE_GOLDEN=1`);',
    'a route that receives rules but converts none fails that test.',
    '',
    '| route (logsource) | table | rules | converted |',
    '|---|---|---:|---:|',
    ...rows.map((r) => `| ${r.route.replace(/\|/g, '\\|')} | ${r.table} | ${r.rules} | ${r.converted} |`),
    '',
  ].join('\n');
}
