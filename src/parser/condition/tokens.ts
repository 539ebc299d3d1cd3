/**
 * The condition language's tokens and its lexer (built once at module load). Keywords are
 * case-insensitive and give way to a longer identifier (`order`, `nothing`, `1a`).
 */
import { createToken, Lexer, type TokenType } from 'chevrotain';

export const Identifier = createToken({ name: 'Identifier', pattern: /[A-Za-z0-9_.*-]+/ });
function keyword(name: string, word: string): TokenType {
  return createToken({ name, pattern: new RegExp(word, 'i'), longer_alt: Identifier });
}
export const And = keyword('And', 'and');
export const Or = keyword('Or', 'or');
export const Not = keyword('Not', 'not');
export const Of = keyword('Of', 'of');
export const Them = keyword('Them', 'them');
export const All = keyword('All', 'all');
export const Any = keyword('Any', 'any');
/** The quantifier `1` (`10` or `1a` are identifiers). */
export const One = createToken({ name: 'One', pattern: /1/, longer_alt: Identifier });
export const LParen = createToken({ name: 'LParen', pattern: /\(/ });
export const RParen = createToken({ name: 'RParen', pattern: /\)/ });
/** `||` is a (wrong) way to write `or`, not a Sigma 1 aggregation pipe. */
export const DoublePipe = createToken({ name: 'DoublePipe', pattern: /\|\|/ });
/** A single `|` starts a Sigma 1 aggregation (`| count() by x > 5`, `| near b`). */
export const Pipe = createToken({ name: 'Pipe', pattern: /\|/ });
const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /\s+/, group: Lexer.SKIPPED });
/** Characters the lexer does not know; made into tokens after lexing so the parser reports them in context. */
export const Unknown = createToken({ name: 'Unknown', pattern: Lexer.NA });

export const ALL_TOKENS: TokenType[] = [
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

export const LEXER = new Lexer(ALL_TOKENS, { positionTracking: 'onlyOffset', ensureOptimizations: true });
