import { describe, expect, it } from 'vitest';
import { runCase } from './helpers.js';
import { NOISE_CASES } from './cases/noise.js';

describe('noise check', () => {
  for (const c of NOISE_CASES) {
    it(`${c.code}: specific rules pass, noisy rules are reported`, () => {
      const r = runCase(c);
      for (const v of r.valid) expect(v).toEqual([]);
      r.invalid.forEach((got, i) => expect(got).toEqual(c.invalid[i]!.at));
    });
  }
});
