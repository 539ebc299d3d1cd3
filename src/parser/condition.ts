/**
 * The Sigma condition language (`selection and not 1 of filter_*`).
 *
 * Grammar, least to most binding (Sigma specification, section "Condition"):
 *
 *   condition := or
 *   or        := and ('or' and)*
 *   and       := operand ('and' operand)*
 *   operand   := 'not'* ( '(' or ')' | quantifier 'of' ('them' | pattern) | identifier )
 *   quantifier:= '1' | 'any' | 'all'
 *
 * Keywords are case-insensitive; identifiers are case-sensitive and made of ASCII letters,
 * digits, `_`, `-`, `.` (and `*` in `of` patterns). Same-operator operands are flattened
 * (`a and (b and c)` → one `and` with three items).
 *
 * Parsing has two phases:
 *  1. syntax (chevrotain lexer + parser, built once at module load and reused): text → a tree
 *     with character offsets, syntax errors (P013) and aggregations (P014). It depends on the
 *     text only and is cached by text.
 *  2. resolution, per call: identifiers → P011 / P015 and `of` names; offsets → `loc` via `position`.
 *
 * Nothing here throws: every problem is a Diagnostic.
 */
import {
  createToken,
  createTokenInstance,
  EmbeddedActionsParser,
  EOF,
  Lexer,
  type ILexingError,
  type IParserErrorMessageProvider,
  type IRecognitionException,
  type IToken,
  type TokenType,
} from 'chevrotain';
import type { Condition, Loc } from '../ast/types.js';
import { makeDiagnostic, type Diagnostic, type ParseCode } from '../diagnostics.js';
import { closest } from '../util/text.js';

export interface ConditionParseResult {
  condition?: Condition;
  diagnostics: Diagnostic[];
}

/** Parentheses / `not` nesting deeper than this is rejected (P013) before it can exhaust the stack. */
export const MAX_CONDITION_DEPTH = 200;
/** At most this many syntax errors are reported for one condition. */
const MAX_SYNTAX_ERRORS = 20;
/** At most this many undefined identifiers (P011) and as many unmatched patterns (P015) are reported. */
const MAX_RESOLUTION_ERRORS = 50;

// ---------------------------------------------------------------------------
// Tokens

const Identifier = createToken({ name: 'Identifier', pattern: /[A-Za-z0-9_.*-]+/ });
function keyword(name: string, word: string): TokenType {
  return createToken({ name, pattern: new RegExp(word, 'i'), longer_alt: Identifier });
}
const And = keyword('And', 'and');
const Or = keyword('Or', 'or');
const Not = keyword('Not', 'not');
const Of = keyword('Of', 'of');
const Them = keyword('Them', 'them');
const All = keyword('All', 'all');
const Any = keyword('Any', 'any');
/** The quantifier `1` (`10` or `1a` are identifiers). */
const One = createToken({ name: 'One', pattern: /1/, longer_alt: Identifier });
const LParen = createToken({ name: 'LParen', pattern: /\(/ });
const RParen = createToken({ name: 'RParen', pattern: /\)/ });
/** `||` is a (wrong) way to write `or`, not a Sigma 1 aggregation pipe. */
const DoublePipe = createToken({ name: 'DoublePipe', pattern: /\|\|/ });
/** A single `|` starts a Sigma 1 aggregation (`| count() by x > 5`, `| near b`). */
const Pipe = createToken({ name: 'Pipe', pattern: /\|/ });
const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /\s+/, group: Lexer.SKIPPED });
/** Characters the lexer does not know; made into tokens after lexing so the parser reports them in context. */
const Unknown = createToken({ name: 'Unknown', pattern: Lexer.NA });

const ALL_TOKENS: TokenType[] = [
  WhiteSpace,
  LParen,
  RParen,
  DoublePipe,
  Pipe,
  And,
  Or,
  Not,
  Of,
  Them,
  All,
  Any,
  One,
  Identifier,
  Unknown,
];

const LEXER = new Lexer(ALL_TOKENS, { positionTracking: 'onlyOffset', ensureOptimizations: true });

// ---------------------------------------------------------------------------
// Phase 1 data: position- and identifier-independent

/** A condition tree with character offsets (`at`) in place of locations and no resolution. */
type Raw =
  | { type: 'and' | 'or'; items: Raw[]; at: number }
  | { type: 'not'; item: Raw; at: number }
  | { type: 'ref'; name: string; at: number }
  | RawOf;
interface RawOf {
  type: 'of';
  quantifier: 'any' | 'all';
  /** The quantifier as written, lower-cased (`1`, `any`, `all`), for messages. */
  written: string;
  /** `them` (normalised to lower case) or an identifier pattern. */
  pattern: string;
  them: boolean;
  at: number;
  patternAt: number;
}

/** A parsed operand: its tree and the offset of its first token (which may be a `(`). */
interface Parsed {
  raw: Raw;
  start: number;
}

interface Finding {
  index: number;
  code: ParseCode;
  message: string;
  hint?: string;
  /** `{column}` in the message is replaced by the column of this offset. */
  columnOf?: number;
}

interface Syntax {
  /** Present when there is no syntax error and no aggregation. */
  tree?: Raw;
  /** P013 / P014, in text order. */
  findings: Finding[];
  /** Every reference and `of` actually written (also when there are syntax errors), in text order. */
  refs: { name: string; at: number }[];
  ofs: RawOf[];
  /** Identifiers spelled `near` (Sigma 1 unless the detection defines such an identifier). */
  nears: { name: string; at: number }[];
}

/** State of the current phase-1 parse (the parser is a reused singleton; parsing is synchronous). */
const IDLE: Syntax = emptySyntax();
let current: Syntax = IDLE;

function emptySyntax(): Syntax {
  return { findings: [], refs: [], ofs: [], nears: [] };
}

function combine(type: 'and' | 'or', first: Parsed | undefined, rest: (Parsed | undefined)[]): Parsed | undefined {
  if (rest.length === 0) return first;
  const items: Raw[] = [];
  let start = -1;
  for (const p of [first, ...rest]) {
    if (p === undefined) continue;
    if (start < 0) start = p.start;
    if (p.raw.type === type) items.push(...p.raw.items);
    else items.push(p.raw);
  }
  if (start < 0) return undefined;
  return { raw: { type, items, at: start }, start };
}

function wrapNots(nots: IToken[], inner: Parsed | undefined): Parsed | undefined {
  if (inner === undefined) return undefined;
  let raw = inner.raw;
  for (let i = nots.length - 1; i >= 0; i--) raw = { type: 'not', item: raw, at: nots[i]!.startOffset };
  return { raw, start: nots.length > 0 ? nots[0]!.startOffset : inner.start };
}

function makeRef(name: string, at: number, into: Syntax): Parsed {
  if (name.includes('*')) {
    into.findings.push({
      index: at,
      code: 'P013',
      message: `wildcard '*' in '${clip(name)}': wildcards are only allowed in '1 of' / 'all of' patterns`,
      hint: `write '1 of ${clip(name)}' or 'all of ${clip(name)}'`,
    });
  } else {
    into.refs.push({ name, at });
  }
  return { raw: { type: 'ref', name, at }, start: at };
}

function makeOf(q: IToken, p: IToken, into: Syntax): Parsed | undefined {
  if (q.isInsertedInRecovery || p.isInsertedInRecovery) return undefined;
  const them = p.tokenType === Them;
  const raw: RawOf = {
    type: 'of',
    quantifier: q.tokenType === All ? 'all' : 'any',
    written: q.image.toLowerCase(),
    pattern: them ? 'them' : p.image,
    them,
    at: q.startOffset,
    patternAt: p.startOffset,
  };
  into.ofs.push(raw);
  return { raw, start: q.startOffset };
}

// ---------------------------------------------------------------------------
// Parser

class ErrorBudgetExceeded extends Error {}

/**
 * Syntax errors raised by chevrotain in the current parse. Our own messages are built from the
 * tokens afterwards (describeError), so chevrotain's (costly) message texts are not needed.
 */
let raised = 0;
const ERROR_MESSAGES: IParserErrorMessageProvider = {
  buildMismatchTokenMessage: () => (raised++, 'mismatched token'),
  buildNotAllInputParsedMessage: () => (raised++, 'redundant input'),
  buildNoViableAltMessage: () => (raised++, 'no viable alternative'),
  buildEarlyExitMessage: () => (raised++, 'early exit'),
};

class ConditionParser extends EmbeddedActionsParser {
  constructor() {
    super(ALL_TOKENS, { recoveryEnabled: true, maxLookahead: 1, errorMessageProvider: ERROR_MESSAGES });
    this.performSelfAnalysis();
  }

  /**
   * Recovery on long junk can go on for a long time (and recurses once per recovered error in
   * a repetition), so parsing stops once enough errors are known.
   */
  private checkBudget(): void {
    if (raised >= MAX_SYNTAX_ERRORS) throw new ErrorBudgetExceeded();
  }

  public orExpr = this.RULE('orExpr', (): Parsed | undefined => {
    const first = this.SUBRULE(this.andExpr);
    const rest: (Parsed | undefined)[] = [];
    this.MANY(() => {
      this.CONSUME(Or);
      rest.push(this.SUBRULE2(this.andExpr));
    });
    return this.ACTION(() => combine('or', first, rest));
  });

  private andExpr = this.RULE('andExpr', (): Parsed | undefined => {
    const first = this.SUBRULE(this.operand);
    const rest: (Parsed | undefined)[] = [];
    this.MANY(() => {
      this.CONSUME(And);
      rest.push(this.SUBRULE2(this.operand));
    });
    return this.ACTION(() => combine('and', first, rest));
  });

  /** `not` chains are a loop, not recursion: `not not … x` cannot exhaust the stack. */
  private operand = this.RULE('operand', (): Parsed | undefined => {
    this.checkBudget();
    const nots: IToken[] = [];
    this.MANY(() => {
      nots.push(this.CONSUME(Not));
    });
    const inner = this.OR([
      {
        ALT: (): Parsed | undefined => {
          const open = this.CONSUME(LParen);
          const e = this.SUBRULE(this.orExpr);
          this.CONSUME(RParen);
          return this.ACTION(() => (e ? { raw: e.raw, start: open.startOffset } : undefined));
        },
      },
      {
        ALT: (): Parsed | undefined => {
          const q = this.OR2([
            { ALT: () => this.CONSUME(One) },
            { ALT: () => this.CONSUME(Any) },
            { ALT: () => this.CONSUME(All) },
          ]);
          this.CONSUME(Of);
          const p = this.OR3([{ ALT: () => this.CONSUME(Them) }, { ALT: () => this.CONSUME2(Identifier) }]);
          return this.ACTION(() => makeOf(q, p, current));
        },
      },
      {
        ALT: (): Parsed | undefined => {
          const t = this.CONSUME(Identifier);
          return this.ACTION(() => (t.isInsertedInRecovery ? undefined : makeRef(t.image, t.startOffset, current)));
        },
      },
    ]);
    return this.ACTION(() => wrapNots(nots, inner));
  });
}

const PARSER = new ConditionParser();

// ---------------------------------------------------------------------------
// Phase 1: syntax

/**
 * Phase-1 results by text. Rule sets repeat the same conditions a lot (in SigmaHQ, 4,000
 * conditions have about 460 distinct texts), and phase 1 depends on the text only. Entries are
 * never mutated; phase 2 builds fresh nodes for every call. Bounded: cleared when full.
 */
const CACHE = new Map<string, Syntax>();
const CACHE_MAX_ENTRIES = 1000;
const CACHE_MAX_TEXT = 1000;

function syntaxOf(text: string): Syntax {
  if (text.length > CACHE_MAX_TEXT) return analyse(text);
  let s = CACHE.get(text);
  if (s === undefined) {
    s = analyse(text);
    if (CACHE.size >= CACHE_MAX_ENTRIES) CACHE.clear();
    CACHE.set(text, s);
  }
  return s;
}

/** A lone identifier (no `*`: that is an error the full parser reports). */
const SIMPLE_REF = /^\s*([A-Za-z0-9_.-]+)\s*$/;
const KEYWORDS = new Set(['and', 'or', 'not', 'of', 'them', 'all', 'any', '1']);

function analyse(text: string): Syntax {
  const s = emptySyntax();
  if (text.trim() === '') {
    s.findings.push({ index: 0, code: 'P013', message: 'the condition is empty' });
    return s;
  }
  // Fast path for the most common condition, a lone identifier: the same result as the parser.
  const simple = SIMPLE_REF.exec(text);
  if (simple !== null && !KEYWORDS.has(simple[1]!.toLowerCase())) {
    const name = simple[1]!;
    const at = text.length - text.trimStart().length;
    s.tree = makeRef(name, at, s).raw;
    if (isNear(name)) s.nears.push({ name, at });
    return s;
  }

  const lexed = LEXER.tokenize(text);
  let tokens = lexed.tokens;
  let lexErrors = lexed.errors;

  // Sigma 1 aggregation: `… | count() by x > 5`, `… | near y`. The part before the `|` is
  // still checked; the condition is not returned.
  let aggregation = false;
  let pipeAt = -1;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.tokenType === Pipe) {
      pipeAt = i;
      break;
    }
    if (t.tokenType === Identifier && isNear(t.image)) s.nears.push({ name: t.image, at: t.startOffset });
  }
  if (pipeAt >= 0) {
    const pipe = tokens[pipeAt]!;
    const after = tokens[pipeAt + 1];
    const kind = after && isNear(after.image) ? "'near'" : 'an aggregation';
    s.findings.push({
      index: pipe.startOffset,
      code: 'P014',
      message: `Sigma 1 aggregation (${kind} after '|') is not supported in a Sigma 2 condition`,
      hint: AGGREGATION_HINT,
    });
    aggregation = true;
    tokens = tokens.slice(0, pipeAt);
    lexErrors = lexErrors.filter((e) => e.offset < pipe.startOffset);
    if (tokens.length === 0 && lexErrors.length === 0) return s;
  }

  // Unknown characters become tokens so that the parser reports them in context and recovers.
  if (lexErrors.length > 0) tokens = withUnknownTokens(text, tokens, lexErrors);

  // Parenthesis structure: too-deep nesting (checked before parsing, which recurses per level),
  // and the unclosed '(' for "missing ')'" messages.
  const open: IToken[] = [];
  const unmatchedClose = new Set<IToken>();
  let sawUnknown = false;
  for (const t of tokens) {
    if (t.tokenType === Unknown || t.tokenType === DoublePipe) sawUnknown = true;
    else if (t.tokenType === LParen) {
      open.push(t);
      if (open.length > MAX_CONDITION_DEPTH) {
        s.findings.push(tooDeep(t.startOffset));
        return sorted(s);
      }
    } else if (t.tokenType === RParen) {
      if (open.length > 0) open.pop();
      else unmatchedClose.add(t);
    }
  }

  current = s;
  raised = 0;
  PARSER.input = tokens;
  let parsed: Parsed | undefined;
  let stopped = false;
  try {
    parsed = PARSER.orExpr();
  } catch (e) {
    if (!(e instanceof ErrorBudgetExceeded)) throw e;
    stopped = true;
  } finally {
    current = IDLE;
  }

  // Syntax errors: unknown characters (each run is an error of its own, wherever the parser's
  // recovery resumed), the parser's errors, and errors found by actions (a wildcard outside `of`).
  // The first MAX_SYNTAX_ERRORS by position, one per position.
  const errors = PARSER.errors;
  const candidates: Finding[] = [];
  if (sawUnknown) {
    for (const t of tokens) {
      if (t.tokenType !== Unknown && t.tokenType !== DoublePipe) continue;
      candidates.push(unknownCharacters(t));
      if (candidates.length >= MAX_SYNTAX_ERRORS) break;
    }
  }
  for (const e of errors) {
    const f = describeError(e, text, tokens, open, unmatchedClose, s);
    if (f) candidates.push(f);
  }
  const syntax: Finding[] = [];
  if (candidates.length > 0 || stopped || s.findings.length > 0) {
    candidates.push(...s.findings.filter((f) => f.code === 'P013'));
    if (stopped && candidates.length === 0)
      candidates.push({ index: 0, code: 'P013', message: 'too many syntax errors' });
    candidates.sort((a, b) => a.index - b.index);
    for (const f of candidates) {
      if (syntax.length >= MAX_SYNTAX_ERRORS) break;
      if (syntax.length > 0 && syntax[syntax.length - 1]!.index === f.index) continue;
      syntax.push(f);
    }
    s.findings = s.findings.filter((f) => f.code !== 'P013').concat(syntax);
  }

  if (!aggregation && syntax.length === 0 && parsed !== undefined) {
    const deep = findTooDeep(parsed.raw);
    if (deep !== undefined) s.findings.push(tooDeep(deep));
    else s.tree = parsed.raw;
  }
  if (s.tree === undefined && s.findings.length === 0) {
    // Not expected; guarantees "a condition or at least one diagnostic".
    s.findings.push({ index: 0, code: 'P013', message: 'cannot parse the condition' });
  }
  return sorted(s);
}

function sorted(s: Syntax): Syntax {
  s.findings.sort((a, b) => a.index - b.index);
  return s;
}

function isNear(image: string): boolean {
  return image.length === 4 && image.toLowerCase() === 'near';
}

const AGGREGATION_HINT =
  'Sigma 2 moved aggregations into correlation rules: use a correlation rule of type ' +
  "'event_count' (count()), 'value_count' (count(field)) or 'temporal' (near) that refers to this rule";

function tooDeep(index: number): Finding {
  return {
    index,
    code: 'P013',
    message: `the condition is nested too deeply (more than ${MAX_CONDITION_DEPTH} levels of parentheses or 'not')`,
    hint: "simplify the condition, e.g. with '1 of' / 'all of' patterns",
  };
}

/** Offset of a node nested deeper than the limit, if any (iterative: the tree may be deep). */
function findTooDeep(root: Raw): number | undefined {
  const stack: [Raw, number][] = [[root, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (depth > MAX_CONDITION_DEPTH) return node.at;
    if (node.type === 'not') stack.push([node.item, depth + 1]);
    else if (node.type === 'and' || node.type === 'or') {
      for (const item of node.items) stack.push([item, depth + 1]);
    }
  }
  return undefined;
}

function withUnknownTokens(text: string, tokens: IToken[], errors: ILexingError[]): IToken[] {
  const out: IToken[] = [];
  let i = 0;
  for (const e of errors) {
    while (i < tokens.length && tokens[i]!.startOffset < e.offset) out.push(tokens[i++]!);
    const image = text.slice(e.offset, e.offset + e.length);
    out.push(createTokenInstance(Unknown, image, e.offset, e.offset + e.length - 1, NaN, NaN, NaN, NaN));
  }
  while (i < tokens.length) out.push(tokens[i++]!);
  return out;
}

// ---------------------------------------------------------------------------
// Phase 2: resolution and locations

/**
 * Parses a Sigma condition string.
 *
 * @param text the condition string.
 * @param identifiers the search identifiers defined in the detection, in definition order.
 * @param position maps a 0-based character index in `text` to a file location; used for every
 *   `loc` and every diagnostic. For errors at the end of the input it is called with
 *   `text.length` (one past the last character).
 *
 * Returns the condition when there are no errors or only resolution errors (P011, P015);
 * syntax errors (P013) and Sigma 1 aggregations (P014) give no condition. Never throws.
 */
export function parseCondition(
  text: string,
  identifiers: readonly string[],
  position: (index: number) => Loc,
): ConditionParseResult {
  try {
    return resolve(syntaxOf(typeof text === 'string' ? text : ''), identifiers, position);
  } catch (e) {
    // Not expected; a condition must never crash the caller.
    const at = safePosition(position, 0);
    return { diagnostics: [makeDiagnostic('P013', `cannot parse the condition: ${String(e)}`, at)] };
  }
}

function safePosition(position: (index: number) => Loc, index: number): Loc | undefined {
  try {
    return position(index);
  } catch {
    return undefined;
  }
}

function resolve(s: Syntax, identifiers: readonly string[], position: (index: number) => Loc): ConditionParseResult {
  let defined: Set<string> | undefined;
  const isDefined = (name: string): boolean => (defined ??= new Set(identifiers)).has(name);
  const diag = (f: Finding): Diagnostic => {
    const message =
      f.columnOf === undefined ? f.message : f.message.replace('{column}', String(position(f.columnOf).column));
    return makeDiagnostic(f.code, message, position(f.index), f.hint);
  };

  // A bare `near` (not a defined identifier) is Sigma 1: report only that.
  if (s.nears.length > 0) {
    const near = s.nears.find((n) => !isDefined(n.name));
    if (near !== undefined && !s.findings.some((f) => f.code === 'P014')) {
      const f: Finding = {
        index: near.at,
        code: 'P014',
        message: "Sigma 1 'near' is not supported in a Sigma 2 condition",
        hint: AGGREGATION_HINT,
      };
      return { diagnostics: [diag(f)] };
    }
  }

  const findings = s.findings.slice();
  let reported: Set<string> | undefined;
  for (const r of s.refs) {
    if (isDefined(r.name) || reported?.has(r.name)) continue;
    reported ??= new Set();
    if (reported.size >= MAX_RESOLUTION_ERRORS) break;
    reported.add(r.name);
    findings.push({
      index: r.at,
      code: 'P011',
      message: `the condition refers to '${clip(r.name)}', which is not a search identifier of this detection`,
      hint: undefinedHint(r.name, identifiers),
    });
  }
  const names = s.ofs.length > 0 ? new Map<RawOf, string[]>() : undefined;
  let unmatched = 0;
  for (const o of s.ofs) {
    const matched = resolveOf(o, identifiers);
    names!.set(o, matched);
    if (matched.length > 0 || ++unmatched > MAX_RESOLUTION_ERRORS) continue;
    findings.push({
      index: o.patternAt,
      code: 'P015',
      message: `'${o.written} of ${clip(o.pattern)}' matches no search identifier`,
      hint: o.them
        ? identifiers.length === 0
          ? 'the detection defines no search identifiers'
          : "'them' leaves out identifiers starting with '_'; name them or use a pattern"
        : definedList(identifiers),
    });
  }
  if (findings.length > 1) findings.sort((a, b) => a.index - b.index);
  const diagnostics = findings.map(diag);
  if (s.tree === undefined) return { diagnostics };
  return { condition: build(s.tree, names, identifiers, position), diagnostics };
}

function resolveOf(o: RawOf, identifiers: readonly string[]): string[] {
  const matched = o.them
    ? identifiers.filter((n) => !n.startsWith('_'))
    : identifiers.filter((n) => matchesPattern(o.pattern, n));
  return matched.length > 1 ? [...new Set(matched)] : matched;
}

/** Raw tree → Condition. Recursive, but the tree is at most MAX_CONDITION_DEPTH deep. */
function build(
  r: Raw,
  names: Map<RawOf, string[]> | undefined,
  ids: readonly string[],
  position: (i: number) => Loc,
): Condition {
  const loc = position(r.at);
  switch (r.type) {
    case 'and':
    case 'or':
      return { type: r.type, items: r.items.map((i) => build(i, names, ids, position)), loc };
    case 'not':
      return { type: 'not', item: build(r.item, names, ids, position), loc };
    case 'ref':
      return { type: 'ref', name: r.name, loc };
    case 'of':
      return {
        type: 'of',
        quantifier: r.quantifier,
        pattern: r.pattern,
        names: [...(names?.get(r) ?? resolveOf(r, ids))],
        loc,
      };
  }
}

// ---------------------------------------------------------------------------
// Syntax error messages

const OPERATOR_TYPES = new Set<TokenType>([And, Or, Not, LParen]);
const QUANTIFIER_TYPES = new Set<TokenType>([One, Any, All]);
const OPERAND_END_TYPES = new Set<TokenType>([Identifier, Them, RParen]);
const OPERAND_START_TYPES = new Set<TokenType>([Identifier, Not, LParen, One, Any, All, Them]);

function clip(s: string, max = 40): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

function quoteToken(t: IToken): string {
  return `'${clip(t.image)}'`;
}

function describeError(
  e: IRecognitionException,
  text: string,
  tokens: IToken[],
  unclosed: IToken[],
  unmatchedClose: Set<IToken>,
  s: Syntax,
): Finding | undefined {
  const tok = e.token;
  const atEnd = tok.tokenType === EOF || Number.isNaN(tok.startOffset);
  const idx = atEnd ? tokens.length : tokenIndex(tokens, tok.startOffset);
  let p = idx - 1;
  while (p >= 0 && tokens[p]!.isInsertedInRecovery) p--;
  const prev = p >= 0 ? tokens[p] : undefined;
  const index = atEnd ? Math.min(prev ? prev.startOffset + prev.image.length : 0, text.length) : tok.startOffset;
  const found = atEnd ? 'but the condition ends here' : `found ${quoteToken(tok)}`;
  const f = (message: string, hint?: string): Finding => ({ index, code: 'P013', message, hint });

  if (!atEnd && (tok.tokenType === Unknown || tok.tokenType === DoublePipe)) return unknownCharacters(tok);
  // The token after unknown characters: already reported as those characters.
  if (prev && (prev.tokenType === Unknown || prev.tokenType === DoublePipe)) return undefined;

  const operandProblem = (where: string): Finding => {
    if (!atEnd && tok.tokenType === Them) {
      return f(`'them' is only allowed after '1 of' or 'all of'`, `write '1 of them' or 'all of them'`);
    }
    if (!atEnd && tok.tokenType === Of) {
      return f(`expected an identifier ${where}, ${found}`, "'of' needs a quantifier: '1 of', 'any of' or 'all of'");
    }
    return f(`expected an identifier ${where}, ${found}`);
  };

  if (prev === undefined) return operandProblem('at the start of the condition');
  const pt = prev.tokenType;
  if (OPERATOR_TYPES.has(pt)) return operandProblem(`after ${quoteToken(prev)}`);
  if (QUANTIFIER_TYPES.has(pt)) return f(`expected 'of' after ${quoteToken(prev)}, ${found}`);
  if (pt === Of) return f(`expected 'them' or an identifier pattern after 'of', ${found}`);
  if (OPERAND_END_TYPES.has(pt)) {
    if (atEnd && unclosed.length > 0) {
      const o = unclosed[unclosed.length - 1]!;
      return { ...f(`missing ')' to close the '(' at column {column}`), columnOf: o.startOffset };
    }
    if (!atEnd && tok.tokenType === RParen && unmatchedClose.has(tok)) {
      return f(`unmatched ')'`, "remove it or add the matching '('");
    }
    if (!atEnd && tok.tokenType === Of) {
      if (pt === Identifier && /^\d+$/.test(prev.image)) {
        // `2 of x`: the '2' is no reference to an identifier.
        s.refs = s.refs.filter((r) => r.at !== prev.startOffset);
        return f(`'${clip(prev.image)} of' is not supported: the quantifier must be '1', 'any' or 'all'`);
      }
      return f(
        `expected 'and' or 'or' after ${quoteToken(prev)}, ${found}`,
        "'of' needs a quantifier: '1 of', 'any of' or 'all of'",
      );
    }
    if (!atEnd && OPERAND_START_TYPES.has(tok.tokenType)) {
      return f(`missing 'and' or 'or' between ${quoteToken(prev)} and ${quoteToken(tok)}`);
    }
    const closeable = unclosedBefore(tokens, idx) > 0;
    return f(`expected 'and', 'or'${closeable ? " or ')'" : ''} after ${quoteToken(prev)}, ${found}`);
  }
  return f(`unexpected ${atEnd ? 'end of the condition' : quoteToken(tok)}`);
}

function unknownCharacters(tok: IToken): Finding {
  const img = tok.image;
  let hint: string | undefined;
  if (tok.tokenType === DoublePipe) hint = "use 'or'";
  else if (img.startsWith('&')) hint = "use 'and'";
  else if (img.startsWith('!')) hint = "use 'not'";
  else if (/^[=<>:~]/.test(img)) {
    hint = 'a condition combines search identifiers; field comparisons belong in the search identifiers';
  } else if (/^["'`]/.test(img)) hint = 'identifiers are written without quotes';
  else if (img.startsWith('?')) hint = "only '*' is a wildcard in identifier patterns";
  return {
    index: tok.startOffset,
    code: 'P013',
    message: `unexpected character${[...img].length > 1 ? 's' : ''} '${clip(img)}'`,
    hint,
  };
}

/** Index of the first token at `offset` (tokens are sorted by offset). */
function tokenIndex(tokens: IToken[], offset: number): number {
  let lo = 0;
  let hi = tokens.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (tokens[mid]!.startOffset < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function unclosedBefore(tokens: IToken[], idx: number): number {
  let depth = 0;
  for (let i = 0; i < idx && i < tokens.length; i++) {
    const t = tokens[i]!.tokenType;
    if (t === LParen) depth++;
    else if (t === RParen && depth > 0) depth--;
  }
  return depth;
}

// ---------------------------------------------------------------------------
// Resolution helpers

/** `*` wildcard match, anchored at both ends (linear backtracking; no regular expression blow-up). */
export function matchesPattern(pattern: string, name: string): boolean {
  let p = 0;
  let n = 0;
  let star = -1;
  let mark = 0;
  while (n < name.length) {
    if (p < pattern.length && pattern[p] !== '*' && pattern[p] === name[n]) {
      p++;
      n++;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      mark = n;
    } else if (star >= 0) {
      p = star + 1;
      n = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
}

function definedList(identifiers: readonly string[]): string {
  if (identifiers.length === 0) return 'the detection defines no search identifiers';
  const shown = identifiers.slice(0, 12).map((n) => clip(n));
  return `defined search identifiers: ${shown.join(', ')}${identifiers.length > 12 ? ', …' : ''}`;
}

function undefinedHint(name: string, identifiers: readonly string[]): string {
  // No suggestion for names over 200 characters: that bounds the quadratic edit distance.
  const close =
    name.length > 200
      ? undefined
      : closest(
          name,
          identifiers.filter((id) => id.length <= 200),
          (id) => Math.max(1, Math.floor(Math.max(id.length, name.length) / 3)),
        );
  return close !== undefined
    ? `did you mean '${clip(close)}'? (${definedList(identifiers)})`
    : definedList(identifiers);
}
