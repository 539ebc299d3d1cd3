import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CORPUS, REPO_ROOT } from '../helpers/paths.js';

const BIN = path.join(REPO_ROOT, 'bin/sigil.js');

function run(args: string[], env: Record<string, string> = {}): { stdout: string; stderr: string } {
  try {
    const stdout = execFileSync(process.execPath, [BIN, ...args], {
      env: { ...process.env, ...env, NO_COLOR: '1' },
      maxBuffer: 1 << 30,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return { stdout, stderr: '' };
  } catch (e) {
    const err = e as { stdout: string; stderr: string; status: number };
    if (err.status !== 1) throw e;
    return { stdout: err.stdout, stderr: err.stderr };
  }
}

describe('parallel parsing (src/cli/parse-pool.ts)', () => {
  it('gives byte-identical results to single-threaded parsing over the corpus', () => {
    // rules/ alone is above the parallel threshold; deprecated/ and unsupported/ add files with errors.
    const dirs = ['rules', 'deprecated', 'unsupported'].map((d) => path.join(CORPUS, d));
    const parallel = run(['parse', ...dirs, '--json'], { SIGIL_WORKERS: '1' });
    const single = run(['parse', ...dirs, '--json'], { SIGIL_NO_WORKERS: '1' });
    const lines = parallel.stdout.split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThan(3300);
    expect(parallel.stdout).toBe(single.stdout);
    expect(lines.some((l) => l.includes('"errors"'))).toBe(true);
  });
});

describe('parallel conversion (convert runs parse + convert per file in the pool)', () => {
  it('prints the same bytes as single-threaded conversion, in JSON and as queries', () => {
    const rules = path.join(CORPUS, 'rules');
    for (const args of [
      ['convert', rules, '-t', 'kql', '-p', 'defender-xdr', '--json'],
      ['convert', rules, '-t', 'splunk', '--format', 'savedsearches'],
    ]) {
      const parallel = run(args, { SIGIL_WORKERS: '1' });
      const single = run(args, { SIGIL_NO_WORKERS: '1' });
      expect(parallel.stdout.length).toBeGreaterThan(100_000);
      expect(parallel.stdout).toBe(single.stdout);
    }
  });
});

describe('how many workers (workerCount)', () => {
  it('none on 2 cores by default, one per core from the third (at most 3); SIGIL_WORKERS / SIGIL_NO_WORKERS decide when set', async () => {
    const { workerCount } = await import('../../src/cli/parse-pool.js');
    const os = await import('node:os');
    const saved = { w: process.env.SIGIL_WORKERS, n: process.env.SIGIL_NO_WORKERS };
    try {
      delete process.env.SIGIL_WORKERS;
      delete process.env.SIGIL_NO_WORKERS;
      expect(workerCount()).toBe(Math.max(0, Math.min(3, os.availableParallelism() - 2)));
      process.env.SIGIL_WORKERS = '2';
      expect(workerCount()).toBe(2);
      process.env.SIGIL_NO_WORKERS = '1';
      expect(workerCount()).toBe(0);
    } finally {
      if (saved.w === undefined) delete process.env.SIGIL_WORKERS;
      else process.env.SIGIL_WORKERS = saved.w;
      if (saved.n === undefined) delete process.env.SIGIL_NO_WORKERS;
      else process.env.SIGIL_NO_WORKERS = saved.n;
    }
  });
});
