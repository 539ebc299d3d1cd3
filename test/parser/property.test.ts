/**
 * Property tests: (a) generated valid rules parse with zero errors and the AST reflects the
 * input; (b) byte-level mutations of corpus rules never throw and always end in documents or
 * located diagnostics.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from '../../src/parser/index.js';
import type { Condition, DetectionNode, FieldMatch } from '../../src/ast/types.js';
import { allDiagnostics } from './helpers.js';
import { runs } from '../helpers/property.js';

// ---------------------------------------------------------------------------
// (a) generated rules

const KEYWORDS = new Set(['and', 'or', 'not', 'of', 'them', 'all', 'any', '1']);
const identifier = fc.stringMatching(/^[a-z][a-z0-9_]{0,7}$/).filter((s) => !KEYWORDS.has(s));
const fieldName = fc.stringMatching(/^[A-Z][A-Za-z0-9_.]{0,9}$/);
/** Text with Sigma's special characters; emitted single-quoted. */
const text = fc.string({
  unit: fc.constantFrom('a', 'B', '1', ' ', '-', '/', '\\', '*', '?', "'", '"', ':', '#', '%', 'é', '{', '|'),
  minLength: 1,
  maxLength: 10,
});
const literal = fc.string({
  unit: fc.constantFrom('a', 'B', '1', ' ', '-', '/', '.', ':', "'", 'é'),
  minLength: 1,
  maxLength: 10,
});

interface GenMatch {
  field: string;
  modifiers: readonly string[];
  /** YAML texts of the values. */
  values: readonly string[];
  /** What the AST must hold per value: the type and (for strings) the raw text. */
  expect: readonly { type: string; raw?: string }[];
}

const q = (s: string): string => `'${s.replace(/'/g, "''")}'`;
const strValues = (gen: fc.Arbitrary<string>, min = 1) =>
  fc
    .array(gen, { minLength: min, maxLength: 3 })
    .map((vs) => ({ values: vs.map(q), expect: vs.map((raw) => ({ type: 'string', raw })) }));

const matchGen: fc.Arbitrary<GenMatch> = fc
  .tuple(
    fieldName,
    fc.oneof(
      fc.tuple(
        fc.constantFrom(
          [],
          ['contains'],
          ['startswith'],
          ['endswith'],
          ['windash', 'contains'],
          ['contains', 'windash'],
          ['cased'],
          ['contains', 'cased'],
          ['neq'],
        ),
        strValues(text),
      ),
      fc.tuple(fc.constant(['contains', 'all']), strValues(text, 2)),
      fc.tuple(
        fc.constantFrom(
          ['base64'],
          ['base64offset', 'contains'],
          ['wide', 'base64offset', 'contains'],
          ['utf16be', 'base64'],
          ['utf16', 'base64'],
        ),
        strValues(literal),
      ),
      fc.tuple(
        fc.constantFrom(['re'], ['re', 'i'], ['re', 'i', 'm', 's']),
        fc
          .constantFrom('^a.*b$', '[0-9]{2,4}', '(foo|bar)+', 'x?y', '\\.exe$')
          .map((r) => ({ values: [q(r)], expect: [{ type: 'regex' }] })),
      ),
      fc.tuple(
        fc.constant(['cidr']),
        fc
          .tuple(fc.nat(255), fc.nat(255), fc.integer({ min: 0, max: 32 }))
          .map(([a, b, p]) => ({ values: [`${a}.${b}.0.0/${p}`], expect: [{ type: 'cidr' }] })),
      ),
      fc.tuple(
        fc.constantFrom(['gt'], ['gte'], ['lt'], ['lte']),
        fc.integer({ min: -1000, max: 100000 }).map((n) => ({ values: [String(n)], expect: [{ type: 'number' }] })),
      ),
      fc.tuple(
        fc.constantFrom(['hour'], ['hour', 'gte']),
        fc.integer({ min: 0, max: 23 }).map((n) => ({ values: [String(n)], expect: [{ type: 'number' }] })),
      ),
      fc.tuple(
        fc.constant(['exists']),
        fc.boolean().map((b) => ({ values: [String(b)], expect: [{ type: 'boolean' }] })),
      ),
      fc.tuple(
        fc.constant(['fieldref']),
        fieldName.map((f) => ({ values: [f], expect: [{ type: 'fieldref' }] })),
      ),
      fc.tuple(
        fc.constant(['expand']),
        fc
          .stringMatching(/^[A-Za-z]{1,8}$/)
          .map((p) => ({ values: [q(`%${p}%`)], expect: [{ type: 'string', raw: `%${p}%` }] })),
      ),
      fc.tuple(
        fc.constant([]),
        fc.oneof(
          fc.integer().map((n) => ({ values: [String(n)], expect: [{ type: 'number' }] })),
          fc.constant({ values: ['null'], expect: [{ type: 'null' }] }),
          fc.constant({ values: ["''"], expect: [{ type: 'string', raw: '' }] }),
        ),
      ),
    ),
  )
  .map(([field, [modifiers, v]]): GenMatch => ({ field, modifiers, ...v }));

type GenIdentifier =
  | { kind: 'map'; matches: GenMatch[] }
  | { kind: 'keywords'; values: string[] }
  | { kind: 'listOfMaps'; maps: GenMatch[][] };

const uniqueFields = (ms: GenMatch[]): GenMatch[] =>
  ms.filter((m, i) => ms.findIndex((x) => x.field + x.modifiers.join('|') === m.field + m.modifiers.join('|')) === i);
const identifierBody: fc.Arbitrary<GenIdentifier> = fc.oneof(
  fc.array(matchGen, { minLength: 1, maxLength: 4 }).map((m) => ({ kind: 'map' as const, matches: uniqueFields(m) })),
  fc.array(text, { minLength: 1, maxLength: 3 }).map((values) => ({ kind: 'keywords' as const, values })),
  fc
    .array(fc.array(matchGen, { minLength: 1, maxLength: 2 }).map(uniqueFields), { minLength: 1, maxLength: 3 })
    .map((maps) => ({ kind: 'listOfMaps' as const, maps })),
);

/** A condition over the given names that uses every one of them. */
function conditionGen(names: string[]): fc.Arbitrary<string> {
  return fc
    .tuple(
      fc.array(fc.constantFrom('and', 'or', 'and not', 'or not'), { minLength: names.length, maxLength: names.length }),
      fc.boolean(),
      fc.boolean(),
    )
    .map(([ops, paren, ofForm]) => {
      if (ofForm && names.length > 1) return '1 of them';
      let out = names[0]!;
      for (let i = 1; i < names.length; i++)
        out = paren && i === names.length - 1 ? `(${out}) ${ops[i]} ${names[i]}` : `${out} ${ops[i]} ${names[i]}`;
      return out;
    });
}

function emitMatch(m: GenMatch, indent: string): string {
  const key = [m.field, ...m.modifiers].join('|');
  if (m.values.length === 1 && !m.modifiers.includes('all')) return `${indent}${key}: ${m.values[0]}\n`;
  return `${indent}${key}:\n` + m.values.map((v) => `${indent}    - ${v}\n`).join('');
}

function emitRule(ids: [string, GenIdentifier][], condition: string): string {
  let out =
    "title: 'Generated'\nid: 929a690e-bef0-4204-a928-ef5e620d6fcc\nstatus: test\nlogsource:\n    product: windows\ndetection:\n";
  for (const [name, body] of ids) {
    out += `    ${name}:\n`;
    if (body.kind === 'map') for (const m of body.matches) out += emitMatch(m, '        ');
    else if (body.kind === 'keywords') for (const v of body.values) out += `        - ${q(v)}\n`;
    else
      for (const map of body.maps)
        map.forEach(
          (m, i) => (out += emitMatch(m, '          ').replace(/^ {10}/, i === 0 ? '        - ' : '          ')),
        );
  }
  return out + `    condition: ${condition}\nlevel: low\n`;
}

function checkMatch(actual: DetectionNode | undefined, m: GenMatch): void {
  expect(actual?.type).toBe('match');
  const fm = actual as FieldMatch;
  expect(fm.field).toBe(m.field);
  expect(fm.modifiers).toEqual(m.modifiers);
  expect(fm.values.map((v) => ({ type: v.type, ...(v.type === 'string' ? { raw: v.raw } : {}) }))).toEqual(
    m.expect.map((e) => (e.type === 'string' ? e : { type: e.type })),
  );
}

function refs(c: Condition, out = new Set<string>()): Set<string> {
  if (c.type === 'ref') out.add(c.name);
  else if (c.type === 'of') c.names.forEach((n) => out.add(n));
  else if (c.type === 'not') refs(c.item, out);
  else c.items.forEach((i) => refs(i, out));
  return out;
}

describe('generated valid rules', () => {
  const ruleGen = fc
    .uniqueArray(identifier, { minLength: 1, maxLength: 4 })
    .chain((names) =>
      fc.tuple(
        fc.constant(names),
        fc.array(identifierBody, { minLength: names.length, maxLength: names.length }),
        conditionGen(names),
      ),
    );

  it('parse with zero errors and the AST reflects the input', () => {
    fc.assert(
      fc.property(ruleGen, ([names, bodies, condition]) => {
        const ids = names.map((n, i) => [n, bodies[i]!] as [string, GenIdentifier]);
        const text = emitRule(ids, condition);
        if (process.env['SHOW_GENERATED']) console.log(text);
        const r = parse(text);
        const errs = allDiagnostics(r).filter((d) => d.severity === 'error');
        expect(errs, text).toEqual([]);
        const doc = r.documents[0]!.document!;
        if (doc.kind !== 'rule') throw new Error('rule expected');
        expect(doc.title).toBe('Generated');
        expect(doc.detection.identifiers.map((i) => i.name)).toEqual(names);
        ids.forEach(([, body], i) => {
          const node = doc.detection.identifiers[i]!.node;
          if (body.kind === 'map') {
            expect(node.type).toBe('allOf');
            if (node.type === 'allOf') body.matches.forEach((m, k) => checkMatch(node.items[k], m));
          } else if (body.kind === 'keywords') {
            expect(
              node.type === 'match' &&
                node.field === null &&
                node.values.map((v) => (v.type === 'string' ? v.raw : null)),
            ).toEqual(body.values);
          } else {
            expect(node.type).toBe('anyOf');
            if (node.type === 'anyOf')
              body.maps.forEach((map, k) => {
                const sub = node.items[k];
                expect(sub?.type).toBe('allOf');
                if (sub?.type === 'allOf') map.forEach((m, j) => checkMatch(sub.items[j], m));
              });
          }
        });
        expect(doc.detection.conditionText).toEqual([condition]);
        expect([...refs(doc.detection.conditions[0]!)].sort()).toEqual(
          condition === '1 of them' ? names.filter((n) => !n.startsWith('_')).sort() : [...names].sort(),
        );
      }),
      { numRuns: runs(300) },
    );
  });
});

// ---------------------------------------------------------------------------
// (b) mutations of corpus rules

const CORPUS = join(import.meta.dirname, '../../../shared/corpus/sigmahq/rules');
let samples: Uint8Array[] = [];

beforeAll(() => {
  const files: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.isDirectory()) walk(join(d, e.name));
      else if (e.name.endsWith('.yml')) files.push(join(d, e.name));
    }
  };
  walk(CORPUS);
  const step = Math.max(1, Math.floor(files.length / 200));
  samples = files
    .filter((_, i) => i % step === 0)
    .slice(0, 200)
    .map((f) => new Uint8Array(readFileSync(f)));
});

type Mutation =
  | { op: 'flip'; at: number; bit: number }
  | { op: 'insert'; at: number; bytes: number[] }
  | { op: 'delete'; at: number; len: number }
  | { op: 'truncate'; at: number }
  | { op: 'splice'; at: number; from: number; len: number; other: number };

const INTERESTING = [
  0x00, 0x09, 0x0a, 0x0d, 0x20, 0x22, 0x23, 0x26, 0x27, 0x2a, 0x2d, 0x3a, 0x3f, 0x5b, 0x5c, 0x5d, 0x7b, 0x7c, 0x7d,
  0x80, 0xc3, 0xef, 0xff,
];
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('flip' as const), at: fc.nat(), bit: fc.nat(7) }),
  fc.record({
    op: fc.constant('insert' as const),
    at: fc.nat(),
    bytes: fc.array(fc.oneof(fc.constantFrom(...INTERESTING), fc.nat(255)), { minLength: 1, maxLength: 8 }),
  }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({
    op: fc.constant('splice' as const),
    at: fc.nat(),
    from: fc.nat(),
    len: fc.integer({ min: 1, max: 200 }),
    other: fc.nat(),
  }),
);

function mutate(src: Uint8Array, m: Mutation): Uint8Array {
  const n = src.length;
  const at = n === 0 ? 0 : m.at % (n + 1);
  const b = Array.from(src);
  switch (m.op) {
    case 'flip':
      if (n) b[at % n] = b[at % n]! ^ (1 << m.bit);
      break;
    case 'insert':
      b.splice(at, 0, ...m.bytes);
      break;
    case 'delete':
      b.splice(at, m.len);
      break;
    case 'truncate':
      b.length = at;
      break;
    case 'splice': {
      const other = samples[m.other % samples.length]!;
      const from = other.length ? m.from % other.length : 0;
      b.splice(at, 0, ...other.slice(from, from + m.len));
      break;
    }
  }
  return Uint8Array.from(b);
}

describe('mutated corpus rules', () => {
  it('uses about 200 corpus rules', () => {
    expect(samples.length).toBeGreaterThanOrEqual(190);
  });

  it('never throw; always give documents or located diagnostics', () => {
    fc.assert(
      fc.property(fc.nat(), fc.array(mutation, { minLength: 1, maxLength: 4 }), (pick, mutations) => {
        let bytes = samples[pick % samples.length]!;
        for (const m of mutations) bytes = mutate(bytes, m);
        const r = parse(bytes, { file: 'm.yml' });
        expect(r.documents.length + r.diagnostics.length).toBeGreaterThan(0);
        for (const d of r.documents) expect(d.document !== undefined || d.diagnostics.length > 0).toBe(true);
        for (const d of allDiagnostics(r)) {
          expect(Number.isInteger(d.line) && d.line >= 1).toBe(true);
          expect(Number.isInteger(d.column) && d.column >= 1).toBe(true);
          expect(typeof d.message).toBe('string');
        }
        // Whatever parses is plain JSON.
        for (const d of r.documents) if (d.document) JSON.stringify(d.document);
      }),
      { numRuns: runs(3000) },
    );
  });

  it('the same text as string or bytes gives the same diagnostics', () => {
    fc.assert(
      fc.property(fc.nat(), mutation, (pick, m) => {
        const bytes = mutate(samples[pick % samples.length]!, m);
        let text: string;
        try {
          text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
        } catch {
          return;
        }
        const a = allDiagnostics(parse(bytes)).map((d) => `${d.code}@${d.line}:${d.column}`);
        const b = allDiagnostics(parse(text)).map((d) => `${d.code}@${d.line}:${d.column}`);
        expect(a).toEqual(b);
      }),
      { numRuns: runs(300) },
    );
  });
});
