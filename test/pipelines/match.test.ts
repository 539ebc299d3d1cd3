import { describe, expect, it } from 'vitest';
import { whenHolds } from '../../src/pipelines/match.js';

describe('whenHolds', () => {
  const ls = { product: 'windows', service: 'security' };
  const ids = (...xs: number[]): Set<string> => new Set(xs.map(String));

  it('eventIds: holds only for a rule whose every event ID is in the list', () => {
    const when = { logsource: { service: 'security' }, eventIds: [4720, 4732] };
    expect(whenHolds(when, ls, 'DeviceEvents', ids(4720))).toBe(true);
    expect(whenHolds(when, ls, 'DeviceEvents', ids(4720, 4732))).toBe(true);
    expect(whenHolds(when, ls, 'DeviceEvents', ids(4720, 4698))).toBe(false);
    // A detection that does not restrict EventID to exact values (undefined), or restricts it to none.
    expect(whenHolds(when, ls, 'DeviceEvents', undefined)).toBe(false);
    expect(whenHolds(when, ls, 'DeviceEvents', ids())).toBe(false);
  });

  it('the other keys still have to hold', () => {
    const when = { table: 'DeviceEvents', eventIds: [4720] };
    expect(whenHolds(when, ls, 'DeviceLogonEvents', ids(4720))).toBe(false);
    expect(whenHolds(when, { product: 'windows', service: 'system' }, 'DeviceEvents', ids(4720))).toBe(true);
    expect(whenHolds({ logsource: { service: 'system' } }, ls, 'DeviceEvents', ids(4720))).toBe(false);
    expect(whenHolds(undefined, ls, undefined, undefined)).toBe(true);
  });
});
