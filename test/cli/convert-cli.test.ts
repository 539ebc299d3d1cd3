import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/paths.js';
import { sigil } from '../helpers/cli.js';

const RULE = path.join(
  REPO_ROOT,
  'rules/windows/process_creation/proc_creation_win_wmic_event_subscription_creation.yml',
);

describe('sigil convert: usage errors exit 2 with a message', () => {
  it.each([
    [['convert', RULE, '-p', 'nope'], /unknown pipeline nope/],
    [['convert', RULE, '-t', 'nope'], /unknown target 'nope'/],
    [['convert', RULE, '--format', 'nope'], /unknown format 'nope'/],
    [['convert', '/no/such/rule.yml'], /no such file or directory/],
    [['convert', RULE, '--set', 'novalue'], /--set takes key=value/],
  ])('%j', (args, message) => {
    const r = sigil(args as string[]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/); // no stack trace
  });
});

describe('sigil convert: inputs and outputs', () => {
  it('reads a rule from stdin (-)', () => {
    const r = sigil(['convert', '-', '-t', 'kql', '-p', 'defender-xdr'], { input: fs.readFileSync(RULE, 'utf8') });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('DeviceProcessEvents');
  });

  it('-o DIR/ writes one file per rule, named after the rule file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sigil-out-')) + '/';
    try {
      const r = sigil([
        'convert',
        path.join(REPO_ROOT, 'rules/windows/process_creation'),
        '-t',
        'kql',
        '-p',
        'sentinel',
        '--format',
        'sentinel-rule',
        '-o',
        dir,
      ]);
      expect(r.status).toBe(0);
      const files = fs.readdirSync(dir).sort();
      const rules = fs
        .readdirSync(path.join(REPO_ROOT, 'rules/windows/process_creation'))
        .filter((f) => f.endsWith('.yml') && !f.endsWith('.tests.yml'));
      expect(files).toEqual(rules.map((f) => f.replace(/\.yml$/, '.yaml')).sort());
      expect(files.some((f) => f.includes('.tmp'))).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('sigil convert: deployment settings from .sigil.yml (artifacts:)', () => {
  const withConfig = (config: string, run: (dir: string, file: string) => void): void => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sigil-artifacts-'));
    try {
      const file = path.join(dir, '.sigil.yml');
      fs.writeFileSync(file, config);
      run(dir, file);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };

  it('applies the defaults of the format', () => {
    withConfig('artifacts:\n  sentinel-rule:\n    queryFrequency: 1d\n    queryPeriod: 1d\n', (_dir, file) => {
      const r = sigil(['convert', RULE, '-p', 'sentinel', '--format', 'sentinel-rule', '--config', file]);
      expect(r.status).toBe(0);
      expect(r.stdout).toContain('queryFrequency: 1d');
    });
  });

  it('an invalid value is a usage error located in the file', () => {
    withConfig('checks: {}\nartifacts:\n  sentinel-rule:\n    queryPeriod: P1W\n', (_dir, file) => {
      const r = sigil(['convert', RULE, '-p', 'sentinel', '--format', 'sentinel-arm', '--config', file]);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(`${file}:4:18: error C038 artifacts.sentinel-rule.queryPeriod`);
      expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
    });
  });

  it("another format's section is left to that format", () => {
    withConfig('artifacts:\n  defender-detection:\n    frequency: 2h\n', (_dir, file) => {
      const r = sigil(['convert', RULE, '-p', 'sentinel', '--format', 'sentinel-rule', '--config', file]);
      expect(r.status).toBe(0);
    });
  });
});
