/**
 * Checks that complete the pySigma / SigmaHQ validator set: status age, file-name conventions,
 * `x of` patterns, field-name case, Sysmon hash pairs, redundant fields, Windows provider names.
 */
import { describe, expect, it } from 'vitest';
import { runCase } from './helpers.js';
import { ADDED_CASES } from './cases/added.js';
import { hashKvProblem } from '../../src/lint/checks/detection/invalid-hash-kv.js';
import { expectedPrefix } from '../../src/lint/checks/cross-file/filename-prefix.js';
import { resolveKey } from '../../src/lint/config.js';
import { SIGMAHQ_DISABLED, SIGMAHQ_EXCLUSIONS } from '../../src/lint/presets/sigmahq.js';

describe('added checks (pySigma / SigmaHQ parity)', () => {
  for (const c of ADDED_CASES) {
    it(`${c.code}: valid rules pass, invalid rules are reported at the right place`, () => {
      const r = runCase(c);
      for (const v of r.valid) expect(v).toEqual([]);
      r.invalid.forEach((got, i) => expect(got).toEqual(c.invalid[i]!.at));
    });
  }

  it('hash pairs follow pySigma-validators-sigmahq', () => {
    expect(hashKvProblem(`MD5=${'a'.repeat(32)}`)).toBeUndefined();
    expect(hashKvProblem(`IMPHASH=${'A'.repeat(32)}`)).toBeUndefined();
    expect(hashKvProblem(`SHA1=${'a'.repeat(40)}`)).toBeUndefined();
    expect(hashKvProblem(`sha1=${'a'.repeat(40)}`)).toMatch(/not one of/);
    expect(hashKvProblem(`MD5=${'g'.repeat(32)}`)).toMatch(/32-digit/);
    expect(hashKvProblem('MD5=a=b')).toMatch(/not ALGO=hash/);
  });

  it('file-name prefixes: exact logsource first, then the product alone', () => {
    expect(expectedPrefix({ product: 'windows', category: 'process_creation' })).toBe('proc_creation_win_');
    expect(expectedPrefix({ product: 'windows', service: 'security' })).toBe('win_security_');
    expect(expectedPrefix({ product: 'windows', service: 'not-listed' })).toBe('win_');
    expect(expectedPrefix({ category: 'webserver' })).toBe('web_');
    expect(expectedPrefix({ product: 'acme', service: 'audit' })).toBeUndefined();
  });

  it("every validator named in SigmaHQ's CI configuration maps to a Sigil check", () => {
    const names = [...new Set([...SIGMAHQ_DISABLED, ...Object.values(SIGMAHQ_EXCLUSIONS).flat()])];
    expect(names.filter((n) => !resolveKey(n)?.length)).toEqual([]);
    expect(resolveKey('sigmahq_redundant_field')).toEqual(['D017']);
    expect(resolveKey('sigmahq_filename_prefix')).toEqual(['X005']);
  });
});
