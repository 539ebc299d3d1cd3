/**
 * Files Sigil writes: atomically, never replacing what is not a regular file, never silently
 * over a read-only file, whatever the length of a rule file's name, and without leftovers.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BIN, sigil } from '../helpers/cli.js';
import { REPO_ROOT } from '../helpers/paths.js';

const RULE = fs.readFileSync(
  path.join(REPO_ROOT, 'rules/windows/process_creation/proc_creation_win_scrcons_execution.yml'),
  'utf8',
);
let dir = '';
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sigil-out-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const leftovers = (d: string): string[] => fs.readdirSync(d).filter((n) => n.endsWith('.tmp'));

describe('output files', () => {
  it('-o onto a symbolic link writes its target and keeps the link', () => {
    fs.writeFileSync(path.join(dir, 'rule.yml'), RULE);
    fs.writeFileSync(path.join(dir, 'real.kql'), 'old');
    fs.symlinkSync('real.kql', path.join(dir, 'link.kql'));
    const r = sigil(['convert', path.join(dir, 'rule.yml'), '-o', path.join(dir, 'link.kql')]);
    expect(r.status).toBe(0);
    expect(fs.lstatSync(path.join(dir, 'link.kql')).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(path.join(dir, 'real.kql'), 'utf8')).toContain('DeviceProcessEvents');
    expect(leftovers(dir)).toEqual([]);
  });

  it('-o onto a device writes to it and leaves it a device', () => {
    fs.writeFileSync(path.join(dir, 'rule.yml'), RULE);
    // As root (CI), a null device of the test's own, so that a failure cannot replace /dev/null;
    // other users cannot replace /dev/null anyway.
    let device = '/dev/null';
    if (process.getuid?.() === 0) {
      device = path.join(dir, 'null');
      expect(spawnSync('mknod', ['-m', '666', device, 'c', '1', '3']).status).toBe(0);
    }
    const r = sigil(['convert', path.join(dir, 'rule.yml'), '-o', device]);
    expect(r.status).toBe(0);
    expect(fs.statSync(device).isCharacterDevice()).toBe(true);
  });

  it('a rule file name of 240 characters still gives an output file', () => {
    const long = 'r'.repeat(240) + '.yml';
    fs.mkdirSync(path.join(dir, 'rules'));
    fs.writeFileSync(path.join(dir, 'rules', long), RULE);
    fs.writeFileSync(path.join(dir, 'rules', 'short.yml'), RULE);
    const r = sigil(['convert', path.join(dir, 'rules'), '-o', path.join(dir, 'out') + '/']);
    expect(r.stderr).not.toMatch(/ENAMETOOLONG|internal error/);
    expect(r.status).toBe(0);
    const written = fs.readdirSync(path.join(dir, 'out')).sort();
    expect(written).toHaveLength(2);
    expect(written).toContain('short.kql');
    expect(leftovers(path.join(dir, 'out'))).toEqual([]);
  });

  it('standard input is written as stdin.<ext>', () => {
    const r = sigil(['convert', '-', '-o', path.join(dir, 'out') + '/'], { input: RULE });
    expect(r.status).toBe(0);
    expect(fs.readdirSync(path.join(dir, 'out'))).toEqual(['stdin.kql']);
  });

  it('fmt --write follows a symbolic link and refuses a read-only file', () => {
    const messy = RULE.replace(/^title:/m, 'title:   ').replace('level: high', 'level:   high');
    const unformatted = RULE.replace('    ', '  ');
    fs.writeFileSync(path.join(dir, 'real.yml'), unformatted);
    fs.symlinkSync('real.yml', path.join(dir, 'link.yml'));
    fs.writeFileSync(path.join(dir, 'ro.yml'), messy);
    fs.chmodSync(path.join(dir, 'ro.yml'), 0o444);
    const r = sigil(['fmt', '--write', path.join(dir, 'link.yml'), path.join(dir, 'ro.yml')]);
    expect(fs.lstatSync(path.join(dir, 'link.yml')).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(path.join(dir, 'real.yml'), 'utf8')).not.toBe(unformatted);
    expect(r.stderr).toMatch(/ro\.yml:1:1: error F003 .*read-only/);
    expect(fs.readFileSync(path.join(dir, 'ro.yml'), 'utf8')).toBe(messy);
    expect(r.status).not.toBe(0);
    expect(leftovers(dir)).toEqual([]);
  });
});

describe('interrupted writes', () => {
  it('fmt --write stopped by SIGTERM leaves every file whole (old or new) and no temporary file', async () => {
    const original = RULE.replace(/^ {4}/gm, '  ');
    const formatted = fs.readFileSync(
      path.join(REPO_ROOT, 'rules/windows/process_creation/proc_creation_win_scrcons_execution.yml'),
      'utf8',
    );
    fs.mkdirSync(path.join(dir, 'many'));
    for (let i = 0; i < 400; i++) fs.writeFileSync(path.join(dir, 'many', `r${i}.yml`), original);
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, [BIN, 'fmt', '--write', path.join(dir, 'many')], { stdio: 'ignore' });
    await new Promise((r) => setTimeout(r, 300));
    child.kill('SIGTERM');
    await new Promise((r) => child.on('exit', r));
    const names = fs.readdirSync(path.join(dir, 'many'));
    expect(names.filter((n) => n.endsWith('.tmp'))).toEqual([]);
    expect(names).toHaveLength(400);
    for (const n of names) expect([original, formatted]).toContain(fs.readFileSync(path.join(dir, 'many', n), 'utf8'));
  });
});
