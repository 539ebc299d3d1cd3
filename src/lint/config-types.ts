/**
 * The shapes of lint configuration, apart from the code that resolves them (config.ts), so that
 * presets (data written in the raw shape) and config.ts, which lists the presets, both import
 * them without importing each other.
 */
import type { Severity } from '../diagnostics.js';

export type Level = Severity | 'off';

export interface LintConfig {
  /** Code → severity override or off. */
  levels: Record<string, Level>;
  /** Rule id (lower case) → codes excluded for it. */
  exclusions: Record<string, string[]>;
  noise: { medium: number; high: number };
}

/** A configuration as written (`.sigil.yml`, YAML-decoded) or as a preset declares it. */
export interface RawConfig {
  preset?: string;
  checks?: Record<string, string>;
  exclusions?: Record<string, string | string[]>;
  noise?: { medium?: number; high?: number };
  /** Event exports for `lint --telemetry` (paths relative to the configuration file). */
  telemetry?: string | string[];
  /** The telemetry is table rows of this KQL pipeline (`PIPELINE[:TABLE]`, as `lint --rows`). */
  rows?: string;
}
