/**
 * Sigil's library API. The CLI is built on it; it does no file or process I/O.
 */
import { compileRule, normalizeEvent, type CompileOptions } from './eval/index.js';
import type { SigmaRule } from './ast/types.js';

export * from './ast/types.js';
export * as semantics from './ast/semantics.js';
export { lowerDetection, patternShape, patternToRegex, type Predicate, type PatternPart } from './ast/semantics.js';
export { parse, resolveReferences, type ParseResult, type ParsedDocument, type ParseOptions } from './parser/index.js';
export { type Diagnostic, type Severity, PARSE_DIAGNOSTICS } from './diagnostics.js';
export { convertDocument, type ConvertOptions } from './convert.js';
export { getBackend, listBackends, registerBackend } from './backends/index.js';
export type { Backend, ConversionResult } from './backends/types.js';
export { CONVERSION_DIAGNOSTICS } from './backends/diagnostics.js';
export {
  lint,
  checks as lintChecks,
  resolveConfig as resolveLintConfig,
  noiseScore,
  coverageReport,
  toSarif,
  type LintReport,
  type LintOptions,
  type NoiseResult,
  type Finding,
} from './lint/index.js';
export {
  compileRule,
  createEngine,
  createCorrelator,
  normalizeEvent,
  parseJsonEvents,
  EVAL_DIAGNOSTICS,
  type CompileOptions,
  type EngineOptions,
  type CorrelatorOptions,
  type RuleMatcher,
  type IdentifierResult,
  type Engine,
  type Correlator,
  type CorrelationAlert,
} from './eval/index.js';
export { emitSigma, emitDocument, formatSigmaText, type FormatResult } from './backends/sigma/api.js';
export { applyFilters, type FilteredRule } from './pipelines/filters.js';
export { registerPipeline, loadPipelineSpec, type PipelineSpec } from './pipelines/index.js';

// The four verbs of the library, by their plain names.
export { convertDocument as convert } from './convert.js';

/**
 * Whether `rule` matches one event (a flat JSON object, or an EVTX record rendered as JSON).
 * For many events, compile once with `compileRule` or use `createEngine`.
 */
export function evaluate(rule: SigmaRule, event: unknown, options: CompileOptions = {}): boolean {
  return compileRule(rule, options).matches(normalizeEvent(event));
}
