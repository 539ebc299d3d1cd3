import fs from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { generate, UUID } from '../../scripts/gen-schema-validators.mjs';
import { validateSchema } from '../../src/parser/schema.js';
import { REPO_ROOT } from '../helpers/paths.js';

const GENERATED = path.join(REPO_ROOT, 'src/parser/generated/schema-validators.ts');

describe('precompiled schema validators', () => {
  it('are up to date with src/data/schemas (run scripts/gen-schema-validators.mjs)', () => {
    expect(fs.readFileSync(GENERATED, 'utf8')).toBe(generate());
  });

  it('report what a runtime-compiled ajv reports', () => {
    const schema = JSON.parse(
      fs.readFileSync(path.join(REPO_ROOT, 'src/data/schemas/sigma-detection-rule-schema.json'), 'utf8'),
    );
    const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
    ajv.addFormat('uuid', UUID);
    const runtime = ajv.compile(schema);
    const docs = [
      { title: 'ok', logsource: { product: 'windows' }, detection: { sel: { a: 1 }, condition: 'sel' } },
      {
        title: 'x'.repeat(300),
        id: 'not-a-uuid',
        status: 'wip',
        level: 'severe',
        logsource: {},
        detection: { condition: 'sel' },
      },
      { logsource: 'windows', detection: 5, tags: 'attack.t1000' },
    ];
    for (const d of docs) {
      runtime(d);
      const expected = (runtime.errors ?? []).length;
      const got = validateSchema('rule', d);
      // validateSchema filters known schema gaps; it never reports more than ajv does.
      expect(got.length).toBeLessThanOrEqual(expected);
      if (expected === 0) expect(got).toEqual([]);
    }
    expect(validateSchema('rule', docs[1]).map((f) => f.path)).toEqual(
      expect.arrayContaining(['/title', '/id', '/status', '/level']),
    );
  });
});
