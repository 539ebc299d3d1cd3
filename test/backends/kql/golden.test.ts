/**
 * Golden tests: every modifier and condition shape (golden/modifiers/*.yml, Defender XDR), and
 * the corpus's T1546.003 (WMI event subscription) rules with each built-in pipeline. Expected
 * output lives beside the input as .kql files, reviewed by eye; UPDATE_GOLDEN=1 rewrites them.
 * Every expected query must also pass the Kusto language service.
 */
import fs from 'node:fs';
import path from 'node:path';
import { execSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { convertDocument } from '../../../src/convert.js';
import { parse } from '../../../src/parser/index.js';
import { kqlErrors } from './kusto.js';
import { SHARED } from '../../helpers/paths.js';

const HERE = path.dirname(new URL(import.meta.url).pathname);
const UPDATE = process.env['UPDATE_GOLDEN'] === '1';

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
  expectedFile: string,
  actual: { text: string; queries: string[] },
  product: 'defender' | 'sentinel',
): void {
  if (UPDATE) {
    fs.mkdirSync(path.dirname(expectedFile), { recursive: true });
    fs.writeFileSync(expectedFile, actual.text);
  }
  // A missing golden file fails: write it with UPDATE_GOLDEN=1 and review it.
  expect(fs.existsSync(expectedFile), `${expectedFile} is missing`).toBe(true);
  expect(actual.text).toBe(fs.readFileSync(expectedFile, 'utf8'));
  for (const q of actual.queries) expect(kqlErrors(q, product), q).toEqual([]);
}

describe('golden: modifiers and condition shapes (defender-xdr)', () => {
  const dir = path.join(HERE, 'golden/modifiers');
  for (const f of fs
    .readdirSync(dir)
    .filter((x) => x.endsWith('.yml'))
    .sort()) {
    it(f, () => {
      const file = path.join(dir, f);
      check(file.replace(/\.yml$/, '.kql'), render(file, fs.readFileSync(file, 'utf8'), 'defender-xdr'), 'defender');
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
    for (const pipeline of ['defender-xdr', 'sentinel', 'sentinel-asim']) {
      it(`${path.basename(file)} / ${pipeline}`, () => {
        const expected = path.join(HERE, 'golden/t1546.003', `${path.basename(file, '.yml')}.${pipeline}.kql`);
        check(
          expected,
          render(file, fs.readFileSync(file, 'utf8'), pipeline),
          pipeline === 'defender-xdr' ? 'defender' : 'sentinel',
        );
      });
    }
  }
});
