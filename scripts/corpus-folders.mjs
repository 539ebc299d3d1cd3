// @ts-check
// The folders of the shared SigmaHQ corpus (../shared/corpus/sigmahq) that hold rule files: the
// one list the benchmarks, generators, output snapshots and corpus-wide tests read.

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
