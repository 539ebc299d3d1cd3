/**
 * User pipelines: YAML text with the PipelineSpec shape, or a pySigma processing pipeline
 * (detected by its keys, imported by pysigma.ts), validated against
 * pipeline-schema.json (C013), with `set_state` keys and values checked against the backends'
 * declarations (C017). Text in, spec or diagnostics out (the CLI reads the file).
 */
import { Ajv, type ValidateFunction } from 'ajv';
import YAML, { LineCounter, isMap, isNode, isScalar, type Document } from 'yaml';
import schema from './pipeline-schema.json' with { type: 'json' };
import type { Diagnostic } from '../diagnostics.js';
import { stateProblems } from '../backends/state.js';
import type { PipelineSpec } from './types.js';
import { conditionMapToPredicate } from './conditions.js';
import { importPySigmaPipeline, isPySigmaPipeline } from './pysigma.js';

let validator: ValidateFunction | undefined;

function validatePipelineSpec(data: unknown): string[] {
  validator ??= new Ajv({ allErrors: true, strict: false }).compile(schema);
  if (validator(data)) {
    // Condition maps must also lower (modifier names are checked by the schema pattern).
    const spec = data as PipelineSpec;
    const problems: string[] = [];
    for (const t of spec.transformations)
      if (t.type === 'replace_regex')
        try {
          new RegExp(t.regex, t.flags);
        } catch (e) {
          problems.push(`replace_regex: ${(e as Error).message}`);
        }
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
  const diag = (code: 'C013' | 'C017', message: string, line = 1, column = 1, hint?: string): Diagnostic => {
    const d: Diagnostic = { code, severity: 'error', message, line, column };
    if (file !== undefined) d.file = file;
    if (hint) d.hint = hint;
    return d;
  };
  const lineCounter = new LineCounter();
  let doc: Document.Parsed;
  let data: unknown;
  try {
    doc = YAML.parseDocument(text, { uniqueKeys: true, lineCounter });
    if (doc.errors.length) {
      const e = doc.errors[0]!;
      return {
        diagnostics: [
          diag(
            'C013',
            `pipeline YAML: ${e.message.split('\n')[0]}`,
            e.linePos?.[0]?.line ?? 1,
            e.linePos?.[0]?.col ?? 1,
          ),
        ],
      };
    }
    data = doc.toJS();
  } catch (e) {
    return { diagnostics: [diag('C013', `pipeline YAML: ${(e as Error).message}`)] };
  }
  // A pySigma pipeline (its own keys and transformation types) is imported, not validated as Sigil's.
  if (isPySigmaPipeline(data)) return importPySigmaPipeline(doc, data, lineCounter, file);
  const problems = validatePipelineSpec(data);
  if (problems.length)
    return {
      diagnostics: problems.map((p) =>
        diag('C013', `invalid pipeline: ${p}`, 1, 1, 'see docs/pipelines/README.md for the pipeline file format'),
      ),
    };
  const spec = data as PipelineSpec;
  const stateDiagnostics: Diagnostic[] = [];
  spec.transformations.forEach((t, i) => {
    if (t.type !== 'set_state') return;
    for (const p of stateProblems(t.state)) {
      // Point at the key (unknown key) or at its value (value not allowed).
      const state = doc.getIn(['transformations', i, 'state'], true);
      const pair = isMap(state) ? state.items.find((x) => isScalar(x.key) && x.key.value === p.key) : undefined;
      const node = p.unknownKey ? pair?.key : pair?.value;
      const offset = isNode(node) ? node.range?.[0] : undefined;
      const pos = offset !== undefined ? lineCounter.linePos(offset) : { line: 1, col: 1 };
      stateDiagnostics.push(
        diag(
          'C017',
          `invalid pipeline: transformation ${i + 1} (set_state): ${p.message}`,
          pos.line,
          pos.col,
          'backends declare the state they read: see docs/pipelines/README.md',
        ),
      );
    }
  });
  if (stateDiagnostics.length) return { diagnostics: stateDiagnostics };
  spec.description ??= '';
  return { spec, diagnostics: [] };
}
