/**
 * Golden files: expected output committed beside the tests and reviewed by eye. One switch for
 * every golden suite:
 *
 *   npx vitest run                          compares; a missing golden file fails
 *   SIGIL_UPDATE_GOLDEN=1 npx vitest run    writes each golden file and compares nothing: the
 *                                           test is reported as skipped, with what was written;
 *                                           review the change with `git diff`
 *
 * Updating is refused (the test fails) when CI is set: golden files are written on a developer
 * machine and reviewed, never regenerated where they should be checked.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect, type TestContext } from 'vitest';
import { REPO_ROOT } from './paths.js';

const FLAG = 'SIGIL_UPDATE_GOLDEN';

function updating(): boolean {
  if (process.env['UPDATE_GOLDEN'] !== undefined)
    throw new Error(`UPDATE_GOLDEN is no longer read: set ${FLAG}=1 to rewrite golden files`);
  const value = process.env[FLAG];
  if (value === undefined || value === '' || value === '0') return false;
  if (value !== '1') throw new Error(`${FLAG} must be 1 (write the golden files) or unset, not '${value}'`);
  const ci = process.env['CI'];
  if (ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false')
    throw new Error(
      `${FLAG}=1 is refused when CI=${ci}: golden files are written on a developer machine and reviewed in the diff, not regenerated in CI`,
    );
  return true;
}

/**
 * Compares `actual` with the golden file `file` (UTF-8 text), or with SIGIL_UPDATE_GOLDEN=1
 * writes it there and skips the test. Call it last in a test: skipping ends the test.
 */
export function expectGolden(ctx: TestContext, file: string, actual: string): void {
  const name = path.relative(REPO_ROOT, file);
  if (updating()) {
    const before = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
    if (before !== actual) {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, actual);
    }
    ctx.skip(
      `${FLAG}=1: ${before === undefined ? 'created' : before === actual ? 'unchanged' : 'rewrote'} ${name}, not compared`,
    );
  }
  expect(fs.existsSync(file), `${name} is missing: write it with ${FLAG}=1 and review it`).toBe(true);
  expect(actual, name).toBe(fs.readFileSync(file, 'utf8'));
}

/** As expectGolden for a JSON value: written as 2-space JSON, compared structurally (toEqual). */
export function expectGoldenJson(ctx: TestContext, file: string, actual: unknown): void {
  const name = path.relative(REPO_ROOT, file);
  const text = JSON.stringify(actual, null, 2) + '\n';
  if (updating()) return expectGolden(ctx, file, text);
  expect(fs.existsSync(file), `${name} is missing: write it with ${FLAG}=1 and review it`).toBe(true);
  expect(JSON.parse(text), name).toEqual(JSON.parse(fs.readFileSync(file, 'utf8')));
}
