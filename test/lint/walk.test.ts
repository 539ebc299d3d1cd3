/**
 * The per-document precomputation the checks share (walk.ts, taxonomy.ts) and the checks that
 * were rewritten for speed give the same answers as the straightforward versions they replace.
 */
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DetectionNode, FieldMatch, SigmaDocument, StringPart, StringValue } from '../../src/ast/types.js';
import { parse } from '../../src/parser/index.js';
import { controlCharacter } from '../../src/lint/checks/detection/control-character.js';
import { escapedWildcard } from '../../src/lint/checks/detection/escaped-wildcard.js';
import { BUILTIN_TAXONOMY, fieldsFor, knownFields, type Taxonomy } from '../../src/lint/taxonomy.js';
import type { CheckContext, ReportInput } from '../../src/lint/types.js';
import { detectionOf, fieldMatches, stringValues } from '../../src/lint/walk.js';
import { splitTags } from '../../src/lint/tags.js';
import { BUILTIN_ATTACK } from '../../src/lint/attack.js';
import { CORPUS } from '../helpers/paths.js';
import { runs } from '../helpers/property.js';

/** The generator walk that walk.ts replaced: the reference order. */
function* referenceMatches(doc: SigmaDocument): Generator<{ identifier: string; match: FieldMatch }> {
  const det = detectionOf(doc);
  if (!det) return;
  function* nodes(n: DetectionNode): Generator<FieldMatch> {
    if (n.type === 'match') yield n;
    else for (const i of n.items) yield* nodes(i);
  }
  for (const id of det.identifiers) for (const match of nodes(id.node)) yield { identifier: id.name, match };
}

const yamlFiles = (dir: string): string[] =>
  fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory() ? yamlFiles(path.join(dir, e.name)) : /\.ya?ml$/.test(e.name) ? [path.join(dir, e.name)] : [],
    );

const docs: SigmaDocument[] = [];
beforeAll(() => {
  // A slice of the corpus with every shape of detection: one folder per product family.
  const dirs = [
    'rules/windows/process_creation',
    'rules/windows/registry',
    'rules/linux',
    'rules/cloud',
    'rules-threat-hunting',
  ].map((d) => path.join(CORPUS, d));
  for (const f of dirs.flatMap(yamlFiles))
    for (const d of parse(fs.readFileSync(f), { file: f, schema: false }).documents)
      if (d.document) docs.push(d.document);
});

describe('walk.ts: field matches and string values, built once per document', () => {
  it('lists the same matches, in the same order, as a depth-first walk', () => {
    expect(docs.length).toBeGreaterThan(1000);
    let matches = 0;
    for (const doc of docs) {
      const expected = [...referenceMatches(doc)];
      const got = fieldMatches(doc);
      expect(got.length).toBe(expected.length);
      got.forEach((m, i) => {
        expect(m.identifier).toBe(expected[i]!.identifier);
        expect(m.match).toBe(expected[i]!.match);
      });
      matches += got.length;
      const strings = expected.flatMap(({ identifier, match }) =>
        match.values
          .filter((v): v is StringValue => v.type === 'string')
          .map((value) => ({ identifier, match, value })),
      );
      expect(stringValues(doc).map((s) => [s.identifier, s.match, s.value])).toEqual(
        strings.map((s) => [s.identifier, s.match, s.value]),
      );
    }
    expect(matches).toBeGreaterThan(5000);
  });

  it('returns the cached list on the next call', () => {
    const doc = docs.find((d) => fieldMatches(d).length > 0)!;
    expect(fieldMatches(doc)).toBe(fieldMatches(doc));
    expect(stringValues(doc)).toBe(stringValues(doc));
  });
});

describe('tags.ts: splitTags, once per tags list', () => {
  it('splits every tag of the corpus slice as before and returns the cached list on the next call', () => {
    let tagged = 0;
    for (const doc of docs) {
      const expected = (doc.tags ?? []).map((tag, index) => {
        const dot = tag.indexOf('.');
        return dot < 0
          ? { tag, namespace: '', name: tag, index }
          : { tag, namespace: tag.slice(0, dot), name: tag.slice(dot + 1), index };
      });
      expect(splitTags(doc.tags)).toEqual(expected);
      expect(splitTags(doc.tags)).toBe(splitTags(doc.tags));
      if (expected.length) tagged++;
    }
    expect(tagged).toBeGreaterThan(1000);
    expect(splitTags(undefined)).toEqual([]);
  });
});

describe('taxonomy.ts: knownFields', () => {
  it('matches the field list of every logsource in the taxonomy', () => {
    for (const key of Object.keys(BUILTIN_TAXONOMY.logsources)) {
      const [product, category, service] = key.split('|');
      const ls = {
        ...(product ? { product } : {}),
        ...(category ? { category } : {}),
        ...(service ? { service } : {}),
      };
      const names = fieldsFor(BUILTIN_TAXONOMY, ls);
      const known = knownFields(BUILTIN_TAXONOMY, ls);
      if (!names || names.length === 0) {
        expect(known).toBeUndefined();
        continue;
      }
      expect(known!.names).toEqual(names);
      expect([...known!.exact].sort()).toEqual([...new Set(names)].sort());
      expect(known!.folded).toEqual(new Map(names.map((f) => [f.toLowerCase(), f])));
      expect(knownFields(BUILTIN_TAXONOMY, ls)).toBe(known);
    }
  });

  it('is built per taxonomy: another taxonomy object gets its own tables', () => {
    const other: Taxonomy = { version: 'test', logsources: { 'windows|process_creation|': ['Image', 'image'] } };
    const known = knownFields(other, { product: 'windows', category: 'process_creation' })!;
    expect(known.names).toEqual(['Image', 'image']);
    expect(known.folded.get('image')).toBe('image'); // the last spelling wins, as with new Map(…)
    expect(knownFields(other, { product: 'linux' })).toBeUndefined();
  });
});

/** The two checks as they were written before (the literal text joined, then searched). */
const reference = {
  controlCharacter(value: StringValue): string | undefined {
    const lit = value.parts.filter((p): p is string => typeof p === 'string').join('');
    return [...lit].find((c) => c.charCodeAt(0) < 0x20);
  },
  escapedWildcard(value: StringValue): string | undefined {
    const lit = value.parts.filter((p): p is string => typeof p === 'string').join('');
    return /[*?]/.test(lit) ? (/\*/.test(lit) ? '*' : '?') : undefined;
  },
};

function runCheck(check: typeof controlCharacter, value: StringValue): ReportInput[] {
  const loc = { line: 1, column: 1, offset: 0 };
  const match: FieldMatch = { type: 'match', field: 'CommandLine', modifiers: [], values: [value], list: false, loc };
  const doc = {
    kind: 'rule',
    detection: { identifiers: [{ name: 'selection', node: match }], conditions: [] },
    locs: {},
    custom: {},
  } as unknown as SigmaDocument;
  const reports: ReportInput[] = [];
  const ctx: CheckContext = {
    document: doc,
    loc,
    attack: BUILTIN_ATTACK,
    taxonomy: BUILTIN_TAXONOMY,
    report: (r: ReportInput) => void reports.push(r),
  };
  check.check!(ctx);
  return reports;
}

const part: fc.Arbitrary<StringPart> = fc.oneof(
  fc.string({
    unit: fc.constantFrom(
      'a',
      'Z',
      '\\',
      '*',
      '?',
      '\t',
      '\n',
      '\x00',
      '\x01',
      '\x1f',
      ' ',
      'é',
      '\u{1F600}',
      '\uD800',
    ),
  }),
  fc.constantFrom<StringPart>({ wildcard: 'multi' }, { wildcard: 'single' }, { placeholder: 'Admins' }),
);
const stringValue: fc.Arbitrary<StringValue> = fc
  .array(part, { maxLength: 6 })
  .map((parts) => ({ type: 'string', raw: 'raw', parts }) as StringValue);

describe('rewritten checks agree with their reference', () => {
  it('D011 control-character reports the same first control character', () => {
    fc.assert(
      fc.property(stringValue, (value) => {
        const expected = reference.controlCharacter(value);
        const got = runCheck(controlCharacter, value);
        if (expected === undefined) expect(got).toEqual([]);
        else {
          expect(got).toHaveLength(1);
          expect(got[0]!.message).toContain(`U+${expected.charCodeAt(0).toString(16).padStart(4, '0')}`);
        }
      }),
      { numRuns: runs(2000) },
    );
  });

  it('D009 escaped-wildcard reports the same values with the same character', () => {
    fc.assert(
      fc.property(stringValue, (value) => {
        const expected = reference.escapedWildcard(value);
        const got = runCheck(escapedWildcard, value);
        if (expected === undefined) expect(got).toEqual([]);
        else {
          expect(got).toHaveLength(1);
          expect(got[0]!.message).toContain(`(a literal '${expected}')`);
        }
      }),
      { numRuns: runs(2000) },
    );
  });
});
