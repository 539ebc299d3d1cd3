import { describe, expect, it } from 'vitest';
import { checks } from '../../src/lint/registry.js';
import { FAMILY_PREFIX } from '../../src/lint/types.js';
import { checkDoc } from '../../src/lint/output.js';
import { METADATA_CASES } from './cases/metadata.js';
import { TAG_CASES } from './cases/tags.js';
import { LOGSOURCE_CASES } from './cases/logsource.js';
import { DETECTION_CASES } from './cases/detection.js';
import { CROSS_FILE_CASES } from './cases/cross-file.js';
import { NOISE_CASES } from './cases/noise.js';
import { ADDED_CASES } from './cases/added.js';
import { SIGMAHQ_MORE_CASES } from './cases/sigmahq-more.js';

describe('check registry', () => {
  it('codes and names are unique, codes carry their family prefix', () => {
    const codes = checks.map((c) => c.meta.code);
    const names = checks.map((c) => c.meta.name);
    expect(new Set(codes).size).toBe(codes.length);
    expect(new Set(names).size).toBe(names.length);
    for (const c of checks) expect(c.meta.code).toMatch(new RegExp(`^${FAMILY_PREFIX[c.meta.family]}\\d{3}$`));
  });

  it('every check has valid/invalid tests with at least one purpose-built invalid rule that fires', () => {
    const tested = [
      ...METADATA_CASES,
      ...TAG_CASES,
      ...LOGSOURCE_CASES,
      ...DETECTION_CASES,
      ...CROSS_FILE_CASES,
      ...NOISE_CASES,
      ...ADDED_CASES,
      ...SIGMAHQ_MORE_CASES,
    ];
    const byCode = new Map(tested.map((t) => [t.code, t]));
    for (const c of checks) {
      const t = byCode.get(c.meta.code);
      expect(t, `tests for ${c.meta.code}`).toBeDefined();
      expect(t!.valid.length).toBeGreaterThan(0);
      expect(t!.invalid.length).toBeGreaterThan(0);
      for (const i of t!.invalid) expect(i.at.length).toBeGreaterThan(0);
    }
  });

  it('every check has documentation with what, why, a bad and a good example', () => {
    for (const c of checks) {
      const doc = checkDoc(c.meta.code)!;
      expect(doc).toContain(`# ${c.meta.code} ${c.meta.name}`);
      expect(doc).toContain('## Why');
      expect(c.meta.bad.length).toBeGreaterThan(5);
      expect(c.meta.good.length).toBeGreaterThan(5);
      expect(checkDoc(c.meta.name)).toBe(doc);
    }
    expect(checkDoc('P011')).toContain('parser');
    expect(checkDoc('Z999')).toBeUndefined();
  });
});
