/**
 * The plain `git` CLI, for `sigil ci`: which files changed since a base revision, and a file's
 * contents at that revision. git runs without a shell (file names never reach one) and its path
 * lists are NUL-separated (-z), so names with spaces, quotes or newlines come through as written.
 */
import { execFileSync } from 'node:child_process';
import { UsageError } from '../io.js';

export type ChangeStatus = 'added' | 'modified' | 'deleted' | 'renamed';

export interface FileChange {
  status: ChangeStatus;
  /** Path relative to the repository root, in the working tree (the old path for a deletion). */
  path: string;
  /** For a rename: the path at the base revision. */
  from?: string;
}

function git(cwd: string, args: readonly string[]): Buffer {
  try {
    return execFileSync('git', args, {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 1 << 30,
      // A repository's own hooks or pagers have no say here.
      env: { ...process.env, GIT_PAGER: 'cat', GIT_OPTIONAL_LOCKS: '0' },
    });
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: Buffer };
    if (err.code === 'ENOENT') throw new UsageError('git is not installed');
    throw new UsageError(
      `git ${args[0]}: ${(err.stderr?.toString('utf8') ?? err.message).trim().split('\n')[0] ?? 'failed'}`,
    );
  }
}

/** The repository's root directory, or undefined when `dir` is not inside a git work tree (or git is missing). */
export function gitRoot(dir: string): string | undefined {
  try {
    return git(dir, ['rev-parse', '--show-toplevel']).toString('utf8').replace(/\n$/, '');
  } catch {
    return undefined;
  }
}

/** Whether `ref` names a commit. */
export function isCommit(root: string, ref: string): boolean {
  try {
    // `--end-of-options` keeps a ref starting with '-' from being read as an option.
    git(root, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`]);
    return true;
  } catch {
    return false;
  }
}

/**
 * Files that differ between `base` and the working tree (committed, staged or not), renames
 * detected, plus untracked files that are not ignored.
 */
export function changedFiles(root: string, base: string): FileChange[] {
  const changes: FileChange[] = [];
  const fields = git(root, ['diff', '--name-status', '-z', '-M', '--no-ext-diff', '--end-of-options', base, '--'])
    .toString('utf8')
    .split('\0');
  for (let i = 0; i < fields.length && fields[i] !== '';) {
    const status = fields[i++]!;
    if (status.startsWith('R')) {
      const from = fields[i++]!;
      changes.push({ status: 'renamed', from, path: fields[i++]! });
    } else if (status.startsWith('C')) {
      i++; // a copy: the source is unchanged
      changes.push({ status: 'added', path: fields[i++]! });
    } else {
      const p = fields[i++]!;
      changes.push({ status: status === 'A' ? 'added' : status === 'D' ? 'deleted' : 'modified', path: p });
    }
  }
  const untracked = git(root, ['ls-files', '--others', '--exclude-standard', '-z']).toString('utf8').split('\0');
  for (const p of untracked) if (p) changes.push({ status: 'added', path: p });
  return changes;
}

/** A file's contents at `ref`, or undefined when it does not exist there. */
export function showFile(root: string, ref: string, relPath: string): Buffer | undefined {
  try {
    // `./` anchors the path at the root whatever the current directory; `REF:path` takes the rest literally.
    return git(root, ['show', '--no-textconv', `${ref}:./${relPath}`]);
  } catch {
    return undefined;
  }
}
