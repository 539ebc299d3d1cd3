/** The evaluator: run Sigma rules against events (see docs/evaluator.md). */
export { compileRule, type RuleMatcher, type IdentifierResult, type CompileOptions } from './compile.js';
export { createEngine, type Engine, type EngineOptions } from './engine.js';
export { normalizeEvent } from './event-shapes.js';
export { parseJsonEvents } from './json-events.js';
export { EVAL_DIAGNOSTICS } from './codes.js';
export { createCorrelator, type Correlator, type CorrelatorOptions, type CorrelationAlert } from './correlate.js';
