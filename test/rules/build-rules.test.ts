import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/paths.js';

describe('npm run build:rules', () => {
  it('lints, tests and compiles the pack to every target and format', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'sigil-build-rules-'));
    try {
      const log = execFileSync(process.execPath, [path.join(REPO_ROOT, 'scripts/build-rules.mjs'), '--out', out], {
        cwd: REPO_ROOT,
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1' },
      });
      expect(log).toMatch(/10 of 10 steps passed/);
      for (const dir of ['kql-defender', 'kql-sentinel', 'splunk', 'sigma'])
        expect(fs.readdirSync(path.join(out, dir)).length, dir).toBeGreaterThan(0);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
});
