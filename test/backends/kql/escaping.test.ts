import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { kqlString } from '../../../src/backends/kql/literals.js';
import { kqlErrors, kqlLiterals } from './kusto.js';
import { runs } from '../../helpers/property.js';

// Strings that stress the literal syntax: quotes, backslashes, pipes, newlines, NUL, Unicode
// (incl. lone surrogates), and KQL keywords.
const tricky = fc.oneof(
  fc.string({
    unit: fc.constantFrom(
      '"',
      "'",
      '\\',
      '|',
      '\n',
      '\r',
      '\t',
      '\0',
      '@',
      ';',
      '/',
      '*',
      '`',
      ' ',
      'a',
      'é',
      '\u2028',
      '\u200b',
      '\ud83d',
      '\ude00',
      '😀',
      '\u007f',
    ),
  }),
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: 'binary' }),
  fc.constantFrom('where', 'and or not', '" | where 1==1 | take 10 //', '@"x"', 'h"secret"', '\\"', '""', '\\', ''),
);

describe('KQL string literals (Microsoft parser reads back the exact value)', () => {
  it('round-trips arbitrary strings', () => {
    // Two calls of the Kusto language service per run (~15 ms): 150 runs by default, 3,000 with
    // `npm run test:fuzz` (test/helpers/property.ts).
    fc.assert(
      fc.property(tricky, (s) => {
        const q = `DeviceProcessEvents | where ProcessCommandLine =~ ${kqlString(s)} | take 1`;
        expect(kqlErrors(q, 'defender')).toEqual([]);
        const lits = kqlLiterals(q).filter((x) => typeof x === 'string');
        expect(lits).toEqual([s]);
      }),
      { numRuns: runs(150) },
    );
  });

  it('uses the verbatim form for Windows paths and plain quotes otherwise', () => {
    expect(kqlString('\\wmic.exe')).toBe('@"\\wmic.exe"');
    expect(kqlString('say "hi"')).toBe('"say \\"hi\\""');
    expect(kqlString('C:\\a "b"')).toBe('@"C:\\a ""b"""');
    expect(kqlString('a\nb\\')).toBe('"a\\nb\\\\"');
    expect(kqlString('\0')).toBe('"\\u0000"');
  });
});
