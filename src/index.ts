/**
 * Sigil's library API. The CLI is built on it; it does no file or process I/O.
 */
export * from './ast/types.js';
export * as semantics from './ast/semantics.js';
export { lowerDetection, patternShape, patternToRegex, type Predicate, type PatternPart } from './ast/semantics.js';
export { parse, resolveReferences, type ParseResult, type ParsedDocument, type ParseOptions } from './parser/index.js';
export { type Diagnostic, type Severity, PARSE_DIAGNOSTICS } from './diagnostics.js';
export { convertDocument, getBackend, listBackends, registerBackend, CONVERSION_DIAGNOSTICS, type Backend, type ConversionResult, type ConvertOptions } from './backends/index.js';
export { lint, checks as lintChecks, resolveConfig as resolveLintConfig, noiseScore, coverageReport, toSarif, type LintReport, type LintOptions, type NoiseResult, type Finding } from './lint/index.js';
export { compileRule, createEngine, createCorrelator, normalizeEvent, parseJsonEvents, EVAL_DIAGNOSTICS, type CompileOptions, type EngineOptions, type CorrelatorOptions, type RuleMatcher, type IdentifierResult, type Engine, type Correlator, type CorrelationAlert } from './eval/index.js';
export { emitSigma, emitDocument, formatSigmaText, type FormatResult } from './backends/sigma/api.js';
