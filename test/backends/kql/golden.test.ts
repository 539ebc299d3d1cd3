/**
 * Golden tests: every modifier and condition shape (golden/modifiers/*.yml, Defender XDR), and
 * the corpus's T1546.003 (WMI event subscription) rules with each built-in pipeline. Expected
 * output lives beside the input as .kql files, reviewed by eye; SIGIL_UPDATE_GOLDEN=1 rewrites
 * them (test/helpers/golden.ts). Every emitted query must also pass the Kusto language service.
 */
import fs from 'node:fs';
import path from 'node:path';
import { execSync } from 'node:child_process';
import { describe, expect, it, type TestContext } from 'vitest';
import { convertDocument } from '../../../src/convert.js';
import { parse } from '../../../src/parser/index.js';
import { kqlErrors } from './kusto.js';
import { SHARED } from '../../helpers/paths.js';
import { expectGolden } from '../../helpers/golden.js';

const HERE = path.dirname(new URL(import.meta.url).pathname);

function render(file: string, text: string, pipeline: string): { text: string; queries: string[] } {
  const doc = parse(text, { file }).documents[0]!.document!;
  const r = convertDocument(doc, { target: 'kql', pipelines: [pipeline] });
  if (!r.ok)
    return {
      text: r.errors.map((e) => `// error ${e.code} (${e.reason}): ${e.message}`).join('\n') + '\n',
      queries: [],
    };
  const warnings = r.warnings.map((w) => `// warning ${w.code}: ${w.message}\n`).join('');
  return { text: warnings + r.queries.join('\n\n') + '\n', queries: r.queries };
}

function check(
  ctx: TestContext,
  expectedFile: string,
  actual: { text: string; queries: string[] },
  product: 'defender' | 'sentinel',
): void {
  for (const q of actual.queries) expect(kqlErrors(q, product), q).toEqual([]);
  expectGolden(ctx, expectedFile, actual.text);
}

describe('golden: modifiers and condition shapes (defender-xdr)', () => {
  const dir = path.join(HERE, 'golden/modifiers');
  for (const f of fs
    .readdirSync(dir)
    .filter((x) => x.endsWith('.yml'))
    .sort()) {
    it(f, (ctx) => {
      const file = path.join(dir, f);
      check(
        ctx,
        file.replace(/\.yml$/, '.kql'),
        render(file, fs.readFileSync(file, 'utf8'), 'defender-xdr'),
        'defender',
      );
    });
  }
});

const T1546_003 = execSync(
  `grep -ril 't1546.003' ${SHARED}/corpus/sigmahq/rules ${SHARED}/corpus/sigmahq/rules-threat-hunting`,
  { encoding: 'utf8' },
)
  .trim()
  .split('\n')
  .sort();

describe('golden: T1546.003 rules of the corpus', () => {
  it('finds the rules', () => expect(T1546_003.length).toBeGreaterThanOrEqual(12));
  for (const file of T1546_003) {
    for (const pipeline of ['defender-xdr', 'sentinel', 'sentinel-event', 'sentinel-asim']) {
      it(`${path.basename(file)} / ${pipeline}`, (ctx) => {
        const expected = path.join(HERE, 'golden/t1546.003', `${path.basename(file, '.yml')}.${pipeline}.kql`);
        check(
          ctx,
          expected,
          render(file, fs.readFileSync(file, 'utf8'), pipeline),
          pipeline === 'defender-xdr' ? 'defender' : 'sentinel',
        );
      });
    }
  }
});
