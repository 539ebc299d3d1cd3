/**
 * The evaluator's reading of presence and emptiness, case by case against the specification:
 * `exists: true` holds for a present field "be it empty or null" (sigma-appendix-modifiers.md),
 * `''` is a present empty value, and `null` — left to the target by the spec — is read as absent or
 * null, as pySigma reads it. The KQL and SPL backends are checked against this reading
 * (test/backends/kql/presence.property.test.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SigmaRule } from '../../src/ast/types.js';
import { compileRule } from '../../src/eval/compile.js';
import { parse } from '../../src/parser/index.js';
import { SHARED } from '../helpers/paths.js';

const matches = (leaf: string, event: Record<string, unknown>): boolean => {
  const doc = parse(`title: t\nlogsource: {category: test}\ndetection:\n  sel:\n    ${leaf}\n  condition: sel\n`)
    .documents[0]!.document as SigmaRule;
  return compileRule(doc).matches(event);
};

const CASES: { leaf: string; absent: boolean; nul: boolean; empty: boolean; text: boolean }[] = [
  { leaf: 'F|exists: true', absent: false, nul: true, empty: true, text: true },
  { leaf: 'F|exists: false', absent: true, nul: false, empty: false, text: false },
  { leaf: 'F: null', absent: true, nul: true, empty: false, text: false },
  { leaf: "F: ''", absent: false, nul: false, empty: true, text: false },
  { leaf: "F: '*'", absent: false, nul: false, empty: true, text: true },
];

describe('presence and emptiness in the evaluator', () => {
  it('the specification still says what these cases rest on', () => {
    const appendix = fs.readFileSync(path.join(SHARED, 'spec/specification/sigma-appendix-modifiers.md'), 'utf8');
    expect(appendix).toMatch(/be it empty or null/);
  });

  for (const c of CASES) {
    it(c.leaf, () => {
      expect(matches(c.leaf, {}), 'absent').toBe(c.absent);
      expect(matches(c.leaf, { F: null }), 'null').toBe(c.nul);
      expect(matches(c.leaf, { F: '' }), 'empty').toBe(c.empty);
      expect(matches(c.leaf, { F: 'text' }), 'text').toBe(c.text);
    });
  }
});
