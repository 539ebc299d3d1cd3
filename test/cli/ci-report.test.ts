/** The `sigil ci` report on a large change: under GitHub's 1 MiB job summary, totals and every row kept. */
import { describe, expect, it } from 'vitest';
import { renderReport, type CiRun } from '../../src/cli/ci/report.js';
import type { Side, SideFile } from '../../src/cli/ci/side.js';

const KEY = 'kql (defender-xdr) / query';
const file = (rel: string, query: string): SideFile => ({
  rel,
  findings: [],
  documents: [{ index: 0, title: `Rule ${rel}`, findings: [], outputs: new Map([[KEY, { text: query }]]), tests: [] }],
});

describe('ci report size', () => {
  it('a 2,000-rule change stays under 1 MiB, with every rule in the table and the omitted sections named', () => {
    const query = (n: number): string =>
      Array.from({ length: 40 }, (_, k) => `| where Field${k} == "${n}-${k}"`).join('\n') + '\n';
    const entries = Array.from({ length: 2000 }, (_, i) => ({
      selected: {
        rel: `rules/r${i}.yml`,
        baseRel: `rules/r${i}.yml`,
        status: 'modified' as const,
        reasons: ['modified'],
        contextOnly: false,
      },
      before: file(`rules/r${i}.yml`, query(i)),
      after: file(`rules/r${i}.yml`, query(i + 1)),
    }));
    const head: Side = {
      files: new Map(),
      lint: { documents: [], fileFindings: [], counts: { error: 0, warning: 0, info: 0 } },
      tests: [],
      testProblems: [],
      pipelineProblems: [],
    };
    const run: CiRun = {
      scope: 'Base main → working tree: 2000 changed files',
      entries,
      head,
      totals: {
        files: 2000,
        byStatus: { modified: 2000 },
        errors: 0,
        warnings: 0,
        infos: 0,
        testsPassed: 0,
        testsFailed: 0,
        testProblems: 0,
        outputsChanged: 2000,
        conversionFailures: 0,
        newConversionFailures: 0,
      },
      failed: false,
      outputKeys: [KEY],
      pipelineProblems: [],
    };
    const md = renderReport(run);
    expect(Buffer.byteLength(md)).toBeLessThan(1024 * 1024);
    expect(md.startsWith('## Sigil CI: passed')).toBe(true);
    for (const i of [0, 999, 1999]) expect(md).toContain(`| modified | <code>rules/r${i}.yml</code> |`);
    const shown = md.match(/<details>/g)!.length;
    expect(shown).toBeGreaterThan(100);
    expect(shown).toBeLessThan(2000);
    expect(md).toContain(`${2000 - shown} more sections are not shown`);
  });
});
