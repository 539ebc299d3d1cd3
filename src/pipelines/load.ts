/**
 * User pipelines: YAML text with the PipelineSpec shape, validated against
 * pipeline-schema.json. Text in, spec or diagnostics out (the CLI reads the file).
 */
import { Ajv, type ValidateFunction } from 'ajv';
import YAML from 'yaml';
import schema from './pipeline-schema.json' with { type: 'json' };
import type { Diagnostic } from '../diagnostics.js';
import type { PipelineSpec } from './types.js';
import { conditionMapToPredicate } from './conditions.js';

let validator: ValidateFunction | undefined;

export function validatePipelineSpec(data: unknown): string[] {
  validator ??= new Ajv({ allErrors: true, strict: false }).compile(schema);
  if (validator(data)) {
    // Condition maps must also lower (modifier names are checked by the schema pattern).
    const spec = data as PipelineSpec;
    const problems: string[] = [];
    for (const r of spec.routes ?? [])
      if (r.conditions)
        try {
          conditionMapToPredicate(r.conditions);
        } catch (e) {
          problems.push((e as Error).message);
        }
    return problems;
  }
  return (validator.errors ?? [])
    .filter((e) => e.keyword !== 'if')
    .map(
      (e) =>
        `${e.instancePath || '/'}: ${e.message ?? 'invalid'}${e.keyword === 'additionalProperties' ? ` ('${String((e.params as { additionalProperty?: string }).additionalProperty)}')` : ''}`,
    );
}

/** Parses and validates a pipeline file's text. */
export function loadPipelineSpec(text: string, file?: string): { spec?: PipelineSpec; diagnostics: Diagnostic[] } {
  const diag = (message: string, line = 1, column = 1, hint?: string): Diagnostic => {
    const d: Diagnostic = { code: 'C013', severity: 'error', message, line, column };
    if (file !== undefined) d.file = file;
    if (hint) d.hint = hint;
    return d;
  };
  let data: unknown;
  try {
    const doc = YAML.parseDocument(text, { uniqueKeys: true });
    if (doc.errors.length) {
      const e = doc.errors[0]!;
      return {
        diagnostics: [
          diag(`pipeline YAML: ${e.message.split('\n')[0]}`, e.linePos?.[0]?.line ?? 1, e.linePos?.[0]?.col ?? 1),
        ],
      };
    }
    data = doc.toJS();
  } catch (e) {
    return { diagnostics: [diag(`pipeline YAML: ${(e as Error).message}`)] };
  }
  const problems = validatePipelineSpec(data);
  if (problems.length)
    return {
      diagnostics: problems.map((p) =>
        diag(`invalid pipeline: ${p}`, 1, 1, 'see docs/pipelines/README.md for the pipeline file format'),
      ),
    };
  const spec = data as PipelineSpec;
  spec.description ??= '';
  return { spec, diagnostics: [] };
}
