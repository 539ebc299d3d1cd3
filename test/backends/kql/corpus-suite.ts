/**
 * The checks every KQL pipeline's corpus suite makes, registered once per pipeline: the 3,754
 * detection rules convert without crashing, every query binds in Microsoft's parser, at least
 * `floor` convert and every failure has a coded reason, every route that receives corpus rules
 * converts some (but the `dead` ones, each with why), and the route coverage doc is current.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { getPipeline } from '../../../src/pipelines/registry.js';
import type { Route } from '../../../src/pipelines/types.js';
import { expectGolden } from '../../helpers/golden.js';
import { REPO_ROOT } from '../../helpers/paths.js';
import { DETECTION_FOLDERS, routeCoverage, routeCoverageDoc, runCorpus, type Outcome } from './corpus-run.js';

/** Registers the suite; the returned function gives the run's outcome to the file's own tests. */
export function corpusSuite(
  pipeline: string,
  opts: { floor: number; dead?: Record<string, string>; timeout?: number },
): () => Outcome {
  let o: Outcome;
  beforeAll(() => {
    o = runCorpus(pipeline, DETECTION_FOLDERS);
  }, opts.timeout ?? 900_000);
  const routes = (): readonly Route[] => getPipeline(pipeline)!.routes ?? [];

  describe(`${pipeline} over the SigmaHQ corpus (rules/, rules-emerging-threats/, rules-threat-hunting/)`, () => {
    it('converts without crashing', () => {
      expect(o.documents).toBeGreaterThan(3000);
      expect(o.crashes).toEqual([]);
    });
    it('every emitted query parses and binds in the Kusto language service', () => {
      expect(
        o.invalid
          .slice(0, 3)
          .map((x) => ({ file: x.file, errors: x.errors.slice(0, 3), query: x.query.slice(0, 600) })),
      ).toEqual([]);
    });
    it(`converts at least ${opts.floor} of the 3,754 rules; every failure has a coded reason`, () => {
      const tally = JSON.stringify({ converted: o.converted, failed: o.failed, reasons: o.reasons });
      expect(o.converted, tally).toBeGreaterThanOrEqual(opts.floor);
      const reported = Object.values(o.reasons).reduce((a, b) => a + b, 0);
      expect(reported, tally).toBe(o.failed);
    });
    it('every route that receives corpus rules converts some of them (but the known dead ones)', () => {
      const rows = routeCoverage(routes(), o);
      const dead = rows.filter((r) => r.rules > 0 && r.converted === 0).map((r) => r.route);
      expect(dead.sort()).toEqual(Object.keys(opts.dead ?? {}).sort());
      expect(rows.filter((r) => r.converted > 0).length).toBeGreaterThan(10);
    });
    it(`writes its route coverage to docs/pipelines/route-coverage/${pipeline}.md (golden)`, (ctx) => {
      const doc = routeCoverageDoc(pipeline, routes(), o);
      expectGolden(ctx, path.join(REPO_ROOT, `docs/pipelines/route-coverage/${pipeline}.md`), doc);
    });
  });
  return () => o;
}
