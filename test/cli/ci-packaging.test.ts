/**
 * The CI packaging: the GitHub Action (action.yml) and the pre-commit hooks
 * (.pre-commit-hooks.yaml), checked for the keys their runners require and for commands and
 * options the CLI has.
 */
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { sigil } from '../helpers/cli.js';
import { REPO_ROOT } from '../helpers/paths.js';

const read = (f: string): unknown => YAML.parse(fs.readFileSync(path.join(REPO_ROOT, f), 'utf8'));

/** pre-commit's languages (pre-commit 4) and the manifest keys it knows. */
const LANGUAGES = [
  'conda',
  'coursier',
  'dart',
  'docker',
  'docker_image',
  'dotnet',
  'fail',
  'golang',
  'haskell',
  'julia',
  'lua',
  'node',
  'perl',
  'pygrep',
  'python',
  'r',
  'ruby',
  'rust',
  'script',
  'swift',
  'system',
  'unsupported',
  'unsupported_script',
];
const HOOK_KEYS = [
  'id',
  'name',
  'entry',
  'language',
  'alias',
  'files',
  'exclude',
  'types',
  'types_or',
  'exclude_types',
  'additional_dependencies',
  'args',
  'always_run',
  'fail_fast',
  'pass_filenames',
  'description',
  'language_version',
  'log_file',
  'minimum_pre_commit_version',
  'require_serial',
  'stages',
  'verbose',
];

describe('.pre-commit-hooks.yaml', () => {
  const hooks = read('.pre-commit-hooks.yaml') as Record<string, unknown>[];

  it('is a list of hooks sigil-lint, sigil-fmt, sigil-test with the required keys (id, name, entry, language)', () => {
    expect(Array.isArray(hooks)).toBe(true);
    expect(hooks.map((h) => h['id'])).toEqual(['sigil-lint', 'sigil-fmt', 'sigil-test']);
    for (const h of hooks) {
      for (const k of ['id', 'name', 'entry', 'language']) expect(typeof h[k], `${h['id']}.${k}`).toBe('string');
      expect(LANGUAGES).toContain(h['language']);
      for (const k of Object.keys(h)) expect(HOOK_KEYS, `${h['id']}: unknown key ${k}`).toContain(k);
      for (const k of ['files', 'exclude'])
        if (h[k] !== undefined) expect(() => new RegExp(h[k] as string)).not.toThrow();
      if (h['args'] !== undefined) expect(Array.isArray(h['args'])).toBe(true);
    }
  });

  it('runs commands and options the CLI has', () => {
    for (const h of hooks) {
      const [bin, ...args] = (h['entry'] as string).split(' ');
      expect(bin).toBe('sigil');
      const r = sigil([...args, '--help']);
      expect(r.status, `${h['entry']}: ${r.stderr}`).toBe(0);
    }
  });

  it('excludes hidden files and rule tests from lint and fmt', () => {
    const lintHook = hooks[0]!;
    const exclude = new RegExp(lintHook['exclude'] as string);
    for (const f of ['.sigil.yml', '.github/workflows/sigil.yml', 'rules/a.tests.yml'])
      expect(exclude.test(f), f).toBe(true);
    expect(exclude.test('rules/windows/proc_creation_win_x.yml')).toBe(false);
  });
});

describe('action.yml', () => {
  const action = read('action.yml') as {
    name: string;
    description: string;
    inputs: Record<string, { description: string; default?: string }>;
    outputs: Record<string, { description: string; value: string }>;
    runs: { using: string; steps: { id?: string; shell?: string; run?: string; env?: Record<string, string> }[] };
  };

  it('is a composite action with described inputs and outputs', () => {
    expect(action.name).toBeTruthy();
    expect(action.description).toBeTruthy();
    expect(action.runs.using).toBe('composite');
    for (const k of ['version', 'base', 'config', 'sarif', 'summary', 'junit'])
      expect(action.inputs[k]?.description, k).toBeTruthy();
    for (const k of ['sarif', 'report'])
      expect(action.outputs[k]?.value).toMatch(/^\$\{\{ steps\.check\.outputs\.\w+ \}\}$/);
    // Every run step of a composite action names its shell.
    for (const s of action.runs.steps) if (s.run !== undefined) expect(s.shell).toBe('bash');
  });

  it('runs a pinned published version, and passes inputs through the environment, never into the script', () => {
    expect(action.inputs['version']!.default).toMatch(/^\d+\.\d+\.\d+$/);
    const step = action.runs.steps.find((s) => s.id === 'check')!;
    expect(step.run).toContain('npx --yes "${SIGIL_PACKAGE}@${SIGIL_VERSION}"');
    expect(step.run).not.toContain('${{');
    for (const v of Object.values(step.env ?? {})) expect(v).toMatch(/^\$\{\{ [^}]+ \}\}$/);
  });

  it('uses only options sigil ci has', () => {
    const help = sigil(['ci', '--help']).stdout;
    const step = action.runs.steps.find((s) => s.id === 'check')!;
    for (const m of step.run!.matchAll(/(--[a-z][a-z-]+)/g)) if (m[1] !== '--yes') expect(help).toContain(m[1]);
  });
});
