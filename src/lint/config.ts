/**
 * Lint configuration: which checks run at which severity, per-rule exclusions, noise
 * thresholds. Read from `.sigil.yml` by the CLI (the core receives the parsed object).
 *
 *   preset: sigmahq            # optional: start from SigmaHQ's CI selection
 *   checks:                    # code or name → off | error | warning | info
 *     M004: off
 *     escaped-wildcard: error
 *   exclusions:                # rule id → codes, names or pySigma validator names
 *     5c84856b-55a5-45f1-826f-13f37250cf4e: [D010]
 *   noise:
 *     medium: 40               # score at which a rule is "medium" noise
 *     high: 70                 # … "high" (N001 reports high)
 */
import { PARSE_DIAGNOSTICS } from '../diagnostics.js';
import type { Level, LintConfig, RawConfig } from './config-types.js';
import { checks, checkByKey } from './registry.js';
import { SIGMAHQ_PRESET } from './presets/sigmahq.js';

export type { LintConfig, RawConfig } from './config-types.js';

const PRESETS: Record<string, RawConfig> = { sigmahq: SIGMAHQ_PRESET };

export function defaultConfig(): LintConfig {
  return { levels: {}, exclusions: {}, noise: { medium: 40, high: 70 } };
}

/** pySigma validator identifier → the Sigil codes that implement it (checks and parser diagnostics). */
function pysigmaIndex(): Map<string, string[]> {
  const index = new Map<string, string[]>();
  const add = (v: string, code: string): void => {
    const list = index.get(v) ?? [];
    if (!list.includes(code)) list.push(code);
    index.set(v, list);
  };
  for (const c of checks) for (const v of c.meta.pysigma ?? []) add(v, c.meta.code);
  for (const [v, codes] of Object.entries(PARSER_PYSIGMA)) for (const code of codes) add(v, code);
  return index;
}

/**
 * Validators that pySigma implements and Sigil's parser already reports.
 * @public (read by scripts/gen-lint-docs.mjs from dist/)
 */
export const PARSER_PYSIGMA: Record<string, string[]> = {
  dangling_detection: ['P012'],
  invalid_modifier_combinations: ['P021', 'P023'],
};

/** Resolves a code, a check name or a pySigma validator name to codes. */
export function resolveKey(key: string): string[] | undefined {
  const check = checkByKey(key);
  if (check) return [check.meta.code];
  if (key in PARSE_DIAGNOSTICS) return [key];
  const viaPysigma = pysigmaIndex().get(key);
  return viaPysigma;
}

const LEVELS: readonly string[] = ['off', 'error', 'warning', 'info'];

/** Builds a config from its raw (YAML-decoded) form; problems are returned, not thrown. */
export function resolveConfig(
  raw: RawConfig | undefined,
  base: LintConfig = defaultConfig(),
): { config: LintConfig; problems: string[] } {
  const problems: string[] = [];
  const config: LintConfig = {
    levels: { ...base.levels },
    exclusions: { ...base.exclusions },
    noise: { ...base.noise },
  };
  if (!raw) return { config, problems };
  if (typeof raw !== 'object' || Array.isArray(raw))
    return { config, problems: ['the configuration must be a mapping'] };
  if (raw.preset !== undefined) {
    const preset = PRESETS[raw.preset];
    if (!preset) problems.push(`unknown preset '${raw.preset}' (known: ${Object.keys(PRESETS).join(', ')})`);
    else {
      // A preset names validators Sigil may not implement: those resolve to nothing, silently.
      Object.assign(config, resolveConfig(preset, config).config);
    }
  }
  for (const [key, level] of Object.entries(raw.checks ?? {})) {
    const codes = resolveKey(key);
    if (!codes) problems.push(`checks: unknown check '${key}'`);
    else if (!LEVELS.includes(String(level)))
      problems.push(`checks: '${key}: ${level}' must be one of ${LEVELS.join(', ')}`);
    else for (const c of codes) config.levels[c] = level as Level;
  }
  for (const [id, keys] of Object.entries(raw.exclusions ?? {})) {
    const list = Array.isArray(keys) ? keys : [keys];
    const codes: string[] = [...(config.exclusions[id.toLowerCase()] ?? [])];
    for (const k of list) {
      const resolved = resolveKey(String(k));
      if (!resolved) problems.push(`exclusions: ${id}: unknown check '${k}'`);
      else codes.push(...resolved);
    }
    config.exclusions[id.toLowerCase()] = [...new Set(codes)];
  }
  if (raw.noise) {
    for (const k of ['medium', 'high'] as const) {
      const v = raw.noise[k];
      if (v === undefined) continue;
      if (typeof v !== 'number' || v < 0 || v > 100) problems.push(`noise.${k} must be a number from 0 to 100`);
      else config.noise[k] = v;
    }
  }
  if (raw.telemetry !== undefined) {
    const list = Array.isArray(raw.telemetry) ? raw.telemetry : [raw.telemetry];
    if (list.length === 0 || list.some((x) => typeof x !== 'string' || x === ''))
      problems.push('telemetry must be a path or a list of paths to event exports');
  }
  if (raw.rows !== undefined && (typeof raw.rows !== 'string' || raw.rows === ''))
    problems.push('rows must name a pipeline (PIPELINE or PIPELINE:TABLE), as lint --rows');
  return { config, problems };
}
