/**
 * The noise score's module state: its constants are frozen (experiments pass their own), and
 * its memos follow what they depend on (the registered pipelines' field tables).
 */
import { describe, expect, it } from 'vitest';
import { parse } from '../../src/parser/index.js';
import type { SigmaRule } from '../../src/ast/types.js';
import { noiseScore, NOISE_PARAMS } from '../../src/lint/noise/score.js';
import { BUILTIN_CATALOG } from '../../src/lint/noise/catalog.js';
import { documentIndicators } from '../../src/lint/noise/indicators.js';
import { registerPipeline } from '../../src/pipelines/index.js';

function ruleOf(selection: string): SigmaRule {
  const text = `title: T\nid: 11111111-2222-4333-8444-555555555555\nlogsource:\n    category: process_creation\n    product: windows\ndetection:\n    selection:\n${selection}\n    condition: selection\n`;
  const doc = parse(text, { schema: false }).documents[0]!.document;
  if (!doc || doc.kind !== 'rule') throw new Error('not a rule');
  return doc;
}

describe('noise score state', () => {
  it('NOISE_PARAMS is frozen', () => {
    expect(Object.isFrozen(NOISE_PARAMS)).toBe(true);
    expect(() => {
      (NOISE_PARAMS as { center: number }).center = 5;
    }).toThrow(TypeError);
  });

  it('explicit params change the score, and the defaults are what is used without them', () => {
    const rule = ruleOf("        CommandLine|contains: 'vssadmin delete shadows'");
    const plain = noiseScore(rule, { catalog: BUILTIN_CATALOG })!;
    expect(noiseScore(rule, { catalog: BUILTIN_CATALOG, params: NOISE_PARAMS })).toEqual(plain);
    // Each value bit counts double: the same rule is more specific, so less noisy.
    const doubled = { ...NOISE_PARAMS, perChar: NOISE_PARAMS.perChar * 2 };
    const more = noiseScore(rule, { catalog: BUILTIN_CATALOG, params: doubled })!;
    expect(more.bits).toBeGreaterThan(plain.bits);
    expect(more.score).toBeLessThan(plain.score);
    // Memoised per params object: the defaults still give the first result afterwards.
    expect(noiseScore(rule, { catalog: BUILTIN_CATALOG })).toEqual(plain);
  });

  it('sees field names mapped by a pipeline registered after it first ran', () => {
    const rule = ruleOf("        MyProcPath|endswith: '\\evilbinary.exe'");
    // Before: no pipeline knows MyProcPath (this also fills the indicators' memo).
    expect(documentIndicators(rule).map((i) => i.field)).toEqual(['MyProcPath']);
    expect(noiseScore(rule, { catalog: BUILTIN_CATALOG })!.branch[0]!.indicator).toBe(
      'myprocpath|endswith|\\evilbinary.exe',
    );

    registerPipeline({
      name: 'test-myprocpath',
      description: 'maps Image to a vendor field no built-in pipeline has',
      transformations: [{ type: 'field_map', map: { Image: 'MyProcPath' } }],
    });
    expect(documentIndicators(rule).map((i) => i.field)).toEqual(['Image']);
    expect(noiseScore(rule, { catalog: BUILTIN_CATALOG })!.branch[0]!.indicator).toBe(
      'image|endswith|\\evilbinary.exe',
    );
  });
});
