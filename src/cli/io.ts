/** File and stream I/O for the CLI (the library core never touches the file system). */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { forTerminal } from '../util/inert-text.js';

export const STDIN = '-';

export class UsageError extends Error {}

const RULE_EXT = /\.ya?ml$/i;
/** Rule tests beside a rule (`name.tests.yml`, docs/rule-tests.md) are not rules: a directory walk skips them. */
const TESTS_EXT = /\.tests\.ya?ml$/i;

/**
 * Expands files and directories (recursively, `*.yml`/`*.yaml`, sorted) and `-` (stdin).
 * Nothing is passed over silently: a directory that cannot be read, a broken link or a path that
 * is not a regular file is kept in the list, and reading it then gives a located diagnostic
 * (pool-tasks.ts). Links are followed, each real directory walked once (no loops).
 */
export function expandPaths(paths: readonly string[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const walk = (dir: string): void => {
    let real: string;
    let entries: fs.Dirent[];
    try {
      real = fs.realpathSync(dir);
      if (seen.has(real)) return;
      seen.add(real);
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      out.push(dir);
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (e.name.startsWith('.') || e.name === 'node_modules') continue;
      const p = path.join(dir, e.name);
      let isDir = e.isDirectory();
      if (e.isSymbolicLink()) {
        try {
          isDir = fs.statSync(p).isDirectory();
        } catch {
          isDir = false;
        }
      }
      // Anything else named like a rule (a broken link, a FIFO) is reported when read, not dropped.
      if (isDir) walk(p);
      else if (RULE_EXT.test(e.name) && !TESTS_EXT.test(e.name)) out.push(p);
    }
  };
  for (const p of paths) {
    if (p === STDIN) {
      out.push(STDIN);
      continue;
    }
    let st: fs.Stats;
    try {
      st = fs.statSync(p);
    } catch {
      throw new UsageError(`no such file or directory: ${p}`);
    }
    if (st.isDirectory()) walk(p);
    else out.push(p);
  }
  return out;
}

/**
 * Nothing to work on is a usage error for every command (exit 2): a directory with no rule
 * file in it is most likely the wrong directory.
 */
export function requireRuleFiles(files: readonly string[], paths: readonly string[]): void {
  if (files.length === 0) throw new UsageError(`no rule files (*.yml, *.yaml) among ${paths.join(', ')}`);
}

let stdinCache: Uint8Array | undefined;

/** What a path is when it is not a regular file, for messages. */
function kindOf(st: fs.Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

/**
 * Reads an input file. Only regular files are opened: a FIFO or device named as a rule would
 * block or never end. A directory gives the error that reading it gives (EACCES for one that
 * cannot be listed); the error's `code` says what went wrong.
 */
export function readInput(p: string): Uint8Array {
  if (p === STDIN) {
    stdinCache ??= fs.readFileSync(0);
    return stdinCache;
  }
  const st = fs.statSync(p);
  if (st.isDirectory()) fs.readdirSync(p); // throws EACCES & co. for the directory expandPaths could not list
  if (!st.isFile())
    throw Object.assign(new Error(`${p} is ${kindOf(st)}`), { code: `not a regular file (${kindOf(st)})` });
  return fs.readFileSync(p);
}

/** Display name of an input (stdin shows as `<stdin>`). */
export function displayName(p: string): string {
  return p === STDIN ? '<stdin>' : p;
}

/** Temporary files being written: removed if the process is interrupted (SIGINT, SIGTERM, SIGHUP). */
const inFlight = new Set<string>();
let cleanupInstalled = false;

function installCleanup(): void {
  if (cleanupInstalled) return;
  cleanupInstalled = true;
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const)
    process.once(signal, () => {
      for (const tmp of inFlight) fs.rmSync(tmp, { force: true });
      process.exit(code);
    });
}

/**
 * Writes a file so that it is either wholly old or wholly new, and never replaces what is not a
 * regular file:
 * - a symbolic link is followed: its target is rewritten and the link stays;
 * - a device, FIFO or socket (`-o /dev/null`) is written to directly, never replaced;
 * - a read-only file is refused (an error), not silently rewritten;
 * - otherwise a temporary file with a short name (`.sigil-<hex>.tmp`, whatever the length of the
 *   file's name) beside the target, with the target's permissions, is renamed over it.
 */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  let target = file;
  try {
    target = fs.realpathSync(file);
  } catch {
    // does not exist yet (or a dangling link, whose own path is written)
  }
  let existing: fs.Stats | undefined;
  try {
    existing = fs.statSync(target);
  } catch {
    existing = undefined;
  }
  if (existing && !existing.isFile()) {
    if (existing.isDirectory()) throw Object.assign(new Error(`${file} is a directory`), { code: 'EISDIR' });
    fs.writeFileSync(target, data);
    return;
  }
  if (existing && (existing.mode & 0o222) === 0)
    throw Object.assign(new Error(`${file} is read-only`), { code: 'EROFS_FILE' });
  const dir = path.dirname(target);
  fs.mkdirSync(dir, { recursive: true });
  const tmp = path.join(dir, `.sigil-${randomBytes(6).toString('hex')}.tmp`);
  installCleanup();
  inFlight.add(tmp);
  try {
    fs.writeFileSync(tmp, data, existing ? { mode: existing.mode & 0o7777 } : {});
    fs.renameSync(tmp, target);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  } finally {
    inFlight.delete(tmp);
  }
}

/**
 * Writes to stdout, tolerating a closed pipe (`sigil … | head`). Output is data and reaches files
 * and pipes byte for byte; only a terminal gets control characters escaped.
 */
export function out(text: string): void {
  try {
    process.stdout.write(process.stdout.isTTY ? forTerminal(text) : text);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPIPE') throw e;
  }
}

/**
 * Writes diagnostics to stderr. Rule text reaches them (titles, values, file names): control
 * characters are shown escaped, so a rule cannot drive the terminal (only Sigil's own colours pass).
 */
export function err(text: string): void {
  process.stderr.write(forTerminal(text, true));
}

export const useColor = (): boolean =>
  !process.env['NO_COLOR'] && process.stderr.isTTY === true && process.env['TERM'] !== 'dumb';

/** A progress line on stderr for long runs, shown only on a terminal (never in pipes or CI logs). */
export function progress(total: number): { tick(): void; done(): void } {
  const show = process.stderr.isTTY === true && !process.env['CI'] && total > 200;
  let n = 0;
  let last = 0;
  return {
    tick() {
      n++;
      if (!show) return;
      const now = Date.now();
      if (now - last < 100 && n !== total) return;
      last = now;
      process.stderr.write(`\r${n}/${total} files`);
    },
    done() {
      if (show) process.stderr.write('\r\x1b[K');
    },
  };
}
