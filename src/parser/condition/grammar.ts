/**
 * The condition grammar (index.ts) as a chevrotain parser, built once at module load and
 * reused, with embedded actions that build the raw tree (same-operator operands flattened)
 * and record every reference and `of` written.
 */
import {
  EmbeddedActionsParser,
  type IParserErrorMessageProvider,
  type IRecognitionException,
  type IToken,
} from 'chevrotain';
import { wildcardOutsideOf } from './messages.js';
import { emptySyntax, MAX_SYNTAX_ERRORS, type Parsed, type Raw, type RawOf, type Syntax } from './raw.js';
import { ALL_TOKENS, All, And, Any, Identifier, LParen, Not, Of, One, Or, RParen, Them } from './tokens.js';

/** State of the current parse (the parser is a reused singleton; parsing is synchronous). */
const IDLE: Syntax = emptySyntax();
let current: Syntax = IDLE;

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

/** A reference to an identifier (or, with a `*`, a P013). */
export function makeRef(name: string, at: number, into: Syntax): Parsed {
  if (name.includes('*')) into.findings.push(wildcardOutsideOf(name, at));
  else into.refs.push({ name, at });
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

class ErrorBudgetExceeded extends Error {}

/**
 * Syntax errors raised by chevrotain in the current parse. Our own messages are built from the
 * tokens afterwards (messages.ts, describeError), so chevrotain's (costly) message texts are not needed.
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

interface GrammarResult {
  /** The tree, when the parser could build one (also after recovered errors). */
  parsed: Parsed | undefined;
  /** Chevrotain's recognition errors, in the order raised. */
  errors: IRecognitionException[];
  /** Parsing stopped at MAX_SYNTAX_ERRORS. */
  stopped: boolean;
}

/** Parses `tokens`, recording references, `of`s and wildcard errors into `into`. */
export function parseTokens(tokens: IToken[], into: Syntax): GrammarResult {
  current = into;
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
  return { parsed, errors: PARSER.errors, stopped };
}
