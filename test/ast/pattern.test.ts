import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { expandClasses, mergeAdjacentText } from '../../src/ast/pattern.js';
import type { PatternPart } from '../../src/ast/predicate.js';
import { lowerMatch, WINDASH_CHARS } from '../../src/ast/semantics.js';
import type { FieldMatch, StringPart } from '../../src/ast/types.js';

const multi = { wildcard: 'multi' } as const;
const single = { wildcard: 'single' } as const;

describe('mergeAdjacentText', () => {
  it('joins adjacent text and drops empty text', () => {
    expect(mergeAdjacentText(['a', '', 'b', multi, 'c', 'd', single, '', { anyOf: '-/' }, 'e'])).toEqual([
      'ab',
      multi,
      'cd',
      single,
      { anyOf: '-/' },
      'e',
    ]);
    expect(mergeAdjacentText(['', ''])).toEqual([]);
  });

  it('keeps the text and the order of the other parts', () => {
    const part: fc.Arbitrary<PatternPart> = fc.oneof(
      fc.string({ maxLength: 2 }),
      fc.constant(multi),
      fc.constant(single),
      fc.constant({ placeholder: 'p' }),
    );
    fc.assert(
      fc.property(fc.array(part, { maxLength: 8 }), (parts) => {
        const merged = mergeAdjacentText(parts);
        const show = (ps: readonly PatternPart[]): string =>
          ps.map((p) => (typeof p === 'string' ? p : `<${JSON.stringify(p)}>`)).join('');
        expect(show(merged)).toBe(show(parts));
        for (let i = 0; i < merged.length; i++) {
          if (typeof merged[i] === 'string') {
            expect(merged[i]).not.toBe('');
            expect(typeof merged[i + 1]).not.toBe('string');
          }
        }
      }),
    );
  });
});

describe('expandClasses', () => {
  it('replaces each class by each of its characters, in order', () => {
    expect(expandClasses(['a', { anyOf: '-/' }, 'b', multi, { anyOf: 'xy' }], 10)).toEqual([
      ['a-b', multi, 'x'],
      ['a-b', multi, 'y'],
      ['a/b', multi, 'x'],
      ['a/b', multi, 'y'],
    ]);
  });

  it('gives the pattern itself when it has no class', () => {
    expect(expandClasses(['a', 'b', single], 1)).toEqual([['a', 'b', single]]);
  });

  it('gives undefined beyond the limit', () => {
    const dash = { anyOf: '-/' };
    expect(expandClasses([dash, dash], 4)).toHaveLength(4);
    expect(expandClasses([dash, dash, dash], 4)).toBeUndefined();
  });
});

describe('windash before an encoding (lowering)', () => {
  const match = (parts: StringPart[]): FieldMatch => ({
    type: 'match',
    field: 'CommandLine',
    modifiers: ['windash', 'base64'],
    values: [{ type: 'string', parts, raw: parts.map((p) => (typeof p === 'string' ? p : '*')).join('') }],
    list: false,
  });
  const error = (parts: StringPart[]): string => {
    try {
      lowerMatch(match(parts));
      return '';
    } catch (e) {
      return (e as Error).message;
    }
  };

  it('encodes every variant', () => {
    const p = lowerMatch(match(['-a']));
    expect(p.kind).toBe('or');
    expect(p.kind === 'or' && p.items).toHaveLength(WINDASH_CHARS.length);
  });

  it('reports the first problem met from the left: too many variants, or a wildcard', () => {
    const dashes = '-'.repeat(6); // 5^6 variants > MAX_EXPANSION
    expect(error([dashes, multi])).toMatch(/expands to more than/);
    expect(error([multi, dashes])).toMatch(/cannot be encoded/);
    expect(error(['-', multi, dashes])).toMatch(/cannot be encoded/);
  });
});
