/** Runs the built CLI (bin/sigil.js) as a user would, without colours. */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from './paths.js';

export const BIN = path.join(REPO_ROOT, 'bin/sigil.js');

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function sigil(
  args: string[],
  options: { input?: string; env?: Record<string, string>; cwd?: string } = {},
): CliRun {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
    ...(options.input !== undefined ? { input: options.input } : {}),
    env: { ...process.env, NO_COLOR: '1', ...options.env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
