/**
 * Phase 1: text → raw tree, syntax errors (P013) and Sigma 1 aggregations (P014). Depends on
 * the text only, so results are cached by text.
 */
import { createTokenInstance, type ILexingError, type IToken } from 'chevrotain';
import { makeRef, parseTokens } from './grammar.js';
import {
  aggregationAfterPipe,
  cannotParse,
  describeError,
  emptyCondition,
  tooDeep,
  tooManySyntaxErrors,
  unknownCharacters,
} from './messages.js';
import { emptySyntax, MAX_CONDITION_DEPTH, MAX_SYNTAX_ERRORS, type Finding, type Raw, type Syntax } from './raw.js';
import { DoublePipe, Identifier, LEXER, LParen, Pipe, RParen, Unknown } from './tokens.js';

/**
 * Phase-1 results by text. Rule sets repeat the same conditions a lot (in SigmaHQ, 4,000
 * conditions have about 460 distinct texts), and phase 1 depends on the text only. Entries are
 * never mutated; phase 2 builds fresh nodes for every call. Bounded: cleared when full.
 */
const CACHE = new Map<string, Syntax>();
const CACHE_MAX_ENTRIES = 1000;
const CACHE_MAX_TEXT = 1000;

export function syntaxOf(text: string): Syntax {
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
    s.findings.push(emptyCondition());
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
    s.findings.push(aggregationAfterPipe(pipe.startOffset, after !== undefined && isNear(after.image)));
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

  const { parsed, errors, stopped } = parseTokens(tokens, s);

  // Syntax errors: unknown characters (each run is an error of its own, wherever the parser's
  // recovery resumed), the parser's errors, and errors found by actions (a wildcard outside `of`).
  // The first MAX_SYNTAX_ERRORS by position, one per position.
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
    if (stopped && candidates.length === 0) candidates.push(tooManySyntaxErrors());
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
    s.findings.push(cannotParse());
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
