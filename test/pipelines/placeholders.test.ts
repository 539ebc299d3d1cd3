// `expand` placeholders: one copy of the expansion (src/ast/placeholders.ts) serves the pipelines
// and the evaluator, with the same bound on the alternatives one value may expand into.
import { describe, expect, it } from 'vitest';
import { parse } from '../../src/parser/index.js';
import type { SigmaRule } from '../../src/ast/types.js';
import { MAX_EXPANSION } from '../../src/ast/semantics.js';
import { PlaceholderLimitError, substitutePlaceholders } from '../../src/ast/placeholders.js';
import { loadPipelineSpec } from '../../src/pipelines/index.js';
import { compileRule } from '../../src/eval/compile.js';
import { convertDocument } from '../../src/convert.js';

const rule = (value: string): SigmaRule =>
  parse(
    `title: t\nlogsource:\n  product: windows\n  category: process_creation\ndetection:\n  sel:\n    User|expand: '${value}'\n  condition: sel\n`,
  ).documents[0]!.document as SigmaRule;

/** `count` values per placeholder: v0 … v(count-1). */
const values = (count: number): string[] => Array.from({ length: count }, (_, i) => `v${i}`);

describe('substitutePlaceholders', () => {
  it('gives the cross product in order, keeping placeholders without values', () => {
    const out = substitutePlaceholders(['a', { placeholder: 'x' }, { placeholder: 'y' }, { placeholder: 'z' }], (n) =>
      n === 'x' ? ['1', '2'] : n === 'y' ? ['3', '4'] : undefined,
    );
    expect(out).toEqual([
      ['a', '1', '3', { placeholder: 'z' }],
      ['a', '1', '4', { placeholder: 'z' }],
      ['a', '2', '3', { placeholder: 'z' }],
      ['a', '2', '4', { placeholder: 'z' }],
    ]);
  });
  it(`refuses more than ${MAX_EXPANSION} alternatives`, () => {
    const many = values(Math.ceil(Math.sqrt(MAX_EXPANSION)) + 1);
    const pattern = [{ placeholder: 'x' }, { placeholder: 'y' }];
    expect(() => substitutePlaceholders(pattern, () => many)).toThrow(PlaceholderLimitError);
    expect(substitutePlaceholders(pattern, () => values(64))).toHaveLength(64 * 64);
  });
});

describe('placeholder bound in both uses', () => {
  const pipeline = (count: number): string =>
    `name: vars\nvars:\n  a: [${values(count)}]\n  b: [${values(count)}]\n  c: [${values(count)}]\ntransformations:\n  - type: expand_placeholders\n`;
  const threeOf = '%a%-%b%-%c%';

  it('pipelines: C016 when a value expands too far, converted below the bound', () => {
    const big = loadPipelineSpec(pipeline(17)).spec!; // 17³ = 4913
    const r = convertDocument(rule(threeOf), { target: 'kql', pipelines: [big, 'sentinel'] });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors.map((e) => e.code)).toEqual(['C016']);
      expect(r.errors[0]).toMatchObject({ field: 'User', reason: 'placeholder expansion too large' });
      expect(r.errors[0]!.message).toContain(`more than ${MAX_EXPANSION}`);
    }
    const small = loadPipelineSpec(pipeline(16)).spec!; // 16³ = 4096
    const ok = convertDocument(rule(threeOf), { target: 'kql', pipelines: [small, 'sentinel'] });
    expect(ok.ok).toBe(true);
  });

  it('evaluator: E001 when a value expands too far, matches below the bound', () => {
    const big = compileRule(rule(threeOf), { placeholders: { a: values(17), b: values(17), c: values(17) } });
    expect(big.ok).toBe(false);
    expect(big.diagnostics[0]).toMatchObject({ code: 'E001' });
    expect(big.diagnostics[0]!.message).toContain(`more than ${MAX_EXPANSION}`);
    const small = compileRule(rule(threeOf), { placeholders: { a: values(16), b: values(16), c: values(16) } });
    expect(small.ok).toBe(true);
    expect(small.matches({ User: 'v15-v0-v7' })).toBe(true);
    expect(small.matches({ User: 'v16-v0-v7' })).toBe(false);
  });
});
