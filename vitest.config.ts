import os from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * The suites that walk the whole SigmaHQ corpus in ../shared, and those that load Microsoft's
 * Kusto language service. They share one parse of the corpus (test/helpers/corpus.ts keeps it
 * in a module-level cache, deep-frozen) and one load of the language service
 * (test/backends/kql/kusto.ts), so they run without isolation: one module graph per worker,
 * reused from file to file. They must not change global state. vitest queues them first (it
 * orders the files of a run by project name: `shared` before `unit`), so each worker takes them
 * one after the other and keeps its caches, then goes on to the isolated suites with no wait
 * between the two. docs/testing.md
 */
const SHARED_SUITES = [
  'test/corpus/parse-corpus.test.ts',
  'test/parser/yaml-fast-corpus.test.ts',
  'test/lint/corpus.test.ts',
  'test/lint/checks-sigmahq-more.test.ts',
  'test/eval/regression.test.ts',
  'test/backends/kql/corpus-*.test.ts',
  'test/backends/kql/escaping.test.ts',
  'test/backends/kql/formats.test.ts',
  'test/backends/kql/golden.test.ts',
  'test/backends/kql/semantics.property.test.ts',
  'test/backends/kql/event-table.test.ts',
  'test/backends/kql/keywords.test.ts',
  'test/backends/kql/sentinel-sources.test.ts',
  'test/backends/kql/presence.property.test.ts',
  'test/backends/splunk/corpus.test.ts',
  'test/backends/splunk/corpus-*.test.ts',
  'test/backends/sigma/roundtrip.test.ts',
  'test/backends/sigma/fmt-corpus.test.ts',
];

// The property-test run multiplier (SIGIL_FUZZ, test/helpers/property.ts; `npm run test:fuzz`
// sets 20): timeouts grow with it.
const fuzz = Number(process.env['SIGIL_FUZZ'] || 1);
const timeout = 120_000 * (Number.isFinite(fuzz) && fuzz > 1 ? fuzz : 1);

/** What both projects share (not the worker count: set on the root, `--maxWorkers` overrides it). */
const common = { testTimeout: timeout, hookTimeout: timeout, pool: 'threads' } as const;

export default defineConfig({
  test: {
    // One worker per core. (vitest's default leaves one core to its main thread, which is
    // mostly idle: on 2 cores that ran every suite one after the other.)
    maxWorkers: os.availableParallelism(),
    projects: [
      // Not isolated either: re-importing the sources for each of ~90 files cost about 45 CPU-s
      // of ~220 (measured, session 6). The price is a rule for every test file: leave no global
      // state behind (restore spies, remove temporary files, register nothing globally).
      {
        test: { ...common, name: 'unit', include: ['test/**/*.test.ts'], exclude: SHARED_SUITES, isolate: false },
      },
      { test: { ...common, name: 'shared', include: SHARED_SUITES, isolate: false } },
    ],
  },
});
