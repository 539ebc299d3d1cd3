#!/usr/bin/env node
// Compiles the bundled rule pack (rules/) into every backend and output format, after
// linting it and running its tests, by calling the CLI exactly as a user would.
//
//   node scripts/build-rules.mjs [--out DIR] [--rules DIR] [--dry-run] [--keep-going]
//
// Output (default out/rules/, gitignored), one file per rule with stable names:
//   kql-defender/{query,defender-detection}/   KQL for Microsoft Defender XDR advanced hunting
//   kql-sentinel/{query,sentinel-rule,sentinel-arm}/   KQL for Microsoft Sentinel
//   splunk/{search,savedsearches}/             SPL for Splunk (Windows TA field names)
//   sigma/                                     normalized Sigma
// Exit codes: 0 every step passed, 1 a step failed, 2 usage error or dist/ missing.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const SIGIL = path.join(ROOT, 'bin', 'sigil.js');

function usage(message) {
  if (message) process.stderr.write(`build-rules: ${message}\n`);
  process.stderr.write('usage: node scripts/build-rules.mjs [--out DIR] [--rules DIR] [--dry-run] [--keep-going]\n');
  process.exit(2);
}

const args = process.argv.slice(2);
let outDir = path.join(ROOT, 'out', 'rules');
let rulesDir = path.join(ROOT, 'rules');
let dryRun = false;
let keepGoing = false;
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '--out' || a === '-o') outDir = path.resolve(args[++i] ?? usage('--out needs a directory'));
  else if (a === '--rules') rulesDir = path.resolve(args[++i] ?? usage('--rules needs a directory'));
  else if (a === '--dry-run') dryRun = true;
  else if (a === '--keep-going') keepGoing = true;
  else if (a === '--help' || a === '-h') {
    process.stdout.write('Compiles rules/ into every backend and format (see the header of this script).\n');
    process.exit(0);
  } else usage(`unknown argument ${a}`);
}

if (!fs.existsSync(rulesDir)) usage(`no rules directory at ${rulesDir}`);
if (
  !dryRun &&
  !fs.existsSync(path.join(ROOT, 'dist', 'cli', 'main.js')) &&
  !fs.existsSync(path.join(ROOT, 'dist', 'sigil.mjs'))
) {
  process.stderr.write('build-rules: dist/ is missing; run `npm run build` first.\n');
  process.exit(2);
}

const rel = (p) => path.relative(ROOT, p) || '.';
const rules = rel(rulesDir);
// A trailing separator tells `-o` to write one file per rule into the directory.
const out = (...parts) => rel(path.join(outDir, ...parts)) + path.sep;

/** Every step: the CLI arguments. Checks first (cheap, and a failing rule should not ship). */
const steps = [
  { name: 'lint (error level)', args: ['lint', rules, '--fail-on', 'error'] },
  { name: 'rule tests', args: ['test', rules] },
  ...['query', 'defender-detection'].map((format) => ({
    name: `KQL, Defender XDR, ${format}`,
    pipeline: 'defender-xdr',
    args: ['convert', rules, '-t', 'kql', '-p', 'defender-xdr', '--format', format, '-o', out('kql-defender', format)],
  })),
  ...['query', 'sentinel-rule', 'sentinel-arm'].map((format) => ({
    name: `KQL, Sentinel, ${format}`,
    pipeline: 'sentinel',
    args: ['convert', rules, '-t', 'kql', '-p', 'sentinel', '--format', format, '-o', out('kql-sentinel', format)],
  })),
  ...[
    ['search', 'query'],
    ['savedsearches', 'savedsearches'],
  ].map(([dir, format]) => ({
    name: `SPL, splunk-windows, ${dir}`,
    pipeline: 'splunk-windows',
    args: ['convert', rules, '-t', 'splunk', '-p', 'splunk-windows', '--format', format, '-o', out('splunk', dir)],
  })),
  { name: 'normalized Sigma', args: ['convert', rules, '-t', 'sigma', '-o', out('sigma')] },
];

/** Rules a pipeline cannot express (rules/not-expressible.json): their conversion errors are expected. */
const notExpressiblePath = path.join(rulesDir, 'not-expressible.json');
const notExpressible = fs.existsSync(notExpressiblePath) ? JSON.parse(fs.readFileSync(notExpressiblePath, 'utf8')) : {};
const ERROR_LINE = /^(\S+?\.ya?ml):\d+:\d+: error (C\d+)/;

/** A failed convert is accepted when every error names a rule listed as not expressible for its pipeline. */
function onlyExpectedFailures(step, text) {
  const expected = step.pipeline ? notExpressible[step.pipeline] : undefined;
  if (!expected || typeof expected !== 'object') return false;
  const errors = text
    .split('\n')
    .map((l) => ERROR_LINE.exec(l))
    .filter(Boolean);
  const otherErrors = text.split('\n').filter((l) => / error /.test(l) && !ERROR_LINE.test(l));
  if (errors.length === 0 || otherErrors.length) return false;
  const failed = new Set(errors.map((m) => path.basename(m[1]).replace(/\.ya?ml$/, '')));
  // Exactly the listed rules: one that now converts would be as wrong as a new failure.
  return [...failed].every((f) => f in expected) && Object.keys(expected).every((f) => failed.has(f));
}

const results = [];
for (const step of steps) {
  const shown = ['sigil', ...step.args].join(' ');
  if (dryRun) {
    process.stdout.write(`${shown}\n`);
    continue;
  }
  const started = process.hrtime.bigint();
  // NO_COLOR keeps captured diagnostics free of escape codes; stdin is closed (never waits).
  const r = spawnSync(process.execPath, [SIGIL, ...step.args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const ms = Number((process.hrtime.bigint() - started) / 1000000n);
  const text = `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}`.trim();
  const expectedOnly = r.status === 1 && onlyExpectedFailures(step, text);
  const ok = r.status === 0 || expectedOnly;
  results.push({ ...step, ok, ms, status: r.status });
  process.stdout.write(
    `${ok ? 'ok  ' : 'FAIL'} ${step.name} (${ms} ms)${expectedOnly ? `: ${Object.keys(notExpressible[step.pipeline]).length} rules not expressible, as listed in rules/not-expressible.json` : ''}\n`,
  );
  if (!ok) {
    process.stdout.write(`     $ ${shown}\n`);
    for (const line of text.split('\n').slice(0, 40)) process.stdout.write(`     ${line}\n`);
    if (!keepGoing) break;
  }
}

if (dryRun) process.exit(0);
const failed = results.filter((r) => !r.ok);
const skipped = steps.length - results.length;
process.stdout.write(
  `\n${results.length - failed.length} of ${steps.length} steps passed${skipped ? `, ${skipped} not run (use --keep-going to run all)` : ''}; output in ${rel(outDir)}\n`,
);
process.exit(failed.length || skipped ? 1 : 0);
