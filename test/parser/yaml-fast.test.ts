/**
 * The YAML fast path (src/parser/yaml-fast.ts) must give exactly the js-yaml path's result, or
 * give up (null). Examples pin what it handles and what it leaves to js-yaml; the properties
 * compare both paths on generated YAML (every style and indentation the fast path accepts,
 * plus nasty strings in every position) and on randomly damaged corpus files.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import fs from 'node:fs';
import path from 'node:path';
import { LineIndex, parseYaml, parseYamlEvents, type YamlParseResult } from '../../src/parser/yaml.js';
import { parseYamlFast } from '../../src/parser/yaml-fast.js';
import { CORPUS } from '../helpers/paths.js';
import { yamlFiles } from '../helpers/files.js';
import { runs } from '../helpers/property.js';

function both(text: string): { fast: YamlParseResult | null; reference: YamlParseResult } {
  const lines = new LineIndex(text);
  return { fast: parseYamlFast(text, lines), reference: parseYamlEvents(text, lines) };
}

/** The fast path handles `text` and agrees with js-yaml. */
function expectFast(text: string): YamlParseResult {
  const { fast, reference } = both(text);
  expect(fast, JSON.stringify(text)).not.toBeNull();
  expect(fast).toStrictEqual(reference);
  return fast!;
}

/** The fast path gives up on `text` (js-yaml reads it). */
function expectBail(text: string): void {
  expect(both(text).fast, JSON.stringify(text)).toBeNull();
}

/** The fast path gives up or agrees: the property every input must satisfy. */
function agrees(text: string): boolean {
  const { fast, reference } = both(text);
  if (fast === null) return false;
  expect(fast, JSON.stringify(text)).toStrictEqual(reference);
  return true;
}

describe('YAML fast path: what it reads exactly as js-yaml does', () => {
  it.each([
    [
      'a rule-like mapping',
      'title: t\nid: 1\ntags:\n    - attack.t1\n    - attack.t2\ndetection:\n    sel:\n        Image|endswith: \\x.exe\n    condition: sel\n',
    ],
    [
      'plain scalars of every core type',
      'a: 0x1F\nb: 0o17\nc: 1e3\nd: -.inf\ne: .NaN\nf: ~\ng: True\nh: 2019-10-23\ni: yes\nj: -0\nk: +12\n',
    ],
    ['colons and hashes inside plain scalars', 'url: https://x.y/z?a=b#c\nk: a:b\nh: a#b # a comment\nt: 12:30\n'],
    [
      'quoted keys and values, with escapes',
      "'q k': 'it''s'\n\"d k\": \"tab\\there \\u00e9 \\x41 \\U0001F600 \\\\ \\\"\"\nempty: ''\nempty2: \"\"\n",
    ],
    ['spaces before the colon', "key  : v\n'q' : w\n"],
    ['multi-line plain scalars', 'description: first line\n    second line\n\n    after a blank\nnext: x\n'],
    ['multi-line quoted scalars', 'a: \'one\n  two\n\n  three\'\nb: "x \\\n  y\n  z"\n'],
    [
      'block scalars with chomping and indentation indicators',
      'a: |\n  l1\n   l2\n\nb: >\n  f1\n  f2\n\n   more\n  f3\nc: |-\n  s\n\n\nd: |+\n  k\n\ne: |2\n    i\nf: >-   # comment\n  g\n',
    ],
    ['an empty block scalar and one at the end of the text', 'a: |\nb: |\n  x'],
    ['tabs inside block scalar content', 'a: |\n  x\n  \ty\n'],
    ['tabs inside scalars, and before a comment after a plain scalar', "a: x\ty\t# c\nb: 'p\tq'\n"],
    ['dashes inside plain scalars', 'a:\n  - x - y\n  - z - w: 1\n'],
    ['a flow sequence as a sequence item', 'a:\n  - []\n  - [x]\n'],
    ['empty values', 'a:\nb:\n  # only a comment\nc: 1\nd:'],
    [
      'sequences: compact, at the key indentation, nested, empty items',
      'a:\n- x\n- y\nb:\n  - - n1\n    - n2\n  -\n  - k: v\n    k2: v2\n  -   z\n',
    ],
    ['flow sequences', 'a: [x, \'y\', "z", 1, true]\nb: []\nc: [ a b , c ]\nd: [x,]\n'],
    ['comments everywhere', '# head\na: 1 # c\n  # indented\nb:   # c\n  - x # c\n  # c\n  - y\n# tail'],
    ['CRLF line ends', 'a: 1\r\nb:\r\n  - x\r\n  - "y\r\n    z"\r\nc: |\r\n  l1\r\n  l2\r\n'],
    ['several documents', 'a: 1\n---\nb: 2\n---\n---\n# c\n- x\n'],
    ['a leading document marker, and empty documents', '---\na: 1\n'],
    ['only a document marker', '---\n'],
    ['unicode', 'k: ü日本😀\n"é": \'😀\'\n'],
    ['keys that look like other things', '1: a\ntrue: b\n-k: c\n?k: d\n:k: e\n<<: f\n'],
    ['duplicate keys, outer reported first', 'a: 1\na:\n  b: 1\n  b: 2\nc: [a]\nc: 2\n'],
  ])('%s', (_name, text) => {
    expectFast(text);
  });

  it('places an empty value at its key, an empty item at its sequence, an empty document at 0', () => {
    const r = expectFast("x: 1\n'k':\nl:\n  -\n---\n");
    const map = r.documents[0]!.contents;
    if (map?.kind !== 'map') throw new Error('map expected');
    expect(map.entries[1]!.value).toMatchObject({ value: null, start: 5, end: 5 });
    const seq = map.entries[2]!.value;
    if (seq.kind !== 'seq') throw new Error('seq expected');
    expect(seq.items[0]).toMatchObject({ value: null, start: seq.start });
    expect(r.documents[1]).toMatchObject({ start: -1, contents: { value: null, start: 0 } });
  });

  it('reports duplicate keys (P003) per document with positions', () => {
    const r = expectFast('a: 1\nb:\n  c: 1\n  c: 2\na: 3\n---\nz: 1\nz: 1\n');
    expect(r.documents.map((d) => d.diagnostics.map((x) => `${x.code}@${x.line}:${x.column}`))).toEqual([
      ['P003@4:3', 'P003@5:1'],
      ['P003@8:1'],
    ]);
  });

  it('finds duplicates in mappings with many keys', () => {
    const keys = Array.from({ length: 40 }, (_, i) => `k${i % 25}: ${i}`);
    const r = expectFast(keys.join('\n') + '\n');
    expect(r.documents[0]!.diagnostics).toHaveLength(15);
  });

  it('reads big inputs (many keys, long lines, long lists) exactly as js-yaml', () => {
    // Their time (linear: a bound of 1.5 s each) is measured by `npm run bench` (scripts/bench-limits.mjs).
    const big = [
      Array.from({ length: 50_000 }, (_, i) => `key${i}: value ${i}`).join('\n'),
      'a: [' + Array.from({ length: 50_000 }, (_, i) => `'v${i}'`).join(', ') + ']',
      'a:\n' + Array.from({ length: 50_000 }, (_, i) => `  - item ${i}`).join('\n') + '\nb: 1',
    ];
    for (const text of big) {
      const fast = parseYamlFast(text, new LineIndex(text));
      expect(fast).toStrictEqual(parseYamlEvents(text, new LineIndex(text)));
    }
  });

  it('counts every node of a document (expandedSize)', () => {
    expect(expectFast('a: [1, 2]\nb:\n  c: 1\n').documents[0]!.expandedSize).toBe(9);
  });
});

describe('YAML fast path: what it leaves to js-yaml', () => {
  it.each([
    ['an anchor and an alias', 'a: &x 1\nb: *x\n'],
    ['a tag', 'a: !!str 1\n'],
    ['a directive', '%YAML 1.2\n---\na: 1\n'],
    ['a flow mapping', 'a: {b: 1}\n'],
    ['an explicit key', '? a\n: 1\n'],
    ['a tab in indentation', 'a:\n\t- x\n'],
    ['a tab before a comment', 'a: [1]\t# c\n'],
    ['a document end marker', 'a: 1\n...\n'],
    ['content on the document marker line', '--- a: 1\n'],
    ['a multi-line flow sequence', 'a: [x,\n  y]\n'],
    ['a nested flow sequence', 'a: [[x]]\n'],
    ['a flow pair', 'a: [x: 1]\n'],
    ['a scalar document', 'just text\n'],
    ['a document not at column 0', '  a: 1\n'],
    ['a BOM', '\uFEFFa: 1\n'],
    ['a lone CR', 'a: 1\rb: 2\r'],
    ['a control character', 'a: \u0007\n'],
    ['an unterminated quote', "a: 'x\nb: 1\n"],
    ['a bad escape', 'a: "\\q"\n'],
    ['bad indentation', 'a: 1\n  b: 2\n'],
    ['a key without a value separator', 'a: 1\nb\n'],
    ['a second value on a line', "a: 'x' y\n"],
    ['a mapping inside an inline value', 'a: x: 1\n'],
    ['deep nesting', Array.from({ length: 30 }, (_, i) => ' '.repeat(i) + 'k:').join('\n') + ' 1\n'],
  ])('%s', (_name, text) => {
    expectBail(text);
    // parseYaml still reads it (via js-yaml) and gives the reference result.
    expect(parseYaml(text, new LineIndex(text))).toStrictEqual(parseYamlEvents(text, new LineIndex(text)));
  });
});

// ---- generated YAML ----

type GenScalar = {
  kind: 'scalar';
  text: string;
  style: 'plain' | 'single' | 'double' | 'literal' | 'folded' | 'foldedPlain' | 'foldedQuoted';
  chomp: '' | '-' | '+';
  indicator: boolean;
  comment: boolean;
};
type GenKey = { text: string; style: 'plain' | 'single' | 'double' };
type GenNode =
  | GenScalar
  | { kind: 'map'; entries: [GenKey, GenNode][]; indent: number }
  | { kind: 'seq'; items: GenNode[]; indent: number; sameIndent: boolean }
  | { kind: 'flow'; items: GenScalar[] }
  | { kind: 'empty' };

const NASTY = [
  '',
  ' ',
  'a b',
  "it's",
  '"q"',
  '#',
  'a #b',
  'a#b',
  ': ',
  'a: b',
  'a:b',
  'a:',
  '- x',
  '-',
  '--- ',
  '---',
  '...',
  '\\',
  'C:\\Windows\\',
  '\\n',
  'ü',
  '日本',
  '😀',
  ' lead',
  'trail ',
  'null',
  'Null',
  '~',
  'true',
  'False',
  'yes',
  '1',
  '-1',
  '0x1F',
  '0o7',
  '1e3',
  '.5',
  '.inf',
  '-.Inf',
  '.nan',
  '-0',
  '2019-10-23',
  '12:30',
  '@x',
  '`x',
  '%x',
  '&a',
  '*a',
  '!t',
  '|',
  '>',
  '[a]',
  '{a}',
  'a,b',
  '?',
  '? x',
  'a\tb',
  '\t',
  'line1\nline2',
  'x\n\ny',
  "''",
  '""',
  'https://x.y/z?a=b#c',
  '*.exe',
  "'",
  '"',
  '\r',
];
const CHARS = [
  'a',
  'b',
  'Z',
  '0',
  '9',
  ' ',
  ' ',
  '#',
  ':',
  '-',
  "'",
  '"',
  '\\',
  ',',
  '[',
  ']',
  '{',
  '}',
  '?',
  '|',
  '>',
  '*',
  '&',
  '!',
  '%',
  '@',
  '.',
  '\t',
  '\n',
  'é',
  '😀',
];
const nastyString = fc.oneof(
  fc.constantFrom(...NASTY),
  fc.array(fc.constantFrom(...CHARS), { maxLength: 12 }).map((a) => a.join('')),
);

const nastyScalar: fc.Arbitrary<GenScalar> = fc.record({
  kind: fc.constant('scalar' as const),
  text: nastyString,
  style: fc.constantFrom('plain', 'single', 'double', 'literal', 'folded', 'foldedPlain', 'foldedQuoted'),
  chomp: fc.constantFrom('', '-', '+'),
  indicator: fc.boolean(),
  comment: fc.boolean(),
});
const nastyKey: fc.Arbitrary<GenKey> = fc.record({
  text: nastyString,
  style: fc.constantFrom('plain', 'single', 'double'),
});

/** Strings that are valid plain scalars (and keys) in any position. */
const safeWord = fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_.\\*/|-]{0,10}$/);
const safePlain = fc.array(safeWord, { minLength: 1, maxLength: 4 }).map((w) => w.join(' '));
const anyLine = fc
  .array(fc.constantFrom(...CHARS.filter((c) => c !== '\n' && c !== '\t')), { maxLength: 12 })
  .map((a) => a.join(''));
const safeScalar: fc.Arbitrary<GenScalar> = fc.oneof(
  fc.record({
    kind: fc.constant('scalar' as const),
    text: safePlain,
    style: fc.constantFrom('plain', 'foldedPlain'),
    chomp: fc.constant('' as const),
    indicator: fc.constant(false),
    comment: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant('scalar' as const),
    text: anyLine,
    style: fc.constantFrom('single', 'double'),
    chomp: fc.constant('' as const),
    indicator: fc.constant(false),
    comment: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant('scalar' as const),
    text: fc.array(safePlain, { minLength: 1, maxLength: 3 }).map((l) => l.join('\n')),
    style: fc.constantFrom('literal', 'folded'),
    chomp: fc.constantFrom('', '-', '+'),
    indicator: fc.boolean(),
    comment: fc.boolean(),
  }),
);
const safeKey: fc.Arbitrary<GenKey> = fc.oneof(
  fc.record({ text: safeWord, style: fc.constant('plain' as const) }),
  fc.record({ text: anyLine, style: fc.constantFrom('single', 'double') }),
);

function trees(scalar: fc.Arbitrary<GenScalar>, key: fc.Arbitrary<GenKey>, withEmpty: boolean): fc.Arbitrary<GenNode> {
  const { map } = fc.letrec<{ node: GenNode; map: GenNode; seq: GenNode }>((tie) => ({
    node: fc.oneof(
      { maxDepth: 4, depthIdentifier: 'tree' },
      { arbitrary: scalar, weight: 5 },
      { arbitrary: tie('map'), weight: 2 },
      { arbitrary: tie('seq'), weight: 2 },
      {
        arbitrary: fc.record({
          kind: fc.constant('flow' as const),
          items: fc.array(
            scalar.filter((s) => s.style === 'plain' || s.style === 'single' || s.style === 'double'),
            { maxLength: 4 },
          ),
        }),
        weight: 1,
      },
      { arbitrary: fc.constant({ kind: 'empty' as const }), weight: withEmpty ? 1 : 0 },
    ),
    map: fc.record({
      kind: fc.constant('map' as const),
      entries: fc.array(fc.tuple(key, tie('node')), { minLength: 1, maxLength: 5 }),
      indent: fc.integer({ min: 1, max: 4 }),
    }),
    seq: fc.record({
      kind: fc.constant('seq' as const),
      items: fc.array(tie('node'), { minLength: 1, maxLength: 4 }),
      indent: fc.integer({ min: 0, max: 4 }),
      sameIndent: fc.boolean(),
    }),
  }));
  return map;
}

interface Line {
  text: string;
  /** A comment or blank line may follow (not inside a block scalar or a multi-line scalar). */
  open: boolean;
}

const quote1 = (s: string): string => `'${s.replace(/'/g, "''")}'`;
const quote2 = (s: string): string => JSON.stringify(s);

function renderKey(k: GenKey): string {
  return k.style === 'plain' ? k.text : k.style === 'single' ? quote1(k.text) : quote2(k.text);
}

/** Renders a scalar after `prefix` (e.g. `key: `), at nesting indentation `indent`. */
function renderScalar(prefix: string, s: GenScalar, indent: number, out: Line[]): void {
  const comment = s.comment ? ' # note' : '';
  const pad = ' '.repeat(indent + 2);
  switch (s.style) {
    case 'plain':
      out.push({ text: prefix + s.text + comment, open: true });
      return;
    case 'single':
      out.push({ text: prefix + quote1(s.text) + comment, open: true });
      return;
    case 'double':
      out.push({ text: prefix + quote2(s.text) + comment, open: true });
      return;
    case 'foldedPlain':
    case 'foldedQuoted': {
      const words = s.text.split(' ');
      const q = s.style === 'foldedQuoted';
      out.push({ text: prefix + (q ? "'" : '') + words[0], open: false });
      for (let i = 1; i < words.length; i++)
        out.push({ text: pad + words[i] + (q && i === words.length - 1 ? "'" : ''), open: false });
      if (q && words.length === 1) out[out.length - 1]!.text += "'";
      out[out.length - 1]!.open = true;
      return;
    }
    default: {
      out.push({
        text: `${prefix}${s.style === 'literal' ? '|' : '>'}${s.indicator ? '2' : ''}${s.chomp}${comment}`,
        open: false,
      });
      for (const l of s.text.split('\n')) out.push({ text: l === '' ? '' : pad + l, open: false });
      out[out.length - 1]!.open = true;
    }
  }
}

function renderFlow(items: GenScalar[]): string {
  return (
    '[' +
    items
      .map((s) => (s.style === 'plain' ? s.text : s.style === 'single' ? quote1(s.text) : quote2(s.text)))
      .join(', ') +
    ']'
  );
}

/** Renders `node` as the value after `prefix` (a key or a `- `) whose line is at `indent`. */
function renderValue(prefix: string, node: GenNode, indent: number, out: Line[], inSeq: boolean): void {
  switch (node.kind) {
    case 'empty':
      out.push({ text: prefix.trimEnd(), open: true });
      return;
    case 'scalar':
      renderScalar(prefix, node, indent, out);
      return;
    case 'flow':
      out.push({ text: prefix + renderFlow(node.items), open: true });
      return;
    case 'map':
      if (inSeq && node.indent <= 2) {
        // A compact mapping in a sequence entry: `- k: v` then its keys under `k`.
        const col = prefix.length;
        node.entries.forEach(([k, v], i) =>
          renderValue((i === 0 ? prefix : ' '.repeat(col)) + renderKey(k) + ': ', v, col, out, false),
        );
        return;
      }
      out.push({ text: prefix.trimEnd(), open: true });
      renderMap(node, indent + node.indent, out);
      return;
    case 'seq':
      out.push({ text: prefix.trimEnd(), open: true });
      renderSeq(node, node.sameIndent && !inSeq ? indent : indent + Math.max(1, node.indent), out);
  }
}

function renderMap(node: Extract<GenNode, { kind: 'map' }>, indent: number, out: Line[]): void {
  for (const [k, v] of node.entries) renderValue(' '.repeat(indent) + renderKey(k) + ': ', v, indent, out, false);
}

function renderSeq(node: Extract<GenNode, { kind: 'seq' }>, indent: number, out: Line[]): void {
  for (const item of node.items) renderValue(' '.repeat(indent) + '- ', item, indent, out, true);
}

interface Layout {
  crlf: boolean;
  marker: boolean;
  extras: { at: number; kind: 'blank' | 'comment' | 'indentedComment' | 'spaces' | 'document' }[];
  /** Insert extras anywhere (nasty), not only where a comment line keeps the meaning (simple). */
  anywhere: boolean;
}

function render(root: GenNode, layout: Layout): string {
  const out: Line[] = [];
  if (root.kind === 'map') renderMap(root, 0, out);
  const lines = out.map((l) => l.text);
  const opens = out.map((l) => l.open);
  for (const e of [...layout.extras].sort((a, b) => b.at - a.at)) {
    const at = e.at % (lines.length + 1);
    if (!layout.anywhere && at > 0 && !opens[at - 1]) continue;
    if (!layout.anywhere && e.kind === 'document') continue;
    const extra =
      e.kind === 'blank'
        ? ''
        : e.kind === 'comment'
          ? '# c: - x'
          : e.kind === 'indentedComment'
            ? '      # c'
            : e.kind === 'spaces'
              ? '   '
              : '---';
    lines.splice(at, 0, extra);
    opens.splice(at, 0, true);
  }
  const text = (layout.marker ? '---\n' : '') + lines.join('\n') + '\n';
  return layout.crlf ? text.replace(/\n/g, '\r\n') : text;
}

const layout = (anywhere: boolean): fc.Arbitrary<Layout> =>
  fc.record({
    crlf: fc.boolean(),
    marker: fc.boolean(),
    extras: fc.array(
      fc.record({ at: fc.nat(), kind: fc.constantFrom('blank', 'comment', 'indentedComment', 'spaces', 'document') }),
      { maxLength: 4 },
    ),
    anywhere: fc.constant(anywhere),
  });

/** Runs per property (test/helpers/property.ts: SIGIL_FUZZ=100 for a long soak). */
const RUNS = runs(1500);

describe('YAML fast path: properties', () => {
  it('reads generated simple YAML (every accepted style) without giving up, exactly as js-yaml', () => {
    let count = 0;
    fc.assert(
      fc.property(trees(safeScalar, safeKey, true), layout(false), (tree, lay) => {
        const text = render(tree, lay);
        const { fast, reference } = both(text);
        count++;
        expect(reference.diagnostics, text).toEqual([]);
        expect(fast, JSON.stringify(text)).not.toBeNull();
        expect(fast).toStrictEqual(reference);
      }),
      { numRuns: RUNS },
    );
    expect(count).toBe(RUNS);
  });

  it('gives up or agrees on generated nasty YAML', () => {
    let fast = 0;
    let valid = 0;
    fc.assert(
      fc.property(trees(nastyScalar, nastyKey, true), layout(true), (tree, lay) => {
        const text = render(tree, lay);
        if (agrees(text)) fast++;
        if (parseYamlEvents(text, new LineIndex(text)).diagnostics.length === 0) valid++;
      }),
      { numRuns: RUNS * 2 },
    );
    // Not vacuous: most inputs js-yaml accepts take the fast path (measured ~82%; the rest
    // hold tabs, `&a`, `*a`, `!t`, `{a}`… where a plain scalar was asked for).
    expect(fast / valid, `nasty YAML: ${valid} of ${RUNS * 2} valid, ${fast} read by the fast path`).toBeGreaterThan(
      0.7,
    );
  });

  it('gives up or agrees on soups of YAML-like lines', () => {
    const FRAGMENTS = [
      'k: v',
      'k:',
      'k: |',
      'k: >-',
      'k: |2',
      'k: |+ # c',
      '- x',
      '-',
      '- k: v',
      '- - x',
      '- |',
      "'q': x",
      '"d": "e\\',
      "'a''b'",
      'x',
      'x y',
      'x: y: z',
      '---',
      '...',
      '--- x',
      '[a, b]',
      'k: [a, "b", \'c\']',
      '# c',
      'k: v # c',
      'k: v#c',
      'k: "x',
      "k: 'x",
      'y"',
      "y'",
      ': v',
      '? k',
      'k: &a v',
      'k: *a',
      'k: !t v',
      'k: {a: 1}',
      'a\tb',
      '\tk: v',
      'k:\tv',
      '',
      '  ',
      'k: -x',
      'k: - x',
      'k: null',
      'k: 0x1f',
      'k: "\\u00e9"',
      'k : v',
      '"k" : v',
      'http://a:b',
      '- "a',
      '  b"',
      'k: a\\',
      '%YAML 1.2',
    ];
    let fast = 0;
    let valid = 0;
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(0, 0, 0, 2, 2, 2, 4, 4, 1, 3, 6), fc.constantFrom(...FRAGMENTS)), {
          minLength: 1,
          maxLength: 8,
        }),
        fc.constantFrom('\n', '\r\n'),
        fc.boolean(),
        (rows, eol, finalEol) => {
          const text = rows.map(([indent, f]) => ' '.repeat(indent) + f).join(eol) + (finalEol ? eol : '');
          if (agrees(text)) fast++;
          if (parseYamlEvents(text, new LineIndex(text)).diagnostics.length === 0) valid++;
        },
      ),
      { numRuns: RUNS * 2 },
    );
    // Measured ~22%: most valid soups the fast path leaves are indented or scalar documents.
    expect(fast / valid, `line soups: ${valid} of ${RUNS * 2} valid, ${fast} read by the fast path`).toBeGreaterThan(
      0.15,
    );
  });

  describe('damaged corpus files', () => {
    let samples: string[] = [];
    beforeAll(() => {
      const files = yamlFiles(path.join(CORPUS, 'rules'));
      // Every 20th rule: ~160 files of every shape, read once.
      samples = files.filter((_, i) => i % 20 === 0).map((f) => fs.readFileSync(f, 'utf8'));
    });

    const PIECES = [
      ' ',
      ' ',
      '  ',
      "'",
      '"',
      ':',
      ': ',
      '-',
      '- ',
      '#',
      ' #',
      '\n',
      '\n',
      '\t',
      '\r\n',
      '\r',
      '[',
      ']',
      '{',
      ',',
      '&a ',
      '*',
      '!',
      '|',
      '>',
      '|-',
      '?',
      '\\',
      'a',
      '---\n',
      '...',
      '\uFEFF',
    ];

    it('gives up or agrees after random edits (delete, insert, replace)', () => {
      let fast = 0;
      let count = 0;
      const edit = fc.record({
        at: fc.nat(),
        kind: fc.constantFrom('delete', 'insert', 'replace', 'insertAtLineStart'),
        piece: fc.constantFrom(...PIECES),
        len: fc.integer({ min: 1, max: 3 }),
      });
      fc.assert(
        fc.property(fc.nat(), fc.array(edit, { minLength: 1, maxLength: 4 }), (which, edits) => {
          let text = samples[which % samples.length]!;
          for (const e of edits) {
            let at = e.at % (text.length + 1);
            if (e.kind === 'insertAtLineStart') {
              at = text.lastIndexOf('\n', at - 1) + 1;
              text = text.slice(0, at) + e.piece + text.slice(at);
            } else if (e.kind === 'insert') text = text.slice(0, at) + e.piece + text.slice(at);
            else if (e.kind === 'delete') text = text.slice(0, at) + text.slice(at + e.len);
            else text = text.slice(0, at) + e.piece + text.slice(at + e.len);
          }
          count++;
          if (agrees(text)) fast++;
        }),
        { numRuns: RUNS * 2 },
      );
      // Measured ~32%: most edits break the YAML (or add a tab, a BOM, an anchor…).
      expect(fast / count, `damaged corpus files: ${fast} of ${count} read by the fast path`).toBeGreaterThan(0.2);
    });
  });
});
