// @ts-check
// The folders of the shared SigmaHQ corpus (../shared/corpus/sigmahq) that hold rule files: the
// one list the benchmarks, generators, output snapshots and corpus-wide tests read.
import fs from 'node:fs';
import path from 'node:path';

/** The rule folders (about 3,800 rules). */
export const RULE_FOLDERS = /** @type {const} */ ([
  'rules',
  'rules-emerging-threats',
  'rules-threat-hunting',
  'rules-compliance',
  'rules-dfir',
  'rules-placeholder',
]);

/** Every folder of rule files, deprecated/ and unsupported/ included (about 4,000 files). */
export const ALL_FOLDERS = /** @type {const} */ ([...RULE_FOLDERS, 'deprecated', 'unsupported']);

/** The `*.yml`/`*.yaml` files under a directory, recursively, in name order. @param {string} dir @param {string[]} out @returns {string[]} */
export function yamlFiles(dir, out = []) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yamlFiles(p, out);
    else if (/\.ya?ml$/.test(e.name)) out.push(p);
  }
  return out;
}

/**
 * The detection rules of the rule folders that parse without errors (dist/ must be built), in
 * folder and file-name order: `file` relative to the corpus, `path` absolute. The rule set the
 * noise and tune evaluations (noise-eval.mjs, tune-eval.mjs) measure.
 * @param {string} corpus the corpus root (../shared/corpus/sigmahq)
 * @returns {Promise<{ rule: any, file: string, path: string }[]>}
 */
export async function corpusRules(corpus) {
  const { parse } = await import('../dist/parser/index.js');
  const rules = [];
  for (const folder of RULE_FOLDERS)
    for (const f of yamlFiles(path.join(corpus, folder)))
      for (const d of parse(fs.readFileSync(f), { file: f, schema: false }).documents)
        if (d.document?.kind === 'rule' && !d.diagnostics.some((/** @type {any} */ x) => x.severity === 'error'))
          rules.push({ rule: d.document, file: path.relative(corpus, f), path: f });
  return rules;
}
