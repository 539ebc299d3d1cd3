import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/lint/config.js';
import { SIGMAHQ_EXCLUSIONS } from '../../src/lint/presets/sigmahq.js';
import { findingsOf, lintTexts, rule } from './helpers.js';

const escaped = rule({
  detection:
    "detection:\n    selection:\n        TargetFilename|startswith: 'C:\\Users\\*\\AppData'\n    condition: selection",
});

describe('lint configuration', () => {
  it('re-levels and disables checks by code or name', () => {
    const { config, problems } = resolveConfig({ checks: { D009: 'error', 'title-start': 'off' } });
    expect(problems).toEqual([]);
    const r = lintTexts([escaped, rule({ title: 'title: Detects Certutil Decode' })], { config });
    expect(r.documents[0]!.findings.find((f) => f.code === 'D009')!.severity).toBe('error');
    expect(findingsOf(r, 'M004')).toEqual([]);
  });

  it('reports unknown checks, levels and presets as problems', () => {
    expect(resolveConfig({ checks: { Z123: 'off' } }).problems[0]).toContain("unknown check 'Z123'");
    expect(resolveConfig({ checks: { D009: 'loud' } }).problems[0]).toContain('must be one of');
    expect(resolveConfig({ preset: 'nope' }).problems[0]).toContain("unknown preset 'nope'");
    expect(resolveConfig({ noise: { high: 200 } }).problems[0]).toContain('noise.high');
  });

  it('excludes checks per rule id, by code, name or pySigma validator name', () => {
    const id = '3c1b2f0e-8a4d-4e5b-9c6d-7e8f9a0b1c2d';
    for (const key of ['D009', 'escaped-wildcard', 'escaped_wildcard']) {
      const { config } = resolveConfig({ exclusions: { [id.toUpperCase()]: [key] } });
      expect(findingsOf(lintTexts([escaped], { config }), 'D009')).toEqual([]);
    }
    const { config } = resolveConfig({ exclusions: { 'ffffffff-8a4d-4e5b-9c6d-7e8f9a0b1c2d': ['D009'] } });
    expect(findingsOf(lintTexts([escaped], { config }), 'D009')).toHaveLength(1);
  });

  it('inline suppressions in the rule (sigil: {disable: [...]}) silence findings of that rule only', () => {
    const suppressed = escaped.replace('level: medium', 'level: medium\nsigil:\n    disable: [escaped-wildcard, M004]');
    const r = lintTexts([suppressed, escaped]);
    expect(findingsOf(r, 'D009')).toEqual(['rule1.yml:17:36']);
    expect(findingsOf(r, 'M026')).toEqual([]); // the sigil key itself is not an unknown field
  });

  it('the sigmahq preset disables the validators SigmaHQ disables and maps its exclusions', () => {
    const { config, problems } = resolveConfig({ preset: 'sigmahq' });
    expect(problems).toEqual([]);
    expect(config.levels['L001']).toBe('off'); // sigmahq_logsource_unknown
    expect(config.levels['L003']).toBe('off'); // sigmahq_sysmon_missing_eventid
    expect(config.levels['T008']).toBe('off'); // tlptag
    expect(config.exclusions['021310d9-30a6-480a-84b7-eaa69aeb92bb']).toEqual(['D009']);
    expect(config.exclusions['5c84856b-55a5-45f1-826f-13f37250cf4e']).toEqual(['D010']);
    expect(config.exclusions['afd12fed-b0ec-45c9-a13d-aa86625dac81']).toEqual(['T004', 'T010', 'T005']); // pySigma's attacktag covers T004 and T010
    expect(Object.keys(SIGMAHQ_EXCLUSIONS).length).toBeGreaterThan(50);
    // A preset under a user file: the user's own settings win.
    const mixed = resolveConfig({ preset: 'sigmahq', checks: { L001: 'warning' } }).config;
    expect(mixed.levels['L001']).toBe('warning');
  });

  it('parser diagnostics flow into lint findings and can be re-levelled', () => {
    const broken = rule({
      detection: 'detection:\n    selection:\n        Image: x\n    condition: selection and nothere',
    });
    expect(findingsOf(lintTexts([broken]), 'P011')).toEqual(['rule0.yml:18:30']);
    const { config } = resolveConfig({ checks: { P011: 'warning' } });
    expect(lintTexts([broken], { config }).documents[0]!.findings.find((f) => f.code === 'P011')!.severity).toBe(
      'warning',
    );
  });

  it('correlation and filter references that point nowhere are reported (P032) across the linted files', () => {
    const corr =
      'title: Many Decodes\nid: 7e1f7a4e-1111-4222-8333-944444444444\ncorrelation:\n    type: event_count\n    rules:\n        - no-such-rule\n    group-by:\n        - User\n    timespan: 5m\n    condition:\n        gte: 10\nlevel: high\n';
    const r = lintTexts([rule(), corr]);
    expect(findingsOf(r, 'P032').length).toBe(1);
    const ok = lintTexts([rule(), corr.replace('no-such-rule', '3c1b2f0e-8a4d-4e5b-9c6d-7e8f9a0b1c2d')]);
    expect(findingsOf(ok, 'P032')).toEqual([]);
  });
});
