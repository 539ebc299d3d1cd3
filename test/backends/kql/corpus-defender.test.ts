import { beforeAll, describe, expect, it } from 'vitest';
import { runCorpus, type Outcome } from './corpus-run.js';

let o: Outcome;
beforeAll(() => {
  o = runCorpus('defender-xdr');
}, 300_000);

describe('defender-xdr over the SigmaHQ corpus', () => {
  it('converts without crashing', () => {
    expect(o.documents).toBeGreaterThan(3000);
    expect(o.crashes).toEqual([]);
  });
  it('every emitted query parses and binds in the Kusto language service', () => {
    expect(
      o.invalid.slice(0, 3).map((x) => ({ file: x.file, errors: x.errors.slice(0, 3), query: x.query.slice(0, 600) })),
    ).toEqual([]);
  });
  it('converts at least 1745 rules; every failure has a coded reason', () => {
    const tally = JSON.stringify({ converted: o.converted, failed: o.failed, reasons: o.reasons });
    expect(o.converted, tally).toBeGreaterThanOrEqual(1745);
    const reported = Object.values(o.reasons).reduce((a, b) => a + b, 0);
    expect(reported, tally).toBe(o.failed);
  });
  it('places the categories pySigma leaves out (wmi_event, driver_load, pipe_created, create_remote_thread)', () => {
    for (const cat of [
      'wmi_event',
      'driver_load',
      'pipe_created',
      'create_remote_thread',
      'process_creation',
      'image_load',
      'file_event',
      'registry_set',
      'network_connection',
    ]) {
      expect(o.byCategory[cat] ?? 0, cat).toBeGreaterThan(0);
    }
  });
});
