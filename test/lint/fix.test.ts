/**
 * `sigil lint --fix`: per fixable check, the fixed file equals the expected file and fixing it
 * again changes nothing; comments are kept; the CLI writes atomically, reports what remains,
 * and --fix-dry-run prints a unified diff and writes nothing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixText } from '../../src/cli/fix.js';
import { checks } from '../../src/lint/registry.js';
import type { SigmaRule } from '../../src/ast/types.js';
import { compileRule } from '../../src/eval/compile.js';
import { parse } from '../../src/parser/index.js';
import { sigil } from '../helpers/cli.js';
import { REPO_ROOT } from '../helpers/paths.js';

const DIR = path.join(REPO_ROOT, 'test/lint/fixtures/fix');
const read = (name: string): string => fs.readFileSync(path.join(DIR, name), 'utf8');

/** Fixture → the checks whose fixes it exercises. */
const CASES: [string, string[]][] = [
  ['tag-format', ['T001']],
  ['tag-duplicate', ['T003']],
  ['attack-revoked', ['T005']],
  ['attack-revoked-present', ['T005']],
  ['wildcards-instead-of-modifiers', ['D008']],
  ['fmt-layout', []],
];

describe('lint --fix, per fixable check', () => {
  it.each(CASES)('%s: fixed output equals the expected file, and a second run changes nothing', (name, codes) => {
    const r = fixText(read(`${name}.yml`), { file: `${name}.yml` });
    expect(r.text).toBe(read(`${name}.fixed.yml`));
    expect([...new Set(r.applied.map((f) => f.code))]).toEqual(codes);
    const again = fixText(r.text, { file: `${name}.yml` });
    expect(again.changed).toBe(false);
    expect(again.applied).toEqual([]);
  });

  it('keeps comments', () => {
    expect(read('tag-format.fixed.yml')).toContain('# the tactic');
    expect(read('attack-revoked.fixed.yml')).toContain('# Winlogon Helper DLL');
    expect(read('fmt-layout.fixed.yml')).toContain('# A comment on the rule');
    expect(read('fmt-layout.fixed.yml')).toContain('# the tool');
  });

  it('every fixable check has a fixture, and only fixable checks attach edits that are applied', () => {
    const fixable = checks.filter((c) => c.meta.fixable).map((c) => c.meta.code);
    expect(fixable.sort()).toEqual(['D008', 'T001', 'T003', 'T005']);
    for (const code of fixable)
      expect(
        CASES.some(([, codes]) => codes.includes(code)),
        code,
      ).toBe(true);
  });

  it('leaves a tag alone when lower case does not make it well formed', () => {
    const text = read('tag-format.yml').replace('Attack.T1059.001', 'Attack.T1059/001');
    const r = fixText(text, { file: 'x.yml' });
    expect(r.text).toContain('Attack.T1059/001');
  });

  it('D008: the rule matches the same events before and after (evaluator), escaped backslashes and list selections left alone', () => {
    const rule = (text: string): SigmaRule => parse(text).documents[0]!.document as SigmaRule;
    const before = compileRule(rule(read('wildcards-instead-of-modifiers.yml')));
    const after = compileRule(rule(read('wildcards-instead-of-modifiers.fixed.yml')));
    expect(before.ok && after.ok).toBe(true);
    const images = ['C:\\Tools\\evil.exe', 'C:\\evil.exe.bak', 'evil.exe'];
    const lines = ['a -enc b', 'x-decode', '-enc', 'nothing'];
    const parents = ['C:\\Windows\\Temp\\x.exe', 'c:\\windows\\temp\\x.exe', 'C:\\Other'];
    const dirs = ['C:\\Temp\\', 'C:\\x\\Temp\\y'];
    const users = ['DOMAIN\\admin', 'OTHER\\admin'];
    let compared = 0;
    for (const Image of images)
      for (const CommandLine of lines)
        for (const ParentImage of parents)
          for (const CurrentDirectory of dirs)
            for (const User of users) {
              const e = { Image, CommandLine, ParentImage, CurrentDirectory, User };
              expect(after.matches(e), JSON.stringify(e)).toBe(before.matches(e));
              compared++;
            }
    expect(compared).toBe(144);
    const fixed = read('wildcards-instead-of-modifiers.fixed.yml');
    expect(fixed).toContain("- CurrentDirectory: '*\\Temp\\*'");
    expect(fixed).toContain("User: 'DOMAIN\\\\*'");
  });

  it('leaves a file that does not parse as it is', () => {
    const broken = 'title: x\nlogsource: [\n';
    expect(fixText(broken).text).toBe(broken);
  });
});

describe('sigil lint --fix (CLI)', () => {
  let dir = '';
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sigil-fix-'));
    for (const [name] of CASES)
      fs.copyFileSync(
        path.join(DIR, `${name}.yml`),
        path.join(dir, `proc_creation_win_${name.replace(/-/g, '_')}.yml`),
      );
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('--fix-dry-run prints a unified diff and writes nothing', () => {
    const before = fs.readdirSync(dir).map((f) => fs.readFileSync(path.join(dir, f), 'utf8'));
    const r = sigil(['lint', dir, '--fix-dry-run', '--no-noise']);
    expect(r.stdout).toContain(`--- ${path.join(dir, 'proc_creation_win_tag_format.yml')}\n`);
    expect(r.stdout).toContain('-    - Attack.T1059.001\n');
    expect(r.stdout).toContain('+    - attack.t1059.001\n');
    expect(r.stderr).toContain('would fix 6 files');
    expect(fs.readdirSync(dir).map((f) => fs.readFileSync(path.join(dir, f), 'utf8'))).toEqual(before);
  });

  it('--fix rewrites the files, reports what remains, and a second run fixes nothing', () => {
    const r = sigil(['lint', dir, '--fix', '--no-noise']);
    expect(r.stderr).toContain('fixed 6 files');
    // What remains is reported: here the fixtures' shared id and title (cross-file), which no fix can choose.
    expect(r.stdout).not.toMatch(/ (T001|T003|T005) /);
    expect(r.stdout).toMatch(/ error X001 /);
    expect(r.status).toBe(1);
    for (const [name] of CASES)
      expect(fs.readFileSync(path.join(dir, `proc_creation_win_${name.replace(/-/g, '_')}.yml`), 'utf8')).toBe(
        read(`${name}.fixed.yml`),
      );
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const again = sigil(['lint', dir, '--fix', '--no-noise']);
    expect(again.stderr).toContain('fixed 0 files');
  });

  it('refuses standard input (exit 2)', () => {
    expect(sigil(['lint', '-', '--fix'], { input: read('tag-format.yml') }).status).toBe(2);
  });
});
