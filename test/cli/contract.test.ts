/**
 * The CLI contract (docs/cli.md), as a matrix: every command × every kind of input — a valid rule,
 * a YAML syntax error, a schema error, an unreadable file, a missing path, an empty directory, a
 * folder mixing good and bad files, standard input, stdout closed early. Each cell checks the exit
 * code, one located diagnostic per bad input, the summary's count, and that no stack trace leaks.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IO_DIAGNOSTICS } from '../../src/cli/codes.js';
import { BIN } from '../helpers/cli.js';
import { REPO_ROOT } from '../helpers/paths.js';

const GOOD = `title: Good rule
id: 5f2d1c3b-6a1e-4c2b-9d7e-0a1b2c3d4e5f
status: test
description: A rule that every command accepts.
author: Sigil
date: 2026-01-01
tags:
    - attack.persistence
    - attack.t1546.003
logsource:
    category: process_creation
    product: windows
detection:
    selection:
        Image|endswith: '\\wmic.exe'
    condition: selection
falsepositives:
    - Unknown
level: high
`;
const TESTS = `tests:
    - name: wmic
      match: true
      event: {Image: 'C:\\Windows\\System32\\wbem\\wmic.exe'}
`;
const SYNTAX = 'title: Broken\nlogsource: [\n  category: x\n';
const SCHEMA = 'title: 5\nlogsource:\n    category: process_creation\ndetection: nope\n';
const EVENTS = JSON.stringify({ Image: 'C:\\Windows\\System32\\wbem\\wmic.exe' }) + '\n';

let dir = '';
// As root (CI), file permissions do not stop reads: the unreadable case runs as nobody.
const asRoot = process.getuid?.() === 0;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sigil-contract-'));
  fs.chmodSync(dir, 0o755);
  const write = (rel: string, text: string): void => {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  };
  write('good/good.yml', GOOD);
  write('good/good.tests.yml', TESTS);
  write('syntax/bad.yml', SYNTAX);
  write('schema/bad.yml', SCHEMA);
  write('unreadable/bad.yml', GOOD);
  fs.chmodSync(path.join(dir, 'unreadable/bad.yml'), 0o000);
  fs.mkdirSync(path.join(dir, 'empty'));
  write('mixed/a-good.yml', GOOD);
  write('mixed/a-good.tests.yml', TESTS);
  write('mixed/b-syntax.yml', SYNTAX);
  write('mixed/c-schema.yml', SCHEMA);
  write('events.jsonl', EVENTS);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], opts: { input?: string; nobody?: boolean } = {}): Run {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
    ...(opts.input !== undefined ? { input: opts.input } : { stdio: ['ignore', 'pipe', 'pipe'] }),
    ...(opts.nobody && asRoot ? { uid: 65534, gid: 65534 } : {}),
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** How each command is called on a rule path, and the part of its summary that counts bad inputs. */
const COMMANDS: {
  name: string;
  args: (paths: string[]) => string[];
  /** Summary text for `n` bad inputs (null: the command states no count for it). */
  badCount: (n: number) => RegExp | null;
  /** stdin: what to pipe in for the valid case. */
  stdin: { args: string[]; input: string };
}[] = [
  {
    name: 'parse',
    args: (p) => ['parse', ...p],
    badCount: (n) => new RegExp(`: ${n} errors?,`),
    stdin: { args: ['parse', '-'], input: GOOD },
  },
  {
    name: 'lint',
    args: (p) => ['lint', ...p],
    badCount: (n) => new RegExp(`: ${n} errors?,`),
    stdin: { args: ['lint', '-'], input: GOOD },
  },
  {
    name: 'convert',
    args: (p) => ['convert', ...p, '-t', 'kql'],
    badCount: (n) => new RegExp(`invalid ${n}\\b`),
    stdin: { args: ['convert', '-', '-t', 'kql'], input: GOOD },
  },
  {
    name: 'fmt',
    args: (p) => ['fmt', '--check', ...p],
    badCount: (n) => new RegExp(`${n} could not be formatted`),
    stdin: { args: ['fmt', '--check', '-'], input: GOOD },
  },
  {
    name: 'test',
    args: (p) => ['test', ...p],
    badCount: () => null,
    stdin: { args: ['test', 'good/good.yml'], input: '' },
  },
  {
    name: 'hunt',
    args: (p) => ['hunt', ...p.flatMap((x) => ['-r', x]), 'events.jsonl'],
    badCount: () => null,
    stdin: { args: ['hunt', '-r', 'good/good.yml', '-'], input: EVENTS },
  },
  {
    name: 'coverage',
    args: (p) => ['coverage', '--technique', 'T1546.003', ...p],
    badCount: (n) => new RegExp(`${n} files? could not be read`),
    stdin: { args: ['coverage', '--technique', 'T1546.003', '-'], input: GOOD },
  },
];

const LOCATED = (file: string, code: RegExp): RegExp =>
  new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:\\d+:\\d+: error ${code.source} .+\\n  hint: `, 'm');

function noStackTrace(r: Run): void {
  expect(r.stderr).not.toMatch(/\n\s+at .+[:(]\d+:\d+\)?\n|internal error|Error: /);
}

describe.each(COMMANDS)('sigil $name', (c) => {
  it('valid rule: exit 0, no diagnostic', () => {
    const r = run(c.args(['good/good.yml']));
    expect(r.stdout + r.stderr).not.toMatch(/: error /);
    expect(r.status, r.stderr).toBe(0);
  });

  for (const [kind, file, code] of [
    ['YAML syntax error', 'syntax/bad.yml', /P002/],
    ['schema error', 'schema/bad.yml', /P\d{3}/],
    ['unreadable file', 'unreadable/bad.yml', /I001/],
  ] as const) {
    it(`${kind}: exit 1, one located diagnostic, counted`, () => {
      const r = run(c.args([file]), { nobody: kind === 'unreadable file' });
      // parse and lint print diagnostics as their output (stdout); the others on stderr.
      const located = (r.stdout + r.stderr).match(new RegExp(LOCATED(file, code).source, 'gm')) ?? [];
      expect(located, r.stdout + r.stderr).toHaveLength(1);
      const count = c.badCount(1);
      if (count) expect(r.stderr).toMatch(count);
      noStackTrace(r);
      expect(r.status, r.stderr).toBe(1);
    });
  }

  it('missing path: exit 2 naming it', () => {
    const r = run(c.args(['nowhere.yml']));
    expect(r.stderr).toContain('no such file or directory: nowhere.yml');
    noStackTrace(r);
    expect(r.status).toBe(2);
  });

  it('empty directory: exit 2, nothing to work on', () => {
    const r = run(c.args(['empty']));
    expect(r.stderr).toContain('no rule files (*.yml, *.yaml) among empty');
    noStackTrace(r);
    expect(r.status).toBe(2);
  });

  it('folder mixing good and bad files: exit 1, each bad file located, the good one processed', () => {
    const r = run(c.args(['mixed']));
    const all = r.stdout + r.stderr;
    expect(all).toMatch(LOCATED('mixed/b-syntax.yml', /P002/));
    expect(all).toMatch(LOCATED('mixed/c-schema.yml', /P\d{3}/));
    expect(all).not.toMatch(/mixed\/a-good\.yml:\d+:\d+: error/);
    const count = c.badCount(2);
    if (count) expect(r.stderr).toMatch(count);
    noStackTrace(r);
    expect(r.status).toBe(1);
  });

  it('standard input: exit 0', () => {
    const r = run(c.stdin.args, { input: c.stdin.input });
    expect(r.stderr).not.toMatch(/: error /);
    expect(r.status, r.stderr).toBe(0);
  });

  it('stdout closed early: exit 0, quietly', () => {
    const cmd = [process.execPath, BIN, ...c.args(['good/good.yml'])]
      .map((a) => `'${a.replace(/'/g, "'\\''")}'`)
      .join(' ');
    const r = spawnSync('bash', ['-c', `${cmd} 2>err.txt | head -c 1 >/dev/null; echo \${PIPESTATUS[0]}`], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    });
    const stderr = fs.readFileSync(path.join(dir, 'err.txt'), 'utf8');
    expect(stderr).not.toMatch(/EPIPE|\n\s+at /);
    expect(r.stdout.trim()).toBe('0');
  });
});

describe('docs/cli.md', () => {
  it('lists every I… code with its severity and meaning', () => {
    const doc = fs.readFileSync(path.join(REPO_ROOT, 'docs/cli.md'), 'utf8');
    for (const [code, def] of Object.entries(IO_DIAGNOSTICS))
      expect(doc).toContain(`| ${code} | ${def.severity} | ${def.summary} |`);
  });

  it('states the exit codes the matrix checks, and the README points to them', () => {
    const doc = fs.readFileSync(path.join(REPO_ROOT, 'docs/cli.md'), 'utf8');
    for (const code of ['| 0 |', '| 1 |', '| 2 |', '| 3 |']) expect(doc).toContain(code);
    const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
    expect(readme).toContain('docs/cli.md');
    expect(readme).toMatch(/0 ok,\s+1 findings or a bad input, 2 usage, 3 internal error/);
    // The README's table: the same four codes, bad inputs under 1 and usage under 2.
    const rows = [...readme.matchAll(/^\| ([0-3]) \| (.+) \|$/gm)].map((m) => [m[1], m[2]] as const);
    expect(rows.map(([c]) => c)).toEqual(['0', '1', '2', '3']);
    expect(rows[1]![1]).toMatch(/bad input/);
    expect(rows[2]![1]).toMatch(/missing path.*no rule file among the paths/);
  });
});
