/**
 * Shared corpus run for the per-pipeline corpus tests (one file per pipeline so vitest runs
 * them in parallel): every rule of the SigmaHQ corpus (rules/) through one built-in pipeline,
 * and every emitted query through Microsoft's KQL language service.
 */
import type { LogSource, SigmaDocument } from '../../../src/ast/types.js';
import { convertDocument } from '../../../src/convert.js';
import { lookupRule } from '../../../src/parser/index.js';
import { kqlInvalid } from './kusto.js';
import { ruleEventIds } from '../../../src/pipelines/routes.js';
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
  o.invalid.push(...kqlInvalid(queries, product));
  return o;
}

export { routeCoverage, routeCoverageDoc } from '../../helpers/route-coverage.js';
