/**
 * `sigil ci` end to end: a git repository of rules with two commits (a changed detection and its
 * tests, an added rule, a deleted rule, an untouched rule, a correlation over the changed rule, a
 * rule routed by a changed pipeline file), checked with `--base HEAD~1`.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ajv } from 'ajv';
// A CommonJS module: under NodeNext its default import is `module.exports`, whose `default` is the plugin.
import ajvFormats from 'ajv-formats';
import { sigil, type CliRun } from '../helpers/cli.js';
import { expectGolden } from '../helpers/golden.js';
import { REPO_ROOT, SHARED } from '../helpers/paths.js';

const FIXTURES = path.join(REPO_ROOT, 'test/cli/fixtures/ci');
let repo = '';

const git = (...args: string[]): string =>
  execFileSync('git', args, {
    cwd: repo,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@example.com',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@example.com',
    },
  });

/** Replaces the repository's files (all but .git) with a fixture version. */
function checkoutFixture(version: string): void {
  for (const e of fs.readdirSync(repo)) if (e !== '.git') fs.rmSync(path.join(repo, e), { recursive: true });
  fs.cpSync(path.join(FIXTURES, version), repo, { recursive: true });
}

function ci(args: string[]): CliRun & { summary: string; sarif: string; junit: string } {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'sigil-ci-out-'));
  const files = {
    summary: path.join(out, 'summary.md'),
    sarif: path.join(out, 'x.sarif'),
    junit: path.join(out, 'junit.xml'),
  };
  const r = sigil([
    'ci',
    ...args,
    '--config',
    path.join(repo, '.sigil.yml'),
    '--summary',
    files.summary,
    '--sarif',
    files.sarif,
    '--junit',
    files.junit,
  ]);
  const read = (f: string): string => (fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : '');
  const result = { ...r, summary: read(files.summary), sarif: read(files.sarif), junit: read(files.junit) };
  fs.rmSync(out, { recursive: true, force: true });
  return result;
}

beforeAll(() => {
  repo = fs.mkdtempSync(path.join(os.tmpdir(), 'sigil-ci-repo-'));
  git('init', '-q');
  checkoutFixture('v1');
  git('add', '-A');
  git('commit', '-q', '-m', 'first');
  checkoutFixture('v2');
  git('add', '-A');
  git('commit', '-q', '-m', 'second');
});
afterAll(() => fs.rmSync(repo, { recursive: true, force: true }));

describe('sigil ci --base HEAD~1', () => {
  let run: ReturnType<typeof ci>;
  beforeAll(() => {
    run = ci(['--base', 'HEAD~1']);
  });

  it('passes (exit 0) and writes the Markdown report (golden)', (ctx) => {
    expect(run.stderr).toContain('passed');
    expect(run.status).toBe(0);
    expectGolden(ctx, 'test/cli/golden/ci-report.md', run.summary);
  });

  it('the untouched rule appears nowhere', () => {
    for (const text of [run.summary, run.stdout, run.stderr, run.sarif, run.junit]) {
      expect(text).not.toContain('untouched');
      expect(text).not.toContain('Startup Folder Script Written');
      expect(text).not.toContain('0b7e1a52-3c1e-4d7a-9a55-6f1d2c3b4a04');
    }
  });

  it('says why each file was selected: its own change, a correlation over a changed rule, a changed pipeline', () => {
    expect(run.summary).toContain('Selected because: added.');
    expect(run.summary).toContain('Selected because: deleted.');
    expect(run.summary).toContain('Selected because: modified; its tests rules/changed.tests.yml changed.');
    expect(run.summary).toContain("Selected because: correlation over 'Encoded Evil Tool Run' (rules/changed.yml).");
    expect(run.summary).toContain('Selected because: routed by the changed pipeline pipelines/tuning.yml.');
  });

  it("the changed rule's KQL and SPL diffs show exactly the changed predicate", () => {
    const section = run.summary.slice(run.summary.indexOf('#### Encoded Evil Tool Run'));
    const diffs = [...section.matchAll(/```diff\n([\s\S]*?)```/g)].map((m) => m[1]!);
    const changed = (d: string): string[] => d.split('\n').filter((l) => /^[-+][^-+]/.test(l));
    const [kql, spl] = diffs;
    expect(changed(kql!)).toEqual([
      '-| where ProcessCommandLine contains " -encode "',
      '+| where ProcessCommandLine contains " -decode "',
    ]);
    // SPL is one line: the line diff holds the whole search, the word diff only the predicate's value.
    expect(changed(spl!)).toHaveLength(2);
    expect(changed(spl!)[0]!.replace(' -encode ', ' -decode ').slice(1)).toBe(changed(spl!)[1]!.slice(1));
    expect(section).toMatch(/CommandLine="\* \[--encode-\]\{\+-decode\+\} \*"/);
  });

  it('shows added and deleted rules whole', () => {
    const added = run.summary.slice(run.summary.indexOf('#### Certutil Decode — added'));
    expect(added).toMatch(
      /\(new\)\n\n```\n\/\/ Certutil Decode[^\n]*\nDeviceProcessEvents\n\| where FolderPath endswith @"\\certutil.exe"\n/,
    );
    const deleted = run.summary.slice(run.summary.indexOf('#### Old Dropper Run — deleted'));
    expect(deleted).toContain('(removed)');
    expect(deleted).toContain('Image="*\\\\dropper.exe"');
  });

  it('writes SARIF that validates against the SARIF 2.1.0 schema, with repository-relative paths', () => {
    const schema = JSON.parse(fs.readFileSync(`${SHARED}/schemas/sarif-schema-2.1.0.json`, 'utf8'));
    const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
    ajvFormats.default(ajv);
    const validate = ajv.compile(schema);
    const sarif = JSON.parse(run.sarif);
    expect(validate(sarif), JSON.stringify(validate.errors)).toBe(true);
    const uris = new Set(
      sarif.runs[0].results.map(
        (r: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) =>
          r.locations[0]!.physicalLocation.artifactLocation.uri,
      ),
    );
    expect([...uris].sort()).toEqual([
      'rules/added.yml',
      'rules/changed.yml',
      'rules/correlation.yml',
      'rules/routed.yml',
    ]);
  });

  it('prints GitHub annotations and writes the rule tests as JUnit', () => {
    expect(run.stdout).toMatch(/^::warning file=rules\/added\.yml,line=\d+,col=\d+,title=/m);
    expect(run.junit).toContain('<testcase classname="Encoded Evil Tool Run" name="fires on the tool"');
    expect(run.junit).toContain('tests="2" failures="0"');
  });
});

describe('sigil ci exit codes', () => {
  it('exits 1 when a rule test fails, with an annotation and the JUnit failure', () => {
    const testsFile = path.join(repo, 'rules/changed.tests.yml');
    const saved = fs.readFileSync(testsFile, 'utf8');
    // An uncommitted change: the working tree is compared, not HEAD.
    fs.writeFileSync(testsFile, saved.replace('evil.exe -decode payload', 'evil.exe -encode payload'));
    try {
      const r = ci(['--base', 'HEAD~1']);
      expect(r.status).toBe(1);
      expect(r.stdout).toContain(
        '::error file=rules/changed.tests.yml,line=2,title=rule test failed%3A fires on the tool::',
      );
      expect(r.junit).toContain('failures="1"');
      expect(r.summary).toContain('## Sigil CI: failed');
      expect(r.summary).toContain('**FAIL** fires on the tool');
    } finally {
      fs.writeFileSync(testsFile, saved);
    }
  });

  it('exits 1 when a change makes a rule inexpressible for a target', () => {
    const rule = path.join(repo, 'rules/added.yml');
    const saved = fs.readFileSync(rule, 'utf8');
    fs.writeFileSync(rule, saved.replace('category: process_creation', 'category: no_such_category'));
    try {
      const r = ci(['--base', 'HEAD~1']);
      expect(r.status).toBe(1);
      expect(r.stdout).toMatch(
        /^::error file=rules\/added\.yml,line=1,title=not expressible for kql .*::Certutil Decode: C001 /m,
      );
      expect(r.summary).toContain('cannot be converted: C001');
    } finally {
      fs.writeFileSync(rule, saved);
    }
  });

  it('exits 2 for usage errors: an unknown base, --base with --all, a bad configuration', () => {
    expect(ci(['--base', 'no-such-ref']).status).toBe(2);
    expect(ci(['--base', 'HEAD~1', '--all']).status).toBe(2);
    const config = path.join(repo, '.sigil.yml');
    const saved = fs.readFileSync(config, 'utf8');
    fs.writeFileSync(config, saved.replace('target: splunk', 'target: no-such-backend'));
    try {
      const r = ci(['--base', 'HEAD~1']);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain('ci.targets[1].target must be one of');
    } finally {
      fs.writeFileSync(config, saved);
    }
  });

  it('takes untracked files with odd names as they are, without a shell', () => {
    const odd = 'proc_creation_win_odd $(touch pwned) "q"\nname.yml';
    fs.copyFileSync(path.join(repo, 'rules/added.yml'), path.join(repo, 'rules', odd));
    try {
      const r = ci(['--base', 'HEAD']);
      expect(r.status).toBe(0);
      expect(r.summary).toContain('Rule files checked | 1 (1 added)');
      // The newline is shown as an escape: a table row stays one line.
      expect(r.summary).toContain('<code>rules/proc_creation_win_odd $(touch pwned) "q"\\x0aname.yml</code>');
      expect(fs.existsSync(path.join(repo, 'pwned'))).toBe(false);
      expect(fs.existsSync(path.join(repo, 'rules', 'pwned'))).toBe(false);
    } finally {
      fs.rmSync(path.join(repo, 'rules', odd));
    }
  });

  it('--all checks every rule file', () => {
    const r = ci(['--all']);
    expect(r.status).toBe(0);
    expect(r.summary).toContain('Rule files checked | 5');
    expect(r.summary).toContain('untouched.yml');
  });
});
