/**
 * How many runs each property test (fast-check) makes, from one place.
 *
 * Every `fc.assert` passes `{ numRuns: runs(n) }`, where n is its count in the default profile
 * (`npm test`): sized so the whole suite stays quick on a 2-core machine while each property
 * still reaches every branch its coverage assertions ask for. The environment variable
 * SIGIL_FUZZ (a number ≥ 1) multiplies every count:
 *
 *   npm test                 SIGIL_FUZZ unset: the default profile (factor 1)
 *   npm run test:fuzz        SIGIL_FUZZ=20: twenty times as many runs (minutes, not seconds)
 *   SIGIL_FUZZ=100 npx vitest run test/parser/yaml-fast.test.ts    one suite, longer still
 *
 * vitest.config.ts multiplies the timeouts by the same factor.
 *
 * A failure prints fast-check's seed and path; replay it with `{ seed, path }` in the options.
 * docs/testing.md
 */

function factor(): number {
  const raw = process.env['SIGIL_FUZZ'];
  if (raw === undefined || raw === '') return 1;
  const f = Number(raw);
  if (!Number.isFinite(f) || f < 1) throw new Error(`SIGIL_FUZZ must be a number ≥ 1, not '${raw}'`);
  return f;
}

/** The run-count multiplier in effect (SIGIL_FUZZ, default 1). */
export const FUZZ = factor();

/** The number of runs for a property whose default-profile count is `n`. */
export function runs(n: number): number {
  return Math.round(n * FUZZ);
}
