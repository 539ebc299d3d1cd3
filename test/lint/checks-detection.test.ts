import { describe, expect, it } from 'vitest';
import { runCase } from './helpers.js';
import { DETECTION_CASES } from './cases/detection.js';

describe('detection checks', () => {
  for (const c of DETECTION_CASES) {
    it(`${c.code}: valid rules pass, invalid rules are reported at the right place`, () => {
      const r = runCase(c);
      for (const v of r.valid) expect(v).toEqual([]);
      r.invalid.forEach((got, i) => expect(got).toEqual(c.invalid[i]!.at));
    });
  }
});
