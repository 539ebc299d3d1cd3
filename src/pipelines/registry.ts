/**
 * The pipelines known by name: the built-in ones, registered when this module loads, and any
 * registered later. Names given on the command line or to `convert` are resolved here.
 */
import type { PipelineSpec } from './types.js';
import { BUILTIN_PIPELINES } from './builtin/index.js';

const registry = new Map<string, PipelineSpec>();
let generation = 0;

export function registerPipeline(spec: PipelineSpec): void {
  registry.set(spec.name, spec);
  generation++;
}

export function getPipeline(name: string): PipelineSpec | undefined {
  return registry.get(name);
}

export function listPipelines(): PipelineSpec[] {
  return [...registry.values()];
}

/** Bumped on every registration (lets derived tables such as field-tables.ts cache safely). */
export function registryGeneration(): number {
  return generation;
}

for (const p of BUILTIN_PIPELINES) registerPipeline(p);

/** Resolves pipeline names to specs; unknown names are returned separately. */
export function resolvePipelines(names: readonly (string | PipelineSpec)[]): {
  specs: PipelineSpec[];
  unknown: string[];
} {
  const specs: PipelineSpec[] = [];
  const unknown: string[] = [];
  for (const n of names) {
    if (typeof n !== 'string') specs.push(n);
    else {
      const s = registry.get(n);
      if (s) specs.push(s);
      else unknown.push(n);
    }
  }
  return { specs, unknown };
}
