/** Finding and reading `.sigil.yml`, shared by the commands that read it (lint, convert, tune). */
import fs from 'node:fs';
import path from 'node:path';
import type { RawConfig } from '../lint/config-types.js';
import { UsageError } from './io.js';

const CONFIG_NAMES = ['.sigil.yml', '.sigil.yaml'];

/** `.sigil.yml` in the current directory or the nearest parent. */
export function findConfig(start: string): string | undefined {
  let dir = path.resolve(start);
  for (;;) {
    for (const n of CONFIG_NAMES) {
      const p = path.join(dir, n);
      if (fs.existsSync(p)) return p;
    }
    const up = path.dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

/** A configuration file as written (YAML-decoded); one that cannot be read or parsed is a usage error. */
export async function readConfigFile(file: string): Promise<RawConfig> {
  // The YAML package is loaded only when there is a configuration to read.
  const YAML = (await import('yaml')).default;
  try {
    return (YAML.parse(fs.readFileSync(file, 'utf8')) ?? {}) as RawConfig;
  } catch (e) {
    throw new UsageError(`cannot read configuration ${file}: ${(e as Error).message}`);
  }
}

/**
 * The event exports the configuration's `telemetry:` key names (a path or a list), resolved
 * against the configuration file's folder; none without the key. (resolveConfig checks the shape.)
 */
export function configTelemetry(raw: RawConfig, file: string): string[] {
  if (raw.telemetry === undefined) return [];
  const list = Array.isArray(raw.telemetry) ? raw.telemetry : [raw.telemetry];
  return list.map((p) => path.resolve(path.dirname(file), String(p)));
}
