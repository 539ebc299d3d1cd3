/**
 * The Sigma backend (`-t sigma`): the rule as canonical Sigma YAML, after the named pipelines
 * were applied to its AST (`applyPipelineToRule`: field names mapped, values rewritten,
 * routing conditions added as a `_pipeline` selection). Documented in docs/backends/sigma.md.
 */
import { applyPipelineToRule, resolvePipelines } from '../../pipelines/index.js';
import type { CorrelationRule } from '../../ast/types.js';
import { failure, type Backend, type ConversionResult, type ConvertContext, type ProcessedRule } from '../types.js';
import { emitDocument } from './emit.js';

function convert(processed: ProcessedRule, ctx: ConvertContext): ConversionResult {
  const { specs } = resolvePipelines(ctx.pipelines);
  const r = applyPipelineToRule(processed.rule, specs);
  if (r.errors.length) return failure(r.errors, r.notes);
  const text = emitDocument(r.rule, { canonicalConditions: specs.length > 0 });
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

export { emitSigma, emitDocument } from './emit.js';
export { formatSigmaText } from './format.js';
