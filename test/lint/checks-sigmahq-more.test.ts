/** The remaining pySigma-validators-sigmahq validators: D018–D022, and the ofthem mapping. */
import { beforeAll, describe, expect, it } from 'vitest';
import type { ParseResult } from '../../src/parser/index.js';
import { lint } from '../../src/lint/engine.js';
import { runCase } from './helpers.js';
import { SIGMAHQ_MORE_CASES } from './cases/sigmahq-more.js';
import { resolveConfig, resolveKey } from '../../src/lint/config.js';
import { checkedFields } from '../../src/lint/checks/detection/invalid-fieldname.js';
import { BUILTIN_TAXONOMY } from '../../src/lint/taxonomy.js';
import { parsedCorpus } from '../helpers/corpus.js';

describe('remaining SigmaHQ validators', () => {
  for (const c of SIGMAHQ_MORE_CASES) {
    it(`${c.code}: valid rules pass, invalid rules are reported at the right place`, () => {
      const r = runCase(c);
      for (const v of r.valid) expect(v).toEqual([]);
      r.invalid.forEach((got, i) => expect(got).toEqual(c.invalid[i]!.at));
    });
  }

  it('pySigma identifiers resolve to the checks', () => {
    expect(resolveKey('sigmahq_missing_asterisk_condition')).toEqual(['D018']);
    expect(resolveKey('sigmahq_space_field_name')).toEqual(['D019']);
    expect(resolveKey('sigmahq_space_fieldname')).toEqual(['D019']);
    expect(resolveKey('sigmahq_field_duplicate_value')).toEqual(['D020']);
    expect(resolveKey('sigmahq_field_user')).toEqual(['D021']);
    expect(resolveKey('sigmahq_invalid_fieldname')).toEqual(['D022']);
    expect(resolveKey('sigmahq_ofthem_condition')).toEqual(['D001']);
  });

  it('field lists: a logsource with only the common Windows fields is not checked', () => {
    expect(checkedFields(BUILTIN_TAXONOMY, { product: 'windows', service: 'security' })).toBeUndefined();
    expect(checkedFields(BUILTIN_TAXONOMY, { product: 'windows', category: 'ps_classic_start' })).toBeUndefined();
    expect(checkedFields(BUILTIN_TAXONOMY, { product: 'windows', category: 'process_creation' })).toContain(
      'CommandLine',
    );
    expect(checkedFields(BUILTIN_TAXONOMY, { product: 'windows', category: 'process_creation' })).toContain('EventID');
  });
});

const NEW_CODES = SIGMAHQ_MORE_CASES.map((c) => c.code);

describe('remaining SigmaHQ validators on the SigmaHQ corpus', () => {
  let results: ParseResult[] = [];
  let counts = new Map<string, number>();
  let checkedRules = 0;
  beforeAll(() => {
    results = parsedCorpus(['rules'], { schema: false }).map((f) => f.result);
    const { config } = resolveConfig({ preset: 'sigmahq' });
    const report = lint(results, { config, noise: false });
    counts = new Map(NEW_CODES.map((c) => [c, 0]));
    for (const d of report.documents)
      for (const f of d.findings) if (counts.has(f.code)) counts.set(f.code, counts.get(f.code)! + 1);
    for (const r of results)
      for (const d of r.documents)
        if (d.document?.kind === 'rule' && checkedFields(BUILTIN_TAXONOMY, d.document.logsource)) checkedRules++;
  }, 60_000);

  it('SigmaHQ passes its own CI: none of D018–D022 fires on its rules', () => {
    expect(results.length).toBeGreaterThan(3000);
    expect(Object.fromEntries(counts)).toEqual(Object.fromEntries(NEW_CODES.map((c) => [c, 0])));
  });

  it('the field-name check is not vacuous: most corpus rules have a field list to check', () => {
    expect(checkedRules).toBeGreaterThan(1500);
  });
});
