import { describe, expect, it } from 'vitest';
import { runCase } from './helpers.js';
import { CROSS_FILE_CASES } from './cases/cross-file.js';

describe('cross-file checks', () => {
  for (const c of CROSS_FILE_CASES) {
    it(`${c.code}: valid sets pass, invalid sets are reported in every file involved`, () => {
      const r = runCase(c);
      for (const v of r.valid) expect(v).toEqual([]);
      r.invalid.forEach((got, i) => expect(got).toEqual(c.invalid[i]!.at));
    });
  }
});
