/**
 * Validation against the three Sigma JSON schemas (vendored in src/data/schemas, public
 * domain). The schemas are incomplete and in places stricter than the specification (the
 * detection schema forbids the condition list the spec allows; the correlation schema does
 * not compile in strict mode): the parser does the authoritative checks itself, and schema
 * findings are reported as warnings (P008), minus the known-wrong ones.
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import ruleSchema from '../data/schemas/sigma-detection-rule-schema.json' with { type: 'json' };
import correlationSchema from '../data/schemas/sigma-correlation-rules-schema.json' with { type: 'json' };
import filterSchema from '../data/schemas/sigma-filters-schema.json' with { type: 'json' };

export type SchemaKind = 'rule' | 'correlation' | 'filter';

export interface SchemaFinding {
  /** JSON pointer into the document (e.g. /detection/condition). */
  path: string;
  message: string;
}

let validators: Record<SchemaKind, ValidateFunction> | undefined;

function getValidators(): Record<SchemaKind, ValidateFunction> {
  if (validators) return validators;
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
  const addFormats = (addFormatsModule as unknown as { default?: (a: Ajv2020) => void }).default ?? (addFormatsModule as unknown as (a: Ajv2020) => void);
  addFormats(ajv);
  validators = {
    rule: ajv.compile(ruleSchema),
    correlation: ajv.compile(correlationSchema),
    filter: ajv.compile(filterSchema),
  };
  return validators;
}

/** Findings the parser checks better itself, or where the schema contradicts the specification. */
function isKnownSchemaGap(kind: SchemaKind, e: ErrorObject): boolean {
  // The spec allows a list of conditions; the detection schema accepts only a string.
  if (kind === 'rule' && e.instancePath.startsWith('/detection/condition')) return true;
  // Errors produced by the failing branches of a oneOf/anyOf add nothing a rule author can act on.
  if (e.keyword === 'oneOf' || e.keyword === 'anyOf' || e.keyword === 'if') return true;
  return false;
}

export function validateSchema(kind: SchemaKind, data: unknown): SchemaFinding[] {
  const validate = getValidators()[kind];
  if (validate(data)) return [];
  const out: SchemaFinding[] = [];
  const seen = new Set<string>();
  for (const e of validate.errors ?? []) {
    if (isKnownSchemaGap(kind, e)) continue;
    const path = e.instancePath || '/';
    const extra = e.keyword === 'additionalProperties' ? ` ('${String((e.params as { additionalProperty?: string }).additionalProperty)}')` : e.keyword === 'enum' ? `: ${(e.params as { allowedValues?: unknown[] }).allowedValues?.join(', ')}` : '';
    const message = `${path} ${e.message ?? 'is invalid'}${extra}`;
    if (seen.has(message)) continue;
    seen.add(message);
    out.push({ path: e.instancePath, message });
  }
  return out;
}
