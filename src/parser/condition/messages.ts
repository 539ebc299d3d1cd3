/**
 * The texts of the condition diagnostics (P011, P013, P014, P015) and their hints, built as
 * findings at character offsets. Syntax errors are described from the tokens around them,
 * not from chevrotain's messages.
 */
import { EOF, type IRecognitionException, type IToken, type TokenType } from 'chevrotain';
import { closest, truncate } from '../../util/text.js';
import { MAX_CONDITION_DEPTH, type Finding, type RawOf, type Syntax } from './raw.js';
import { All, And, Any, DoublePipe, Identifier, LParen, Not, Of, One, Or, RParen, Them, Unknown } from './tokens.js';

function clip(s: string): string {
  return truncate(s, 40);
}

function quoteToken(t: IToken): string {
  return `'${clip(t.image)}'`;
}

// ---------------------------------------------------------------------------
// Findings of phase 1

export function emptyCondition(): Finding {
  return { index: 0, code: 'P013', message: 'the condition is empty' };
}

/** No error was found, yet no tree was built (not expected). */
export function cannotParse(): Finding {
  return { index: 0, code: 'P013', message: 'cannot parse the condition' };
}

/** The parser stopped at its error budget before any error could be described. */
export function tooManySyntaxErrors(): Finding {
  return { index: 0, code: 'P013', message: 'too many syntax errors' };
}

export function wildcardOutsideOf(name: string, at: number): Finding {
  return {
    index: at,
    code: 'P013',
    message: `wildcard '*' in '${clip(name)}': wildcards are only allowed in '1 of' / 'all of' patterns`,
    hint: `write '1 of ${clip(name)}' or 'all of ${clip(name)}'`,
  };
}

export function tooDeep(index: number): Finding {
  return {
    index,
    code: 'P013',
    message: `the condition is nested too deeply (more than ${MAX_CONDITION_DEPTH} levels of parentheses or 'not')`,
    hint: "simplify the condition, e.g. with '1 of' / 'all of' patterns",
  };
}

const AGGREGATION_HINT =
  'Sigma 2 moved aggregations into correlation rules: use a correlation rule of type ' +
  "'event_count' (count()), 'value_count' (count(field)) or 'temporal' (near) that refers to this rule";

/** A Sigma 1 aggregation: `… | count() by x > 5`, or `… | near y` (`near` true). */
export function aggregationAfterPipe(pipeAt: number, near: boolean): Finding {
  const kind = near ? "'near'" : 'an aggregation';
  return {
    index: pipeAt,
    code: 'P014',
    message: `Sigma 1 aggregation (${kind} after '|') is not supported in a Sigma 2 condition`,
    hint: AGGREGATION_HINT,
  };
}

/** A bare `near` (Sigma 1 `a near b`). */
export function nearNotSupported(at: number): Finding {
  return {
    index: at,
    code: 'P014',
    message: "Sigma 1 'near' is not supported in a Sigma 2 condition",
    hint: AGGREGATION_HINT,
  };
}

// ---------------------------------------------------------------------------
// Syntax errors

const OPERATOR_TYPES = new Set<TokenType>([And, Or, Not, LParen]);
const QUANTIFIER_TYPES = new Set<TokenType>([One, Any, All]);
const OPERAND_END_TYPES = new Set<TokenType>([Identifier, Them, RParen]);
const OPERAND_START_TYPES = new Set<TokenType>([Identifier, Not, LParen, One, Any, All, Them]);

/**
 * Describes one of chevrotain's recognition errors from the tokens around it; undefined when
 * it is already reported as unknown characters. A number before `of` (`2 of x`) is no
 * reference, so it is also taken out of `s.refs`.
 */
export function describeError(
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

export function unknownCharacters(tok: IToken): Finding {
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
// Resolution errors (phase 2)

export function undefinedIdentifier(name: string, at: number, identifiers: readonly string[]): Finding {
  return {
    index: at,
    code: 'P011',
    message: `the condition refers to '${clip(name)}', which is not a search identifier of this detection`,
    hint: undefinedHint(name, identifiers),
  };
}

export function unmatchedPattern(o: RawOf, identifiers: readonly string[]): Finding {
  return {
    index: o.patternAt,
    code: 'P015',
    message: `'${o.written} of ${clip(o.pattern)}' matches no search identifier`,
    hint: o.them
      ? identifiers.length === 0
        ? 'the detection defines no search identifiers'
        : "'them' leaves out identifiers starting with '_'; name them or use a pattern"
      : definedList(identifiers),
  };
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
