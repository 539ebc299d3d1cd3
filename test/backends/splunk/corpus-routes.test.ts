/**
 * Route coverage of the Splunk pipelines (splunk, splunk-windows, splunk-cim) over SigmaHQ's
 * detection folders: every route that receives corpus rules converts some of them, and the
 * per-route table is written to docs/pipelines/route-coverage/<pipeline>.md as a golden file
 * (SIGIL_UPDATE_GOLDEN=1, test/helpers/golden.ts).
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { convertDocument } from '../../../src/convert.js';
import { lookupRule } from '../../../src/parser/index.js';
import { getPipeline } from '../../../src/pipelines/registry.js';
import { ruleEventIds } from '../../../src/pipelines/routes.js';
import { parsedCorpus } from '../../helpers/corpus.js';
import { expectGolden } from '../../helpers/golden.js';
import { REPO_ROOT } from '../../helpers/paths.js';
import { routeCoverage, routeCoverageDoc, type RouteOutcome } from '../../helpers/route-coverage.js';
import { DETECTION_FOLDERS } from '../kql/corpus-run.js';

const PIPELINES = ['splunk', 'splunk-windows', 'splunk-cim'] as const;

/**
 * Routes that receive corpus rules and convert none, with why (each is checked to stay dead, so
 * that the list stays true; any other dead route fails).
 */
const DEAD: Record<string, Record<string, string>> = {
  'splunk-cim': {
    // Network_Traffic.All_Traffic has no process path (CIM's Network Traffic fields), and every
    // corpus network_connection rule reads Image, Initiated or DestinationHostname.
    'category: network_connection':
      'every rule reads Image, Initiated or DestinationHostname, which Network_Traffic.All_Traffic does not carry (C002)',
  },
};
const outcomes: Record<string, RouteOutcome> = {};

beforeAll(() => {
  const results = parsedCorpus([...DETECTION_FOLDERS], { schema: false }).map((f) => f.result);
  const docs = results.flatMap((r) =>
    r.documents.filter((d) => d.document && !d.diagnostics.some((x) => x.severity === 'error')).map((d) => d.document!),
  );
  for (const pipeline of PIPELINES) {
    const o: RouteOutcome = { documents: docs.length, logsources: [] };
    for (const doc of docs) {
      if (doc.kind !== 'rule') continue;
      const r = convertDocument(doc, {
        target: 'splunk',
        pipelines: [pipeline],
        lookup: (ref) => lookupRule(results, ref),
      });
      o.logsources.push({ logsource: doc.logsource, eventIds: ruleEventIds(doc), converted: r.ok });
    }
    outcomes[pipeline] = o;
  }
}, 900_000);

for (const pipeline of PIPELINES) {
  describe(`${pipeline}: route coverage over the SigmaHQ corpus`, () => {
    const routes = getPipeline(pipeline)!.routes ?? [];
    it('every route that receives corpus rules converts some of them (but the known dead ones)', () => {
      const rows = routeCoverage(routes, outcomes[pipeline]!);
      const dead = rows.filter((r) => r.rules > 0 && r.converted === 0).map((r) => r.route);
      expect(dead.sort()).toEqual(Object.keys(DEAD[pipeline] ?? {}).sort());
      expect(rows.filter((r) => r.converted > 0).length).toBeGreaterThan(5);
    });
    it(`writes its route coverage to docs/pipelines/route-coverage/${pipeline}.md (golden)`, (ctx) => {
      const doc = routeCoverageDoc(pipeline, routes, outcomes[pipeline]!, 'test/backends/splunk/corpus-routes.test.ts');
      expectGolden(ctx, path.join(REPO_ROOT, `docs/pipelines/route-coverage/${pipeline}.md`), doc);
    });
  });
}
