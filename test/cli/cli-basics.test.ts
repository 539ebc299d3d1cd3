/**
 * The CLI's own edges: its version wherever it runs, a closed stdout, no command, and rule text
 * that tries to drive the terminal.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, sigil } from '../helpers/cli.js';
import { REPO_ROOT } from '../helpers/paths.js';

const ownVersion = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string })
  .version;

describe('sigil CLI basics', () => {
  it('--version prints Sigil’s version, not the current folder’s package.json', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sigil-version-'));
    try {
      fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'other', version: '9.9.9' }));
      const r = spawnSync(process.execPath, [BIN, '--version'], { cwd: dir, encoding: 'utf8' });
      expect(r.stdout.trim()).toBe(ownVersion);
      expect(r.status).toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exits quietly when stdout is closed early', () => {
    for (const cmd of [
      `node ${JSON.stringify(BIN)} parse rules --json 2>err.txt | head -c 1 >/dev/null; echo $\{PIPESTATUS[0]}`,
      `node ${JSON.stringify(BIN)} list targets 2>err.txt | true; echo $\{PIPESTATUS[0]}`,
    ]) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sigil-epipe-'));
      try {
        fs.cpSync(path.join(REPO_ROOT, 'rules'), path.join(dir, 'rules'), { recursive: true });
        const r = spawnSync('bash', ['-c', cmd], { cwd: dir, encoding: 'utf8' });
        expect(r.stdout.trim()).toBe('0');
        const stderr = fs.readFileSync(path.join(dir, 'err.txt'), 'utf8');
        expect(stderr).not.toMatch(/EPIPE|Error|at .*\.js:\d+/);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }
  });

  it('with no command, prints the commands and exits 2', () => {
    const r = sigil([]);
    expect(r.status).toBe(2);
    for (const c of ['convert', 'lint', 'parse', 'test', 'hunt', 'fmt', 'list', 'coverage'])
      expect(r.stderr).toContain(`sigil ${c}`);
    expect(r.stderr).toContain('Name a command');
  });

  it('never prints a rule’s terminal escape sequences raw in diagnostics', () => {
    const rule = [
      'title: "Evil \\e]0;pwned\\a\\e[8m hidden \\u202e"',
      'logsource: {category: process_creation, product: windows}',
      'detection: {sel: {Image|endswith: x}, condition: sel}',
      'level: high',
      '',
    ].join('\n');
    const r = sigil(['convert', '-', '-t', 'kql', '-p', 'sentinel-asim', '--format', 'sentinel-arm'], { input: rule });
    expect(r.stderr).toContain('C015');
    expect(r.stderr).not.toMatch(/[\x1b\x07\u202e]/);
    const lint = sigil(['lint', '-'], { input: rule });
    expect(lint.stdout + lint.stderr).not.toMatch(/[\x1b\x07\u202e]/);
  });

  it('an unknown --set option is a usage error naming the known ones', () => {
    const r = sigil(['convert', 'rules', '-t', 'splunk', '--set', 'indx=foo'], {});
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(
      "unknown --set option 'indx' for splunk/query (known: index, unscoped, source_convention)",
    );
    const kql = sigil(['convert', 'rules', '-t', 'kql', '--set', 'index=foo']);
    expect(kql.status).toBe(2);
    expect(kql.stderr).toContain('(known: none)');
    const ok = sigil([
      'convert',
      'rules',
      '-t',
      'splunk',
      '--format',
      'savedsearches',
      '--set',
      'cron-schedule=*/5 * * * *',
    ]);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain('cron_schedule = */5 * * * *');
  });
});
