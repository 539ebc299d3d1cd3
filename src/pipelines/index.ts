/**
 * Processing pipelines: data (types.ts, builtin/), the registry of named pipelines
 * (registry.ts), the engine that runs them on a rule (engine.ts, transforms.ts), the same
 * pipelines applied to the AST for Sigma output (ast-transform.ts), and the loader of
 * pipeline files (load.ts). This module only re-exports.
 */
export type * from './types.js';
export { getPipeline, listPipelines, registerPipeline, resolvePipelines } from './registry.js';
export { mapRuleFields, processRule } from './engine.js';
export { applyPipelineToRule } from './ast-transform.js';
export { loadPipelineSpec } from './load.js';
