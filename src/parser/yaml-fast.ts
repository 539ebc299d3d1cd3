/**
 * A fast path for the small, regular part of YAML that Sigma rules use: block mappings and
 * sequences, plain / quoted / `|` `>` block scalars, comments, one-line `[a, b]` flow sequences
 * and `---` separated documents. It builds the same tree (yaml-tree.ts) as the js-yaml path in
 * yaml.ts (offsets, styles, duplicate-key diagnostics and all) in one pass, without events.
 *
 * It is a trimmed port of js-yaml 5's parser (parser.ts: skipSeparationSpace, readPlainScalar,
 * readBlockScalar, readBlockMapping, readBlockSequence, parseNode): the same state (position,
 * line, lineStart, lineIndent) and the same checks, so offsets and folding match by
 * construction. Anything outside that subset or in doubt — anchors, aliases, tags,
 * directives, flow mappings, explicit `?` keys, tabs in indentation or separation, `...`,
 * multi-line flow, any syntax error — makes it give up (return null) and the js-yaml path
 * runs: js-yaml stays the reference and the only source of YAML syntax errors.
 *
 * Derived from js-yaml (MIT licence, Copyright (C) 2011-2015 by Vitaly Puzrin; the full
 * text is in node_modules/js-yaml/LICENSE, installed with the dependency this file mirrors).
 */
import { getScalarValue, type ScalarEvent } from 'js-yaml';
import { makeDiagnostic } from '../diagnostics.js';
import { truncate } from '../util/text.js';
import {
  LIMITS,
  resolvePlain,
  type LineIndex,
  type YamlParseResult,
  type YDocument,
  type YMap,
  type YNode,
  type YScalar,
  type YSeq,
} from './yaml-tree.js';

/** Thrown (and caught in parseYamlFast) to give up on the fast path. */
const BAIL: { readonly bail: true } = { bail: true };
function bail(): never {
  throw BAIL;
}

/**
 * Characters the fast path never handles: controls js-yaml rejects as non-printable (in
 * scalars) or as NUL, a BOM anywhere, a lone CR (old Mac line ends) and unpaired surrogates.
 * A plain character class is several times faster to scan, so CR and surrogates (CRLF files,
 * emoji) are looked at closely only when present.
 */
const MAYBE_UNSUPPORTED = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uFEFF\uFFFE\uFFFF\r\uD800-\uDFFF]/;
const UNSUPPORTED_CHARS =
  /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uFEFF\uFFFE\uFFFF]|\r(?!\n)|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:[^\uD800-\uDBFF]|^)[\uDC00-\uDFFF]/;

/** Deeper than this (collections inside collections) is left to js-yaml and its maxDepth. */
const MAX_FAST_DEPTH = 24;

// js-yaml SCALAR_STYLE / CHOMPING_MODE values.
const PLAIN = 1;
const SINGLE_QUOTED = 2;
const DOUBLE_QUOTED = 3;
const LITERAL_BLOCK = 4;
const FOLDED_BLOCK = 5;
const CLIP = 1;
const STRIP = 2;
const KEEP = 3;

// Character codes.
const TAB = 9;
const LF = 10;
const CR = 13;
const SPACE = 32;
const DQUOTE = 34;
const HASH = 35;
const PERCENT = 37;
const AMP = 38;
const SQUOTE = 39;
const STAR = 42;
const PLUS = 43;
const COMMA = 44;
const DASH = 45;
const DOT = 46;
const COLON = 58;
const GT = 62;
const QUESTION = 63;
const AT = 64;
const LBRACKET = 91;
const BACKSLASH = 92;
const RBRACKET = 93;
const BACKTICK = 96;
const LBRACE = 123;
const PIPE = 124;
const RBRACE = 125;
const BANG = 33;

const isWsOrEol = (c: number): boolean => c === SPACE || c === TAB || c === LF || c === CR;
/** Past the end of the text charCodeAt gives NaN, which stands for js-yaml's trailing NUL. */
const isWsOrEolOrEnd = (c: number): boolean => c !== c || isWsOrEol(c);
const isFlowIndicator = (c: number): boolean =>
  c === COMMA || c === LBRACKET || c === RBRACKET || c === LBRACE || c === RBRACE;
const isHex = (c: number): boolean => (c >= 48 && c <= 57) || ((c | 32) >= 97 && (c | 32) <= 102);
/** js-yaml's isSimpleEscape: the one-character escapes of a double-quoted scalar. */
const isSimpleEscape = (c: number): boolean =>
  c === 48 ||
  c === 97 ||
  c === 98 ||
  c === 116 ||
  c === TAB ||
  c === 110 ||
  c === 118 ||
  c === 102 ||
  c === 114 ||
  c === 101 ||
  c === SPACE ||
  c === DQUOTE ||
  c === 47 ||
  c === BACKSLASH ||
  c === 78 ||
  c === 95 ||
  c === 76 ||
  c === 80;

/**
 * Parses `text` like parseYaml's js-yaml path, or returns null when the text uses YAML the
 * fast path does not handle (the caller then runs the js-yaml path).
 */
export function parseYamlFast(text: string, lines: LineIndex): YamlParseResult | null {
  if (MAYBE_UNSUPPORTED.test(text) && UNSUPPORTED_CHARS.test(text)) return null;
  try {
    return new FastParser(text, lines).parseStream();
  } catch (e) {
    if (e === BAIL) return null;
    throw e;
  }
}

class FastParser {
  private readonly s: string;
  private readonly n: number;
  private readonly lines: LineIndex;
  // js-yaml's parser state.
  private pos = 0;
  private line = 0;
  private lineStart = 0;
  private lineIndent = 0;
  private depth = 0;
  // nextColon / nextHash / lineEnd: where the last search started and what it found (-1: none).
  private colonFrom = 0x3fffffff;
  private colonAt = -1;
  private hashFrom = 0x3fffffff;
  private hashAt = -1;
  private lfFrom = 0x3fffffff;
  private lfAt = -1;
  /** The document being read; its expandedSize counts the nodes made (no aliases here). */
  private doc: YDocument = { contents: null, start: -1, expandedSize: 0, diagnostics: [] };

  constructor(text: string, lines: LineIndex) {
    this.s = text;
    this.n = text.length;
    this.lines = lines;
  }

  parseStream(): YamlParseResult {
    const documents: YDocument[] = [];
    while (this.pos < this.n) {
      this.skipSeparationSpace(true);
      if (this.pos >= this.n) break;
      documents.push(this.readDocument());
    }
    return { documents, diagnostics: [] };
  }

  // --- whitespace, comments, line breaks (js-yaml's skipSeparationSpace and friends) ---

  private consumeLineBreak(): void {
    const s = this.s;
    if (s.charCodeAt(this.pos) === LF) this.pos++;
    else {
      this.pos++;
      if (s.charCodeAt(this.pos) === LF) this.pos++;
    }
    this.line++;
    this.lineStart = this.pos;
    this.lineIndent = 0;
  }

  /** Skips spaces, comments (when allowed) and line breaks; returns the line breaks crossed. */
  private skipSeparationSpace(allowComments: boolean): number {
    const s = this.s;
    let breaks = 0;
    let pos = this.pos;
    let ch = s.charCodeAt(pos);
    let hasSeparation = pos === this.lineStart || isWsOrEol(s.charCodeAt(pos - 1));
    for (;;) {
      while (ch === SPACE) {
        hasSeparation = true;
        ch = s.charCodeAt(++pos);
      }
      // A tab here would set js-yaml's firstTabInLine, which changes what may follow.
      if (ch === TAB) bail();
      if (allowComments && hasSeparation && ch === HASH) {
        do ch = s.charCodeAt(++pos);
        while (ch === ch && ch !== LF && ch !== CR);
      }
      if (ch !== LF && ch !== CR) break;
      this.pos = pos;
      this.consumeLineBreak();
      pos = this.pos;
      breaks++;
      hasSeparation = true;
      ch = s.charCodeAt(pos);
      let indent = 0;
      while (ch === SPACE) {
        indent++;
        ch = s.charCodeAt(++pos);
      }
      this.lineIndent = indent;
    }
    this.pos = pos;
    return breaks;
  }

  /** `---` or `...` followed by a space, a line break or the end. */
  private isDocumentSeparator(at: number): boolean {
    const s = this.s;
    const ch = s.charCodeAt(at);
    return (
      (ch === DASH || ch === DOT) &&
      s.charCodeAt(at + 1) === ch &&
      s.charCodeAt(at + 2) === ch &&
      isWsOrEolOrEnd(s.charCodeAt(at + 3))
    );
  }

  /** js-yaml's testDocumentBoundary (a BOM never gets here). */
  private atDocumentBoundary(): boolean {
    return this.pos === this.lineStart && this.isDocumentSeparator(this.pos);
  }

  // --- documents ---

  private readDocument(): YDocument {
    const s = this.s;
    // Directives (`%YAML`), and a document not starting at a line start, are left to js-yaml.
    if (this.pos !== this.lineStart || s.charCodeAt(this.pos) === PERCENT) bail();
    if (this.lineIndent === 0 && s.charCodeAt(this.pos) === DASH && this.isDocumentSeparator(this.pos)) {
      const markerLine = this.line;
      this.pos += 3;
      this.skipSeparationSpace(true);
      // Content on the `---` line itself (`--- value`) is not supported here.
      if (this.line === markerLine) bail();
    } else if (s.charCodeAt(this.pos) === DOT && this.isDocumentSeparator(this.pos)) bail();

    const doc: YDocument = { contents: null, start: -1, expandedSize: 0, diagnostics: [] };
    this.doc = doc;
    if (this.pos >= this.n || this.atDocumentBoundary()) {
      // An empty document: js-yaml gives an empty plain scalar; with no parent it sits at 0.
      doc.contents = this.emptyScalar(0);
    } else {
      if (this.pos !== this.lineStart) bail();
      const ch = s.charCodeAt(this.pos);
      // The document root: a block sequence or a block mapping at column 0 (a scalar
      // document is left to js-yaml).
      let root: YNode;
      if (ch === DASH && isWsOrEolOrEnd(s.charCodeAt(this.pos + 1))) root = this.readBlockSequence(0);
      else {
        const key = this.readKeyCandidate(0);
        if (key === null) bail();
        root = this.readBlockMapping(0, key);
      }
      doc.start = root.start;
      doc.contents = root;
    }
    this.skipSeparationSpace(true);
    if (this.atDocumentBoundary() && s.charCodeAt(this.pos) === DOT) bail();
    if (this.pos < this.n && !this.atDocumentBoundary()) bail();
    return doc;
  }

  // --- nodes ---

  /** An empty plain scalar; js-yaml's tree builder places it at its key (or collection). */
  private emptyScalar(at: number): YScalar {
    this.doc.expandedSize++;
    return { kind: 'scalar', value: null, text: '', quoted: false, start: at, end: at, style: PLAIN };
  }

  private scalar(value: string, start: number, end: number, style: number, quoted: boolean): YScalar {
    this.doc.expandedSize++;
    return { kind: 'scalar', value: quoted ? value : resolvePlain(value), text: value, quoted, start, end, style };
  }

  private enter(): void {
    // js-yaml counts about two levels more (the document, a key); stay well inside its limit.
    if (++this.depth > MAX_FAST_DEPTH || this.depth > LIMITS.maxDepth >> 1) bail();
  }

  /**
   * The value after `key:` — js-yaml's parseNode(mapIndent, BLOCK_OUT, allowToSeek, no compact).
   * `emptyAt` is where an empty value is placed (its key's start).
   */
  private readMappingValue(mapIndent: number, emptyAt: number): YNode {
    const s = this.s;
    let indentStatus = 1;
    let atNewLine = false;
    if (this.skipSeparationSpace(true) > 0) {
      atNewLine = true;
      indentStatus = this.lineIndent > mapIndent ? 1 : this.lineIndent === mapIndent ? 0 : -1;
    }
    if (this.pos >= this.n) return this.emptyScalar(emptyAt);
    const ch = s.charCodeAt(this.pos);
    if (indentStatus === 1) {
      if (atNewLine) return this.readBlockNode(this.pos - this.lineStart, mapIndent + 1, emptyAt);
      return this.readInlineNode(mapIndent + 1);
    }
    if (indentStatus === 0 && ch === DASH && isWsOrEolOrEnd(s.charCodeAt(this.pos + 1))) {
      return this.readBlockSequence(this.pos - this.lineStart);
    }
    return this.emptyScalar(emptyAt);
  }

  /**
   * A value on the line of its key, where js-yaml allows no block collection: a flow
   * sequence, a block scalar header, a quoted or a plain scalar.
   */
  private readInlineNode(flowIndent: number): YNode {
    const ch = this.s.charCodeAt(this.pos);
    if (ch === LBRACKET) return this.readFlowSequence(flowIndent);
    if (ch === PIPE || ch === GT) return this.readBlockScalar(flowIndent);
    if (ch === SQUOTE || ch === DQUOTE) return this.readQuotedScalar(ch, flowIndent);
    if (!this.canStartPlain(ch)) bail();
    return this.readPlainScalar(flowIndent);
  }

  /**
   * A node starting at the current position where block collections are allowed (js-yaml's
   * parseNode with indentStatus 1): a block sequence, a block mapping (the first key is read
   * as a candidate, as js-yaml's readBlockMapping does), or a scalar.
   */
  private readBlockNode(blockIndent: number, flowIndent: number, emptyAt: number): YNode {
    const s = this.s;
    if (this.pos >= this.n) return this.emptyScalar(emptyAt);
    const ch = s.charCodeAt(this.pos);
    if (ch === DASH && isWsOrEolOrEnd(s.charCodeAt(this.pos + 1))) return this.readBlockSequence(blockIndent);
    if (ch === PIPE || ch === GT) return this.readBlockScalar(flowIndent);
    const entryLine = this.line;
    if (ch === LBRACKET) {
      const flow = this.readFlowSequence(flowIndent);
      if (this.colonFollows()) bail(); // a flow sequence as a key
      return flow;
    }
    let candidate: YScalar;
    if (ch === SQUOTE || ch === DQUOTE) candidate = this.readQuotedScalar(ch, flowIndent);
    else {
      if (!this.canStartPlain(ch)) bail();
      candidate = this.readPlainScalar(flowIndent);
    }
    // A one-line scalar followed by `:` is the first key of a block mapping.
    if (this.line === entryLine && this.colonFollows())
      return this.readBlockMapping(blockIndent, this.afterKeyColon(candidate));
    return candidate;
  }

  /**
   * At the start of a mapping entry: a one-line plain or quoted key followed by `:`.
   * Returns the key (position after the `:`), or null when the line holds no key.
   */
  private readKeyCandidate(flowIndent: number): YScalar | null {
    const s = this.s;
    const ch = s.charCodeAt(this.pos);
    const entryLine = this.line;
    let key: YScalar;
    if (ch === SQUOTE || ch === DQUOTE) key = this.readQuotedScalar(ch, flowIndent);
    else {
      if (!this.canStartPlain(ch)) return null;
      key = this.readPlainScalar(flowIndent);
    }
    if (this.line !== entryLine || !this.colonFollows()) bail();
    return this.afterKeyColon(key);
  }

  /** Whether `:` comes next, after spaces (js-yaml skips them between a key and its `:`). */
  private colonFollows(): boolean {
    const s = this.s;
    let p = this.pos;
    while (s.charCodeAt(p) === SPACE) p++;
    return s.charCodeAt(p) === COLON;
  }

  /** Consumes the `:` after a key (which js-yaml requires to be followed by whitespace). */
  private afterKeyColon(key: YScalar): YScalar {
    const s = this.s;
    // Spaces between a quoted key and `:` (a plain key's are consumed with it).
    let p = this.pos;
    while (s.charCodeAt(p) === SPACE) p++;
    if (s.charCodeAt(p) !== COLON || !isWsOrEolOrEnd(s.charCodeAt(p + 1))) bail();
    this.pos = p + 1;
    return key;
  }

  /** js-yaml's readBlockMapping for implicit keys, with the first key already read. */
  private readBlockMapping(mapIndent: number, firstKey: YScalar): YMap {
    this.enter();
    const map: YMap = { kind: 'map', entries: [], start: firstKey.start, flow: false };
    this.doc.expandedSize++;
    const entries = map.entries;
    let key: YScalar | null = firstKey;
    let entryLine = this.line;
    let seen: Set<string> | null = null;
    for (;;) {
      // Duplicate keys: reported when the value starts (as the event-driven builder does,
      // so the outer duplicate comes before any inside its value); the first one is kept.
      // A linear scan is cheapest for the few keys of a rule's mappings; a Set past that keeps
      // a mapping with many keys linear.
      const k = key.text;
      let duplicate = false;
      if (seen !== null) duplicate = seen.has(k);
      else {
        for (let i = 0; i < entries.length; i++) {
          if ((entries[i]!.key as YScalar).text === k) {
            duplicate = true;
            break;
          }
        }
        if (entries.length >= 16) seen = new Set(entries.map((e) => (e.key as YScalar).text));
      }
      if (!duplicate) seen?.add(k);
      if (duplicate) {
        this.doc.diagnostics.push(
          makeDiagnostic(
            'P003',
            `Duplicate key '${truncate(k)}' in this mapping; the first one is kept.`,
            this.lines.loc(key.start),
            'Remove or rename one of the two keys: YAML keys must be unique.',
          ),
        );
      }
      const value = this.readMappingValue(mapIndent, key.start);
      if (!duplicate) entries.push({ key, value });

      this.skipSeparationSpace(true);
      if (this.pos >= this.n) break;
      if (this.line === entryLine || this.lineIndent > mapIndent) bail();
      if (this.lineIndent < mapIndent) break;
      // The next entry, at the mapping's indentation.
      if (this.atDocumentBoundary()) break;
      entryLine = this.line;
      key = this.readKeyCandidate(mapIndent + 1);
      if (key === null) bail();
    }
    this.depth--;
    return map;
  }

  /** js-yaml's readBlockSequence; the position is at the first `-`. */
  private readBlockSequence(seqIndent: number): YSeq {
    const s = this.s;
    this.enter();
    const seq: YSeq = { kind: 'seq', items: [], start: this.pos, flow: false };
    this.doc.expandedSize++;
    while (s.charCodeAt(this.pos) === DASH && isWsOrEolOrEnd(s.charCodeAt(this.pos + 1))) {
      const entryLine = this.line;
      this.pos++;
      const hadBreak = this.skipSeparationSpace(true) > 0;
      if (hadBreak && this.lineIndent <= seqIndent) seq.items.push(this.emptyScalar(seq.start));
      else seq.items.push(this.readBlockNode(this.pos - this.lineStart, seqIndent + 1, seq.start));
      this.skipSeparationSpace(true);
      if (this.lineIndent < seqIndent || this.pos >= this.n) break;
      if (this.lineIndent > seqIndent) bail();
      if (this.line === entryLine && s.charCodeAt(this.pos) === DASH && isWsOrEolOrEnd(s.charCodeAt(this.pos + 1)))
        bail();
    }
    this.depth--;
    return seq;
  }

  /** A one-line flow sequence of scalars (`[a, 'b']`); anything else is left to js-yaml. */
  private readFlowSequence(flowIndent: number): YSeq {
    const s = this.s;
    this.enter();
    const seq: YSeq = { kind: 'seq', items: [], start: this.pos, flow: true };
    this.doc.expandedSize++;
    this.pos++;
    let readNext = true;
    for (;;) {
      this.skipFlowSpace();
      const ch = s.charCodeAt(this.pos);
      if (ch === RBRACKET) {
        this.pos++;
        break;
      }
      if (!readNext || ch === COMMA) bail();
      const line = this.line;
      if (ch === SQUOTE || ch === DQUOTE) {
        seq.items.push(this.readQuotedScalar(ch, flowIndent));
        if (this.line !== line) bail();
      } else seq.items.push(this.readFlowPlainScalar());
      this.skipFlowSpace();
      const next = s.charCodeAt(this.pos);
      if (next === COLON) bail(); // a `[key: value]` pair
      if (next === COMMA) {
        readNext = true;
        this.pos++;
      } else readNext = false;
    }
    this.depth--;
    return seq;
  }

  /** Spaces inside a flow collection; comments, tabs and line breaks there are left to js-yaml. */
  private skipFlowSpace(): void {
    const s = this.s;
    let ch = s.charCodeAt(this.pos);
    while (ch === SPACE) ch = s.charCodeAt(++this.pos);
    if (ch !== ch || ch === TAB || ch === HASH || ch === LF || ch === CR) bail();
  }

  /** js-yaml's canStartPlainScalar outside flow collections. */
  private canStartPlain(ch: number): boolean {
    if (
      ch !== ch ||
      isWsOrEol(ch) ||
      ch === HASH ||
      ch === AMP ||
      ch === STAR ||
      ch === BANG ||
      ch === PIPE ||
      ch === GT ||
      ch === SQUOTE ||
      ch === DQUOTE ||
      ch === PERCENT ||
      ch === AT ||
      ch === BACKTICK ||
      isFlowIndicator(ch)
    ) {
      return false;
    }
    if ((ch === QUESTION || ch === DASH) && isWsOrEolOrEnd(this.s.charCodeAt(this.pos + 1))) return false;
    return true;
  }

  /**
   * The first `:` at or after `from`. The last answer is kept: the parser moves forward, so
   * each search resumes where the previous one ended and the text is scanned once in all
   * (a list of values without colons would otherwise be rescanned for every item).
   */
  private nextColon(from: number): number {
    if (this.colonFrom > from || (this.colonAt < from && this.colonAt >= 0)) {
      this.colonFrom = from;
      this.colonAt = this.s.indexOf(':', from);
    }
    return this.colonAt;
  }

  /** The first `#` at or after `from` (kept like nextColon's). */
  private nextHash(from: number): number {
    if (this.hashFrom > from || (this.hashAt < from && this.hashAt >= 0)) {
      this.hashFrom = from;
      this.hashAt = this.s.indexOf('#', from);
    }
    return this.hashAt;
  }

  /** The end of the line holding `at`: its CR or LF, or the end of the text (kept like nextColon's). */
  private lineEnd(at: number): number {
    if (this.lfFrom > at || (this.lfAt < at && this.lfAt >= 0)) {
      this.lfFrom = at;
      this.lfAt = this.s.indexOf('\n', at);
    }
    const lf = this.lfAt;
    if (lf < 0) return this.n;
    return lf > at && this.s.charCodeAt(lf - 1) === CR ? lf - 1 : lf;
  }

  /**
   * js-yaml's readPlainScalar outside flow collections: stops at `: `, at ` #`, and at a line
   * break unless the next non-empty line is indented at least `nodeIndent` (then it folds).
   * Most scalars end on their line: found with indexOf (native scans) instead of a loop over
   * every character; the rest take the character loop, a transcription of js-yaml's.
   */
  private readPlainScalar(nodeIndent: number): YScalar {
    const s = this.s;
    const start = this.pos;
    const eol = this.lineEnd(start);
    // The first `: ` (or `:` at the line end) and the first ` #` on the line.
    let stop = eol;
    let c = this.nextColon(start);
    while (c >= 0 && c < eol) {
      const following = s.charCodeAt(c + 1);
      if (following === SPACE || following === TAB || following === LF || following === CR || following !== following) {
        stop = c;
        break;
      }
      c = this.nextColon(c + 1);
    }
    let h = this.nextHash(start + 1);
    while (h >= 0 && h < stop) {
      const before = s.charCodeAt(h - 1);
      if (before === SPACE || before === TAB) {
        stop = h;
        break;
      }
      h = this.nextHash(h + 1);
    }
    let onOneLine = stop < eol || eol >= this.n;
    if (!onOneLine) {
      // At the line end: the scalar goes on only if the next line is indented at least
      // nodeIndent (blank lines, tabs and the end of the text take the full loop).
      let p = s.charCodeAt(eol) === CR ? eol + 2 : eol + 1;
      let indent = 0;
      while (s.charCodeAt(p) === SPACE) {
        indent++;
        p++;
      }
      const next = s.charCodeAt(p);
      onOneLine = indent < nodeIndent && next === next && next !== LF && next !== CR && next !== TAB;
    }
    if (onOneLine) {
      let end = stop;
      while (end > start && (s.charCodeAt(end - 1) === SPACE || s.charCodeAt(end - 1) === TAB)) end--;
      if (end === start || (start === this.lineStart && this.isDocumentSeparator(start))) bail();
      this.pos = stop;
      return this.scalar(s.slice(start, end), start, end, PLAIN, false);
    }
    return this.readPlainScalarLoop(nodeIndent);
  }

  private readPlainScalarLoop(nodeIndent: number): YScalar {
    const s = this.s;
    const start = this.pos;
    let pos = start;
    let end = start;
    let multiline = false;
    let ch = s.charCodeAt(pos);
    while (ch === ch) {
      if (pos === this.lineStart && this.isDocumentSeparator(pos)) break;
      if (ch === COLON) {
        if (isWsOrEolOrEnd(s.charCodeAt(pos + 1))) break;
      } else if (ch === HASH) {
        if (isWsOrEol(s.charCodeAt(pos - 1))) break;
      } else if (ch === LF || ch === CR) {
        const savedLine = this.line;
        const savedLineStart = this.lineStart;
        const savedLineIndent = this.lineIndent;
        this.pos = pos;
        this.skipSeparationSpace(false);
        if (this.lineIndent >= nodeIndent) {
          multiline = true;
          pos = this.pos;
          ch = s.charCodeAt(pos);
          continue;
        }
        this.line = savedLine;
        this.lineStart = savedLineStart;
        this.lineIndent = savedLineIndent;
        break;
      }
      if (ch !== SPACE && ch !== TAB) end = pos + 1;
      ch = s.charCodeAt(++pos);
    }
    this.pos = pos;
    if (end === start) bail();
    const text = multiline ? decode(s, start, end, PLAIN, -1, CLIP) : s.slice(start, end);
    return this.scalar(text, start, end, PLAIN, false);
  }

  /** A plain scalar inside a one-line flow sequence. */
  private readFlowPlainScalar(): YScalar {
    const s = this.s;
    const start = this.pos;
    let ch = s.charCodeAt(start);
    // canStartPlainScalar in flow context.
    if (!this.canStartPlain(ch) || ((ch === QUESTION || ch === DASH) && isFlowIndicator(s.charCodeAt(start + 1))))
      bail();
    let pos = start;
    let end = start;
    while (ch === ch) {
      if (ch === COLON) {
        const following = s.charCodeAt(pos + 1);
        if (isWsOrEolOrEnd(following) || isFlowIndicator(following)) break;
      } else if (ch === HASH) {
        if (isWsOrEol(s.charCodeAt(pos - 1))) break;
      } else if (isFlowIndicator(ch)) break;
      else if (ch === LF || ch === CR) bail();
      if (ch !== SPACE && ch !== TAB) end = pos + 1;
      ch = s.charCodeAt(++pos);
    }
    this.pos = pos;
    if (end === start) bail();
    return this.scalar(s.slice(start, end), start, end, PLAIN, false);
  }

  /** js-yaml's readSingleQuotedScalar / readDoubleQuotedScalar. */
  private readQuotedScalar(quote: number, nodeIndent: number): YScalar {
    const s = this.s;
    const start = this.pos + 1;
    // Most quoted scalars close on their line without escapes: found with indexOf. (The text
    // holds no control characters but tabs: parseYamlFast checked.)
    const close = s.indexOf(quote === SQUOTE ? "'" : '"', start);
    if (close >= 0 && close < this.lineEnd(start)) {
      let simple = true;
      if (quote === SQUOTE) simple = s.charCodeAt(close + 1) !== SQUOTE;
      else for (let p = start; p < close && simple; p++) simple = s.charCodeAt(p) !== BACKSLASH;
      if (simple) {
        this.pos = close + 1;
        return this.scalar(
          s.slice(start, close),
          start - 1,
          close,
          quote === SQUOTE ? SINGLE_QUOTED : DOUBLE_QUOTED,
          true,
        );
      }
    }
    return this.readQuotedScalarLoop(quote, nodeIndent);
  }

  private readQuotedScalarLoop(quote: number, nodeIndent: number): YScalar {
    const s = this.s;
    const start = ++this.pos;
    let simple = true;
    let pos = start;
    for (;;) {
      if (pos >= this.n) bail(); // unterminated
      const ch = s.charCodeAt(pos);
      if (ch === quote) {
        if (quote === SQUOTE && s.charCodeAt(pos + 1) === SQUOTE) {
          simple = false;
          pos += 2;
          continue;
        }
        break;
      }
      if (quote === DQUOTE && ch === BACKSLASH) {
        simple = false;
        const escaped = s.charCodeAt(++pos);
        if (escaped === LF || escaped === CR) {
          this.pos = pos;
          this.readFlowScalarBreak(nodeIndent);
          pos = this.pos;
        } else if (isSimpleEscape(escaped)) pos++;
        else {
          let hexLength = escaped === 120 ? 2 : escaped === 117 ? 4 : escaped === 85 ? 8 : 0;
          if (hexLength === 0) bail();
          while (hexLength-- > 0) if (!isHex(s.charCodeAt(++pos))) bail();
          pos++;
        }
      } else if (ch === LF || ch === CR) {
        simple = false;
        this.pos = pos;
        this.readFlowScalarBreak(nodeIndent);
        pos = this.pos;
      } else if (pos === this.lineStart && this.isDocumentSeparator(pos)) bail();
      else if (ch !== TAB && ch < SPACE) bail();
      else pos++;
    }
    this.pos = pos + 1;
    const style = quote === SQUOTE ? SINGLE_QUOTED : DOUBLE_QUOTED;
    const text = simple ? s.slice(start, pos) : decode(s, start, pos, style, -1, CLIP);
    return this.scalar(text, start - 1, pos, style, true);
  }

  private readFlowScalarBreak(nodeIndent: number): void {
    this.skipSeparationSpace(false);
    if (this.lineIndent < nodeIndent) bail(); // js-yaml: "deficient indentation"
  }

  /** js-yaml's readBlockScalar (`|` or `>`, with chomping and indentation indicators). */
  private readBlockScalar(parentIndent: number): YScalar {
    const s = this.s;
    const style = s.charCodeAt(this.pos) === PIPE ? LITERAL_BLOCK : FOLDED_BLOCK;
    let chomping = CLIP;
    let indent = -1;
    let detectedIndent = false;
    let pos = this.pos + 1;
    for (;;) {
      const c = s.charCodeAt(pos);
      if (c === PLUS || c === DASH) {
        if (chomping !== CLIP) bail();
        chomping = c === PLUS ? KEEP : STRIP;
        pos++;
      } else if (c >= 48 && c <= 57) {
        if (c === 48 || detectedIndent) bail();
        indent = parentIndent + (c - 48) - 1;
        detectedIndent = true;
        pos++;
      } else break;
    }
    let hadWhitespace = false;
    while (s.charCodeAt(pos) === SPACE) {
      hadWhitespace = true;
      pos++;
    }
    let c = s.charCodeAt(pos);
    if (c === TAB) bail();
    if (hadWhitespace && c === HASH) {
      while (c === c && c !== LF && c !== CR) c = s.charCodeAt(++pos);
    }
    this.pos = pos;
    if (c === LF || c === CR) this.consumeLineBreak();
    else if (c === c) bail(); // js-yaml: "a line break is expected"

    let contentIndent = detectedIndent ? indent : -1;
    let maxLeadingIndent = 0;
    const valueStart = this.pos;
    let valueEnd = this.pos;
    while (this.pos < this.n) {
      const linePosition = this.pos;
      let column = 0;
      while (s.charCodeAt(linePosition + column) === SPACE) column++;
      const first = s.charCodeAt(linePosition + column);
      if (first !== first) {
        if (contentIndent >= 0) {
          if (column > contentIndent) valueEnd = linePosition + column;
        } else if (column > 0) valueEnd = linePosition + column;
        break;
      }
      if (this.atDocumentBoundary()) break;
      const eol = first === LF || first === CR;
      if (!detectedIndent && contentIndent === -1) {
        if (eol) maxLeadingIndent = Math.max(maxLeadingIndent, column);
        // js-yaml: "tab characters must not be used in indentation", "bad indentation".
        else if ((first === TAB && column < parentIndent) || (column >= parentIndent && column < maxLeadingIndent))
          bail();
      }
      if (contentIndent === -1 && !eol && column < parentIndent) {
        this.lineIndent = column;
        this.pos = linePosition + column;
        break;
      }
      if (!detectedIndent && !eol && contentIndent === -1) contentIndent = column;
      const requiredIndent = contentIndent === -1 ? parentIndent + 1 : contentIndent;
      if (!eol && column < requiredIndent) {
        this.lineIndent = column;
        this.pos = linePosition + column;
        break;
      }
      let p = linePosition + column;
      let ch = first;
      while (ch === ch && ch !== LF && ch !== CR) ch = s.charCodeAt(++p);
      this.pos = p;
      valueEnd = p;
      if (ch === LF || ch === CR) {
        this.consumeLineBreak();
        valueEnd = this.pos;
      }
    }
    const text = decode(s, valueStart, valueEnd, style, contentIndent, chomping);
    return this.scalar(text, valueStart, valueEnd, style, true);
  }
}

/** Decodes a folded, escaped or block scalar with js-yaml's own decoder (the reference). */
function decode(
  text: string,
  valueStart: number,
  valueEnd: number,
  style: number,
  indent: number,
  chomping: number,
): string {
  const event = {
    type: 4,
    valueStart,
    valueEnd,
    anchorStart: -1,
    anchorEnd: -1,
    tagStart: -1,
    tagEnd: -1,
    style,
    chomping,
    indent,
    fast: false,
  } as ScalarEvent;
  return getScalarValue(text, event);
}
