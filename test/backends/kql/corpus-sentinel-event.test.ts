import { beforeAll, describe, expect, it } from 'vitest';
import type { SigmaDocument } from '../../../src/ast/types.js';
import { convertDocument } from '../../../src/convert.js';
import { lookupRule } from '../../../src/parser/index.js';
import { parsedCorpus } from '../../helpers/corpus.js';
import { DETECTION_FOLDERS } from './corpus-run.js';
import { corpusSuite } from './corpus-suite.js';
import { kqlInvalid } from './kusto.js';

/**
 * Routes that receive corpus rules and convert none, with why (checked to stay so; any other dead
 * route fails): the PrintService rules search keywords, which on Event would read the raw XML (C009).
 */
const DEAD: Record<string, string> = {
  'product: windows, service: printservice-admin': 'its one corpus rule searches keywords (C009 on Event)',
  'product: windows, service: printservice-operational': 'its one corpus rule searches keywords (C009 on Event)',
};
corpusSuite('sentinel-event', { floor: 3309, dead: DEAD });

// Every rule `sentinel` converts via WindowsEvent converts via Event (here, beside the corpus run,
// so that the language service binds each Event query once).
interface Tally {
  windowsEvent: number;
  event: number;
  missing: { file: string; code: string; errors: string }[];
  invalid: { file: string; errors: string[]; query: string }[];
}

describe('the Event table over the SigmaHQ corpus: what sentinel reads from WindowsEvent, sentinel-event reads from Event', () => {
  let tally: Tally;
  beforeAll(() => {
    const results = parsedCorpus(DETECTION_FOLDERS, { schema: false }).map((f) => f.result);
    const docs: { file: string; doc: SigmaDocument }[] = results.flatMap((r) =>
      r.documents
        .filter((d) => d.document && !d.diagnostics.some((x) => x.severity === 'error'))
        .map((d) => ({ file: r.file!, doc: d.document! })),
    );
    tally = { windowsEvent: 0, event: 0, missing: [], invalid: [] };
    const queries: { file: string; query: string }[] = [];
    for (const { file, doc } of docs) {
      if (doc.kind !== 'rule') continue;
      const lookup = (ref: string) => lookupRule(results, ref);
      const base = convertDocument(doc, { target: 'kql', pipelines: ['sentinel'], lookup });
      if (!base.ok || !base.tables.includes('WindowsEvent')) continue;
      tally.windowsEvent++;
      const r = convertDocument(doc, { target: 'kql', pipelines: ['sentinel-event'], lookup });
      if (!r.ok || !r.tables.includes('Event')) {
        tally.missing.push({
          file,
          code: r.ok ? 'table' : r.errors[0]!.code,
          errors: r.ok ? r.tables.join(',') : r.errors.map((e) => e.message).join('; '),
        });
        continue;
      }
      tally.event++;
      queries.push(...r.queries.map((query) => ({ file, query })));
    }
    // Bound with the per-query cache: runCorpus('sentinel-event') above bound the same queries.
    tally.invalid.push(...kqlInvalid(queries, 'sentinel'));
  }, 600_000);
  it('converts every rule that sentinel converts via WindowsEvent, via Event, but keyword rules (C009)', () => {
    // 2,638 rules via WindowsEvent; 2,625 via Event; 13 keyword rules refused (the raw XML holds
    // markup and escaped text, so `* contains` there is not Sigma's keyword match).
    expect(tally.windowsEvent).toBeGreaterThan(2600);
    expect(tally.missing.filter((m) => m.code !== 'C009').slice(0, 5)).toEqual([]);
    expect(tally.missing.length).toBeLessThanOrEqual(13);
    expect(tally.event + tally.missing.length).toBe(tally.windowsEvent);
  });
  it('every query parses and binds in the Kusto language service (Event columns from the schema)', () => {
    expect(tally.invalid.slice(0, 3)).toEqual([]);
  });
});
