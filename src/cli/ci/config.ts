/**
 * The `ci:` section of `.sigil.yml`: what `sigil ci` builds and checks. Lint settings (preset,
 * checks, exclusions, noise) stay at the top level, shared with `sigil lint`.
 *
 *   ci:
 *     rules: [rules]                 # rule folders (rules, correlations, filters); default: the config's folder
 *     tests: [tests]                 # extra folders of rule tests' events; tests beside rules are always found
 *     fail-on: error                 # lint severity that fails the check (error, warning, info, never)
 *     targets:
 *       - target: kql
 *         pipelines: [sentinel]      # names, or pipeline YAML files relative to the config
 *         formats: [query, sentinel-rule]
 *       - target: splunk
 *         pipeline: splunk-windows
 */
import path from 'node:path';
import type { Severity } from '../../diagnostics.js';
import { getBackend, listBackends } from '../../backends/index.js';
import { getPipeline } from '../../pipelines/index.js';

export interface CiTarget {
  target: string;
  /** Pipeline names, or absolute paths of pipeline files; absent → the backend's defaults. */
  pipelines?: string[];
  formats: string[];
  /** How the report names it: `kql (sentinel)`. */
  label: string;
}

export interface CiConfig {
  /** The folder the configuration is in (paths in it are relative to it). */
  root: string;
  rules: string[];
  tests: string[];
  targets: CiTarget[];
  failOn: Severity | 'never';
}

const FAIL_ON = ['error', 'warning', 'info', 'never'];

function strings(v: unknown, where: string, problems: string[]): string[] | undefined {
  if (v === undefined) return undefined;
  const list = Array.isArray(v) ? v : [v];
  if (list.every((x) => typeof x === 'string' && x !== '')) return list as string[];
  problems.push(`${where} must be a string or a list of strings`);
  return undefined;
}

/** Resolves the raw `ci:` value; problems are returned, not thrown. */
export function resolveCiConfig(raw: unknown, root: string): { config: CiConfig; problems: string[] } {
  const problems: string[] = [];
  const config: CiConfig = { root, rules: [root], tests: [], targets: [], failOn: 'error' };
  const section = (raw ?? {}) as Record<string, unknown>;
  if (typeof section !== 'object' || Array.isArray(section)) {
    problems.push('ci: must be a mapping');
    return { config, problems };
  }
  for (const key of Object.keys(section))
    if (!['rules', 'tests', 'fail-on', 'targets'].includes(key))
      problems.push(`ci: unknown key '${key}' (known: rules, tests, fail-on, targets)`);
  const inRoot = (p: string): string => path.resolve(root, p);
  const rules = strings(section['rules'], 'ci.rules', problems);
  if (rules) config.rules = rules.map(inRoot);
  const tests = strings(section['tests'], 'ci.tests', problems);
  if (tests) config.tests = tests.map(inRoot);
  const failOn = section['fail-on'];
  if (failOn !== undefined) {
    if (typeof failOn === 'string' && FAIL_ON.includes(failOn)) config.failOn = failOn as CiConfig['failOn'];
    else problems.push(`ci.fail-on must be one of ${FAIL_ON.join(', ')}`);
  }
  const targets = section['targets'];
  const list: unknown[] =
    targets === undefined
      ? [{ target: 'kql' }, { target: 'splunk' }]
      : Array.isArray(targets)
        ? targets
        : (problems.push('ci.targets must be a list'), []);
  list.forEach((t, k) => {
    const where = `ci.targets[${k}]`;
    if (!t || typeof t !== 'object' || Array.isArray(t)) {
      problems.push(`${where} must be a mapping with 'target'`);
      return;
    }
    const entry = t as Record<string, unknown>;
    for (const key of Object.keys(entry))
      if (!['target', 'pipeline', 'pipelines', 'formats', 'format'].includes(key))
        problems.push(`${where}: unknown key '${key}' (known: target, pipelines, formats)`);
    const backend = typeof entry['target'] === 'string' ? getBackend(entry['target']) : undefined;
    if (!backend) {
      problems.push(
        `${where}.target must be one of ${listBackends()
          .map((b) => b.name)
          .join(', ')}`,
      );
      return;
    }
    const pipelines = strings(entry['pipelines'] ?? entry['pipeline'], `${where}.pipelines`, problems);
    const resolved = pipelines?.map((p) => {
      if (/\.ya?ml$/i.test(p)) return inRoot(p);
      if (!getPipeline(p)) problems.push(`${where}: unknown pipeline '${p}' (sigil list pipelines)`);
      return p;
    });
    const formats = strings(entry['formats'] ?? entry['format'], `${where}.formats`, problems) ?? [
      backend.formats[0]!.name,
    ];
    for (const f of formats)
      if (!backend.formats.some((x) => x.name === f))
        problems.push(
          `${where}: unknown format '${f}' for ${backend.name} (known: ${backend.formats.map((x) => x.name).join(', ')})`,
        );
    const names = (pipelines ?? backend.defaultPipelines ?? []).map((p) => path.basename(p));
    config.targets.push({
      target: backend.name,
      ...(resolved ? { pipelines: resolved } : {}),
      formats,
      label: `${backend.name}${names.length ? ` (${names.join(', ')})` : ''}`,
    });
  });
  return { config, problems };
}
