/** YAML 1.2 core-schema scalars, as Sigma rules must be read (an unquoted date stays a string). */
import { describe, expect, it } from 'vitest';
import { resolvePlain } from '../../src/parser/yaml.js';
import { codes, firstMatch, noLoc, rule, ruleText } from './helpers.js';

describe('resolvePlain (YAML 1.2 core schema)', () => {
  it.each([
    ['2019-10-23', '2019-10-23'],
    ['0x10', 16],
    ['0o17', 15],
    ['1e3', 1000],
    ['-5', -5],
    ['+7', 7],
    ['1.50', 1.5],
    ['.5', 0.5],
    ['~', null],
    ['null', null],
    ['Null', null],
    ['NULL', null],
    ['', null],
    ['True', true],
    ['true', true],
    ['TRUE', true],
    ['False', false],
    ['false', false],
    // YAML 1.1 booleans and numbers are plain strings in 1.2.
    ['yes', 'yes'],
    ['no', 'no'],
    ['on', 'on'],
    ['off', 'off'],
    ['y', 'y'],
    ['tRUE', 'tRUE'],
    ['0b101', '0b101'],
    ['1_000', '1_000'],
    ['017', 17],
    ['12:30:00', '12:30:00'],
    ['0x', '0x'],
    ['1.2.3', '1.2.3'],
    ['-', '-'],
    ['.inf', Infinity],
    ['-.Inf', -Infinity],
  ])('%j resolves to %j', (text, expected) => {
    expect(resolvePlain(text)).toEqual(expected);
  });

  it('resolves .nan to NaN', () => {
    expect(resolvePlain('.nan')).toBeNaN();
  });
});

describe('scalars in rules', () => {
  it('keeps an unquoted date a string in metadata and values, without a diagnostic', () => {
    const text =
      'title: t\ndate: 2019-10-23\nmodified: 2020-01-02\n' +
      ruleText('sel:', '  F: 2019-10-23', 'condition: sel').slice('title: t\n'.length);
    const r = rule(text);
    expect(r.date).toBe('2019-10-23');
    expect(r.modified).toBe('2020-01-02');
    expect(noLoc(firstMatch(text).values)).toEqual([{ type: 'string', parts: ['2019-10-23'], raw: '2019-10-23' }]);
    expect(codes(text)).toEqual([]);
  });

  it('types numbers, booleans and null and keeps the raw text of numbers', () => {
    const text = ruleText(
      'sel:',
      '  A: 0x10',
      '  B: 1e3',
      '  C: ~',
      '  D: True',
      '  E: "0x10"',
      '  F: 1.50',
      '  G: yes',
      'condition: sel',
    );
    const r = rule(text);
    const sel = r.detection.identifiers[0]!.node;
    if (sel.type !== 'allOf') throw new Error('map expected');
    expect(noLoc(sel.items.map((m) => (m.type === 'match' ? m.values[0] : null)))).toEqual([
      { type: 'number', value: 16, raw: '0x10' },
      { type: 'number', value: 1000, raw: '1e3' },
      { type: 'null' },
      { type: 'boolean', value: true },
      { type: 'string', parts: ['0x10'], raw: '0x10' },
      { type: 'number', value: 1.5, raw: '1.50' },
      { type: 'string', parts: ['yes'], raw: 'yes' },
    ]);
  });

  it('matches non-finite numbers (.inf, .nan) as text, so the AST stays JSON', () => {
    const text = ruleText('sel:', '  A: .inf', '  B: .nan', 'condition: sel');
    const r = rule(text);
    const json = JSON.parse(JSON.stringify(r.detection));
    expect(
      json.identifiers[0].node.items.map((m: { values: { type: string; raw: string }[] }) => [
        m.values[0]!.type,
        m.values[0]!.raw,
      ]),
    ).toEqual([
      ['string', '.inf'],
      ['string', '.nan'],
    ]);
  });

  it('honours explicit tags: !!str keeps text, !!int types a quoted-looking plain scalar', () => {
    const text = ruleText('sel:', '  A: !!str 123', '  B: !!int 42', '  C: !!str true', 'condition: sel');
    const sel = rule(text).detection.identifiers[0]!.node;
    if (sel.type !== 'allOf') throw new Error('map expected');
    expect(noLoc(sel.items.map((m) => (m.type === 'match' ? m.values[0] : null)))).toEqual([
      { type: 'string', parts: ['123'], raw: '123' },
      { type: 'number', value: 42, raw: '42' },
      { type: 'string', parts: ['true'], raw: 'true' },
    ]);
  });

  it('reads block scalars and multi-line quoted strings as strings', () => {
    const text = ruleText('sel:', '  A: |', '    line1', '    line2', "  B: 'a", "    b'", 'condition: sel');
    const sel = rule(text).detection.identifiers[0]!.node;
    if (sel.type !== 'allOf') throw new Error('map expected');
    expect(noLoc(sel.items.map((m) => (m.type === 'match' ? m.values[0] : null)))).toEqual([
      { type: 'string', parts: ['line1\nline2\n'], raw: 'line1\nline2\n' },
      { type: 'string', parts: ['a b'], raw: 'a b' },
    ]);
  });

  it('accepts a UTF-8 byte order mark', () => {
    expect(codes('\ufeff' + ruleText('sel:', '  A: 1', 'condition: sel'))).toEqual([]);
  });

  it('accepts CRLF line endings with the same positions', () => {
    const text = ruleText('sel:', '  A|foo: 1', 'condition: sel');
    expect(codes(text.replace(/\n/g, '\r\n'))).toEqual(codes(text));
  });
});
