/**
 * The Sigma backend (`-t sigma`): the rule as canonical Sigma YAML, after the named pipelines
 * were applied to its AST (`needsRewrittenRule`: field names mapped, values rewritten, routing
 * conditions added as a `_pipeline` selection). Documented in docs/backends/sigma.md.
 */
import type { CorrelationRule } from '../../ast/types.js';
import { failure, type Backend, type ConversionResult, type ProcessedRule } from '../types.js';
import { emitDocument } from './emit.js';

function convert(processed: ProcessedRule): ConversionResult {
  const r = processed.rewritten;
  if (!r) throw new Error('the sigma backend needs the rewritten rule (needsRewrittenRule)');
  if (r.errors.length) return failure(r.errors, r.notes);
  // The rewrite prints the conditions again from their tree, so they come out canonical.
  const text = emitDocument(r.rule);
  return {
    ok: true,
    queries: [text],
    tables: r.table !== undefined ? [r.table] : [],
    fields: [],
    warnings: r.notes,
    meta: {},
  };
}

function convertCorrelation(corr: CorrelationRule): ConversionResult {
  return { ok: true, queries: [emitDocument(corr)], tables: [], fields: [], warnings: [], meta: {} };
}

export const sigmaBackend: Backend = {
  name: 'sigma',
  description: "Canonical Sigma YAML (SigmaHQ's key order and layout), optionally after pipelines",
  needsRewrittenRule: true,
  formats: [
    {
      name: 'default',
      description: 'Sigma YAML',
      render: (result) => ({ text: result.queries.join('---\n'), extension: '.yml' }),
    },
  ],
  convert,
  convertCorrelation,
};
