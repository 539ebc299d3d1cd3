/** Dates: YYYY-MM-DD, and the older YYYY/MM/DD accepted with a warning that fmt rewrites. */
import { describe, expect, it } from 'vitest';
import { parse } from '../../src/parser/index.js';
import { formatSigmaText } from '../../src/backends/sigma/format.js';

const rule = (date: string): string =>
  `title: t\ndate: ${date}\nmodified: ${date}\nlogsource:\n    product: windows\ndetection:\n    sel:\n        EventID: 1\n    condition: sel\n`;

describe('rule dates', () => {
  it('accepts YYYY/MM/DD with P036 and reads it as YYYY-MM-DD', () => {
    const d = parse(rule('2019/10/24'), { file: 'r.yml' }).documents[0]!;
    expect(d.diagnostics.map((x) => [x.code, x.severity])).toEqual([
      ['P036', 'warning'],
      ['P036', 'warning'],
    ]);
    expect(d.document?.date).toBe('2019-10-24');
    expect(d.document?.modified).toBe('2019-10-24');
  });

  it('still rejects what is no date (P030)', () => {
    for (const bad of ['2019/13/24', '2019.10.24', '24/10/2019', '2019-02-30']) {
      const codes = parse(rule(bad), { file: 'r.yml' }).documents[0]!.diagnostics.map((x) => x.code);
      expect(codes, bad).toContain('P030');
    }
  });

  it('fmt rewrites the older form, and the result parses without warnings', () => {
    const r = formatSigmaText(rule('2019/10/24'));
    expect(r.diagnostics).toEqual([]);
    expect(r.reasons).toContain('date form');
    expect(r.text).toContain('date: 2019-10-24\nmodified: 2019-10-24\n');
    expect(parse(r.text).documents[0]!.diagnostics).toEqual([]);
  });
});
