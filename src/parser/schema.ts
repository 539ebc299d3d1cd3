/**
 * Validation against the three Sigma JSON schemas (vendored in src/data/schemas, public
 * domain). The schemas are incomplete and in places stricter than the specification (the
 * detection schema forbids the condition list the spec allows; the correlation schema does
 * not compile in strict mode): the parser does the authoritative checks itself, and schema
 * findings are reported as warnings (P008), minus the known-wrong ones.
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
// Compiled ahead of time from src/data/schemas by scripts/gen-schema-validators.mjs.
import * as generated from './generated/schema-validators.js';

type SchemaKind = 'rule' | 'correlation' | 'filter';

interface SchemaFinding {
  /** JSON pointer into the document (e.g. /detection/condition). */
  path: string;
  message: string;
}

const validators = generated as unknown as Record<SchemaKind, ValidateFunction>;

/** Findings the parser checks better itself, or where the schema contradicts the specification. */
function isKnownSchemaGap(kind: SchemaKind, e: ErrorObject): boolean {
  // The spec allows a list of conditions; the detection schema accepts only a string.
  if (kind === 'rule' && e.instancePath.startsWith('/detection/condition')) return true;
  // Dates are checked by the parser (P030, with a calendar check the pattern lacks); the
  // schema's pattern finding would repeat the same defect as a second diagnostic.
  if (
    (e.instancePath === '/date' || e.instancePath === '/modified') &&
    (e.keyword === 'pattern' || e.keyword === 'format')
  )
    return true;
  // `detection.timeframe` (Sigma 1) is reported by the parser as P035; the schema sees it as
  // a search identifier that is neither a map nor a list.
  if (kind === 'rule' && e.instancePath === '/detection/timeframe') return true;
  // The parser reports missing correlation keys itself (P031), and accepts the old name
  // `timeframe` for `timespan` with a deprecation warning (P035).
  if (
    kind === 'correlation' &&
    e.keyword === 'required' &&
    ['type', 'rules', 'timespan', 'group-by'].includes(
      String((e.params as { missingProperty?: string }).missingProperty),
    )
  )
    return true;
  // Of the alternatives of an anyOf/oneOf, report the first one's findings only: the others
  // repeat the same defect against another alternative (e.g. "must be a uuid" next to
  // "must have at least 2 characters" for a rule name).
  if (/\/(anyOf|oneOf)\/[1-9]\d*\//.test(e.schemaPath)) return true;
  // Errors produced by the failing branches of a oneOf/anyOf add nothing a rule author can act on.
  if (e.keyword === 'oneOf' || e.keyword === 'anyOf' || e.keyword === 'if') return true;
  return false;
}

export function validateSchema(kind: SchemaKind, data: unknown): SchemaFinding[] {
  const validate = validators[kind];
  if (validate(data)) return [];
  const out: SchemaFinding[] = [];
  const seen = new Set<string>();
  const errors = validate.errors ?? [];
  // A oneOf/anyOf of constants (e.g. `level`) fails with one `const` error per alternative:
  // report it once, listing the allowed values.
  const constAlternatives = new Map<string, unknown[]>();
  for (const e of errors) {
    const m = /^(.*)\/(?:anyOf|oneOf)\/\d+\/const$/.exec(e.schemaPath);
    if (e.keyword === 'const' && m) {
      const key = `${e.instancePath} ${m[1]}`;
      constAlternatives.set(key, [
        ...(constAlternatives.get(key) ?? []),
        (e.params as { allowedValue?: unknown }).allowedValue,
      ]);
    }
  }
  for (const [key, values] of constAlternatives) {
    const path = key.slice(0, key.indexOf(' '));
    out.push({ path, message: `${path || '/'} must be one of: ${values.join(', ')}` });
  }
  for (const e of errors) {
    if (e.keyword === 'const' && /\/(?:anyOf|oneOf)\/\d+\/const$/.test(e.schemaPath)) continue;
    if (isKnownSchemaGap(kind, e)) continue;
    const path = e.instancePath || '/';
    const extra =
      e.keyword === 'additionalProperties'
        ? ` ('${String((e.params as { additionalProperty?: string }).additionalProperty)}')`
        : e.keyword === 'enum'
          ? `: ${(e.params as { allowedValues?: unknown[] }).allowedValues?.join(', ')}`
          : '';
    const message = `${path} ${e.message ?? 'is invalid'}${extra}`;
    if (seen.has(message)) continue;
    seen.add(message);
    out.push({ path: e.instancePath, message });
  }
  return out;
}
