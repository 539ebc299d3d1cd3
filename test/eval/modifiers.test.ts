/** One behaviour per modifier and value type, on hand-written rules and events. */
import { describe, expect, it } from 'vitest';
import { parse } from '../../src/parser/index.js';
import type { SigmaRule } from '../../src/ast/types.js';
import { compileRule, type CompileOptions } from '../../src/eval/compile.js';
import { createEngine } from '../../src/eval/engine.js';
import { normalizeEvent } from '../../src/eval/event-shapes.js';

export function ruleFrom(detection: string, extra = ''): SigmaRule {
  const text = `title: t\nid: 11111111-1111-4111-8111-111111111111\nlogsource: {product: windows, category: process_creation}\n${extra}detection:\n${detection
    .trim()
    .split('\n')
    .map((l) => '  ' + l)
    .join('\n')}\n`;
  const r = parse(text, { schema: false });
  const d = r.documents[0]!;
  const errors = [...r.diagnostics, ...d.diagnostics].filter((x) => x.severity === 'error');
  if (errors.length) throw new Error(JSON.stringify(errors));
  return d.document as SigmaRule;
}

const m = (detection: string, options?: CompileOptions) => compileRule(ruleFrom(detection), options);

describe('strings', () => {
  it('is case-insensitive unless cased', () => {
    const r = m("sel:\n  Image: 'C:\\Windows\\CMD.exe'\ncondition: sel");
    expect(r.matches({ Image: 'c:\\windows\\cmd.EXE' })).toBe(true);
    const c = m("sel:\n  Image|cased: 'CMD.exe'\ncondition: sel");
    expect(c.matches({ Image: 'CMD.exe' })).toBe(true);
    expect(c.matches({ Image: 'cmd.exe' })).toBe(false);
  });
  it('contains, startswith, endswith and all', () => {
    expect(m('sel:\n  A|contains: bc\ncondition: sel').matches({ A: 'abcd' })).toBe(true);
    expect(m('sel:\n  A|startswith: ab\ncondition: sel').matches({ A: 'xabcd' })).toBe(false);
    expect(m('sel:\n  A|endswith: cd\ncondition: sel').matches({ A: 'abcd' })).toBe(true);
    const all = m('sel:\n  A|contains|all: [a, z]\ncondition: sel');
    expect(all.matches({ A: 'abc' })).toBe(false);
    expect(all.matches({ A: 'abcz' })).toBe(true);
  });
  it('wildcards and escapes', () => {
    const r = m("sel:\n  A: 'a?c*\\*'\ncondition: sel");
    expect(r.matches({ A: 'abcxx*' })).toBe(true);
    expect(r.matches({ A: 'abcxx' })).toBe(false);
    expect(m("sel:\n  A: 'x\\?'\ncondition: sel").matches({ A: 'xy' })).toBe(false);
    expect(m("sel:\n  A: 'x\\?'\ncondition: sel").matches({ A: 'x?' })).toBe(true);
  });
  it('empty string matches an empty value, not an absent field', () => {
    const r = m("sel:\n  A: ''\ncondition: sel");
    expect(r.matches({ A: '' })).toBe(true);
    expect(r.matches({})).toBe(false);
  });
  it('windash accepts every dash variant', () => {
    const r = m("sel:\n  CommandLine|windash|contains: ' -enc '\ncondition: sel");
    for (const d of ['-', '/', '\u2013', '\u2014', '\u2015'])
      expect(r.matches({ CommandLine: `powershell ${d}enc AAA` })).toBe(true);
    expect(r.matches({ CommandLine: 'powershell +enc AAA' })).toBe(false);
  });
  it('neq negates', () => {
    const r = m('sel:\n  A|neq: x\ncondition: sel');
    expect(r.matches({ A: 'y' })).toBe(true);
    expect(r.matches({ A: 'X' })).toBe(false);
  });
  it('a string predicate matches the string form of numbers and booleans', () => {
    expect(m("sel:\n  EventID: '4688'\ncondition: sel").matches({ EventID: 4688 })).toBe(true);
    expect(m("sel:\n  A: 'true'\ncondition: sel").matches({ A: true })).toBe(true);
  });
});

describe('encodings', () => {
  it('base64 and base64offset', () => {
    const b = m("sel:\n  A|base64: 'http://'\ncondition: sel");
    expect(b.matches({ A: Buffer.from('http://').toString('base64') })).toBe(true);
    const o = m("sel:\n  A|base64offset|contains: 'http://'\ncondition: sel");
    for (const pre of ['', 'x', 'xy'])
      expect(o.matches({ A: 'zz' + Buffer.from(pre + 'http://evil').toString('base64') })).toBe(true);
  });
  it('utf16le / wide / utf16be / utf16 then base64', () => {
    const enc = (s: string, e: BufferEncoding): string => Buffer.from(s, e).toString('base64');
    expect(
      m("sel:\n  A|wide|base64offset|contains: 'cmd'\ncondition: sel").matches({ A: enc('run cmd now', 'utf16le') }),
    ).toBe(true);
    expect(m("sel:\n  A|utf16le|base64: 'cmd'\ncondition: sel").matches({ A: enc('cmd', 'utf16le') })).toBe(true);
    const be = Buffer.from('cmd', 'utf16le').swap16().toString('base64');
    expect(m("sel:\n  A|utf16be|base64: 'cmd'\ncondition: sel").matches({ A: be })).toBe(true);
    const bom = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('cmd', 'utf16le')]).toString('base64');
    expect(m("sel:\n  A|utf16|base64: 'cmd'\ncondition: sel").matches({ A: bom })).toBe(true);
  });
});

describe('regular expressions', () => {
  it('searches, case-sensitive unless i; m and s flags; (?i) prefix', () => {
    expect(m("sel:\n  A|re: 'b+c'\ncondition: sel").matches({ A: 'abbbcd' })).toBe(true);
    expect(m("sel:\n  A|re: 'ABC'\ncondition: sel").matches({ A: 'abc' })).toBe(false);
    expect(m("sel:\n  A|re|i: 'ABC'\ncondition: sel").matches({ A: 'abc' })).toBe(true);
    expect(m("sel:\n  A|re: '(?i)ABC'\ncondition: sel").matches({ A: 'abc' })).toBe(true);
    expect(m("sel:\n  A|re: '^b$'\ncondition: sel").matches({ A: 'a\nb' })).toBe(false);
    expect(m("sel:\n  A|re|m: '^b$'\ncondition: sel").matches({ A: 'a\nb' })).toBe(true);
    expect(m("sel:\n  A|re: 'a.b'\ncondition: sel").matches({ A: 'a\nb' })).toBe(false);
    expect(m("sel:\n  A|re|s: 'a.b'\ncondition: sel").matches({ A: 'a\nb' })).toBe(true);
  });
  it('a catastrophic-backtracking pattern gives the right answer (RE2: no backtracking)', () => {
    // Their time (bounds of 500 ms and 100 ms) is measured by `npm run bench` (scripts/bench-limits.mjs).
    const r = m("sel:\n  A|re: '(a+)+$'\ncondition: sel");
    const evil = 'a'.repeat(50_000) + '!';
    expect(r.matches({ A: evil })).toBe(false);
    const r2 = m("sel:\n  A|re: '^(a|aa)+$'\ncondition: sel");
    expect(r2.matches({ A: 'a'.repeat(40) + '!' })).toBe(false);
  });
  it('syntax RE2 cannot run is reported, never silently dropped', () => {
    const r = m("sel:\n  A|re: 'a(?=b)'\ncondition: sel");
    expect(r.ok).toBe(false);
    expect(r.diagnostics[0]!.code).toBe('E002');
    expect(r.matches({ A: 'ab' })).toBe(false);
  });
});

describe('numbers, time, cidr, null, exists, fieldref, expand', () => {
  it('numeric comparisons on numbers and numeric strings', () => {
    const r = m('sel:\n  A|gt: 10\ncondition: sel');
    expect(r.matches({ A: 11 })).toBe(true);
    expect(r.matches({ A: '11' })).toBe(true);
    expect(r.matches({ A: '10' })).toBe(false);
    expect(r.matches({ A: 'x' })).toBe(false);
    expect(m('sel:\n  A|lte: 10\ncondition: sel').matches({ A: 10 })).toBe(true);
    expect(m('sel:\n  A: 16\ncondition: sel').matches({ A: '0x10' })).toBe(true);
    expect(m('sel:\n  EventID: 4688\ncondition: sel').matches({ EventID: '4688' })).toBe(true);
  });
  it('time parts', () => {
    expect(m('sel:\n  T|hour|gte: 22\ncondition: sel').matches({ T: '2024-03-05T23:10:00Z' })).toBe(true);
    expect(m('sel:\n  T|hour|gte: 22\ncondition: sel').matches({ T: '2024-03-05T21:10:00Z' })).toBe(false);
    expect(m('sel:\n  T|month: 3\ncondition: sel').matches({ T: '2024-03-05 23:10:00' })).toBe(true);
    expect(m('sel:\n  T|year: 2024\ncondition: sel').matches({ T: 1709680200 })).toBe(true);
    expect(m('sel:\n  T|week: 1\ncondition: sel').matches({ T: '2024-01-03T00:00:00Z' })).toBe(true);
    expect(m('sel:\n  T|day: 5\ncondition: sel').matches({ T: '2024-03-05T00:00:00Z' })).toBe(true);
    expect(m('sel:\n  T|minute: 10\ncondition: sel').matches({ T: '2024-03-05T23:10:00Z' })).toBe(true);
  });
  it('cidr IPv4 and IPv6', () => {
    const r = m("sel:\n  Ip|cidr: ['10.0.0.0/8', 'fe80::/10']\ncondition: sel");
    expect(r.matches({ Ip: '10.1.2.3' })).toBe(true);
    expect(r.matches({ Ip: '11.1.2.3' })).toBe(false);
    expect(r.matches({ Ip: 'fe80::1%eth0' })).toBe(true);
    expect(r.matches({ Ip: '2001:db8::1' })).toBe(false);
  });
  it('null matches absent or JSON null; exists is presence', () => {
    const n = m('sel:\n  A: null\ncondition: sel');
    expect(n.matches({})).toBe(true);
    expect(n.matches({ A: null })).toBe(true);
    expect(n.matches({ A: '' })).toBe(false);
    const e = m('sel:\n  A|exists: true\ncondition: sel');
    expect(e.matches({ A: null })).toBe(true);
    expect(e.matches({ A: '' })).toBe(true);
    expect(e.matches({})).toBe(false);
    expect(m('sel:\n  A|exists: false\ncondition: sel').matches({})).toBe(true);
  });
  it('fieldref compares two fields of the event', () => {
    const r = m('sel:\n  A|fieldref: B\ncondition: sel');
    expect(r.matches({ A: 'X', B: 'x' })).toBe(true);
    expect(r.matches({ A: 'x', B: 'y' })).toBe(false);
    expect(r.matches({ A: 'x' })).toBe(false);
    expect(m('sel:\n  A|fieldref|endswith: B\ncondition: sel').matches({ A: 'c:\\a\\x.exe', B: 'x.exe' })).toBe(true);
  });
  it('expand uses placeholder values from the options, and reports missing ones', () => {
    const det = "sel:\n  Host|expand: '%dcs%'\ncondition: sel";
    const r = m(det, { placeholders: { dcs: ['dc1', 'dc2*'] } });
    expect(r.matches({ Host: 'DC1' })).toBe(true);
    expect(r.matches({ Host: 'dc2*' })).toBe(true);
    expect(r.matches({ Host: 'dc3' })).toBe(false);
    const missing = m(det);
    expect(missing.ok).toBe(false);
    expect(missing.diagnostics[0]!.code).toBe('E001');
  });
});

describe('event shapes', () => {
  it('keywords search every value; lists match any element; dotted names reach nested objects', () => {
    const k = m("keywords:\n  - 'mimikatz'\ncondition: keywords");
    expect(k.matches({ a: { b: ['x', 'run MIMIKATZ.exe'] } })).toBe(true);
    expect(k.matches({ a: 'none' })).toBe(false);
    expect(m('sel:\n  Tags: b\ncondition: sel').matches({ Tags: ['a', 'b'] })).toBe(true);
    expect(m('sel:\n  process.name: cmd.exe\ncondition: sel').matches({ process: { name: 'cmd.exe' } })).toBe(true);
    expect(m('sel:\n  process.name: cmd.exe\ncondition: sel').matches({ 'process.name': 'cmd.exe' })).toBe(true);
  });
  it('normalises EVTX JSON: System attributes, EventData, Data arrays, UserData', () => {
    const raw = {
      Event: {
        System: {
          Provider: { '#attributes': { Name: 'Microsoft-Windows-Security-Auditing' } },
          EventID: { '#attributes': { Qualifiers: 0 }, '#text': 4688 },
          Channel: 'Security',
          Computer: 'host',
          TimeCreated: { '#attributes': { SystemTime: '2024-01-01T00:00:00Z' } },
          Execution: { '#attributes': { ProcessID: 4 } },
          Security: { '#attributes': { UserID: 'S-1-5-18' } },
        },
        EventData: { Data: [{ '#attributes': { Name: 'NewProcessName' }, '#text': 'C:\\x.exe' }] },
      },
    };
    expect(normalizeEvent(raw)).toEqual({
      EventID: 4688,
      Provider_Name: 'Microsoft-Windows-Security-Auditing',
      Channel: 'Security',
      Computer: 'host',
      TimeCreated: '2024-01-01T00:00:00Z',
      Execution_ProcessID: 4,
      Security_UserID: 'S-1-5-18',
      NewProcessName: 'C:\\x.exe',
    });
    const ud = normalizeEvent({
      Event: { System: { EventID: 5858 }, UserData: { Op: { '#attributes': { xmlns: 'x' }, Operation: 'clear' } } },
    });
    expect(ud).toEqual({ EventID: 5858, Operation: 'clear' });
    const flat = { Image: 'x' };
    expect(normalizeEvent(flat)).toBe(flat);
  });
});

describe('explain', () => {
  it('reports each identifier and each field with the event value', () => {
    const r = m(
      "sel:\n  Image|endswith: '\\wmic.exe'\n  CommandLine|contains: 'create'\nfilter:\n  ParentImage: x\ncondition: sel and not filter",
    );
    const ex = r.explain({ Image: 'C:\\wmic.exe', CommandLine: 'list' });
    expect(ex.map((e) => [e.identifier, e.matched])).toEqual([
      ['sel', false],
      ['filter', false],
    ]);
    expect(ex[0]!.fields.map((f) => [f.field, f.matched, f.actual])).toEqual([
      ['Image', true, ['C:\\wmic.exe']],
      ['CommandLine', false, ['list']],
    ]);
    expect(ex[1]!.fields[0]!.actual).toBeNull();
  });
});

describe('engine: logsource filter and index', () => {
  it('routes Sysmon and Security process creations to process_creation rules only', () => {
    const pc = ruleFrom("sel:\n  Image|endswith: '\\cmd.exe'\ncondition: sel");
    const fe = {
      ...ruleFrom("sel:\n  Image|endswith: '\\cmd.exe'\ncondition: sel"),
      id: 'fe',
      logsource: { category: 'file_event', product: 'windows' },
    };
    const e = createEngine([pc, fe], { logsourceFilter: true });
    const ev = (id: number, channel = 'Microsoft-Windows-Sysmon/Operational') => ({
      Channel: channel,
      EventID: id,
      Image: 'C:\\cmd.exe',
    });
    expect(e.evaluate(ev(1)).map((x) => x.rule.id)).toEqual([pc.id]);
    expect(e.evaluate(ev(4688, 'Security')).map((x) => x.rule.id)).toEqual([pc.id]);
    expect(e.evaluate(ev(11)).map((x) => x.rule.id)).toEqual(['fe']);
    expect(createEngine([pc, fe]).evaluate(ev(11)).length).toBe(2);
  });
  it('the index skips rules whose required values are absent, never those under not/or without atoms', () => {
    const a = ruleFrom("sel:\n  Image|endswith: '\\alphatool.exe'\ncondition: sel");
    const b = { ...ruleFrom("sel:\n  Image|endswith: '\\betatool.exe'\ncondition: not sel"), id: 'b' };
    const e = createEngine([a, b]);
    expect(e.evaluate({ Image: 'C:\\z.exe' }).map((x) => x.rule.id)).toEqual(['b']);
    expect(e.lastTested).toBe(1);
    expect(e.evaluate({ Image: 'C:\\AlphaTool.EXE' }).map((x) => x.rule.id)).toEqual([a.id, 'b']);
  });
});
