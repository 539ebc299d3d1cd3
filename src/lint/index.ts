/** The linter's public API: checks, the noise score, outputs, configuration, coverage. */
export { lint, allFindings, atLeast, type LintOptions, type LintReport, type LintedDocument } from './engine.js';
export { checks, checkByKey } from './registry.js';
export type { Check, CheckMeta, CheckContext, Finding, Family } from './types.js';
export { resolveConfig, defaultConfig, PRESETS, type LintConfig, type RawConfig } from './config.js';
export { toJson, toSarif, toGithub, checkDoc } from './output.js';
export { noiseScore, type NoiseResult } from './noise/score.js';
export { buildCatalog, BUILTIN_CATALOG, type NoiseCatalog } from './noise/catalog.js';
export { documentIndicators, indicatorKey, type Indicator } from './noise/indicators.js';
export { BUILTIN_ATTACK, attackDataFromStix, type AttackData } from './attack.js';
export { measureBaseline } from './baseline.js';
export { coverageReport, coverageMarkdown, type CoverageReport } from './coverage.js';
