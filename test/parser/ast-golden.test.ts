/** Golden test: the AST of docs/ast.md's example rule, positions included. */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from '../../src/parser/index.js';
import { lowerDetection } from '../../src/ast/semantics.js';

const DIR = join(import.meta.dirname, '../fixtures/parser');

describe('example rule (docs/ast.md)', () => {
  const result = parse(readFileSync(join(DIR, 'example-rule.yml')));
  const doc = result.documents[0]!.document!;

  it('parses without diagnostics', () => {
    expect(result.diagnostics).toEqual([]);
    expect(result.documents[0]!.diagnostics).toEqual([]);
  });

  it('matches the golden AST (regenerate only after reviewing the change)', () => {
    const golden = JSON.parse(readFileSync(join(DIR, 'example-rule.ast.json'), 'utf8'));
    expect(JSON.parse(JSON.stringify(doc))).toEqual(golden);
  });

  it('round-trips through JSON unchanged', () => {
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
  });

  it('lowers to the predicate shown in docs/ast.md', () => {
    if (doc.kind !== 'rule') throw new Error('rule expected');
    const M = { wildcard: 'multi' };
    expect(lowerDetection(doc.detection)).toEqual({
      kind: 'and',
      items: [
        { kind: 'string', field: 'Image', pattern: [M, '\\powershell.exe'], cased: false },
        { kind: 'string', field: 'CommandLine', pattern: [M, ' -enc', M], cased: false },
        { kind: 'string', field: 'CommandLine', pattern: [M, 'JAB', M], cased: false },
        { kind: 'not', item: { kind: 'string', field: 'User', pattern: ['NT AUTHORITY\\SYSTEM'], cased: false } },
      ],
    });
  });
});
