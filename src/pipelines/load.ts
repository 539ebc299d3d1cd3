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
import { tableColumns, type KqlProduct } from '../backends/kql/schema.js';
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
  const diag = (
    code: 'C013' | 'C017' | 'C019' | 'C105',
    message: string,
    line = 1,
    column = 1,
    hint?: string,
  ): Diagnostic => {
    const d: Diagnostic = { code, severity: code === 'C105' ? 'warning' : 'error', message, line, column };
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
  const schemaDiagnostics = kqlSchemaProblems(spec).map((p) => {
    // Point at the key of a map entry (a condition's field, a mapped Sigma field), else the value.
    const parent = doc.getIn(p.path.slice(0, -1), true);
    const last = p.path[p.path.length - 1];
    const pair = isMap(parent) ? parent.items.find((x) => isScalar(x.key) && x.key.value === last) : undefined;
    const node = pair?.key ?? doc.getIn(p.path, true);
    const offset = isNode(node) ? node.range?.[0] : undefined;
    const pos = offset !== undefined ? lineCounter.linePos(offset) : { line: 1, col: 1 };
    return diag(p.code, `pipeline: ${p.message}`, pos.line, pos.col, p.hint);
  });
  if (schemaDiagnostics.some((d) => d.severity === 'error')) return { diagnostics: schemaDiagnostics };
  spec.description ??= '';
  return { spec, diagnostics: schemaDiagnostics };
}

interface SchemaProblem {
  code: 'C019' | 'C105';
  message: string;
  hint: string;
  /** Where in the YAML document (for getIn). */
  path: (string | number)[];
}

/**
 * A KQL pipeline (targets: [kql], or a set_state naming a product) is checked against the
 * vendored table schemas: a route to a table they do not hold is a warning (custom tables are
 * legitimate; nothing can be checked), a column a known table lacks — in a route's conditions or
 * as a field map's target for that table — an error, since every query using it would fail to bind.
 */
function kqlSchemaProblems(spec: PipelineSpec): SchemaProblem[] {
  const states = spec.transformations.flatMap((t) => (t.type === 'set_state' ? [t.state] : []));
  const product: KqlProduct | undefined =
    (states.find((s) => s.product !== undefined)?.product as KqlProduct | undefined) ??
    (spec.targets?.includes('kql') ? 'sentinel' : undefined);
  if (product === undefined) return [];
  const out: SchemaProblem[] = [];
  const extendsOf = new Map<string, Set<string>>();
  (spec.routes ?? []).forEach((r) => {
    const names = extendsOf.get(r.table) ?? new Set<string>();
    for (const n of Object.keys(r.extend ?? {})) names.add(n);
    extendsOf.set(r.table, names);
  });
  const hasColumn = (table: string, column: string): boolean => {
    const cols = tableColumns(table, product)!;
    const base = column.split('.')[0]!;
    if (cols.has(column) || extendsOf.get(table)?.has(base)) return true;
    return column.includes('.') && cols.get(base) === 'dynamic';
  };
  const missing = (table: string, column: string, path: (string | number)[], what: string): SchemaProblem => ({
    code: 'C019',
    message: `${what} '${column}' is not a column of ${table}`,
    hint: `the columns of ${table} are listed in src/data/kql/kql-tables.json (docs/pipelines/README.md)`,
    path,
  });
  (spec.routes ?? []).forEach((r, i) => {
    if (!tableColumns(r.table, product)) {
      out.push({
        code: 'C105',
        message: `table '${r.table}' is not in the vendored ${product === 'defender' ? 'Defender XDR' : 'Sentinel'} table schemas; its columns go unchecked`,
        hint: 'a custom table (…_CL) is fine; otherwise check the spelling (sigil list pipelines shows the built-in tables)',
        path: ['routes', i, 'table'],
      });
      return;
    }
    // The union's tables: each must be known, and hold the conditions' columns too.
    const known = [r.table];
    (r.union ?? []).forEach((u, j) => {
      if (tableColumns(u, product)) known.push(u);
      else
        out.push({
          code: 'C105',
          message: `union table '${u}' is not in the vendored ${product === 'defender' ? 'Defender XDR' : 'Sentinel'} table schemas; its columns go unchecked`,
          hint: 'a custom table (…_CL) is fine; otherwise check the spelling (sigil list pipelines shows the built-in tables)',
          path: ['routes', i, 'union', j],
        });
    });
    for (const key of Object.keys(r.conditions ?? {})) {
      const column = key.split('|')[0]!;
      for (const table of known)
        if (!hasColumn(table, column))
          out.push(missing(table, column, ['routes', i, 'conditions', key], 'condition field'));
    }
  });
  spec.transformations.forEach((t, i) => {
    if (t.type !== 'field_map' || t.when?.table === undefined) return;
    const tables = (Array.isArray(t.when.table) ? t.when.table : [t.when.table]).filter((x) =>
      tableColumns(x, product),
    );
    for (const [sigma, target] of Object.entries(t.map))
      for (const column of Array.isArray(target) ? target : [target])
        for (const table of tables)
          if (!hasColumn(table, column))
            out.push(missing(table, column, ['transformations', i, 'map', sigma], `field map target for '${sigma}':`));
  });
  return out;
}
