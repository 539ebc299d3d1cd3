import path from 'node:path';
import { REPO_ROOT } from '../../helpers/paths.js';
import { expectGolden } from '../../helpers/golden.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { routeCoverage, routeCoverageDoc, runCorpus, type Outcome } from './corpus-run.js';
import { getPipeline } from '../../../src/pipelines/registry.js';

let o: Outcome;

/**
 * Routes that receive corpus rules and convert none, with why (checked to stay so; any other dead
 * route fails): the PrintService rules search keywords, which on Event would read the raw XML (C009).
 */
const DEAD: Record<string, string> = {
  'product: windows, service: printservice-admin': 'its one corpus rule searches keywords (C009 on Event)',
  'product: windows, service: printservice-operational': 'its one corpus rule searches keywords (C009 on Event)',
};
beforeAll(() => {
  o = runCorpus('sentinel-event', ['rules', 'rules-emerging-threats', 'rules-threat-hunting']);
}, 900_000);

describe('sentinel-event over the SigmaHQ corpus', () => {
  it('converts without crashing', () => {
    expect(o.documents).toBeGreaterThan(3000);
    expect(o.crashes).toEqual([]);
  });
  it('every emitted query parses and binds in the Kusto language service', () => {
    expect(
      o.invalid.slice(0, 3).map((x) => ({ file: x.file, errors: x.errors.slice(0, 3), query: x.query.slice(0, 600) })),
    ).toEqual([]);
  });
  it('converts at least 3309 of the 3,754 rules of rules/, rules-emerging-threats/ and rules-threat-hunting/; every failure has a coded reason', () => {
    const tally = JSON.stringify({ converted: o.converted, failed: o.failed, reasons: o.reasons });
    expect(o.converted, tally).toBeGreaterThanOrEqual(3309);
    const reported = Object.values(o.reasons).reduce((a, b) => a + b, 0);
    expect(reported, tally).toBe(o.failed);
  });
  it('every route that receives corpus rules converts some of them (but the known dead ones)', () => {
    const rows = routeCoverage(getPipeline('sentinel-event')!.routes ?? [], o);
    const dead = rows.filter((r) => r.rules > 0 && r.converted === 0).map((r) => r.route);
    expect(dead.sort()).toEqual(Object.keys(DEAD).sort());
    expect(rows.filter((r) => r.converted > 0).length).toBeGreaterThan(10);
  });
  it('writes its route coverage to docs/pipelines/route-coverage/sentinel-event.md (golden)', (ctx) => {
    const doc = routeCoverageDoc('sentinel-event', getPipeline('sentinel-event')!.routes ?? [], o);
    expectGolden(ctx, path.join(REPO_ROOT, 'docs/pipelines/route-coverage/sentinel-event.md'), doc);
  });
});
