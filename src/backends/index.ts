/**
 * Backends registered by name. Conversion itself (pipelines, then a backend) is src/convert.ts.
 * Adding a backend: write its module under src/backends/<name>/, add one line to BUILTIN_BACKENDS.
 */
import { declareBackendState } from './state.js';
import type { Backend } from './types.js';
import { kqlBackend } from './kql/index.js';
import { splunkBackend } from './splunk/index.js';
import { sigmaBackend } from './sigma/index.js';

const registry = new Map<string, Backend>();

export function registerBackend(backend: Backend): void {
  if (backend.state) declareBackendState(backend.state);
  registry.set(backend.name, backend);
}

export function getBackend(name: string): Backend | undefined {
  return registry.get(name);
}

export function listBackends(): Backend[] {
  return [...registry.values()];
}

const BUILTIN_BACKENDS: Backend[] = [kqlBackend, splunkBackend, sigmaBackend];
for (const b of BUILTIN_BACKENDS) registerBackend(b);
