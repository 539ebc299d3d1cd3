/** lowerDetection (src/ast/semantics.ts): each modifier applied, with exact expected Predicates. */
import { describe, expect, it } from 'vitest';
import { lowerDetection, type Predicate } from '../../src/ast/semantics.js';
import { rule, ruleText, noLoc } from './helpers.js';

const M = { wildcard: 'multi' } as const;
const lower = (key: string, value: string): Predicate =>
  noLoc(lowerDetection(rule(ruleText('sel:', `  ${key}: ${value}`, 'condition: sel')).detection));
const str = (pattern: unknown[], field: string | null = 'F', cased = false) => ({
  kind: 'string',
  field,
  pattern,
  cased,
});

describe('lowering each modifier', () => {
  it('plain, contains, startswith, endswith', () => {
    expect(lower('F', 'abc')).toEqual(str(['abc']));
    expect(lower('F|contains', 'abc')).toEqual(str([M, 'abc', M]));
    expect(lower('F|startswith', 'abc')).toEqual(str(['abc', M]));
    expect(lower('F|endswith', "'\\cmd.exe'")).toEqual(str([M, '\\cmd.exe']));
    // A wildcard already at the edge is not doubled.
    expect(lower('F|contains', "'*abc'")).toEqual(str([M, 'abc', M]));
  });

  it('keywords are found anywhere; |all AND-s them', () => {
    expect(noLoc(lowerDetection(rule(ruleText('kw:', '  - evil', '  - 5', 'condition: kw')).detection))).toEqual({
      kind: 'or',
      items: [str([M, 'evil', M], null), str([M, '5', M], null)],
    });
    expect(noLoc(lowerDetection(rule(ruleText('kw:', "  '|all': [a, b]", 'condition: kw')).detection))).toEqual({
      kind: 'and',
      items: [str([M, 'a', M], null), str([M, 'b', M], null)],
    });
  });

  it('all, neq, cased', () => {
    expect(lower('F|contains|all', '[a, b]')).toEqual({ kind: 'and', items: [str([M, 'a', M]), str([M, 'b', M])] });
    expect(lower('F|neq', '[a, b]')).toEqual({ kind: 'not', item: { kind: 'or', items: [str(['a']), str(['b'])] } });
    expect(lower('F|cased|startswith', 'Ab')).toEqual(str(['Ab', M], 'F', true));
  });

  it('windash: a character class of the five dashes', () => {
    expect(lower('F|windash|contains', "' -a'")).toEqual(str([M, ' ', { anyOf: '-/\u2013\u2014\u2015' }, 'a', M]));
  });

  it('base64, base64offset, utf16 encodings', () => {
    expect(lower('F|base64', 'cmd')).toEqual(str(['Y21k']));
    expect(lower('F|base64offset|contains', 'cmd')).toEqual({
      kind: 'or',
      items: [str([M, 'Y21k', M]), str([M, 'NtZ', M]), str([M, 'jbW', M])],
    });
    expect(lower('F|wide|base64offset|contains', 'cmd')).toEqual({
      kind: 'or',
      items: [str([M, 'YwBtAGQA', M]), str([M, 'MAbQBkA', M]), str([M, 'jAG0AZA', M])],
    });
    expect(lower('F|utf16le|base64', 'cmd')).toEqual(str(['YwBtAGQA']));
    expect(lower('F|utf16be|base64', 'cmd')).toEqual(str(['AGMAbQBk']));
    expect(lower('F|utf16|base64', 'cmd')).toEqual(str(['//5jAG0AZAA=']));
  });

  it('windash before an encoding expands to every permutation', () => {
    const p = lower('F|windash|base64', "'-a'");
    expect(p.kind).toBe('or');
    if (p.kind !== 'or') return;
    expect(p.items.map((i) => (i.kind === 'string' ? i.pattern[0] : null))).toEqual(
      ['-a', '/a', '\u2013a', '\u2014a', '\u2015a'].map((s) => Buffer.from(s, 'utf8').toString('base64')),
    );
  });

  it('re with flags, cidr, exists, fieldref, numbers, time parts, null, booleans, expand', () => {
    expect(lower('F|re|i|m', "'^a.b$'")).toEqual({ kind: 'regex', field: 'F', pattern: '^a.b$', flags: 'im' });
    expect(lower('F|cidr', "'10.0.0.0/8'")).toEqual({
      kind: 'cidr',
      field: 'F',
      cidr: { type: 'cidr', raw: '10.0.0.0/8', version: 4, network: '10.0.0.0', prefix: 8 },
    });
    expect(lower('F|exists', 'false')).toEqual({ kind: 'exists', field: 'F', value: false });
    expect(lower('F|fieldref|startswith', 'G')).toEqual({
      kind: 'fieldref',
      field: 'F',
      ref: 'G',
      position: 'startswith',
      cased: false,
    });
    expect(lower('F|fieldref|neq', 'G')).toEqual({
      kind: 'not',
      item: { kind: 'fieldref', field: 'F', ref: 'G', position: 'eq', cased: false },
    });
    expect(lower('F|gte', '5')).toEqual({ kind: 'number', field: 'F', op: 'gte', value: 5, raw: '5' });
    expect(lower('F', '4624')).toEqual({ kind: 'number', field: 'F', op: 'eq', value: 4624, raw: '4624' });
    expect(lower('F|hour|lt', '6')).toEqual({
      kind: 'number',
      field: 'F',
      op: 'lt',
      value: 6,
      raw: '6',
      timePart: 'hour',
    });
    expect(lower('F', 'null')).toEqual({ kind: 'null', field: 'F' });
    expect(lower('F', 'false')).toEqual({ kind: 'boolean', field: 'F', value: false });
    expect(lower('F|expand', "'%Servers%'")).toEqual(str([{ placeholder: 'Servers' }]));
  });

  it('the condition: not, of, and the condition list', () => {
    const r = rule(ruleText('a:', '  F: x', 'b:', '  G: y', 'condition:', '  - a and not b', '  - all of them'));
    expect(noLoc(lowerDetection(r.detection))).toEqual({
      kind: 'or',
      items: [
        { kind: 'and', items: [str(['x']), { kind: 'not', item: str(['y'], 'G') }] },
        { kind: 'and', items: [str(['x']), str(['y'], 'G')] },
      ],
    });
  });
});
