import { describe, expect, it } from 'vitest';
import { timespanText } from '../../src/backends/timespan.js';

describe('timespanText', () => {
  it('uses the largest unit that divides the span', () => {
    expect(timespanText(86400 * 2)).toBe('2d');
    expect(timespanText(3600)).toBe('1h');
    expect(timespanText(5400)).toBe('90m');
    expect(timespanText(300)).toBe('5m');
    expect(timespanText(90)).toBe('90s');
    expect(timespanText(1)).toBe('1s');
  });

  it('keeps a multiple of days in days, not in weeks or hours', () => {
    expect(timespanText(86400 * 7)).toBe('7d');
    expect(timespanText(86400 + 3600)).toBe('25h');
  });
});
