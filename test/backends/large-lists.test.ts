/**
 * A value list far longer than any argument list (125,000 values) converts for every target and
 * evaluates: no step spreads a list into function arguments.
 */
import { describe, expect, it } from 'vitest';
import { convertDocument, evaluate, parse } from '../../src/index.js';
import type { SigmaRule } from '../../src/ast/types.js';

const N = 125_000;
const values = Array.from({ length: N }, (_, i) => `            - v${i}x`).join('\n');
const text = `title: Big
logsource: {category: process_creation, product: windows}
detection:
    sel:
        CommandLine|contains:
${values}
    condition: sel
level: low
`;

describe('very long value lists', () => {
  const rule = parse(text, { file: 'big.yml' }).documents[0]!.document as SigmaRule;

  it('parse into one field match with every value', () => {
    expect(rule.kind).toBe('rule');
  });

  for (const [target, pipeline] of [
    ['kql', 'defender-xdr'],
    ['kql', 'sentinel'],
    ['splunk', 'splunk-windows'],
    ['sigma', undefined],
  ] as const) {
    it(`convert to ${target}${pipeline ? ` (${pipeline})` : ''}`, () => {
      const res = convertDocument(rule, { target, ...(pipeline ? { pipelines: [pipeline] } : {}) });
      expect(res.ok).toBe(true);
      if (res.ok) expect(res.queries.join('\n')).toContain(`v${N - 1}x`);
    });
  }

  it('evaluate', () => {
    expect(evaluate(rule, { CommandLine: `a v${N - 1}x b` })).toBe(true);
    expect(evaluate(rule, { CommandLine: 'nothing' })).toBe(false);
  });
});
