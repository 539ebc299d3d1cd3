/** Correlations over a time-ordered stream: sliding windows, expiry, group-by, aliases, order. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from '../../src/parser/index.js';
import type { CorrelationRule, SigmaDocument, SigmaRule } from '../../src/ast/types.js';
import { createCorrelator } from '../../src/eval/correlate.js';
import { runs } from '../helpers/property.js';

const BASE = `title: login failed
name: failed
logsource: {product: test}
detection:
  sel: {Action: failed}
  condition: sel
---
title: login ok
name: ok
logsource: {product: test}
detection:
  sel: {Action: ok}
  condition: sel
---
title: connection
name: conn
logsource: {product: test}
detection:
  sel: {Action: conn}
  condition: sel
`;

function docs(text: string): SigmaDocument[] {
  const r = parse(text, { schema: false });
  const errors = [...r.diagnostics, ...r.documents.flatMap((d) => d.diagnostics)].filter((d) => d.severity === 'error');
  if (errors.length) throw new Error(JSON.stringify(errors));
  return r.documents.map((d) => d.document!);
}

/** A correlator over the base rules and the correlation documents in `extra` (YAML after BASE). */
function correlatorOver(extra: string) {
  const all = docs(BASE + extra);
  return createCorrelator(
    all.filter((d): d is CorrelationRule => d.kind === 'correlation'),
    all.filter((d): d is SigmaRule => d.kind === 'rule'),
  );
}

function correlator(correlation: string) {
  return correlatorOver('---\ntitle: corr\nid: c0\n' + correlation);
}

const at = (s: number): string => new Date(Date.UTC(2024, 0, 1) + s * 1000).toISOString();

/** Pushes events and returns, per event, the alerts' group values (or null). */
function run(c: ReturnType<typeof correlator>, events: Record<string, unknown>[]): (unknown[] | null)[] {
  return events.map((e) => {
    const a = c.push(e);
    return a.length ? a.map((x) => ({ ...x.group, value: x.value })) : null;
  });
}

describe('event_count', () => {
  const corr =
    'correlation:\n  type: event_count\n  rules: [failed]\n  group-by: [User]\n  timespan: 10s\n  condition: {gte: 3}\n';
  it('fires when the sliding window holds enough events, per group', () => {
    const c = correlator(corr);
    const r = run(c, [
      { Action: 'failed', User: 'a', timestamp: at(0) },
      { Action: 'failed', User: 'b', timestamp: at(1) },
      { Action: 'failed', User: 'a', timestamp: at(5) },
      { Action: 'ok', User: 'a', timestamp: at(6) },
      { Action: 'failed', User: 'a', timestamp: at(9) },
    ]);
    expect(r).toEqual([null, null, null, null, [{ User: 'a', value: 3 }]]);
  });
  it('slides: old events expire with the timespan', () => {
    const c = correlator(corr);
    const r = run(c, [
      { Action: 'failed', User: 'a', timestamp: at(0) },
      { Action: 'failed', User: 'a', timestamp: at(6) },
      { Action: 'failed', User: 'a', timestamp: at(11) }, // t=0 expired: window {6, 11}
      { Action: 'failed', User: 'a', timestamp: at(15) }, // window {6, 11, 15}
    ]);
    expect(r).toEqual([null, null, null, [{ User: 'a', value: 3 }]]);
  });
  it('keeps bounded state over a long stream of distinct groups', () => {
    const c = correlator(corr);
    let max = 0;
    for (let i = 0; i < 20_000; i++) {
      c.push({ Action: 'failed', User: `u${i}`, TimeCreated: at(i) });
      max = Math.max(max, c.stateSize());
    }
    expect(max).toBeLessThanOrEqual(25);
  });
});

describe('value_count, value_sum, value_avg, value_percentile', () => {
  it('value_count counts distinct values', () => {
    const c = correlator(
      'correlation:\n  type: value_count\n  rules: [failed]\n  group-by: [Host]\n  timespan: 1m\n  condition: {field: User, gte: 3}\n',
    );
    const r = run(
      c,
      ['a', 'a', 'b', 'b', 'c'].map((u, i) => ({ Action: 'failed', User: u, Host: 'h', timestamp: at(i) })),
    );
    expect(r).toEqual([null, null, null, null, [{ Host: 'h', value: 3 }]]);
  });
  it('value_sum and value_avg aggregate numbers (a fired window starts over)', () => {
    const s = correlator(
      'correlation:\n  type: value_sum\n  rules: [conn]\n  group-by: [Host]\n  timespan: 1m\n  condition: {field: Bytes, gt: 100}\n',
    );
    expect(
      run(
        s,
        [60, 30, 20].map((b, i) => ({ Action: 'conn', Bytes: b, Host: 'h', timestamp: at(i) })),
      ),
    ).toEqual([null, null, [{ Host: 'h', value: 110 }]]);
    const a = correlator(
      'correlation:\n  type: value_avg\n  rules: [conn]\n  group-by: [Host]\n  timespan: 1m\n  condition: {field: Bytes, gte: 50}\n',
    );
    expect(
      run(
        a,
        [10, 90, 20, 60].map((b, i) => ({ Action: 'conn', Bytes: String(b), Host: 'h', timestamp: at(i) })),
      ),
    ).toEqual([null, [{ Host: 'h', value: 50 }], null, null]);
  });
  it('value_percentile: the share of the current value in the window', () => {
    const p = correlator(
      'correlation:\n  type: value_percentile\n  rules: [conn]\n  group-by: [Host]\n  timespan: 1h\n  condition: {field: Image, lte: 10}\n',
    );
    const events = Array.from({ length: 12 }, (_, i) => ({
      Action: 'conn',
      Host: 'h',
      Image: i === 11 ? 'rare.exe' : 'common.exe',
      timestamp: at(i),
    }));
    const r = run(p, events);
    expect(r.slice(0, 11).every((x) => x === null)).toBe(true);
    expect(r[11]).toEqual([{ Host: 'h', value: 100 / 12 }]);
  });
});

describe('temporal', () => {
  const t = (type: string) =>
    correlator(`correlation:\n  type: ${type}\n  rules: [failed, ok]\n  group-by: [User]\n  timespan: 1m\n`);
  it('temporal: all rules within the timespan, any order', () => {
    expect(
      run(t('temporal'), [
        { Action: 'ok', User: 'a', timestamp: at(0) },
        { Action: 'failed', User: 'a', timestamp: at(30) },
      ]),
    ).toEqual([null, [{ User: 'a', value: 2 }]]);
    expect(
      run(t('temporal'), [
        { Action: 'ok', User: 'a', timestamp: at(0) },
        { Action: 'failed', User: 'a', timestamp: at(61) },
      ]),
    ).toEqual([null, null]);
    expect(
      run(t('temporal'), [
        { Action: 'ok', User: 'a', timestamp: at(0) },
        { Action: 'failed', User: 'b', timestamp: at(1) },
      ]),
    ).toEqual([null, null]);
  });
  it('temporal_ordered: only in the given order', () => {
    expect(
      run(t('temporal_ordered'), [
        { Action: 'ok', User: 'a', timestamp: at(0) },
        { Action: 'failed', User: 'a', timestamp: at(1) },
      ]),
    ).toEqual([null, null]);
    expect(
      run(t('temporal_ordered'), [
        { Action: 'failed', User: 'a', timestamp: at(0) },
        { Action: 'ok', User: 'a', timestamp: at(1) },
      ]),
    ).toEqual([null, [{ User: 'a', value: 2 }]]);
    expect(
      run(t('temporal_ordered'), [
        { Action: 'ok', User: 'a', timestamp: at(0) },
        { Action: 'failed', User: 'a', timestamp: at(1) },
        { Action: 'ok', User: 'a', timestamp: at(2) },
      ]),
    ).toEqual([null, null, [{ User: 'a', value: 2 }]]);
  });
  it('aliases group different fields of different rules', () => {
    const c = correlator(
      'correlation:\n  type: temporal\n  rules: [failed, conn]\n  aliases:\n    ip:\n      failed: SourceIp\n      conn: DestinationIp\n  group-by: [ip]\n  timespan: 1m\n',
    );
    const r = run(c, [
      { Action: 'failed', SourceIp: '10.0.0.1', timestamp: at(0) },
      { Action: 'conn', DestinationIp: '10.0.0.2', timestamp: at(1) },
      { Action: 'conn', DestinationIp: '10.0.0.1', timestamp: at(2) },
    ]);
    expect(r).toEqual([null, null, [{ ip: '10.0.0.1', value: 2 }]]);
  });
  it('a correlation over a correlation sees its alerts', () => {
    const c = correlatorOver(
      '---\ntitle: brute\nname: brute\ncorrelation:\n  type: event_count\n  rules: [failed]\n  group-by: [User]\n  timespan: 1m\n  condition: {gte: 2}\n' +
        '---\ntitle: brute then ok\ncorrelation:\n  type: temporal_ordered\n  rules: [brute, ok]\n  group-by: [User]\n  timespan: 5m\n',
    );
    const out = [
      { Action: 'failed', User: 'a', timestamp: at(0) },
      { Action: 'failed', User: 'a', timestamp: at(1) },
      { Action: 'ok', User: 'a', timestamp: at(2) },
    ].map((e) => c.push(e).map((a) => a.correlation.title));
    expect(out).toEqual([[], ['brute'], ['brute then ok']]);
  });
  it('reports correlations that refer to missing rules', () => {
    const all = docs(
      'title: x\ncorrelation:\n  type: temporal\n  rules: [nope, nada]\n  group-by: [User]\n  timespan: 1m\n',
    );
    const c = createCorrelator(all as CorrelationRule[], []);
    expect(c.diagnostics.map((d) => d.code)).toEqual(['E006']);
  });
});

describe('counts bounded from above are decided when their window closes', () => {
  const lt =
    'correlation:\n  type: event_count\n  rules: [failed]\n  group-by: [User]\n  timespan: 10s\n  condition: {lt: 3}\n';
  const closed = (c: ReturnType<typeof correlator>, e: Record<string, unknown>) =>
    c.push(e).map((a) => ({ ...a.group, value: a.value, time: new Date(a.time).toISOString(), closed: a.closed }));

  it('lt: no alert on arrival; at the first event after the window, the groups that stayed below the bound', () => {
    const c = correlator(lt);
    const events = [
      { Action: 'failed', User: 'a', timestamp: at(0) },
      { Action: 'failed', User: 'b', timestamp: at(1) },
      { Action: 'failed', User: 'b', timestamp: at(2) },
      { Action: 'failed', User: 'b', timestamp: at(3) },
      { Action: 'failed', User: 'a', timestamp: at(10) }, // still in a's window [0, 10]
      { Action: 'ok', User: 'z', timestamp: at(12) }, // stream time passes both windows' ends
    ];
    const out = events.map((e) => closed(c, e));
    expect(out.slice(0, 5)).toEqual([[], [], [], [], []]);
    // a: 2 matches in [0 s, 10 s] → alert at the window's end; b: 3 matches → none.
    expect(out[5]).toEqual([{ User: 'a', value: 2, time: at(10), closed: true }]);
    expect(c.stateSize()).toBe(0);
  });

  it('eq: exactly N in the window, not the moment the N-th arrives', () => {
    const c = correlator(
      'correlation:\n  type: event_count\n  rules: [failed]\n  group-by: [User]\n  timespan: 10s\n  condition: {eq: 2}\n',
    );
    const out = [0, 1, 2].map((s) => closed(c, { Action: 'failed', User: 'a', timestamp: at(s) }));
    expect(out).toEqual([[], [], []]);
    expect(c.flush()).toEqual([]); // three, not two
    const d = correlator(
      'correlation:\n  type: event_count\n  rules: [failed]\n  group-by: [User]\n  timespan: 10s\n  condition: {eq: 2}\n',
    );
    [0, 1].forEach((s) => d.push({ Action: 'failed', User: 'a', timestamp: at(s) }));
    expect(d.flush().map((a) => ({ value: a.value, closed: a.closed }))).toEqual([{ value: 2, closed: true }]);
  });

  it('keeps bounded state: windows close as stream time passes them', () => {
    const c = correlator(lt);
    let max = 0;
    let alerts = 0;
    for (let i = 0; i < 20_000; i++) {
      alerts += c.push({ Action: 'failed', User: `u${i}`, TimeCreated: at(i) }).length;
      max = Math.max(max, c.stateSize());
    }
    expect(max).toBeLessThanOrEqual(12);
    expect(alerts + c.flush().length).toBe(20_000); // every user: one match, below 3
  });

  it('an outer correlation sees an inner window decided at its close, with the time of its end', () => {
    const c = correlatorOver(
      '---\ntitle: single failure\nname: single\ncorrelation:\n  type: event_count\n  rules: [failed]\n  group-by: [User]\n  timespan: 10s\n  condition: {lt: 2}\n' +
        '---\ntitle: single failure and a login\ncorrelation:\n  type: temporal\n  rules: [single, ok]\n  group-by: [User]\n  timespan: 1m\n',
    );
    const out = [
      { Action: 'failed', User: 'a', timestamp: at(0) },
      { Action: 'ok', User: 'a', timestamp: at(5) },
      { Action: 'conn', User: 'z', timestamp: at(20) }, // stream time passes the inner window's end (10 s)
    ].map((e) => c.push(e).map((a) => `${a.correlation.title}@${new Date(a.time).toISOString()}`));
    expect(out).toEqual([[], [], [`single failure@${at(10)}`, `single failure and a login@${at(10)}`]]);
  });

  it('flush() decides the windows still open at the end of the stream, and starts over', () => {
    const c = correlator(lt);
    c.push({ Action: 'failed', User: 'a', timestamp: at(0) });
    expect(c.flush().map((a) => a.group)).toEqual([{ User: 'a' }]);
    expect(c.flush()).toEqual([]);
    expect(c.stateSize()).toBe(0);
  });

  it('a range (gte and lt) waits for the window to end; a lower bound alone still fires on arrival', () => {
    const range = correlator(
      'correlation:\n  type: event_count\n  rules: [failed]\n  group-by: [User]\n  timespan: 10s\n  condition: {gte: 2, lt: 5}\n',
    );
    expect([0, 1].map((s) => range.push({ Action: 'failed', User: 'a', timestamp: at(s) }).length)).toEqual([0, 0]);
    expect(range.push({ Action: 'ok', timestamp: at(20) }).map((a) => [a.value, a.closed])).toEqual([[2, true]]);
    const atLeast = correlator(
      'correlation:\n  type: event_count\n  rules: [failed]\n  group-by: [User]\n  timespan: 10s\n  condition: {gte: 2}\n',
    );
    expect(
      [0, 1].map((s) =>
        atLeast.push({ Action: 'failed', User: 'a', timestamp: at(s) }).map((a) => [a.value, a.closed]),
      ),
    ).toEqual([[], [[2, undefined]]]);
  });

  it('matches a reference over random streams: consecutive windows from each first match, counted whole', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 4 }), fc.constantFrom('a', 'b')), { maxLength: 40 }),
        fc.integer({ min: 1, max: 5 }),
        (steps, bound) => {
          const c = correlator(
            `correlation:\n  type: event_count\n  rules: [failed]\n  group-by: [User]\n  timespan: 6s\n  condition: {lte: ${bound}}\n`,
          );
          let t = 0;
          const stream = steps.map(([dt, user]) => ({ Action: 'failed', User: user, timestamp: at((t += dt)) }));
          const got: string[] = [];
          for (const e of stream) for (const a of c.push(e)) got.push(`${String(a.group.User)}@${a.time}=${a.value}`);
          for (const a of c.flush()) got.push(`${String(a.group.User)}@${a.time}=${a.value}`);
          // Reference: per user, windows [t0, t0 + 6 s] opened by the first match after the previous window.
          const want: { user: string; end: number; n: number }[] = [];
          for (const user of ['a', 'b']) {
            let end = -Infinity;
            let n = 0;
            for (const e of stream.filter((x) => x.User === user)) {
              const time = Date.parse(e.timestamp);
              if (time > end) {
                if (n > 0 && n <= bound) want.push({ user, end, n });
                end = time + 6000;
                n = 0;
              }
              n++;
            }
            if (n > 0 && n <= bound) want.push({ user, end, n });
          }
          expect([...got].sort()).toEqual(want.map((w) => `${w.user}@${w.end}=${w.n}`).sort());
        },
      ),
      { numRuns: runs(300) },
    );
  });
});
