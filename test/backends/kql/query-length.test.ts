/**
 * Sentinel refuses a scheduled rule whose query is longer than 10,000 characters: such a rule is
 * a per-rule error (C018) for sentinel-rule and sentinel-arm, never an artifact, while the plain
 * query is still written.
 */
import { describe, expect, it } from 'vitest';
import type { SigmaRule } from '../../../src/ast/types.js';
import { getBackend } from '../../../src/backends/index.js';
import type { ConversionSuccess } from '../../../src/backends/types.js';
import { convertDocument } from '../../../src/convert.js';
import { parse } from '../../../src/parser/index.js';

const ruleWith = (n: number): SigmaRule => {
  const values = Array.from({ length: n }, (_, i) => `            - 'suspicious-argument-${i}'`).join('\n');
  const text = `title: Long
id: 3b1f6a2c-9d4e-4f8a-b7c6-1e2d3c4b5a69
logsource: {category: process_creation, product: windows}
detection:
    sel:
        CommandLine|contains:
${values}
    condition: sel
level: high
`;
  return parse(text, { file: 'long.yml' }).documents[0]!.document as SigmaRule;
};

const kql = getBackend('kql')!;
const check = (format: string, rule: SigmaRule): string | undefined => {
  const res = convertDocument(rule, { target: 'kql', pipelines: ['sentinel'] });
  expect(res.ok).toBe(true);
  return kql.formats.find((f) => f.name === format)!.check?.(res as ConversionSuccess, rule)?.code;
};

describe('Sentinel query length', () => {
  it('a query over 10,000 characters is C018 for sentinel-rule and sentinel-arm', () => {
    const long = ruleWith(400);
    const res = convertDocument(long, { target: 'kql', pipelines: ['sentinel'] });
    expect(res.ok && res.queries.join('\n').length).toBeGreaterThan(10_000);
    expect(check('sentinel-rule', long)).toBe('C018');
    expect(check('sentinel-arm', long)).toBe('C018');
    expect(check('query', long)).toBeUndefined();
  });

  it('a query under the limit passes', () => {
    const short = ruleWith(20);
    expect(check('sentinel-rule', short)).toBeUndefined();
    expect(check('sentinel-arm', short)).toBeUndefined();
  });
});
