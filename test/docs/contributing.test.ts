/**
 * docs/CONTRIBUTING.md stays true: every file and npm script it names exists, the registration
 * points it names are where backends, pipelines and checks are registered, and every registered
 * backend, pipeline and check has the docs and tests it asks for.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listBackends } from '../../src/backends/index.js';
import { BUILTIN_PIPELINES } from '../../src/pipelines/builtin/index.js';
import { checks } from '../../src/lint/registry.js';
import { REPO_ROOT } from '../helpers/paths.js';

const doc = fs.readFileSync(path.join(REPO_ROOT, 'docs/CONTRIBUTING.md'), 'utf8');
const read = (rel: string): string => fs.readFileSync(path.join(REPO_ROOT, rel), 'utf8');

describe('docs/CONTRIBUTING.md', () => {
  it('names only files that exist', () => {
    const named = [...doc.matchAll(/\b((?:src|test|scripts|docs)\/[\w./-]+\.(?:ts|mjs|md))\b/g)].map((m) => m[1]!);
    expect(named.length).toBeGreaterThan(15);
    for (const rel of named.filter((r) => !r.includes('<')))
      expect(fs.existsSync(path.join(REPO_ROOT, rel)), rel).toBe(true);
  });

  it('names only npm scripts that exist, and .ci/run runs each check it lists', () => {
    const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
    const named = [...doc.matchAll(/npm run ([\w:]+)/g)].map((m) => m[1]!);
    for (const s of named) expect(scripts, s).toHaveProperty(s);
    const ci = read('.ci/run');
    for (const s of ['typecheck', 'format:check', 'lint:code', 'check:cycles', 'knip'])
      expect(ci).toContain(`npm run ${s}`);
  });

  it('registration points are where it says', () => {
    expect(read('src/backends/index.ts')).toMatch(/const BUILTIN_BACKENDS: Backend\[\] = \[/);
    expect(read('src/pipelines/builtin/index.ts')).toMatch(/export const BUILTIN_PIPELINES: PipelineSpec\[\] = \[/);
    expect(read('src/lint/registry.ts')).toMatch(/checks\/<family>\//);
  });

  it('every backend, pipeline and check has its docs', () => {
    for (const b of listBackends())
      expect(fs.existsSync(path.join(REPO_ROOT, `docs/backends/${b.name}.md`)), b.name).toBe(true);
    for (const p of BUILTIN_PIPELINES)
      expect(fs.existsSync(path.join(REPO_ROOT, `docs/pipelines/${p.name}.md`)), p.name).toBe(true);
    for (const c of checks)
      expect(fs.existsSync(path.join(REPO_ROOT, `docs/lint/${c.meta.code}.md`)), c.meta.code).toBe(true);
  });

  it('every backend has its tests folder', () => {
    for (const b of listBackends())
      expect(fs.existsSync(path.join(REPO_ROOT, `test/backends/${b.name}`)), b.name).toBe(true);
  });
});
