/**
 * Bad input ends in a diagnostic with a location: never an exception, a hang or unbounded
 * memory. Committed inputs live in test/fixtures/nasty/; the big ones are generated here.
 * How long each takes (with the bounds these tests used to assert) is measured by
 * `npm run bench` (scripts/bench-limits.mjs), not here: a loaded machine must not fail a test.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse, type ParseResult } from '../../src/parser/index.js';
import { LIMITS } from '../../src/parser/yaml.js';
import { allDiagnostics } from './helpers.js';

const DIR = join(import.meta.dirname, '../fixtures/nasty');

/** Parses as a file named nasty.yml; an exception fails the test. */
function parseNasty(input: string | Uint8Array): ParseResult {
  return parse(input, { file: 'nasty.yml' });
}

function first(r: ParseResult): string {
  const d = allDiagnostics(r)[0];
  return d ? `${d.code}@${d.line}:${d.column}` : 'none';
}

/** Each committed fixture → the diagnostic it must produce (code@line:column), in file order. */
const EXPECTED: Record<string, string[]> = {
  'alias-bomb.yml': ['P004@1:1'],
  'alias-cycle.yml': ['P004@5:12'],
  'alias-cycle-global.yml': ['P004@2:15', 'P004@4:15'],
  'alias-unknown.yml': ['P002@6:12'],
  'bad-directive.yml': ['P002@2:1'],
  'binary-garbage.yml': ['P001@1:1'],
  'complex-key.yml': ['P006@5:7', 'P017@8:11'],
  'condition-garbage.yml': ['P013@7:21'],
  'control-chars.yml': ['P002@5:13'],
  'cr-only-newlines.yml': ['P020@6:11'],
  'deep-block-lists.yml': ['P004@65:129'],
  'deep-block-nesting.yml': ['P004@64:64'],
  'deep-flow-maps.yml': ['P004@1:257'],
  'deep-flow-nesting.yml': ['P004@1:71'],
  'deep-not.yml': ['P013@7:820'],
  'deep-parens.yml': ['P013@7:216'],
  'detection-list.yml': ['P006@4:12'],
  'duplicate-keys.yml': ['P003@7:9', 'P003@9:5'],
  'empty.yml': ['P005@1:1'],
  'key-only.yml': ['P005@1:1'],
  'list-document.yml': ['P005@1:1'],
  'long-key.yml': ['P007@1:1'],
  'merge-key.yml': ['P017@6:9'],
  'non-utf8-latin1.yml': ['P001@6:17'],
  'non-utf8-overlong.yml': ['P001@2:4'],
  'non-utf8-surrogate.yml': ['P001@2:4'],
  'non-utf8-truncated.yml': ['P001@2:7'],
  'nul-byte.yml': ['P001@6:14'],
  'numbers-everywhere.yml': ['P007@1:1'],
  'only-comments.yml': ['P005@1:1'],
  'only-separators.yml': ['P005@1:1'],
  'proto-keys.yml': [],
  'scalar-document.yml': ['P005@1:1'],
  'scalar-where-map.yml': ['P006@2:12', 'P006@3:12'],
  'stray-document-end.yml': ['P002@4:1'],
  'tabs.yml': ['P002@3:1'],
  'unbalanced-parens.yml': ['P013@7:30'],
  'unterminated-double.yml': ['P002@6:16'],
  'unterminated-flow.yml': ['P002@7:5'],
  'unterminated-single.yml': ['P002@6:16'],
  'utf16le-bom.yml': ['P001@1:1'],
  'directives.yml': [],
};

describe('committed nasty inputs', () => {
  const files = readdirSync(DIR)
    .filter((f) => f.endsWith('.yml'))
    .sort();

  it('has an expectation for every fixture', () => {
    expect(files).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(files)('%s ends in its diagnostic', (name) => {
    const result = parseNasty(readFileSync(join(DIR, name)));
    const diags = allDiagnostics(result);
    for (const d of diags) {
      expect(d.line).toBeGreaterThanOrEqual(1);
      expect(d.column).toBeGreaterThanOrEqual(1);
      expect(d.message.length).toBeGreaterThan(0);
      expect(d.file).toBe('nasty.yml');
    }
    const got = diags.map((d) => `${d.code}@${d.line}:${d.column}`);
    for (const e of EXPECTED[name]!) expect(got).toContain(e);
    if (EXPECTED[name]!.length === 0) expect(diags.filter((d) => d.severity === 'error')).toEqual([]);
    // The AST, when there is one, is plain JSON.
    for (const d of result.documents) if (d.document) expect(() => JSON.stringify(d.document)).not.toThrow();
  });

  it('does not pollute prototypes through __proto__ keys', () => {
    const result = parseNasty(readFileSync(join(DIR, 'proto-keys.yml')));
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    const doc = result.documents[0]!.document!;
    expect(Object.getPrototypeOf(doc.custom)).toBe(Object.prototype);
    expect(Object.keys(doc.custom)).toEqual(['__proto__', 'constructor']);
  });
});

describe('generated big inputs', () => {
  const HEAD = 'title: t\nlogsource: {product: windows}\ndetection:\n';

  it('refuses a 50 MB file before parsing (P004)', () => {
    const big = new Uint8Array(50 * 1024 * 1024).fill(0x61);
    expect(first(parseNasty(big))).toBe('P004@1:1');
    const text = 'title: x\n#' + 'x'.repeat(LIMITS.maxBytes);
    expect(first(parseNasty(text))).toBe('P004@1:1');
  });

  it('refuses 10,000-deep nesting in every YAML style (P004)', () => {
    for (const text of [
      'a: ' + '['.repeat(10000) + ']'.repeat(10000),
      '{a: '.repeat(10000) + '}'.repeat(10000),
      '- '.repeat(10000) + 'x',
    ]) {
      expect(allDiagnostics(parseNasty(text)).map((d) => d.code)).toContain('P004');
    }
  });

  it('refuses a quadratic alias expansion (P004) instead of exhausting memory', () => {
    const n = 20000;
    const text =
      'm: &m {' +
      Array.from({ length: n }, (_, i) => `F${i}: v`).join(', ') +
      '}\n' +
      HEAD +
      '  sel: [' +
      Array(n).fill('*m').join(', ') +
      ']\n  condition: sel\n';
    expect(first(parseNasty(text))).toBe('P004@1:1');
  });

  it('handles a huge condition string', () => {
    const text = HEAD + '  sel: {A: 1}\n  condition: ' + Array(50000).fill('sel').join(' and ') + '\n';
    expect(allDiagnostics(parseNasty(text))).toEqual([]);
  });

  it('handles a condition of 10,000 unknown identifiers, capping the diagnostics', () => {
    const text =
      HEAD +
      '  sel: {A: 1}\n  condition: sel or ' +
      Array.from({ length: 10000 }, (_, i) => `x${i}`).join(' or ') +
      '\n';
    expect(allDiagnostics(parseNasty(text))[0]!.code).toBe('P011');
  });

  it('handles deeply nested parentheses of every depth near the limit', () => {
    for (const depth of [199, 200, 201, 5000]) {
      const text = HEAD + '  sel: {A: 1}\n  condition: ' + '('.repeat(depth) + 'sel' + ')'.repeat(depth) + '\n';
      const codes = allDiagnostics(parseNasty(text)).map((d) => d.code);
      if (depth < 199) expect(codes).toEqual([]);
      else expect(codes.every((c) => c === 'P013')).toBe(true);
    }
  });

  it('handles 10,000 documents in one file', () => {
    const text = Array.from(
      { length: 10000 },
      (_, i) => `title: t${i}\nlogsource: {product: w}\ndetection: {sel: {A: ${i}}, condition: sel}`,
    ).join('\n---\n');
    const result = parseNasty(text);
    expect(result.documents.length).toBe(10000);
    expect(allDiagnostics(result)).toEqual([]);
  });

  it('handles a 4 MB single line and 20,000 search identifiers', () => {
    const long = parseNasty('title: ' + 'a'.repeat(4 * 1024 * 1024) + '\n');
    expect(allDiagnostics(long).length).toBeGreaterThan(0);
    const many = parseNasty(
      HEAD + Array.from({ length: 20000 }, (_, i) => `  s${i}: {A: ${i}}`).join('\n') + '\n  condition: 1 of s*\n',
    );
    expect(allDiagnostics(many)).toEqual([]);
  });

  it('handles random binary of every size without throwing', () => {
    let seed = 1;
    const rnd = (): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) >> 16) & 0xff;
    for (const size of [1, 2, 3, 7, 100, 10000]) {
      const bytes = Uint8Array.from({ length: size }, rnd);
      const result = parseNasty(bytes);
      expect(result.documents.length + result.diagnostics.length).toBeGreaterThan(0);
    }
  });
});
