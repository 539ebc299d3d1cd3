/** Evaluator (E…) diagnostics. Codes are stable: never reuse or renumber one. */
import { diagnosticFactory, type DiagnosticDef } from '../diagnostics.js';

export const EVAL_DIAGNOSTICS = {
  E001: {
    severity: 'error',
    summary:
      'The rule cannot be evaluated: its detection does not lower to a predicate (unknown identifier, unresolved placeholder, encoding of a wildcard).',
  },
  E002: {
    severity: 'error',
    summary:
      'A regular expression uses syntax the linear-time engine (RE2) does not support (lookaround, backreference…).',
  },
  E003: { severity: 'error', summary: 'An events file holds invalid JSON.' },
  E004: { severity: 'error', summary: 'A rule test file is invalid.' },
  E005: { severity: 'error', summary: 'A rule test refers to a rule or an events file that cannot be found.' },
  E007: {
    severity: 'error',
    summary:
      "A rule test's events file lies outside the rule repository (an absolute path, '..' or a link leading out of it).",
  },
  E008: {
    severity: 'error',
    summary:
      'An events file cannot be read to its end (a corrupt or truncated gzip stream, a read error); the events before the fault are used.',
  },
  E009: {
    severity: 'error',
    summary:
      '`sigil tune -o`: the rule has neither an id nor a name, so a filter document cannot refer to it (it is left out of the document).',
  },
  E010: {
    severity: 'warning',
    summary:
      "`sigil tune`: one of the rule's own positive test or regression cases does not pass before tuning, so it cannot guard the proposed filters.",
  },
  E015: {
    severity: 'error',
    summary:
      'Table rows (--rows PIPELINE) whose table cannot be told: no Type column, a file name that names no table of the pipeline, and no PIPELINE:TABLE; they are not read.',
  },
  E016: {
    severity: 'error',
    summary:
      'A CSV telemetry file is malformed at a record (a stray or unclosed quote, a record with more or fewer fields than the header, an over-long record); that record is skipped.',
  },
  E017: {
    severity: 'error',
    summary:
      'An EVTX file header or chunk header is invalid or cut short (a bad signature, a size or offset out of range); the file or chunk, or the part of it that cannot be located, is skipped. Located at line 1, column = byte offset in the file + 1.',
  },
  E018: {
    severity: 'warning',
    summary:
      "An EVTX checksum (CRC32 of the file header, a chunk header or a chunk's records) does not match: the bytes may be damaged; the records that decode are still read.",
  },
  E019: {
    severity: 'error',
    summary:
      'An EVTX record cannot be read (a bad record header or size, invalid Binary XML, an unknown token or value type, a size limit exceeded); the record is skipped, and when its size cannot be trusted, the rest of its chunk.',
  },
  E006: {
    severity: 'warning',
    summary: 'A correlation rule cannot be evaluated (unknown rule reference, missing condition).',
  },
} as const satisfies Record<string, DiagnosticDef>;

export type EvalCode = keyof typeof EVAL_DIAGNOSTICS;

/** Evaluator diagnostics, with the default severity of their code. */
export const evalDiagnostic = diagnosticFactory<EvalCode>(EVAL_DIAGNOSTICS);
