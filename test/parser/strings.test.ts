/** Sigma's wildcard and escape rules (sigma-rules-specification.md, "Escape Character"). */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseSigmaString, printSigmaString, plainText } from '../../src/parser/strings.js';
import type { StringPart } from '../../src/ast/types.js';
import { runs } from '../helpers/property.js';

const M = { wildcard: 'multi' } as const;
const S = { wildcard: 'single' } as const;

describe('parseSigmaString: the specification table', () => {
  it.each<[string, StringPart[]]>([
    // A plain backslash not followed by a wildcard: single or double.
    ['C:\\Windows', ['C:\\Windows']],
    ['C:\\\\Windows', ['C:\\Windows']],
    // A wildcard escaped is a plain character.
    ['a\\*', ['a*']],
    ['a\\?', ['a?']],
    // Backslash before a wildcard escaped: a backslash, then the wildcard.
    ['a\\\\*', ['a\\', M]],
    ['a\\\\?', ['a\\', S]],
    // Three backslashes: both escaped, a plain backslash and a plain star.
    ['a\\\\\\*', ['a\\*']],
    // Three or four backslashes: a double backslash.
    ['a\\\\\\b', ['a\\\\b']],
    ['a\\\\\\\\b', ['a\\\\b']],
    ['a\\\\\\\\', ['a\\\\']],
    // Trailing backslash, lone backslash.
    ['a\\', ['a\\']],
    ['\\', ['\\']],
    // Wildcards.
    ['*', [M]],
    ['prog?.exe', ['prog', S, '.exe']],
    ['*\\cmd.exe', [M, '\\cmd.exe']],
    ['a**b', ['a', M, M, 'b']],
    ['', []],
    // Percent is plain text without expand.
    ['%name%', ['%name%']],
  ])('%j', (raw, parts) => {
    expect(parseSigmaString(raw)).toEqual(parts);
  });

  it('handles placeholders only with expand', () => {
    expect(parseSigmaString('%a%', true)).toEqual([{ placeholder: 'a' }]);
    expect(parseSigmaString('\\%a%b%', true)).toEqual(['%a', { placeholder: 'b' }]);
    expect(parseSigmaString('100%', true)).toEqual(['100%']);
    expect(parseSigmaString('%%', true)).toEqual(['%%']);
    expect(parseSigmaString('%a b%', true)).toEqual(['%a b%']);
  });
});

describe('printSigmaString', () => {
  it('keeps single backslashes where they are unambiguous (SigmaHQ style)', () => {
    expect(printSigmaString(['C:\\Windows\\'])).toBe('C:\\Windows\\\\');
    expect(printSigmaString([M, '\\cmd.exe'])).toBe('*\\cmd.exe');
    expect(printSigmaString(['a\\', M])).toBe('a\\\\*');
    expect(printSigmaString(['a*?'])).toBe('a\\*\\?');
    expect(printSigmaString(['%x', { placeholder: 'p' }], true)).toBe('\\%x%p%');
  });

  const part = fc.oneof(
    fc.string({ unit: fc.constantFrom('a', 'b', '\\', '*', '?', '%', ' ', 'é'), minLength: 1, maxLength: 6 }),
    fc.constant(M),
    fc.constant(S),
  );

  it('parse(print(parts)) gives the parts back (property)', () => {
    fc.assert(
      fc.property(fc.array(part, { maxLength: 8 }), (parts) => {
        expect(normalise(parseSigmaString(printSigmaString(parts)))).toEqual(normalise(parts));
      }),
      { numRuns: runs(500) },
    );
  });

  it('print(parse(raw)) means the same as raw (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', '\\', '*', '?', 'x'), maxLength: 12 }), (raw) => {
        const parts = parseSigmaString(raw);
        expect(parseSigmaString(printSigmaString(parts))).toEqual(parts);
      }),
      { numRuns: runs(500) },
    );
  });

  it('plainText is the text only when there is no wildcard', () => {
    expect(plainText(['a', 'b'])).toBe('ab');
    expect(plainText(['a', M])).toBeNull();
  });
});

/** Merges adjacent text parts (the parser emits maximal runs). */
function normalise(parts: StringPart[]): StringPart[] {
  const out: StringPart[] = [];
  for (const p of parts) {
    const last = out[out.length - 1];
    if (typeof p === 'string' && typeof last === 'string') out[out.length - 1] = last + p;
    else if (p !== '') out.push(p);
  }
  return out;
}
