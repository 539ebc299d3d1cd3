/**
 * Input and output (I…) diagnostics of the command line: files that cannot be read or written,
 * and a file Sigil failed on. Codes are stable: never reuse or renumber one (docs/cli.md).
 */
import { diagnosticFactory, type DiagnosticDef } from '../diagnostics.js';

export const IO_DIAGNOSTICS = {
  I001: {
    severity: 'error',
    summary:
      'An input cannot be read: permissions, a broken link, a directory that cannot be listed, or not a regular file (FIFO, device).',
  },
  I002: {
    severity: 'error',
    summary: 'Sigil failed on this file (an internal error, a bug to report): the file is skipped, the run goes on.',
  },
  I003: { severity: 'error', summary: 'An output file cannot be written (read-only, a directory, no space…).' },
} as const satisfies Record<string, DiagnosticDef>;

export type IoCode = keyof typeof IO_DIAGNOSTICS;

export const ioDiagnostic = diagnosticFactory<IoCode>(IO_DIAGNOSTICS);
