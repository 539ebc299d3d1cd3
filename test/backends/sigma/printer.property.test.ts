/** Property: any string, key or JSON custom field survives the emitter's YAML printer and Sigil's parser. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parse } from '../../../src/parser/index.js';
import { emitDocument } from '../../../src/backends/sigma/emit.js';
import { stringValue } from '../../../src/parser/strings.js';
import type { JsonValue, SigmaRule } from '../../../src/ast/types.js';
import { runs } from '../../helpers/property.js';

const text = fc.string({
  maxLength: 24,
  unit: fc.oneof(
    fc.constantFrom(
      ' ',
      ':',
      '#',
      '-',
      '?',
      "'",
      '"',
      '\\',
      '\n',
      '\t',
      '*',
      '|',
      '>',
      '{',
      '[',
      ',',
      '&',
      '!',
      '%',
      '@',
      '`',
      '~',
      '.',
      '0',
      '1',
      'e',
      'x',
      'n',
      'u',
      'l',
      'T',
      'é',
    ),
    fc.string({ maxLength: 1 }),
  ),
});

function rule(title: string, value: string, custom: Record<string, JsonValue>, key: string): SigmaRule {
  return {
    kind: 'rule',
    title,
    description: title,
    custom,
    keyOrder: [],
    locs: {},
    logsource: { product: 'windows' },
    detection: {
      identifiers: [
        {
          name: 'sel',
          node: {
            type: 'allOf',
            items: [{ type: 'match', field: key, modifiers: [], values: [stringValue(value)], list: false }],
          },
        },
      ],
      conditions: [{ type: 'ref', name: 'sel' }],
      conditionText: ['sel'],
    },
  };
}

const json: fc.Arbitrary<JsonValue> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    text,
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(
      text.filter((k) => k !== ''),
      tie('value'),
      { maxKeys: 3 },
    ),
  ),
})).value as fc.Arbitrary<JsonValue>;

describe('Sigma printer property', () => {
  it('strings, field names and custom JSON read back identically', () => {
    fc.assert(
      fc.property(
        text,
        text,
        fc.dictionary(fc.constantFrom('x_custom', 'simulation', 'note'), json, { maxKeys: 2 }),
        fc.stringMatching(/^[A-Za-z][A-Za-z0-9_.-]{0,12}$/),
        (title, value, custom, key) => {
          const src = rule(title, value, custom, key);
          const out = emitDocument(src);
          const r = parse(out, { schema: false });
          const d = r.documents[0]?.document;
          expect(r.diagnostics).toEqual([]);
          expect(d?.kind).toBe('rule');
          const back = d as SigmaRule;
          expect(back.title).toBe(title);
          expect(back.description).toBe(title);
          expect(back.custom).toEqual(custom);
          const m = back.detection.identifiers[0]!.node;
          expect(m.type === 'allOf' && m.items[0]!.type === 'match' && m.items[0]!.field).toBe(key);
          expect(m.type === 'allOf' && m.items[0]!.type === 'match' && m.items[0]!.values[0]).toMatchObject({
            type: 'string',
            raw: value,
          });
        },
      ),
      { numRuns: runs(1500) },
    );
  });
});
