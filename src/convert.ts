/**
 * Conversion, in order: resolve the pipelines (the backend's defaults unless named) → run them
 * on the rule, or on each rule a correlation refers to → render with the backend. This module
 * owns that order: the pipelines know nothing of backends, and a backend only renders a rule
 * already processed (src/backends/types.ts is the contract between the two).
 */
import type { CorrelationRule, SigmaDocument, SigmaRule } from './ast/types.js';
import { getBackend, listBackends } from './backends/index.js';
import { conversionError } from './backends/diagnostics.js';
import {
  failure,
  type Backend,
  type BackendOptions,
  type ConversionResult,
  type ConvertContext,
  type ProcessedRule,
} from './backends/types.js';
import {
  applyPipelineToRule,
  mapRuleFields,
  processRule,
  resolvePipelines,
  type PipelineSpec,
} from './pipelines/index.js';

export interface ConvertOptions {
  target: string;
  /** Pipeline names or specs, in order; absent → the backend's default pipelines. */
  pipelines?: (string | PipelineSpec)[];
  options?: BackendOptions;
  /** For correlations: finds a referenced rule by id or name. */
  lookup?: (ref: string) => SigmaDocument | undefined;
}

/** Converts one document. Never throws for a rule the target cannot express. */
export function convertDocument(doc: SigmaDocument, opts: ConvertOptions): ConversionResult {
  const backend = getBackend(opts.target);
  if (!backend)
    return failure([
      conversionError(
        'C012',
        `unknown target '${opts.target}' (known: ${listBackends()
          .map((b) => b.name)
          .join(', ')})`,
      ),
    ]);
  const { specs, unknown } = resolvePipelines(opts.pipelines ?? backend.defaultPipelines ?? []);
  if (unknown.length)
    return failure([conversionError('C012', `unknown pipeline${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}`)]);
  const ctx: ConvertContext = { pipelines: specs.map((s) => s.name), options: opts.options ?? {} };
  if (doc.kind === 'rule') return convertRule(backend, doc, specs, ctx);
  if (doc.kind === 'filter')
    return failure([
      conversionError('C014', 'a filter document is applied to the rules it names, not converted alone'),
    ]);
  return convertCorrelation(backend, doc, specs, ctx, opts.lookup);
}

function convertRule(backend: Backend, rule: SigmaRule, specs: PipelineSpec[], ctx: ConvertContext): ConversionResult {
  const processed = processRule(rule, specs);
  if (processed.errors.length) return failure(processed.errors, processed.warnings);
  // The same pipelines as the processing above, pipeline files included (by spec, not by name).
  const input: ProcessedRule = backend.needsRewrittenRule
    ? { ...processed, rewritten: applyPipelineToRule(rule, specs) }
    : processed;
  const r = backend.convert(input, ctx);
  if (processed.warnings.length) r.warnings.unshift(...processed.warnings);
  return r;
}

function convertCorrelation(
  backend: Backend,
  corr: CorrelationRule,
  specs: PipelineSpec[],
  ctx: ConvertContext,
  lookup?: (ref: string) => SigmaDocument | undefined,
): ConversionResult {
  if (!backend.convertCorrelation)
    return failure([conversionError('C010', `the ${backend.name} backend does not convert correlation rules`)]);
  const referenced: ProcessedRule[] = [];
  for (const ref of corr.correlation.rules) {
    const doc = lookup?.(ref);
    if (!doc || doc.kind !== 'rule')
      return failure([
        conversionError('C011', `correlation rule refers to '${ref}', which is not a detection rule in the given set`),
      ]);
    const p = processRule(doc, specs);
    if (p.errors.length)
      return failure([
        conversionError('C011', `base rule '${ref}' cannot be converted: ${p.errors.map((e) => e.message).join('; ')}`),
        ...p.errors,
      ]);
    // Group-by names, aliases and the aggregated field are fields of this rule's events.
    const c = corr.correlation;
    const names = [...c.groupBy, ...(c.condition?.field !== undefined ? [c.condition.field] : [])];
    const sigmaField = (name: string): string => {
      const byRule = Object.hasOwn(c.aliases, name) ? c.aliases[name]! : undefined;
      const keys = [ref, doc.name, doc.id].filter((k): k is string => k !== undefined);
      const hit = byRule && keys.find((k) => Object.hasOwn(byRule, k));
      return hit ? byRule[hit]! : name;
    };
    const mapped = mapRuleFields(
      doc,
      specs,
      names.map((n) => sigmaField(n)),
    );
    if (mapped.errors.length) return failure(mapped.errors.map((e) => (c.loc && !e.loc ? { ...e, loc: c.loc } : e)));
    p.correlationFields = Object.fromEntries(names.map((n) => [n, mapped.fields[sigmaField(n)]!]));
    referenced.push(p);
  }
  return backend.convertCorrelation(corr, referenced, ctx);
}
