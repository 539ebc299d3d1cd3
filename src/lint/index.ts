/** The linter's API for the library (src/index.ts) and the rule-pack test: checks, the noise score, outputs, configuration, coverage. */
export { lint, allFindings, type LintOptions, type LintReport } from './engine.js';
export { checks } from './registry.js';
export type { Finding } from './types.js';
export { resolveConfig } from './config.js';
export { toSarif } from './output.js';
export { noiseScore, type NoiseResult } from './noise/score.js';
export { coverageReport } from './coverage.js';
