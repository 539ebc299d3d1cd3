/**
 * Golden test: the AST of docs/ast.md's example rule, positions included. After reviewing a
 * change, rewrite the golden file with SIGIL_UPDATE_GOLDEN=1 (test/helpers/golden.ts).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from '../../src/parser/index.js';
import { lowerDetection } from '../../src/ast/semantics.js';
import { expectGoldenJson } from '../helpers/golden.js';

const DIR = join(import.meta.dirname, '../fixtures/parser');

describe('example rule (docs/ast.md)', () => {
  const result = parse(readFileSync(join(DIR, 'example-rule.yml')));
  const doc = result.documents[0]!.document!;

  it('parses without diagnostics', () => {
    expect(result.diagnostics).toEqual([]);
    expect(result.documents[0]!.diagnostics).toEqual([]);
  });

  it('matches the golden AST (regenerate only after reviewing the change)', (ctx) => {
    expectGoldenJson(ctx, join(DIR, 'example-rule.ast.json'), doc);
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
