/**
 * Backends registered by name, and the conversion entry point the CLI and library use:
 * pipelines (the backend's defaults unless named) → backend → result per rule.
 * Adding a backend: write its module under src/backends/<name>/, add one line to BUILTIN_BACKENDS.
 */
import type { CorrelationRule, SigmaDocument, SigmaRule } from '../ast/types.js';
import { processRule, resolvePipelines, type PipelineSpec } from '../pipelines/index.js';
import { conversionError } from './diagnostics.js';
import {
  failure,
  type Backend,
  type BackendOptions,
  type ConversionResult,
  type ConvertContext,
  type ProcessedRule,
} from './types.js';
import { kqlBackend } from './kql/index.js';
import { splunkBackend } from './splunk/index.js';
import { sigmaBackend } from './sigma/index.js';

export type * from './types.js';
export { CONVERSION_DIAGNOSTICS, conversionError, conversionWarning, type ConversionCode } from './diagnostics.js';

const registry = new Map<string, Backend>();

export function registerBackend(backend: Backend): void {
  registry.set(backend.name, backend);
}

export function getBackend(name: string): Backend | undefined {
  return registry.get(name);
}

export function listBackends(): Backend[] {
  return [...registry.values()];
}

const BUILTIN_BACKENDS: Backend[] = [kqlBackend, splunkBackend, sigmaBackend];
for (const b of BUILTIN_BACKENDS) registerBackend(b);

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
  const backend = registry.get(opts.target);
  if (!backend)
    return failure([
      conversionError('C012', `unknown target '${opts.target}' (known: ${[...registry.keys()].join(', ')})`),
    ]);
  const { specs, unknown } = resolvePipelines(opts.pipelines ?? backend.defaultPipelines ?? []);
  if (unknown.length)
    return failure([conversionError('C012', `unknown pipeline${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}`)]);
  const ctx: ConvertContext = { pipelines: specs.map((s) => s.name), options: opts.options ?? {} };
  if (doc.kind === 'rule') return convertProcessed(backend, processRule(doc, specs), ctx);
  if (doc.kind === 'filter')
    return failure([
      conversionError('C014', 'a filter document is applied to the rules it names, not converted alone'),
    ]);
  return convertCorrelationDoc(backend, doc, specs, ctx, opts.lookup);
}

function convertProcessed(backend: Backend, processed: ProcessedRule, ctx: ConvertContext): ConversionResult {
  if (processed.errors.length) return failure(processed.errors, processed.warnings);
  const r = backend.convert(processed, ctx);
  if (processed.warnings.length) r.warnings.unshift(...processed.warnings);
  return r;
}

function convertCorrelationDoc(
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
    const p = processRule(doc as SigmaRule, specs);
    if (p.errors.length)
      return failure([
        conversionError('C011', `base rule '${ref}' cannot be converted: ${p.errors.map((e) => e.message).join('; ')}`),
        ...p.errors,
      ]);
    referenced.push(p);
  }
  return backend.convertCorrelation(corr, referenced, ctx);
}
