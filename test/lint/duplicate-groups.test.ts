/**
 * Many copies of one rule: every copy is reported once per duplicate check, and each finding
 * names a bounded number of the others, so the report grows linearly with the copies.
 */
import { describe, expect, it } from 'vitest';
import { allFindings } from '../../src/lint/engine.js';
import { lintTexts, rule } from './helpers.js';

describe('duplicate groups', () => {
  it('2,000 copies give 2,000 bounded findings per check, naming three others and the count', () => {
    const text = rule();
    const copies = Array.from({ length: 2000 }, (_, i) => ({ file: `dir${i}/same.yml`, text }));
    const report = lintTexts(copies);
    for (const code of ['X001', 'X002', 'X003', 'X004']) {
      const found = allFindings(report).filter((f) => f.code === code);
      expect(found, code).toHaveLength(2000);
      for (const f of found) expect(f.message.length, code).toBeLessThan(400);
      expect(found[0]!.message).toMatch(/ and 1996 others\.$/);
    }
  });
});
