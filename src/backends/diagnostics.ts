/**
 * Conversion (C…) diagnostics, shared by every backend and pipeline. Codes are stable:
 * never reuse or renumber one. Documented in docs/backends/kql.md; those of pipeline files
 * (C013, C015) also in docs/pipelines/README.md.
 */
import type { DiagnosticDef } from '../diagnostics.js';
import type { ConversionError, ConversionWarning } from './types.js';

export const CONVERSION_DIAGNOSTICS = {
  C001: { severity: 'error', summary: 'Unsupported logsource: no pipeline routes the rule to a table / index.' },
  C002: {
    severity: 'error',
    summary: 'Field not available: the target table has no column for the field (after field mapping).',
  },
  C003: { severity: 'error', summary: 'The target cannot express this operator or value for the field.' },
  C004: {
    severity: 'error',
    summary: 'A pipeline `fail` rule: the pipeline declares the field or logsource unsupported.',
  },
  C005: { severity: 'error', summary: 'Unresolved `expand` placeholder (no pipeline variable of that name).' },
  C006: {
    severity: 'error',
    summary: 'The detection cannot be lowered (invalid modifier combination, windash expansion too large).',
  },
  C007: { severity: 'error', summary: 'A field split (hashes, DOMAIN\\user) cannot express the value.' },
  C008: { severity: 'error', summary: 'Dropping fields leaves a detection that never matches.' },
  C009: { severity: 'error', summary: 'Keyword (field-less) search is not supported by the target table.' },
  C010: { severity: 'error', summary: 'Correlation type or shape not supported by the backend.' },
  C011: { severity: 'error', summary: 'A correlation refers to a rule that failed to convert or is missing.' },
  C012: { severity: 'error', summary: 'Unknown target, pipeline or output format.' },
  C013: { severity: 'error', summary: 'Invalid pipeline file (schema validation).' },
  C014: {
    severity: 'error',
    summary: 'The rule is not a detection rule (filters are applied to rules, not converted alone).',
  },
  C015: {
    severity: 'error',
    summary: 'Rule metadata cannot stand in the output format as data (e.g. a non-UUID id in an ARM resource name).',
  },
  C016: {
    severity: 'error',
    summary: 'Pipeline placeholders expand one value into too many alternatives.',
  },
  C017: {
    severity: 'error',
    summary: 'A pipeline file sets backend state no backend declares: an unknown `set_state` key or value.',
  },
  C018: {
    severity: 'error',
    summary:
      "The query is longer than the output format's consumer accepts (a Sentinel scheduled rule: 10,000 characters).",
  },
  C022: {
    severity: 'error',
    summary:
      'A path field read from a file-name column (ParentImage → InitiatingProcessParentFileName): only `endswith` a file name is expressible.',
  },
  C023: {
    severity: 'error',
    summary: 'A value that is not a number (decimal or 0x hex) compared for equality with a numeric column.',
  },
  C024: {
    severity: 'error',
    summary:
      'A contains/endswith value may match inside the text a pipeline adds before every value (Defender pipe names: `\\Device\\NamedPipe\\`).',
  },
  C019: {
    severity: 'error',
    summary: "A KQL pipeline file names a column its table lacks (a route condition or a field map's target).",
  },
  C025: {
    severity: 'error',
    summary: 'A Splunk route names a search macro that macros.conf cannot hold (letters, digits, `_` and `-`).',
  },
  C035: {
    severity: 'error',
    summary:
      "A correlation's group-by, alias or value field does not map to one field of a base rule's target (dropped, split or value-mapped by a pipeline).",
  },
  C036: {
    severity: 'error',
    summary:
      'A correlation cannot carry the columns its output format requires (a Defender custom detection: Timestamp, ReportId, DeviceId of one table).',
  },
  C029: {
    severity: 'error',
    summary:
      'A value rewrite (replace_regex scope value, pySigma replace_string) cannot apply to a value with wildcards or placeholders.',
  },
  C030: {
    severity: 'error',
    summary:
      'A pySigma pipeline file uses a transformation Sigil does not import (named in the message, with its file:line:col).',
  },
  C031: {
    severity: 'error',
    summary: 'A pySigma pipeline file uses a condition or option Sigil does not import, or an invalid value for one.',
  },
  C038: {
    severity: 'error',
    summary:
      "An artifact setting (`.sigil.yml` `artifacts:` or the rule's `sigil: { artifacts: … }`) has a value the format's consumer refuses.",
  },
  C039: {
    severity: 'error',
    summary: "An artifact setting names a column the query's results do not carry (e.g. a Sentinel custom detail).",
  },
  C040: {
    severity: 'error',
    summary:
      "Rule metadata is longer than the format's consumer accepts (a Sentinel rule's name: 256, description: 5,000 characters).",
  },
  C044: {
    severity: 'error',
    summary:
      'A route reads several tables (KQL union) and a column the rule reads has types in them that no exact conversion makes one.',
  },
  C101: { severity: 'warning', summary: 'Fields were dropped by a pipeline (the query ignores them).' },
  C102: { severity: 'warning', summary: 'Correlation windows are fixed buckets (bin) rather than sliding windows.' },
  C103: {
    severity: 'warning',
    summary: 'The mapping relies on an unverified vendor name (e.g. an undocumented ActionType).',
  },
  C111: {
    severity: 'warning',
    summary:
      "A pySigma transformation that only edits the rule's `fields:` list (add_field, remove_field, set_field) is ignored: queries are unchanged.",
  },
  C104: {
    severity: 'warning',
    summary:
      "A Sigma filter names the rule but is not applied: its logsource does not cover the rule's (or it has no condition).",
  },
  C105: {
    severity: 'warning',
    summary: 'A KQL pipeline file routes to a table the vendored schemas do not hold: its columns go unchecked.',
  },
  C109: {
    severity: 'warning',
    summary:
      'The Splunk query is not scoped to a log source (the `unscoped` option): it searches every event the user may read.',
  },
  C118: {
    severity: 'warning',
    summary:
      "The rule tests a field's presence or emptiness (exists, null, '') on a column where an absent field and an empty value read the same.",
  },
} as const satisfies Record<string, DiagnosticDef>;

export type ConversionCode = keyof typeof CONVERSION_DIAGNOSTICS;

/** Short reason per code: groups failures in summaries. */
const REASONS: Record<ConversionCode, string> = {
  C001: 'unsupported logsource',
  C002: 'field not in table',
  C003: 'operator not expressible',
  C004: 'unsupported by pipeline',
  C005: 'unresolved placeholder',
  C006: 'cannot lower detection',
  C007: 'field split impossible',
  C008: 'detection empty after dropping fields',
  C009: 'keyword search unsupported',
  C010: 'correlation unsupported',
  C011: 'correlation base rule failed',
  C012: 'unknown name',
  C013: 'invalid pipeline',
  C014: 'not a detection rule',
  C015: 'metadata unsafe in format',
  C016: 'placeholder expansion too large',
  C017: 'invalid backend state',
  C018: 'query too long for the format',
  C022: 'path read from a file name',
  C023: 'not a number for a numeric column',
  C024: 'value may match the added prefix',
  C019: 'column not in table',
  C025: 'invalid macro name',
  C035: 'correlation field not mappable',
  C036: 'correlation lacks required columns',
  C029: 'value rewrite impossible',
  C030: 'unsupported pySigma transformation',
  C031: 'unsupported pySigma condition',
  C038: 'invalid artifact setting',
  C039: 'setting names a column not returned',
  C040: 'metadata too long for the format',
  C044: 'column typed differently across a union',
  C101: 'fields dropped',
  C102: 'fixed windows',
  C103: 'unverified mapping',
  C104: 'filter not applied',
  C105: 'table not in schemas',
  C109: 'unscoped query',
  C118: 'absent and empty alike',
  C111: 'pySigma fields-list transformation ignored',
};

export function conversionError(
  code: ConversionCode,
  message: string,
  extra: Partial<Omit<ConversionError, 'code' | 'message'>> = {},
): ConversionError {
  return { code, message, reason: REASONS[code], ...extra };
}

export function conversionWarning(code: ConversionCode, message: string, hint?: string): ConversionWarning {
  const w: ConversionWarning = { code, message };
  if (hint) w.hint = hint;
  return w;
}
