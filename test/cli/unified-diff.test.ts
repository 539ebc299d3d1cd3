/** The report's unified diff: applying its hunks to the old text gives the new text. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { unifiedDiff, wordDiff } from '../../src/util/unified-diff.js';
import { runs } from '../helpers/property.js';

/** Applies unified-diff hunks to a text (checking every context and removed line). */
function applyHunks(before: string, diff: string): string {
  const a = before === '' ? [] : before.replace(/\n$/, '').split('\n');
  const result: string[] = [];
  let pos = 0;
  const lines = diff === '' ? [] : diff.replace(/\n$/, '').split('\n');
  for (let k = 0; k < lines.length;) {
    const m = /^@@ -(\d+),(\d+) \+(\d+),(\d+) @@$/.exec(lines[k++]!);
    if (!m) throw new Error(`not a hunk header: ${lines[k - 1]}`);
    const start = Number(m[2]) === 0 ? Number(m[1]) : Number(m[1]) - 1;
    while (pos < start) result.push(a[pos++]!);
    while (k < lines.length && !lines[k]!.startsWith('@@')) {
      const l = lines[k++]!;
      const body = l.slice(1);
      if (l[0] === '+') result.push(body);
      else {
        if (a[pos] !== body) throw new Error(`line ${pos + 1} is '${a[pos]}', the diff says '${body}'`);
        if (l[0] === ' ') result.push(body);
        pos++;
      }
    }
  }
  while (pos < a.length) result.push(a[pos++]!);
  return result.length ? result.join('\n') + '\n' : '';
}

const text = fc
  .array(fc.constantFrom('a', 'b', 'c', '| where x', '', 'd e f'), { maxLength: 30 })
  .map((l) => (l.length ? l.join('\n') + '\n' : ''));

describe('unifiedDiff', () => {
  it('is empty for equal texts', () => {
    expect(unifiedDiff('a\nb\n', 'a\nb\n')).toBe('');
  });

  it('prints hunks as diff -u does', () => {
    expect(unifiedDiff('a\nb\nc\nd\ne\nf\ng\nh\n', 'a\nb\nc\nd\nE\nf\ng\nh\n')).toBe(
      '@@ -2,7 +2,7 @@\n b\n c\n d\n-e\n+E\n f\n g\n h\n',
    );
    expect(unifiedDiff('', 'x\n')).toBe('@@ -0,0 +1,1 @@\n+x\n');
    expect(unifiedDiff('x\n', '')).toBe('@@ -1,1 +0,0 @@\n-x\n');
  });

  it('applied to the old text, gives the new text (property)', () => {
    fc.assert(
      fc.property(text, text, fc.integer({ min: 0, max: 4 }), (a, b, context) => {
        expect(applyHunks(a, unifiedDiff(a, b, context))).toBe(b);
      }),
      { numRuns: runs(300) },
    );
  });
});

describe('wordDiff', () => {
  it('names only the changed words, with context', () => {
    expect(wordDiff('x=1 CommandLine="* -encode *" y=2', 'x=1 CommandLine="* -decode *" y=2')).toEqual([
      'x=1 CommandLine="* [--encode-]{+-decode+} *" y=2',
    ]);
  });
});
