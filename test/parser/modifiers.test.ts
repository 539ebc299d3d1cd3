/**
 * Every modifier of sigma-appendix-modifiers.md: the value types it accepts, the combinations
 * allowed, and the diagnostic (code and line:column) for each misuse.
 * In `ruleText('sel:', '  Key: value', …)` the key is on line 5, column 5.
 */
import { describe, expect, it } from 'vitest';
import { checkModifiers } from '../../src/parser/modifiers.js';
import { parseCidr, cidrContains } from '../../src/parser/cidr.js';
import { codes, firstMatch, noLoc, ruleText } from './helpers.js';

/** Diagnostics of a one-field selection `sel: {key: value}` (value written after `key: `). */
const one = (key: string, value: string): string[] => codes(ruleText('sel:', `  ${key}: ${value}`, 'condition: sel'));
/** The column where the value of `  key: value` starts on line 5. */
const vcol = (key: string): number => 5 + key.length + 2;

describe('accepted uses', () => {
  it.each([
    ['F|contains', "'x'"],
    ['F|startswith', "'x'"],
    ['F|endswith', "'\\x.exe'"],
    ['F|contains|all', '[a, b]'],
    ['F|exists', 'true'],
    ['F|exists', 'false'],
    ['F|cased', 'X'],
    ['F|contains|cased', 'X'],
    ['F|neq', 'x'],
    ['F|neq', '5'],
    ['F|windash', "'-x'"],
    ['F|windash|contains', "' -x'"],
    ['F|contains|windash', "' -x'"],
    ['F|re', "'^a.*b$'"],
    ['F|re|i', "'^a'"],
    ['F|re|m', "'^a'"],
    ['F|re|s', "'a.b'"],
    ['F|re|i|m|s', "'a'"],
    ['F|re', "'(?i)abc'"],
    ['F|re', '123'],
    ['F|re|neq', "'a'"],
    ['F|base64', 'x'],
    ['F|base64|contains', 'x'],
    ['F|base64offset|contains', 'x'],
    ['F|utf16le|base64offset|contains', 'x'],
    ['F|utf16be|base64', 'x'],
    ['F|utf16|base64offset|contains', 'x'],
    ['F|wide|base64offset|contains', 'x'],
    ['F|windash|wide|base64offset|contains', "'-x'"],
    ['F|lt', '5'],
    ['F|lte', '5.5'],
    ['F|gt', "'10'"],
    ['F|gte', '-3'],
    ['F|minute', '59'],
    ['F|hour', '0'],
    ['F|day|gte', '1'],
    ['F|week', '52'],
    ['F|month|lt', '12'],
    ['F|year', '2024'],
    ['F|cidr', '10.0.0.0/8'],
    ['F|cidr', '192.168.1.1'],
    ['F|cidr', "'fe80::/10'"],
    ['F|cidr', "'::1/128'"],
    ['F|cidr', "'::ffff:10.0.0.0/104'"],
    ['F|cidr', '[10.0.0.0/8, 172.16.0.0/12]'],
    ['F|cidr|neq', '10.0.0.0/8'],
    ['F|expand', "'%Administrators%'"],
    ['F|contains|expand', "'x%Servers%y'"],
    ['F|fieldref', 'G'],
    ['F|fieldref|neq', 'G'],
    ['F|fieldref|endswith', 'G'],
    ["'|all'", '[a, b]'],
  ])('%s: %s', (key, value) => {
    expect(one(key, value)).toEqual([]);
  });
});

describe('misuse: code and position', () => {
  it.each([
    // Unknown and misspelt modifiers point at the modifier itself.
    ['F|foo', 'x', ['P020@5:7']],
    ['F|Contains', 'x', ['P020@5:7']],
    ['F|contains|startwith', 'x', ['P020@5:16']],
    ['F||contains', 'x', ['P020@5:7']],
    ['F|contains|', 'x', ['P020@5:16']],
    ['F|contains|contains', 'x', ['P021@5:16']],
    // Combinations: the key.
    ['F|contains|startswith', 'x', ['P021@5:5']],
    ['F|startswith|endswith', 'x', ['P021@5:5']],
    ['F|i', 'x', ['P021@5:5']],
    ['F|contains|i', 'x', ['P021@5:5']],
    ['F|re|contains', 'x', ['P021@5:5']],
    ['F|re|cased', 'x', ['P021@5:5']],
    ['F|re|base64', 'x', ['P021@5:5']],
    ['F|cidr|contains', '10.0.0.0/8', ['P021@5:5']],
    ['F|exists|contains', 'true', ['P021@5:5']],
    ['F|exists|neq', 'true', ['P021@5:5']],
    ['F|lt|gt', '5', ['P021@5:5']],
    ['F|lt|contains', '5', ['P021@5:5']],
    ['F|lt|neq', '5', ['P021@5:5']],
    ['F|hour|minute', '5', ['P021@5:5']],
    ['F|base64|base64offset', 'x', ['P021@5:5']],
    ['F|utf16le|utf16be|base64', 'x', ['P021@5:5']],
    ['F|base64|wide', 'x', ['P021@5:5']],
    ['F|contains|base64', 'x', ['P021@5:5']],
    ['F|startswith|wide|base64', 'x', ['P021@5:5']],
    ['F|fieldref|re', 'x', ['P021@5:5']],
    ['F|expand|re', 'x', ['P021@5:5']],
    ['F|cidr|expand', '10.0.0.0/8', ['P021@5:5']],
  ])('%s: %s → %j', (key, value, expected) => {
    expect(one(key, value)).toEqual(expected);
  });

  it.each([
    // Value types: the value.
    ['F|exists', 'yes', 'P028'],
    ['F|exists', "'true'", 'P028'],
    ['F|exists', '1', 'P028'],
    ['F|gt', 'abc', 'P022'],
    ['F|lte', 'true', 'P022'],
    ['F|gte', '.inf', 'P022'],
    ['F|hour', '24', 'P022'],
    ['F|minute', '60', 'P022'],
    ['F|day', '0', 'P022'],
    ['F|week', '53', 'P022'],
    ['F|month', '13', 'P022'],
    ['F|month', '1.5', 'P022'],
    ['F|year', '2020.5', 'P022'],
    ['F|contains', 'null', 'P022'],
    ['F|contains', 'true', 'P022'],
    ['F|re', "'(unclosed'", 'P024'],
    ['F|re', "'a{2,1}'", 'P024'],
    ['F|re', 'true', 'P022'],
    ['F|re', 'null', 'P022'],
    ['F|cidr', '10.0.0.0/33', 'P025'],
    ['F|cidr', '10.0.0.256/8', 'P025'],
    ['F|cidr', '10.0.0/8', 'P025'],
    ['F|cidr', '010.0.0.0/8', 'P025'],
    ['F|cidr', "'fe80::/129'", 'P025'],
    ['F|cidr', "'1::2::3/64'", 'P025'],
    ['F|cidr', "'gggg::/16'", 'P025'],
    ['F|cidr', '10.0.0.0/x', 'P025'],
    ['F|cidr', '5', 'P025'],
    ['F|base64', "'a*b'", 'P026'],
    ['F|base64offset|contains', "'a?b'", 'P026'],
    ['F|fieldref', '5', 'P029'],
    ['F|fieldref', "''", 'P029'],
  ])('%s: %s → %s at the value', (key, value, code) => {
    expect(one(key, value)).toEqual([`${code}@5:${vcol(key)}`]);
  });

  it('warns when expand finds no placeholder (at the value)', () => {
    expect(one('F|expand', 'plain')).toEqual(['P029w@5:15']);
  });

  it('warns about all on a single value (at the key), also for keywords', () => {
    expect(one('F|contains|all', 'x')).toEqual(['P023w@5:5']);
    expect(one("'|all'", 'x')).toEqual(['P023w@5:5']);
    expect(one('F|contains|all', '[x]')).toEqual(['P023w@5:5']);
  });

  it('rejects null inside a list of values (at the list)', () => {
    expect(one('F', "['', null]")).toEqual(['P027@5:8']);
    expect(codes(ruleText('sel:', '  F:', "    - ''", '    - null', 'condition: sel'))).toEqual(['P027@6:7']);
  });

  it('rejects exists with a list, and modifiers that need a field on keywords', () => {
    expect(one('F|exists', '[true, false]')).toEqual(['P028@5:15']);
    expect(codes(ruleText('sel:', "  '|exists': true", 'condition: sel'))).toEqual(['P021@5:5']);
    expect(codes(ruleText('sel:', "  '|cidr': 10.0.0.0/8", 'condition: sel'))).toEqual(['P021@5:5']);
    expect(codes(ruleText('sel:', "  '|gt': 5", 'condition: sel'))).toEqual(['P021@5:5']);
  });

  it('points at the modifier inside a quoted key', () => {
    expect(codes(ruleText('sel:', "  'F|contains|bad': x", 'condition: sel'))).toEqual(['P020@5:17']);
  });

  it('reports every problem of a key, not only the first', () => {
    expect(one('F|foo|contains|startswith|bar', 'x')).toEqual(['P020@5:7', 'P021@5:5', 'P020@5:31'].sort(byPos));
  });

  it('reports a bad value in a list at that value', () => {
    expect(
      codes(
        ruleText('sel:', '  F|cidr:', '    - 10.0.0.0/8', '    - 300.0.0.0/8', '    - fe80::/10', 'condition: sel'),
      ),
    ).toEqual(['P025@7:9']);
  });
});

function byPos(a: string, b: string): number {
  const [la, ca] = a.split('@')[1]!.split(':').map(Number);
  const [lb, cb] = b.split('@')[1]!.split(':').map(Number);
  return la! - lb! || ca! - cb!;
}

describe('the AST of modified values', () => {
  const match = (key: string, value: string) =>
    noLoc(firstMatch(ruleText('sel:', `  ${key}: ${value}`, 'condition: sel')));

  it('keeps the modifier chain in order and types values by the chain', () => {
    expect(match('F|wide|base64offset|contains', 'cmd')).toEqual({
      type: 'match',
      field: 'F',
      modifiers: ['wide', 'base64offset', 'contains'],
      list: false,
      values: [{ type: 'string', parts: ['cmd'], raw: 'cmd' }],
    });
    expect(match('F|re|i|s', "'^a\\*.b$'").values).toEqual([{ type: 'regex', pattern: '^a\\*.b$', flags: 'is' }]);
    expect(match('F|re|s|i', "'x'").values).toEqual([{ type: 'regex', pattern: 'x', flags: 'is' }]);
    expect(match('F|exists', 'true').values).toEqual([{ type: 'boolean', value: true }]);
    expect(match('F|gt', "'10'").values).toEqual([{ type: 'number', value: 10, raw: '10' }]);
    expect(match('F|hour|gte', '8').values).toEqual([{ type: 'number', value: 8, raw: '8' }]);
    expect(match('F|fieldref', 'G').values).toEqual([{ type: 'fieldref', field: 'G' }]);
    expect(match('F|contains', '5').values).toEqual([{ type: 'string', parts: ['5'], raw: '5' }]);
    expect(match('F', '5').values).toEqual([{ type: 'number', value: 5, raw: '5' }]);
  });

  it('normalises CIDR networks (IPv6 fully expanded)', () => {
    expect(match('F|cidr', "'FE80::1:2/10'").values).toEqual([
      { type: 'cidr', raw: 'FE80::1:2/10', version: 6, network: 'fe80:0000:0000:0000:0000:0000:0001:0002', prefix: 10 },
    ]);
    expect(match('F|cidr', '10.1.2.3').values).toEqual([
      { type: 'cidr', raw: '10.1.2.3', version: 4, network: '10.1.2.3', prefix: 32 },
    ]);
    expect(match('F|cidr', "'::ffff:1.2.3.4/128'").values[0]).toMatchObject({
      version: 6,
      network: '0000:0000:0000:0000:0000:ffff:0102:0304',
    });
  });

  it('parses expand placeholders, with \\% as a literal percent', () => {
    expect(match('F|expand', "'\\%plain%name%'").values).toEqual([
      { type: 'string', parts: ['%plain', { placeholder: 'name' }], raw: '\\%plain%name%' },
    ]);
    expect(match('F', "'%name%'").values).toEqual([{ type: 'string', parts: ['%name%'], raw: '%name%' }]);
    expect(match('F|expand', "'a%A%*%B%'").values).toEqual([
      {
        type: 'string',
        parts: ['a', { placeholder: 'A' }, { wildcard: 'multi' }, { placeholder: 'B' }],
        raw: 'a%A%*%B%',
      },
    ]);
  });
});

describe('checkModifiers', () => {
  it('classifies the value kind of a chain', () => {
    expect(checkModifiers(['re', 'i'], false).kind).toBe('regex');
    expect(checkModifiers(['cidr'], false).kind).toBe('cidr');
    expect(checkModifiers(['exists'], false).kind).toBe('exists');
    expect(checkModifiers(['fieldref'], false).kind).toBe('fieldref');
    expect(checkModifiers(['gte'], false).kind).toBe('number');
    expect(checkModifiers(['hour'], false).kind).toBe('number');
    expect(checkModifiers(['contains', 'windash'], false).kind).toBe('string');
  });

  it('suggests the nearest modifier', () => {
    expect(checkModifiers(['startwith'], false).problems[0]!.hint).toMatch(/startswith/);
    expect(checkModifiers(['CONTAINS'], false).problems[0]!.hint).toMatch(/'contains'/);
  });
});

describe('cidr', () => {
  it('tests membership for IPv4 and IPv6', () => {
    const v4 = parseCidr('10.0.0.0/8');
    const v6 = parseCidr('fe80::/10');
    if (typeof v4 === 'string' || typeof v6 === 'string') throw new Error(String(v4));
    expect(cidrContains(v4, '10.255.1.2')).toBe(true);
    expect(cidrContains(v4, '11.0.0.1')).toBe(false);
    expect(cidrContains(v6, 'fe80::1')).toBe(true);
    expect(cidrContains(v6, 'FEBF:ffff::1')).toBe(true);
    expect(cidrContains(v6, 'fec0::1')).toBe(false);
    expect(cidrContains(v6, 'fe80::1%eth0')).toBe(true);
    const zero = parseCidr('0.0.0.0/0');
    if (typeof zero === 'string') throw new Error(zero);
    expect(cidrContains(zero, '255.255.255.255')).toBe(true);
  });
});
