import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CORPUS, REPO_ROOT } from '../helpers/paths.js';

const BIN = path.join(REPO_ROOT, 'bin/sigil.js');

function run(args: string[], env: Record<string, string> = {}): { stdout: string; stderr: string } {
  try {
    const stdout = execFileSync(process.execPath, [BIN, ...args], { env: { ...process.env, ...env, NO_COLOR: '1' }, maxBuffer: 1 << 30, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
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
    const parallel = run(['parse', ...dirs, '--json']);
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
      const parallel = run(args);
      const single = run(args, { SIGIL_NO_WORKERS: '1' });
      expect(parallel.stdout.length).toBeGreaterThan(100_000);
      expect(parallel.stdout).toBe(single.stdout);
    }
  });
});
