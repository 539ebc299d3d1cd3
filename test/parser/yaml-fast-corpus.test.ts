/**
 * The YAML fast path against the js-yaml reference over every YAML file we have: the shared
 * SigmaHQ corpus (all folders), the bundled rules and the test fixtures. The fast result is
 * either null (it gave up) or exactly the reference result.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { LineIndex, parseYamlEvents, type YamlParseResult } from '../../src/parser/yaml.js';
import { parseYamlFast } from '../../src/parser/yaml-fast.js';
import { CORPUS, REPO_ROOT } from '../helpers/paths.js';
import { yamlFiles } from '../helpers/files.js';

interface Outcome {
  file: string;
  fast: YamlParseResult | null;
  reference: YamlParseResult;
}

/** As parse() hands text to parseYaml: UTF-8 decoded, without a leading BOM. */
function readText(file: string): string | null {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(fs.readFileSync(file));
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch {
    return null; // not UTF-8: parse() never gets to YAML
  }
}

function run(file: string): Outcome | null {
  const text = readText(file);
  if (text === null) return null;
  const lines = new LineIndex(text);
  return { file, fast: parseYamlFast(text, lines), reference: parseYamlEvents(text, lines) };
}

const RULE_FOLDERS = /[\\/]rules(-[a-z-]+)?[\\/]/;

describe('YAML fast path over the corpus', () => {
  let outcomes: Outcome[] = [];

  beforeAll(() => {
    const files = [
      ...yamlFiles(CORPUS),
      ...yamlFiles(path.join(REPO_ROOT, 'rules')),
      ...yamlFiles(path.join(REPO_ROOT, 'test/fixtures')),
    ];
    outcomes = files.map(run).filter((o): o is Outcome => o !== null);
  });

  it('reads the whole corpus', () => {
    expect(outcomes.length).toBeGreaterThan(4000);
  });

  it('gives exactly the js-yaml result, or gives up', () => {
    let compared = 0;
    for (const o of outcomes) {
      if (o.fast === null) continue;
      compared++;
      expect(o.fast, o.file).toStrictEqual(o.reference);
    }
    expect(compared).toBeGreaterThan(4000);
  });

  it('takes the fast path for nearly every rule file', () => {
    const rules = outcomes.filter((o) => RULE_FOLDERS.test(path.relative(CORPUS, o.file).replace(/^/, '/')));
    const fast = rules.filter((o) => o.fast !== null).length;
    const bailed = rules.filter((o) => o.fast === null).map((o) => path.relative(CORPUS, o.file));
    expect(rules.length).toBeGreaterThan(3500);
    // Measured: all of them (3,780 SigmaHQ rules, plus the bundled rules).
    expect(fast / rules.length, `gave up on: ${bailed.join(', ')}`).toBeGreaterThanOrEqual(0.999);
  });

  it('takes the fast path for nearly every file of the shared corpus', () => {
    const corpus = outcomes.filter((o) => !path.relative(CORPUS, o.file).startsWith('..'));
    const bailed = corpus.filter((o) => o.fast === null).map((o) => path.relative(CORPUS, o.file));
    // Measured: 1 of 4,147 (unsupported/windows/win_remote_service.yml: an indented document).
    expect(bailed.length, bailed.join(', ')).toBeLessThanOrEqual(3);
  });

  it('gives up on every file js-yaml rejects (errors always come from js-yaml)', () => {
    for (const o of outcomes) {
      if (o.reference.diagnostics.length > 0) expect(o.fast, o.file).toBeNull();
    }
  });
});
