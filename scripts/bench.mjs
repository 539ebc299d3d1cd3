// @ts-check
// `npm run bench`: whole-process figures over the shared corpus (../shared/corpus/sigmahq).
// Each case runs the CLI as a user would, several times; we report the median wall time,
// throughput and peak RSS (from the process itself, see SIGIL_BENCH_RUSAGE in src/cli/main.ts).
// Then three sibling scripts: bench-limits.mjs (the time bounds on worst-case inputs that used to
// be test assertions), bench-eval.mjs (the evaluator over a generated event stream) and
// bench-telemetry.mjs (`lint --telemetry`, 1 M events of the shared telemetry × the corpus).
// Not a test: numbers vary with the machine. Needs `npm run build`.
//
//   npm run bench [-- --runs N] [-- --events N] [-- case-name…]
//
// --runs N: runs per case (default 3; bench-limits.mjs too); --events N: events for
// bench-eval.mjs (default 200,000); case names select cases (`limits`, `eval` and `telemetry`
// select the sibling scripts). Everything temporary is removed when the run ends.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ALL_FOLDERS, RULE_FOLDERS } from './corpus-folders.mjs';

const root = path.resolve(import.meta.dirname, '..');
const corpus = path.resolve(root, '../shared/corpus/sigmahq');
const args = process.argv.slice(2);
/** The value of `--name N` (a whole number ≥ 1), or `def`. @param {string} name @param {number} def */
function count(name, def) {
  const i = args.indexOf(name);
  if (i < 0) return def;
  const n = Number(args[i + 1]);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`bench: ${name} takes a whole number ≥ 1`);
    process.exit(2);
  }
  return n;
}
const runs = count('--runs', 3);
const events = count('--events', 200_000);
const only = args.filter((a, i) => !a.startsWith('--') && !['--runs', '--events'].includes(args[i - 1] ?? ''));

if (!fs.existsSync(corpus)) {
  console.error(`bench: the shared corpus is not at ${corpus}`);
  process.exit(2);
}
/** @param {string} dir @returns {number} */
const countYml = (dir) => {
  let n = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) n += countYml(p);
    else if (/\.ya?ml$/.test(e.name)) n += 1;
  }
  return n;
};
// The rule folders (~3,800 rules), and everything including deprecated/ and unsupported/.
const RULE_DIRS = RULE_FOLDERS.map((d) => path.join(corpus, d));
const ALL_DIRS = ALL_FOLDERS.map((d) => path.join(corpus, d));
const rulesDir = path.join(corpus, 'rules');
const ruleCount = RULE_DIRS.reduce((n, d) => n + countYml(d), 0);
const allCount = ALL_DIRS.reduce((n, d) => n + countYml(d), 0);
const rulesCount = countYml(rulesDir);

const cases = [
  {
    name: 'parse',
    what: `parse the corpus's rule folders (${ruleCount} rules)`,
    files: ruleCount,
    argv: ['parse', ...RULE_DIRS, '-q'],
    target: 1.5,
  },
  {
    name: 'parse-all',
    what: `parse every folder incl. deprecated/ and unsupported/ (${allCount} files)`,
    files: allCount,
    argv: ['parse', ...ALL_DIRS, '-q'],
    target: null,
  },
  {
    name: 'parse-json',
    what: `parse the rule folders, AST as JSON Lines`,
    files: ruleCount,
    argv: ['parse', ...RULE_DIRS, '--json'],
    target: null,
  },
  {
    name: 'kql',
    what: `rules/ (${rulesCount}) → KQL, defender-xdr`,
    files: rulesCount,
    argv: ['convert', rulesDir, '-t', 'kql', '-p', 'defender-xdr', '--json'],
    target: 1.5,
  },
  {
    name: 'kql-sentinel',
    what: `rules/ (${rulesCount}) → KQL, sentinel`,
    files: rulesCount,
    argv: ['convert', rulesDir, '-t', 'kql', '-p', 'sentinel', '--json'],
    target: 1.5,
  },
  {
    name: 'spl',
    what: `rules/ (${rulesCount}) → SPL, splunk-windows`,
    files: rulesCount,
    argv: ['convert', rulesDir, '-t', 'splunk', '-p', 'splunk-windows', '--json'],
    target: 1.5,
  },
  {
    name: 'sigma',
    what: `rules/ (${rulesCount}) → canonical Sigma`,
    files: rulesCount,
    argv: ['convert', rulesDir, '-t', 'sigma', '--json'],
    target: 1.5,
  },
  {
    name: 'lint',
    what: `lint rules/ (${rulesCount}) with cross-file checks and noise scores`,
    files: rulesCount,
    argv: ['lint', rulesDir, '--format', 'json'],
    target: 2.0,
  },
  {
    name: 'ci',
    what: 'ci --base HEAD on a 3,000-rule git repository with 20 changed rules, two targets (kql, splunk)',
    files: 20,
    argv: ['ci', '--base', 'HEAD', '--summary', 'summary.md', '--sarif', 'sigil.sarif', '--no-annotations'],
    // The repository is built only when this case runs.
    prepare: prepareCiRepository,
    target: 3.0,
  },
];

/**
 * A temporary git repository of 3,000 corpus rules (rules/, sorted), committed, then 20 of them
 * changed in the working tree (a value of the detection and the title).
 * @returns {{ cwd: string, cleanup: () => void }}
 */
function prepareCiRepository() {
  const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'sigil-bench-ci-'));
  /** @param {string[]} a */
  const git = (...a) => {
    const r = spawnSync('git', a, {
      cwd: repo,
      encoding: 'utf8',
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 'b',
        GIT_AUTHOR_EMAIL: 'b@example.com',
        GIT_COMMITTER_NAME: 'b',
        GIT_COMMITTER_EMAIL: 'b@example.com',
      },
    });
    if (r.status !== 0) throw new Error(`git ${a.join(' ')}: ${r.stderr}`);
  };
  /** @param {string} dir @returns {string[]} */
  const list = (dir) =>
    fs
      .readdirSync(dir, { withFileTypes: true })
      .sort((a, b) => (a.name < b.name ? -1 : 1))
      .flatMap((e) =>
        e.isDirectory() ? list(path.join(dir, e.name)) : /\.ya?ml$/.test(e.name) ? [path.join(dir, e.name)] : [],
      );
  const files = list(rulesDir).slice(0, 3000);
  for (const f of files) {
    const dest = path.join(repo, 'rules', path.relative(rulesDir, f));
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.copyFileSync(f, dest);
  }
  fs.writeFileSync(
    path.join(repo, '.sigil.yml'),
    'ci:\n  rules: [rules]\n  targets:\n    - target: kql\n      pipelines: [defender-xdr]\n    - target: splunk\n      pipelines: [splunk-windows]\n',
  );
  git('init', '-q');
  git('add', '-A');
  git('commit', '-q', '-m', 'rules');
  let changed = 0;
  for (const f of files) {
    if (changed === 20) break;
    const dest = path.join(repo, 'rules', path.relative(rulesDir, f));
    const text = fs.readFileSync(dest, 'utf8');
    if (!/^title: /m.test(text) || !text.includes(".exe'")) continue;
    fs.writeFileSync(dest, text.replace(/^title: (.*)$/m, 'title: $1 (changed)').replace(".exe'", ".com'"));
    changed++;
  }
  return { cwd: repo, cleanup: () => fs.rmSync(repo, { recursive: true, force: true }) };
}

const bin = path.join(root, 'bin/sigil.js');
/** @type {Record<string, unknown>[]} */
const results = [];
for (const c of cases) {
  if (only.length && !only.includes(c.name)) continue;
  /** @type {number[]} */
  const walls = [];
  /** @type {number[]} */
  const cpus = [];
  let rss = 0;
  let failed = null;
  const prepared = c.prepare?.();
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [bin, ...c.argv], {
      ...(prepared ? { cwd: prepared.cwd } : {}),
      env: { ...process.env, SIGIL_BENCH_RUSAGE: '1', NO_COLOR: '1' },
      maxBuffer: 1 << 30,
      encoding: 'utf8',
    });
    const wall = Number(process.hrtime.bigint() - t0) / 1e9;
    const m = /SIGIL_RUSAGE (\{.*\})/.exec(r.stderr ?? '');
    if (!m || (r.status !== 0 && r.status !== 1)) {
      failed = `exit ${r.status}: ${(r.stderr ?? '').trim().split('\n').slice(-3).join(' | ')}`;
      break;
    }
    walls.push(wall);
    const usage = JSON.parse(m[1]);
    cpus.push((usage.userMs + usage.systemMs) / 1000);
    rss = Math.max(rss, usage.maxRssKb);
  }
  prepared?.cleanup();
  if (failed) {
    results.push({ case: c.name, what: c.what, error: failed });
    console.log(`${c.name.padEnd(13)} FAILED ${failed}`);
    continue;
  }
  walls.sort((a, b) => a - b);
  cpus.sort((a, b) => a - b);
  const median = walls[Math.floor(walls.length / 2)];
  // CPU time (all threads) is steadier than wall time on a shared machine.
  const cpuMedian = cpus[Math.floor(cpus.length / 2)];
  const row = {
    case: c.name,
    what: c.what,
    runs,
    medianWallS: +median.toFixed(3),
    minWallS: +walls[0].toFixed(3),
    filesPerS: Math.round(c.files / median),
    cpuS: +cpuMedian.toFixed(3),
    peakRssMb: +(rss / 1024).toFixed(1),
    targetS: c.target,
  };
  results.push(row);
  const verdict =
    c.target == null
      ? ''
      : median <= c.target
        ? `  (target ≤ ${c.target} s: met)`
        : `  (target ≤ ${c.target} s: MISSED)`;
  console.log(
    `${c.name.padEnd(13)} ${row.medianWallS.toFixed(2)} s median wall (min ${row.minWallS.toFixed(2)}), ${row.cpuS.toFixed(2)} s CPU, ${row.filesPerS} files/s, peak ${row.peakRssMb} MB — ${c.what}${verdict}`,
  );
}
/** The sibling scripts, each run once with these arguments. */
const siblings = [
  { name: 'limits', script: 'bench-limits.mjs', args: ['--runs', String(runs)] },
  { name: 'eval', script: 'bench-eval.mjs', args: ['--events', String(events)] },
  // 1 M events × the whole corpus through `lint --telemetry` (a few minutes per run).
  { name: 'telemetry', script: 'bench-telemetry.mjs', args: ['--runs', String(runs)] },
];
for (const { name, script, args: scriptArgs } of siblings) {
  if (only.length && !only.includes(name)) continue;
  console.log(`\n# ${script} ${scriptArgs.join(' ')}`);
  const r = spawnSync(process.execPath, [path.join(root, 'scripts', script), ...scriptArgs], { stdio: 'inherit' });
  if (r.status !== 0) console.log(`${script} failed with exit ${r.status}`);
}
fs.mkdirSync(path.join(root, 'out'), { recursive: true });
fs.writeFileSync(
  path.join(root, 'out/bench.json'),
  JSON.stringify({ date: new Date().toISOString(), node: process.version, results }, null, 2),
);
