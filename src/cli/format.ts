/** Text rendering of diagnostics for terminals and logs. */
import type { Diagnostic } from '../diagnostics.js';
import { forTerminal } from '../util/inert-text.js';
import { useColor } from './io.js';

const COLORS = { error: '\x1b[31m', warning: '\x1b[33m', info: '\x1b[36m', dim: '\x1b[2m', reset: '\x1b[0m' } as const;

export function formatDiagnostic(d: Diagnostic, color = useColor()): string {
  const c = (k: keyof typeof COLORS, s: string): string => (color ? COLORS[k] + s + COLORS.reset : s);
  // Messages quote rule text: escape what would drive a terminal before adding colours.
  const where = forTerminal(`${d.file ?? '<input>'}:${d.line}:${d.column}`);
  let s = `${where}: ${c(d.severity, d.severity)} ${d.code} ${forTerminal(d.message)}`;
  if (d.hint) s += '\n' + c('dim', '  hint: ' + forTerminal(d.hint).replace(/\n/g, '\n        '));
  return s;
}

export function summarize(diags: readonly Diagnostic[]): string {
  const e = diags.filter((d) => d.severity === 'error').length;
  const w = diags.filter((d) => d.severity === 'warning').length;
  return `${e} error${e === 1 ? '' : 's'}, ${w} warning${w === 1 ? '' : 's'}`;
}
