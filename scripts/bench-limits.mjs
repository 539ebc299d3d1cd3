#!/usr/bin/env node
// @ts-check
/**
 * Time bounds on worst-case inputs: the timings that used to be assertions in the tests
 * (test/parser/nasty.test.ts, yaml-fast.test.ts, condition.test.ts, test/lint/noise.test.ts,
 * test/eval/modifiers.test.ts, test/corpus/parse-corpus.test.ts). The tests keep what the
 * result must be; how long it takes depends on the machine and its load, so it is measured
 * here, against the same bounds, and never fails `npm test`.
 *
 *   node scripts/bench-limits.mjs [--runs N] [--strict] [case-name…]
 *
 * Each case runs N times (default 3) in this process on the compiled modules (needs
 * `npm run build`); the median is compared with the case's bound. --strict exits 1 when a
 * median is over its bound (for a quiet machine).
 */
import fs from 'node:fs';
import path from 'node:path';
import { ALL_FOLDERS } from './corpus-folders.mjs';
import { pathToFileURL } from 'node:url';

const root = path.resolve(import.meta.dirname, '..');
const corpus = path.resolve(root, '../shared/corpus/sigmahq');
const args = process.argv.slice(2);
const runsIdx = args.indexOf('--runs');
const runs = runsIdx >= 0 ? Number(args[runsIdx + 1]) : 3;
const strict = args.includes('--strict');
const only = args.filter((a, i) => !a.startsWith('--') && (runsIdx < 0 || i !== runsIdx + 1));
if (!Number.isInteger(runs) || runs < 1) {
  console.error('bench-limits: --runs takes a whole number ≥ 1');
  process.exit(2);
}

/** @param {string} rel a module of dist/, e.g. 'parser/index.js' */
async function load(rel) {
  const file = path.join(root, 'dist', rel);
  if (!fs.existsSync(file)) {
    console.error(`bench-limits: ${path.relative(root, file)} is missing; run \`npm run build\``);
    process.exit(2);
  }
  return import(pathToFileURL(file).href);
}

// Loaded from dist/, typed by their sources.
/** @type {typeof import('../src/parser/index.js')} */
const { parse } = await load('parser/index.js');
/** @type {typeof import('../src/parser/yaml.js')} */
const { LineIndex } = await load('parser/yaml.js');
/** @type {typeof import('../src/parser/yaml-fast.js')} */
const { parseYamlFast } = await load('parser/yaml-fast.js');
/** @type {typeof import('../src/parser/condition/index.js')} */
const { parseCondition } = await load('parser/condition/index.js');
/** @type {typeof import('../src/lint/noise/score.js')} */
const { noiseScore } = await load('lint/noise/score.js');
/** @type {typeof import('../src/lint/noise/catalog.js')} */
const { BUILTIN_CATALOG } = await load('lint/noise/catalog.js');
/** @type {typeof import('../src/eval/compile.js')} */
const { compileRule } = await load('eval/compile.js');

/** @param {string | Uint8Array} input */
const parseNasty = (input) => parse(input, { file: 'nasty.yml' });

/** @param {string} dir @returns {string[]} */
function yamlFiles(dir) {
  /** @type {string[]} */
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...yamlFiles(p));
    else if (/\.ya?ml$/.test(e.name)) out.push(p);
  }
  return out.sort();
}

/** The rule of a one-rule YAML text. @param {string} text */
function ruleOf(text) {
  const doc = parse(text, { schema: false }).documents[0]?.document;
  if (doc?.kind !== 'rule') throw new Error(`not a rule:\n${text}`);
  return doc;
}

/** A rule of the form the evaluator tests use (test/eval/modifiers.test.ts). @param {string} detection */
function ruleFrom(detection) {
  return ruleOf(
    `title: t\nid: 11111111-1111-4111-8111-111111111111\nlogsource: {product: windows, category: process_creation}\ndetection:\n${detection
      .trim()
      .split('\n')
      .map((l) => '  ' + l)
      .join('\n')}\n`,
  );
}

const HEAD = 'title: t\nlogsource: {product: windows}\ndetection:\n';
const NASTY = path.join(root, 'test/fixtures/nasty');
const conditionPos = (/** @type {number} */ i) => ({ line: 1, column: i + 1, offset: i });

/**
 * One measured case: `prepare` builds the input (not timed), `run` is timed.
 * @typedef {{ name: string, from: string, boundMs: number, prepare: () => any, run: (input: any) => unknown }} Case
 */
/** @type {Case[]} */
const cases = [
  {
    name: 'corpus-parse',
    from: 'test/corpus/parse-corpus.test.ts',
    boundMs: 20_000,
    prepare: () => ALL_FOLDERS.flatMap((d) => yamlFiles(path.join(corpus, d))),
    run: (/** @type {string[]} */ files) => {
      for (const f of files) parse(fs.readFileSync(f), { file: f });
    },
  },
  ...[
    ['yaml-fast-50k-keys', Array.from({ length: 50_000 }, (_, i) => `key${i}: value ${i}`).join('\n')],
    ['yaml-fast-50k-flow-list', 'a: [' + Array.from({ length: 50_000 }, (_, i) => `'v${i}'`).join(', ') + ']'],
    [
      'yaml-fast-50k-block-list',
      'a:\n' + Array.from({ length: 50_000 }, (_, i) => `  - item ${i}`).join('\n') + '\nb: 1',
    ],
  ].map(
    ([name, text]) =>
      /** @type {Case} */ ({
        name,
        from: 'test/parser/yaml-fast.test.ts',
        boundMs: 1500,
        prepare: () => text,
        run: (/** @type {string} */ t) => parseYamlFast(t, new LineIndex(t)),
      }),
  ),
  {
    name: 'nasty-fixtures (slowest)',
    from: 'test/parser/nasty.test.ts',
    boundMs: 2000,
    prepare: () =>
      fs
        .readdirSync(NASTY)
        .filter((f) => f.endsWith('.yml'))
        .map((f) => fs.readFileSync(path.join(NASTY, f))),
    // The bound holds per fixture: report the slowest one.
    run: (/** @type {Buffer[]} */ inputs) => {
      let slowest = 0;
      for (const input of inputs) {
        const t0 = performance.now();
        parseNasty(input);
        slowest = Math.max(slowest, performance.now() - t0);
      }
      return { ms: slowest };
    },
  },
  {
    name: 'nasty-50MB-refused',
    from: 'test/parser/nasty.test.ts',
    boundMs: 100,
    prepare: () => new Uint8Array(50 * 1024 * 1024).fill(0x61),
    run: parseNasty,
  },
  ...[
    ['nasty-10k-deep-flow-lists', 'a: ' + '['.repeat(10000) + ']'.repeat(10000)],
    ['nasty-10k-deep-flow-maps', '{a: '.repeat(10000) + '}'.repeat(10000)],
    ['nasty-10k-deep-block-lists', '- '.repeat(10000) + 'x'],
    [
      'nasty-quadratic-alias',
      'm: &m {' +
        Array.from({ length: 20000 }, (_, i) => `F${i}: v`).join(', ') +
        '}\n' +
        HEAD +
        '  sel: [' +
        Array(20000).fill('*m').join(', ') +
        ']\n  condition: sel\n',
    ],
    ['nasty-huge-condition', HEAD + '  sel: {A: 1}\n  condition: ' + Array(50000).fill('sel').join(' and ') + '\n'],
    [
      'nasty-10k-unknown-identifiers',
      HEAD +
        '  sel: {A: 1}\n  condition: sel or ' +
        Array.from({ length: 10000 }, (_, i) => `x${i}`).join(' or ') +
        '\n',
    ],
    ...[199, 200, 201, 5000].map((depth) => [
      `nasty-parens-depth-${depth}`,
      HEAD + '  sel: {A: 1}\n  condition: ' + '('.repeat(depth) + 'sel' + ')'.repeat(depth) + '\n',
    ]),
    ['nasty-4MB-line', 'title: ' + 'a'.repeat(4 * 1024 * 1024) + '\n'],
    [
      'nasty-20k-identifiers',
      HEAD + Array.from({ length: 20000 }, (_, i) => `  s${i}: {A: ${i}}`).join('\n') + '\n  condition: 1 of s*\n',
    ],
  ].map(
    ([name, text]) =>
      /** @type {Case} */ ({
        name,
        from: 'test/parser/nasty.test.ts',
        boundMs: 2000,
        prepare: () => text,
        run: parseNasty,
      }),
  ),
  {
    name: 'nasty-10k-documents',
    from: 'test/parser/nasty.test.ts',
    boundMs: 5000,
    prepare: () =>
      Array.from(
        { length: 10000 },
        (_, i) => `title: t${i}\nlogsource: {product: w}\ndetection: {sel: {A: ${i}}, condition: sel}`,
      ).join('\n---\n'),
    run: parseNasty,
  },
  {
    name: 'condition-huge-inputs',
    from: 'test/parser/condition.test.ts',
    boundMs: 10_000,
    prepare: () => {
      const IDS = [
        'a',
        'b',
        'c',
        'd',
        'selection',
        'sel1',
        'sel2',
        'filter_main',
        'filter_opt',
        '_hidden',
        'kw.x',
        'a-b',
      ];
      const junk = Array.from(
        { length: 100_000 },
        (_, i) => ['a', 'and', '(', ')', 'or', 'not', '&', '1', 'of', 'x*', 'them'][(i * 7919) % 11],
      ).join(' ');
      return {
        IDS,
        texts: [
          'a and '.repeat(20_000) + 'a',
          junk,
          Array.from({ length: 10_000 }, (_, i) => `u${i}`).join(' or '),
          'x'.repeat(1_000_000),
          '1 of ' + '*a'.repeat(50_000) + 'b',
          ')'.repeat(100_000),
        ],
      };
    },
    run: (/** @type {{ IDS: string[], texts: string[] }} */ { IDS, texts }) => {
      for (const t of texts) parseCondition(t, IDS, conditionPos);
    },
  },
  {
    name: 'condition-4000-typical',
    from: 'test/parser/condition.test.ts',
    boundMs: 2000,
    // Shapes as in SigmaHQ, every text distinct (so no cache helps), as in the test.
    prepare: () => {
      /** @type {((i: number) => [string, string[]])[]} */
      const templates = [
        (i) => [`selection_${i}`, [`selection_${i}`]],
        (i) => [`all of selection_${i}_*`, [`selection_${i}_a`, `selection_${i}_b`]],
        (i) => [`selection_${i}`, [`selection_${i}`, 'filter']],
        (i) => [`selection and not 1 of filter_main_${i}*`, ['selection', `filter_main_${i}`, `filter_main_${i}_b`]],
        (i) => [`sel_${i}`, [`sel_${i}`]],
        (i) => [
          `1 of selection_${i}* and not (filter_a or filter_${i})`,
          [`selection_${i}`, 'filter_a', `filter_${i}`],
        ],
      ];
      // A new suffix per run keeps every text distinct across runs as well.
      return () => {
        const salt = Math.random().toString(36).slice(2, 8);
        return Array.from({ length: 4000 }, (_, i) => {
          const [text, ids] = templates[i % templates.length](i);
          return /** @type {[string, string[]]} */ ([
            text.replaceAll(`_${i}`, `_${i}${salt}`),
            ids.map((x) => x.replaceAll(`_${i}`, `_${i}${salt}`)),
          ]);
        });
      };
    },
    run: (/** @type {() => [string, string[]][]} */ make) => {
      const cases = make();
      const t0 = performance.now();
      for (const [text, ids] of cases) parseCondition(text, ids, conditionPos);
      return { ms: performance.now() - t0 };
    },
  },
  {
    name: 'noise-4096-branches',
    from: 'test/lint/noise.test.ts',
    boundMs: 2000,
    prepare: () => {
      // 12 selections of 2 alternatives each, AND-ed: 4096 disjuncts if expanded naively.
      const sels = Array.from(
        { length: 12 },
        (_, i) =>
          `    s${i}:\n        - CommandLine|contains: 'a${i}x'\n          User: u${i}\n        - Image|endswith: '\\b${i}.exe'\n          User: v${i}`,
      ).join('\n');
      const text = `title: T\nid: 11111111-2222-4333-8444-555555555555\nlogsource:\n    category: process_creation\n    product: windows\ndetection:\n${sels}\n    condition: all of s*\n`;
      return ruleOf(text);
    },
    run: (doc) => noiseScore(doc, { catalog: BUILTIN_CATALOG }),
  },
  {
    name: 'regex-(a+)+$-50k',
    from: 'test/eval/modifiers.test.ts',
    boundMs: 500,
    prepare: () => ({
      r: compileRule(ruleFrom("sel:\n  A|re: '(a+)+$'\ncondition: sel")),
      A: 'a'.repeat(50_000) + '!',
    }),
    run: (/** @type {{ r: any, A: string }} */ { r, A }) => r.matches({ A }),
  },
  {
    name: 'regex-^(a|aa)+$-40',
    from: 'test/eval/modifiers.test.ts',
    boundMs: 100,
    prepare: () => ({ r: compileRule(ruleFrom("sel:\n  A|re: '^(a|aa)+$'\ncondition: sel")), A: 'a'.repeat(40) + '!' }),
    run: (/** @type {{ r: any, A: string }} */ { r, A }) => r.matches({ A }),
  },
];

const selected = cases.filter((c) => !only.length || only.some((o) => c.name.startsWith(o)));
if (only.length && !selected.length) {
  console.error(`bench-limits: no case named ${only.join(', ')}; cases: ${cases.map((c) => c.name).join(', ')}`);
  process.exit(2);
}
if (selected.some((c) => c.name === 'corpus-parse') && !fs.existsSync(corpus)) {
  console.error(`bench-limits: the shared corpus is not at ${corpus}`);
  process.exit(2);
}

/** @type {{ case: string, from: string, runs: number, medianMs: number, maxMs: number, boundMs: number, within: boolean }[]} */
const results = [];
for (const c of selected) {
  const input = c.prepare();
  /** @type {number[]} */
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const out = c.run(input);
    const wall = performance.now() - t0;
    // A case that times its own part reports it as { ms }.
    times.push(out && typeof out === 'object' && 'ms' in out && typeof out.ms === 'number' ? out.ms : wall);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  const row = {
    case: c.name,
    from: c.from,
    runs,
    medianMs: +median.toFixed(1),
    maxMs: +times[times.length - 1].toFixed(1),
    boundMs: c.boundMs,
    within: median <= c.boundMs,
  };
  results.push(row);
  console.log(
    `${c.name.padEnd(32)} ${row.medianMs.toFixed(1).padStart(9)} ms median (max ${row.maxMs.toFixed(1)})  bound ${c.boundMs} ms: ${row.within ? 'within' : 'OVER'}  (${c.from})`,
  );
}
const over = results.filter((r) => !r.within);
console.log(
  over.length
    ? `${over.length} of ${results.length} cases over their bound: ${over.map((r) => r.case).join(', ')}`
    : `all ${results.length} cases within their bounds`,
);
fs.mkdirSync(path.join(root, 'out'), { recursive: true });
fs.writeFileSync(
  path.join(root, 'out/bench-limits.json'),
  JSON.stringify({ date: new Date().toISOString(), node: process.version, results }, null, 2),
);
if (strict && over.length) process.exit(1);
