/** The evaluator: run Sigma rules against events (see docs/evaluator.md). */
export {
  compileRule,
  compilePredicate,
  type RuleMatcher,
  type IdentifierResult,
  type FieldResult,
  type CompileOptions,
  type EventTest,
} from './compile.js';
export { createEngine, type Engine, type EngineOptions } from './engine.js';
export { normalizeEvent, isEvtxShape, EVTX_SYSTEM_FIELDS, type EventObject } from './event-shapes.js';
export { EventView } from './event-view.js';
export { WINDOWS_CATEGORIES, WINDOWS_SERVICES, logsourceSees } from './logsource-map.js';
export { parseJsonEvents, parseJsonLine } from './json-events.js';
export { EVAL_DIAGNOSTICS } from './codes.js';
export {
  createCorrelator,
  DEFAULT_TIMESTAMP_FIELDS,
  type Correlator,
  type CorrelatorOptions,
  type CorrelationAlert,
} from './correlate.js';
export {
  parseTestsFile,
  parseRegressionInfo,
  runCase,
  describeExplanation,
  type TestCase,
  type CaseResult,
  type RegressionInfo,
} from './rule-tests.js';
