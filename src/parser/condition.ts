/**
 * The Sigma condition language (`selection and not 1 of filter_*`).
 *
 * Grammar, least to most binding (Sigma specification, section "Condition"):
 *
 *   condition := or
 *   or        := and ('or' and)*
 *   and       := not ('and' not)*
 *   not       := 'not'* primary
 *   primary   := '(' or ')' | quantifier 'of' ('them' | pattern) | identifier
 *   quantifier:= '1' | 'any' | 'all'
 *
 * Keywords are case-insensitive; identifiers are case-sensitive and made of ASCII letters,
 * digits, `_`, `-`, `.` (and `*` in `of` patterns). Same-operator operands are flattened
 * (`a and (b and c)` → one `and` with three items).
 *
 * The lexer and the parser are built once at module load and reused. Parsing never throws:
 * every problem is a Diagnostic (P011, P013, P014, P015).
 */
import {
  createToken,
  createTokenInstance,
  EmbeddedActionsParser,
  EOF,
  Lexer,
  type IRecognitionException,
  type IToken,
  type TokenType,
} from 'chevrotain';
import type { Condition, ConditionOf, Loc } from '../ast/types.js';
import { makeDiagnostic, type Diagnostic, type ParseCode } from '../diagnostics.js';

export interface ConditionParseResult {
  condition?: Condition;
  diagnostics: Diagnostic[];
}

/** Parentheses / `not` nesting deeper than this is rejected (P013) before it can exhaust the stack. */
export const MAX_CONDITION_DEPTH = 200;
/** At most this many syntax errors are reported for one condition. */
const MAX_SYNTAX_ERRORS = 20;

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
const One = createToken({ name: 'One', pattern: /1/, longer_alt: Identifier });
const LParen = createToken({ name: 'LParen', pattern: /\(/ });
const RParen = createToken({ name: 'RParen', pattern: /\)/ });
/** `||` is a (wrong) way to write `or`, not a Sigma 1 aggregation pipe. */
const DoublePipe = createToken({ name: 'DoublePipe', pattern: /\|\|/ });
/** A single `|` starts a Sigma 1 aggregation (`| count() by x > 5`, `| near b`). */
const Pipe = createToken({ name: 'Pipe', pattern: /\|/ });
const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /\s+/, group: Lexer.SKIPPED });
/** Characters the lexer does not know; made into tokens after lexing so the parser reports them. */
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

const LEXER = new Lexer(ALL_TOKENS, {
  positionTracking: 'onlyOffset',
  ensureOptimizations: true,
});

// ---------------------------------------------------------------------------
// Per-parse state (the parser is a reused singleton; parsing is synchronous)

/** A parsed operand: its node and the offset of its first token (which may be a `(`). */
interface Parsed {
  node: Condition;
  start: number;
}

interface Finding {
  index: number;
  code: ParseCode;
  message: string;
  hint?: string;
  /** A syntax error that explains a token: drop resolution findings at this index (`2 of x` is no ref '2'). */
  explains?: number;
}

interface Context {
  identifiers: readonly string[];
  defined: Set<string>;
  position: (index: number) => Loc;
  /** P013 found by actions (wildcard outside `of`). */
  syntax: Finding[];
  /** P011 / P015. */
  resolution: Finding[];
  undefinedSeen: Set<string>;
}

let ctx: Context | undefined;

function loc(index: number): Loc {
  return ctx!.position(index);
}

function combine(type: 'and' | 'or', first: Parsed | undefined, rest: (Parsed | undefined)[]): Parsed | undefined {
  if (rest.length === 0) return first;
  const operands = [first, ...rest].filter((p): p is Parsed => p !== undefined);
  if (operands.length === 0) return undefined;
  const items: Condition[] = [];
  for (const p of operands) {
    if (p.node.type === type) items.push(...p.node.items);
    else items.push(p.node);
  }
  const start = operands[0]!.start;
  return { node: { type, items, loc: loc(start) }, start };
}

function wrapNots(nots: IToken[], inner: Parsed | undefined): Parsed | undefined {
  if (inner === undefined) return undefined;
  let node = inner.node;
  for (let i = nots.length - 1; i >= 0; i--) {
    node = { type: 'not', item: node, loc: loc(nots[i]!.startOffset) };
  }
  return { node, start: nots.length > 0 ? nots[0]!.startOffset : inner.start };
}

function refToken(t: IToken): Parsed | undefined {
  return t.isInsertedInRecovery ? undefined : makeRef(t.image, t.startOffset);
}

function makeRef(name: string, start: number): Parsed {
  const c = ctx!;
  if (name.includes('*')) {
    c.syntax.push({
      index: start,
      code: 'P013',
      message: `wildcard '*' in '${clip(name)}': wildcards are only allowed in '1 of' / 'all of' patterns`,
      hint: `write '1 of ${clip(name)}' or 'all of ${clip(name)}'`,
    });
  } else if (!c.defined.has(name) && !c.undefinedSeen.has(name)) {
    c.undefinedSeen.add(name);
    c.resolution.push({
      index: start,
      code: 'P011',
      message: `the condition refers to '${clip(name)}', which is not a search identifier of this detection`,
      hint: undefinedHint(name, c.identifiers),
    });
  }
  return { node: { type: 'ref', name, loc: loc(start) }, start };
}

function makeOf(q: IToken, p: IToken): Parsed | undefined {
  if (q.isInsertedInRecovery || p.isInsertedInRecovery) return undefined;
  const c = ctx!;
  const quantifier: ConditionOf['quantifier'] = q.tokenType === All ? 'all' : 'any';
  const isThem = p.tokenType === Them;
  const pattern = isThem ? 'them' : p.image;
  const names = isThem ? c.identifiers.filter((n) => !n.startsWith('_')) : matchPattern(pattern, c.identifiers);
  const unique = names.length > 1 ? [...new Set(names)] : names;
  if (unique.length === 0) {
    const written = `${quantifier === 'all' ? 'all' : q.image.toLowerCase()} of ${clip(pattern)}`;
    c.resolution.push({
      index: p.startOffset,
      code: 'P015',
      message: `'${written}' matches no search identifier`,
      hint: isThem
        ? c.identifiers.length === 0
          ? 'the detection defines no search identifiers'
          : "'them' leaves out identifiers starting with '_'; name them explicitly or use a pattern"
        : definedList(c.identifiers),
    });
  }
  const node: ConditionOf = { type: 'of', quantifier, pattern, names: unique, loc: loc(q.startOffset) };
  return { node, start: q.startOffset };
}

// ---------------------------------------------------------------------------
// Parser

class ConditionParser extends EmbeddedActionsParser {
  constructor() {
    super(ALL_TOKENS, { recoveryEnabled: true, maxLookahead: 2 });
    this.performSelfAnalysis();
  }

  public condition = this.RULE('condition', (): Parsed | undefined => this.SUBRULE(this.orExpr));

  private orExpr = this.RULE('orExpr', (): Parsed | undefined => {
    const first = this.SUBRULE(this.andExpr);
    const rest: (Parsed | undefined)[] = [];
    this.MANY(() => {
      this.CONSUME(Or);
      rest.push(this.SUBRULE2(this.andExpr));
    });
    return this.ACTION(() => combine('or', first, rest));
  });

  private andExpr = this.RULE('andExpr', (): Parsed | undefined => {
    const first = this.SUBRULE(this.notExpr);
    const rest: (Parsed | undefined)[] = [];
    this.MANY(() => {
      this.CONSUME(And);
      rest.push(this.SUBRULE2(this.notExpr));
    });
    return this.ACTION(() => combine('and', first, rest));
  });

  /** `not` chains are a loop, not recursion: `not not … x` cannot exhaust the stack. */
  private notExpr = this.RULE('notExpr', (): Parsed | undefined => {
    const nots: IToken[] = [];
    this.MANY(() => {
      nots.push(this.CONSUME(Not));
    });
    const inner = this.SUBRULE(this.primary);
    return this.ACTION(() => wrapNots(nots, inner));
  });

  private primary = this.RULE('primary', (): Parsed | undefined =>
    this.OR([
      {
        ALT: () => {
          const open = this.CONSUME(LParen);
          const inner = this.SUBRULE(this.orExpr);
          this.CONSUME(RParen);
          return this.ACTION(() => (inner ? { node: inner.node, start: open.startOffset } : undefined));
        },
      },
      { ALT: () => this.SUBRULE(this.ofExpr) },
      {
        ALT: () => {
          const t = this.CONSUME(Identifier);
          return this.ACTION(() => refToken(t));
        },
      },
    ]),
  );

  private ofExpr = this.RULE('ofExpr', (): Parsed | undefined => {
    const q = this.OR([
      { ALT: () => this.CONSUME(One) },
      { ALT: () => this.CONSUME(Any) },
      { ALT: () => this.CONSUME(All) },
    ]);
    this.CONSUME(Of);
    const p = this.OR2([{ ALT: () => this.CONSUME(Them) }, { ALT: () => this.CONSUME(Identifier) }]);
    return this.ACTION(() => makeOf(q, p));
  });
}

const PARSER = new ConditionParser();

// ---------------------------------------------------------------------------
// Entry point

/**
 * Parses a Sigma condition string.
 *
 * @param text the condition string.
 * @param identifiers the search identifiers defined in the detection, in definition order.
 * @param position maps a 0-based character index in `text` to a file location; used for every
 *   `loc` and every diagnostic. For errors at the end of the input it is called with an index
 *   of at most `text.length`.
 *
 * Returns the condition when there are no errors or only resolution errors (P011, P015);
 * syntax errors (P013) and Sigma 1 aggregations (P014) give no condition. Never throws.
 */
export function parseCondition(
  text: string,
  identifiers: readonly string[],
  position: (index: number) => Loc,
): ConditionParseResult {
  const c: Context = {
    identifiers,
    defined: new Set(identifiers),
    position,
    syntax: [],
    resolution: [],
    undefinedSeen: new Set(),
  };
  const previous = ctx;
  ctx = c;
  try {
    return run(text, c);
  } catch (e) {
    // Defensive: nothing above is expected to throw, but a condition must never crash the caller.
    return { diagnostics: [diag(c, { index: 0, code: 'P013', message: `cannot parse the condition: ${String(e)}` })] };
  } finally {
    ctx = previous;
  }
}

function run(text: string, c: Context): ConditionParseResult {
  if (typeof text !== 'string' || text.trim() === '') {
    return { diagnostics: [diag(c, { index: 0, code: 'P013', message: 'the condition is empty' })] };
  }

  // Fast path for the most common condition, a lone identifier (half of all rules): the same
  // result as the full parser, without its per-call overhead.
  const simple = SIMPLE_REF.exec(text);
  if (simple !== null && !KEYWORDS.has(simple[1]!.toLowerCase())) {
    const ref = makeRef(simple[1]!, text.length - text.trimStart().length);
    return { condition: ref.node, diagnostics: c.resolution.map((f) => diag(c, f)) };
  }

  const lexed = LEXER.tokenize(text);
  let tokens = lexed.tokens;
  let lexErrors = lexed.errors;
  const findings: Finding[] = [];

  // Sigma 1 aggregations: `… | count() by x > 5`, `… | near y`, or a bare `near`.
  let pipeAt = -1;
  let near: IToken | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.tokenType === Pipe) {
      pipeAt = i;
      break;
    }
    if (near === undefined && t.tokenType === Identifier && isNear(t.image) && !c.defined.has(t.image)) near = t;
  }
  let aggregation = false;
  if (pipeAt >= 0) {
    const pipe = tokens[pipeAt]!;
    const after = tokens[pipeAt + 1];
    const kind = after && isNear(after.image) ? "'near'" : 'an aggregation';
    findings.push({
      index: pipe.startOffset,
      code: 'P014',
      message: `Sigma 1 aggregation (${kind} after '|') is not supported in a Sigma 2 condition`,
      hint: AGGREGATION_HINT,
    });
    aggregation = true;
    tokens = tokens.slice(0, pipeAt);
    lexErrors = lexErrors.filter((e) => e.offset < pipe.startOffset);
  } else if (near) {
    const f: Finding = {
      index: near.startOffset,
      code: 'P014',
      message: "Sigma 1 'near' is not supported in a Sigma 2 condition",
      hint: AGGREGATION_HINT,
    };
    return { diagnostics: [diag(c, f)] };
  }
  if (aggregation && tokens.length === 0 && lexErrors.length === 0) {
    return { diagnostics: findings.map((f) => diag(c, f)) };
  }

  // Unknown characters become tokens so that the parser reports them in context and recovers.
  if (lexErrors.length > 0) tokens = withUnknownTokens(text, tokens, lexErrors);

  // Parenthesis structure: too-deep nesting (checked before parsing, which recurses per level),
  // and the positions of unclosed '(' for "missing ')'" messages.
  const open: IToken[] = [];
  const unmatchedClose = new Set<IToken>();
  for (const t of tokens) {
    if (t.tokenType === LParen) {
      open.push(t);
      if (open.length > MAX_CONDITION_DEPTH) {
        findings.push(tooDeep(t.startOffset));
        return { diagnostics: sortDiagnostics(c, findings) };
      }
    } else if (t.tokenType === RParen) {
      if (open.length > 0) open.pop();
      else unmatchedClose.add(t);
    }
  }

  PARSER.input = tokens;
  const parsed = PARSER.condition();
  const errors = PARSER.errors;

  const syntax: Finding[] = [];
  const seen = new Set<number>();
  const add = (f: Finding | undefined): void => {
    if (f === undefined || seen.has(f.index) || syntax.length >= MAX_SYNTAX_ERRORS) return;
    seen.add(f.index);
    syntax.push(f);
  };
  // Every unknown character is an error of its own, wherever the parser's recovery resumed.
  for (const t of tokens) {
    if (t.tokenType === Unknown || t.tokenType === DoublePipe) add(unknownCharacters(t));
  }
  for (const e of errors) add(describeError(e, text, tokens, open, unmatchedClose));
  syntax.sort((a, b) => a.index - b.index);
  for (const f of c.syntax) {
    if (syntax.length >= MAX_SYNTAX_ERRORS) break;
    syntax.push(f);
  }
  const explained = new Set(syntax.map((f) => f.explains).filter((i) => i !== undefined));
  findings.push(...syntax, ...c.resolution.filter((f) => !explained.has(f.index)));

  let condition: Condition | undefined;
  if (!aggregation && syntax.length === 0 && parsed !== undefined) {
    const deep = findTooDeep(parsed.node);
    if (deep !== undefined) findings.push(tooDeep(deep));
    else condition = parsed.node;
  }
  if (condition === undefined && findings.length === 0) {
    // Should not happen; guarantees "a condition or at least one diagnostic".
    findings.push({ index: 0, code: 'P013', message: 'cannot parse the condition' });
  }
  const diagnostics = sortDiagnostics(c, findings);
  return condition ? { condition, diagnostics } : { diagnostics };
}

/** A lone identifier (no `*`: that is an error the full parser reports). */
const SIMPLE_REF = /^\s*([A-Za-z0-9_.-]+)\s*$/;
const KEYWORDS = new Set(['and', 'or', 'not', 'of', 'them', 'all', 'any', '1', 'near']);

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
    hint: 'simplify the condition, e.g. with 1 of / all of patterns',
  };
}

/** Offset of the first node nested deeper than the limit (iterative: the tree may be deep). */
function findTooDeep(root: Condition): number | undefined {
  const stack: [Condition, number][] = [[root, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (depth > MAX_CONDITION_DEPTH) return node.loc?.offset ?? 0;
    if (node.type === 'not') stack.push([node.item, depth + 1]);
    else if (node.type === 'and' || node.type === 'or') {
      for (const item of node.items) stack.push([item, depth + 1]);
    }
  }
  return undefined;
}

function withUnknownTokens(
  text: string,
  tokens: IToken[],
  errors: { offset: number; length: number }[],
): IToken[] {
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

function diag(c: Context, f: Finding): Diagnostic {
  return makeDiagnostic(f.code, f.message, c.position(f.index), f.hint);
}

function sortDiagnostics(c: Context, findings: Finding[]): Diagnostic[] {
  return findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => a.f.index - b.f.index || a.i - b.i)
    .map(({ f }) => diag(c, f));
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
      const col = ctx!.position(o.startOffset).column;
      return f(`missing ')' to close the '(' at column ${col}`);
    }
    if (!atEnd && tok.tokenType === RParen && unmatchedClose.has(tok)) {
      return f(`unmatched ')'`, "remove it or add the matching '('");
    }
    if (!atEnd && tok.tokenType === Of) {
      if (pt === Identifier && /^\d+$/.test(prev.image)) {
        return {
          ...f(`'${clip(prev.image)} of' is not supported: the quantifier must be '1', 'any' or 'all'`),
          explains: prev.startOffset,
        };
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

function tokenIndex(tokens: IToken[], offset: number): number {
  let lo = 0;
  let hi = tokens.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const o = tokens[mid]!.startOffset;
    if (o === offset) {
      // Skip back over tokens inserted in recovery that share the offset.
      let m = mid;
      while (m > 0 && tokens[m - 1]!.startOffset === offset) m--;
      return m;
    }
    if (o < offset) lo = mid + 1;
    else hi = mid - 1;
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

/** `*` wildcard match (linear-time backtracking; no regular expressions, so no blow-up). */
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

function matchPattern(pattern: string, identifiers: readonly string[]): string[] {
  return identifiers.filter((name) => matchesPattern(pattern, name));
}

function definedList(identifiers: readonly string[]): string {
  if (identifiers.length === 0) return 'the detection defines no search identifiers';
  const shown = identifiers.slice(0, 12).map((n) => clip(n));
  return `defined search identifiers: ${shown.join(', ')}${identifiers.length > 12 ? ', …' : ''}`;
}

function undefinedHint(name: string, identifiers: readonly string[]): string {
  const close = closest(name, identifiers);
  return close !== undefined ? `did you mean '${clip(close)}'? (${definedList(identifiers)})` : definedList(identifiers);
}

function closest(name: string, identifiers: readonly string[]): string | undefined {
  if (name.length > 200) return undefined;
  const lower = name.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const id of identifiers) {
    if (id.length > 200) continue;
    const limit = Math.max(1, Math.floor(Math.max(id.length, name.length) / 3));
    if (Math.abs(id.length - name.length) > limit) continue;
    const d = id.toLowerCase() === lower ? 0 : editDistance(lower, id.toLowerCase());
    if (d <= limit && d < bestDistance) {
      best = id;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}
