/** Splunk escaping: the documented table, and a property that any string value survives. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { encodeConjunction, renderQuery } from '../../../src/backends/splunk/encode.js';
import { escapeQuoted, evalField, searchField, searchLiteralOk } from '../../../src/backends/splunk/escape.js';
import type { PatternPart, Predicate } from '../../../src/ast/semantics.js';
import { pcreToJs, readQuoted, readSearchTerm, regexesIn, splitPipes, termParts } from './spl-reader.js';
import { runs } from '../../helpers/property.js';

const str = (field: string | null, pattern: PatternPart[], cased = false): Predicate => ({
  kind: 'string',
  field,
  pattern,
  cased,
});
const spl = (p: Predicate): string => renderQuery(encodeConjunction([], [p]));

describe('escaping table (docs/backends/splunk.md)', () => {
  const table: [string, PatternPart[], string][] = [
    ['plain text', ['cmd.exe'], 'F="cmd.exe"'],
    ['a backslash is doubled', ['C:\\Windows\\'], 'F="C:\\\\Windows\\\\"'],
    ['two backslashes become four', ['\\\\srv'], 'F="\\\\\\\\srv"'],
    ['a double quote is escaped', ['say "hi"'], 'F="say \\"hi\\""'],
    ['a single quote needs nothing', ["it's"], 'F="it\'s"'],
    ['a pipe inside quotes is text', ['a|b'], 'F="a|b"'],
    ['parentheses and = inside quotes are text', ['f(x)=1'], 'F="f(x)=1"'],
    ['a multi wildcard is native', [{ wildcard: 'multi' }, '\\cmd.exe'], 'F="*\\\\cmd.exe"'],
    ['a literal * needs a regex', ['a*b'], 'F=* | regex F="(?is)^a\\\\*b\\\\z"'],
    ['a ? wildcard needs a regex', ['a', { wildcard: 'single' }, 'b'], 'F=* | regex F="(?is)^a.b\\\\z"'],
    ['a newline needs a regex', ['a\nb'], 'F=* | regex F="(?is)^a\\\\nb\\\\z"'],
  ];
  for (const [what, pattern, expected] of table) {
    it(what, () => {
      // `F=*` is not emitted by the encoder; normalise the expectation for regex-only rows.
      const got = spl(str('F', pattern));
      expect(got).toBe(expected.replace(/^F=\* \| /, '* | '));
    });
  }
  it('keywords are bare quoted terms against _raw', () => {
    expect(spl(str(null, [{ wildcard: 'multi' }, 'mimikatz', { wildcard: 'multi' }]))).toBe('"*mimikatz*"');
    expect(spl(str(null, [{ wildcard: 'multi' }, 'a"b\\c', { wildcard: 'multi' }]))).toBe('"*a\\"b\\\\c*"');
  });
  it('eval strings use the same two escapes; regexes are escaped once more as strings', () => {
    expect(spl({ kind: 'regex', field: 'F', pattern: '\\d+"x', flags: '' })).toBe('* | regex F="\\\\d+\\"x"');
    expect(spl({ kind: 'not', item: { kind: 'regex', field: 'F', pattern: 'a\\\\b', flags: 'i' } })).toBe(
      '* | where NOT (isnotnull(F) AND match(F, "(?i)a\\\\\\\\b"))',
    );
  });
  it('field names: plain, double-quoted in search, single-quoted in eval', () => {
    expect(searchField('Image')).toBe('Image');
    expect(searchField('Processes.process')).toBe('Processes.process');
    expect(searchField('c-uri')).toBe('"c-uri"');
    expect(evalField('c-uri')).toBe("'c-uri'");
    expect(evalField("it's")).toBeNull();
  });
  it('escapeQuoted escapes exactly backslash and double quote', () => {
    expect(escapeQuoted('a\\b"c*d')).toBe('a\\\\b\\"c*d');
    expect(searchLiteralOk('a*b')).toBe(false);
    expect(searchLiteralOk('a\tb')).toBe(false);
    expect(searchLiteralOk('a b"c\\')).toBe(true);
  });
});

/** Generates pattern parts: literal text (any characters), `*` and `?` wildcards. */
const partArb: fc.Arbitrary<PatternPart> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.string({
      minLength: 1,
      maxLength: 12,
      unit: fc.constantFrom(
        'a',
        'B',
        '\\',
        '"',
        '*',
        '?',
        ' ',
        '|',
        '(',
        ')',
        '=',
        "'",
        '.',
        '$',
        '^',
        '[',
        ']',
        '{',
        '}',
        '\n',
        '\t',
        'é',
        '-',
        '/',
        '#',
        '+',
      ),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ wildcard: 'multi' } as const) },
  { weight: 1, arbitrary: fc.constant({ wildcard: 'single' } as const) },
);

function normalise(parts: PatternPart[]): PatternPart[] {
  const out: PatternPart[] = [];
  for (const p of parts) {
    const last = out[out.length - 1];
    if (typeof p === 'string' && typeof last === 'string') out[out.length - 1] = last + p;
    else out.push(p);
  }
  return out;
}

/** A concrete string the pattern matches (wildcards filled with `fill`). */
function instance(parts: PatternPart[], fill: string): string {
  return parts
    .map((p) =>
      typeof p === 'string' ? p : 'wildcard' in p ? (p.wildcard === 'multi' ? fill : fill.slice(0, 1) || 'x') : '',
    )
    .join('');
}

describe('property: any string value survives SPL escaping', () => {
  it('a literal value reads back exactly (search term) or its regex matches exactly it', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (s) => {
        const q = spl(str('F', s ? [s] : []));
        const pipes = splitPipes(q);
        if (pipes.length === 1) {
          const t = readSearchTerm(pipes[0]!);
          expect(t.field).toBe('F');
          expect(t.parts).toEqual(s ? [s] : []);
        } else {
          const [re] = regexesIn(pipes[1]!);
          const js = pcreToJs(re!);
          expect(js.test(s)).toBe(true);
          expect(js.test(s + 'x')).toBe(false);
          expect(js.test('x' + s)).toBe(false);
        }
      }),
      { numRuns: runs(2000) },
    );
  });

  it('a pattern with wildcards reads back to the same parts, or its regex accepts its instances only', () => {
    fc.assert(
      fc.property(fc.array(partArb, { minLength: 1, maxLength: 6 }), fc.constantFrom('', 'zz', 'Q\\"'), (raw, fill) => {
        const parts = normalise(raw);
        const q = spl(str('F', parts));
        const pipes = splitPipes(q);
        const hasSingle = parts.some((p) => typeof p !== 'string' && 'wildcard' in p && p.wildcard === 'single');
        const hasStar = parts.some((p) => typeof p === 'string' && /[*\x00-\x1f]/.test(p));
        if (pipes.length === 1) {
          expect(hasSingle || hasStar).toBe(false);
          const t = readSearchTerm(pipes[0]!);
          // Splunk merges adjacent `*`; compare after doing the same.
          const mergeStars = (a: PatternPart[]): PatternPart[] =>
            a.filter((p, i) => !(typeof p !== 'string' && a[i - 1] !== undefined && typeof a[i - 1] !== 'string'));
          expect(mergeStars(t.parts)).toEqual(mergeStars(parts));
        } else {
          const [re] = regexesIn(pipes[1]!);
          const js = pcreToJs(re!);
          const inst = instance(parts, fill || 'x');
          expect(js.test(inst)).toBe(true);
          expect(js.test(inst.toUpperCase())).toBe(true);
          if (!parts.some((p) => typeof p !== 'string')) expect(js.test(inst + 'x')).toBe(false);
        }
      }),
      { numRuns: runs(2000) },
    );
  });

  it('quoted strings in any emitted query are well formed (reader round trip)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), (s) => {
        const text = `"${escapeQuoted(s)}"`;
        expect(readQuoted(text, 0)).toEqual({ value: s, end: text.length });
        expect(
          termParts(s)
            .map((p) => (typeof p === 'string' ? p : '*'))
            .join(''),
        ).toBe(s);
      }),
      { numRuns: runs(1000) },
    );
  });
});
