/** docs/diagnostics.md is generated from the catalogue and must be current; every code has a working example. */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, resolveReferences } from '../../src/parser/index.js';
import { PARSE_DIAGNOSTICS } from '../../src/diagnostics.js';
import { renderDiagnosticsDoc, EXAMPLES } from '../../scripts/gen-diagnostics-doc.mjs';

describe('docs/diagnostics.md', () => {
  it('has an example for every catalogued code, and each example produces its code', () => {
    expect(Object.keys(EXAMPLES as object).sort()).toEqual(Object.keys(PARSE_DIAGNOSTICS).sort());
    // renderDiagnosticsDoc throws when an example does not produce its code.
    expect(() => renderDiagnosticsDoc({ parse, resolveReferences, PARSE_DIAGNOSTICS })).not.toThrow();
  });

  it('is up to date (regenerate with: npm run build && node scripts/gen-diagnostics-doc.mjs)', () => {
    const committed = readFileSync(join(import.meta.dirname, '../../docs/diagnostics.md'), 'utf8');
    expect(renderDiagnosticsDoc({ parse, resolveReferences, PARSE_DIAGNOSTICS })).toBe(committed);
  });
});
