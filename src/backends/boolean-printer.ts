/**
 * The boolean structure of a lowered predicate (and / or / not) as query text, for every backend.
 * A backend declares its syntax in a table — tokens, precedence, grouping, layout — and renders
 * the leaves; this module decides flattening, grouping and parentheses. It follows pySigma's
 * TextQueryBackend (`and_token`, `or_token`, `not_token`, `group_expression`, `precedence`,
 * `parenthesize`), plus two layout entries KQL needs (line wrapping, chunked long chains).
 */
import { foldPredicate, type PredicateFold } from '../ast/fold.js';
import type { LeafPredicate, Predicate } from '../ast/predicate.js';

/** The precedence of a leaf or a group: nothing binds tighter. */
export const ATOM = Number.POSITIVE_INFINITY;

type ChainOperator = 'and' | 'or';

/** A printed predicate: its text and how tightly that text binds. */
export interface Printed {
  readonly text: string;
  /** Of its outermost operator (higher binds tighter); ATOM for a leaf or a group. */
  readonly precedence: number;
  /** The whole text is one group (the syntax's `group`). */
  readonly grouped?: boolean;
  /**
   * An and/or of the tree printed without a group: a parent of the same operator continues the
   * chain with these operands instead of grouping it (flattening).
   */
  readonly chain?: { readonly op: ChainOperator; readonly operands: readonly Printed[] };
}

interface ChainSyntax {
  /** Written between operands, with a space on each side. */
  token: string;
  /** Higher binds tighter. An operand that does not bind tighter than the chain is grouped. */
  precedence: number;
  /** Longest chain printed flat; a longer one is printed as a chain of groups of at most this many operands. */
  maxOperands?: number;
}

export interface BooleanSyntax {
  and: ChainSyntax;
  or: ChainSyntax;
  not: {
    /** Written before the operand: `NOT ` gives `NOT x`, `not` with an always-grouped operand gives `not(x)`. */
    prefix: string;
    /** The operand is grouped always (never twice), or only when it binds less tightly than not. */
    groupOperand: 'always' | 'by-precedence';
    precedence: number;
  };
  /** An empty and: holds for every event. */
  true: string;
  group(text: string): string;
  /**
   * Every and/or of two or more operands is grouped, the whole expression included, and nested
   * chains are kept as the tree nests them (pySigma's `parenthesize`): for targets whose and/or
   * precedence is unclear.
   */
  parenthesize?: boolean;
  /**
   * A chain wider than `width`, or with an operand of several lines, is printed one operand per
   * line, each line after the first starting with the token. Its operands that are themselves
   * chains are then grouped for readability, as are chunks (`maxOperands`), with their own
   * continuation lines indented by `indent`; a group that precedence requires is left as printed.
   */
  wrap?: { width: number; indent: string };
}

/**
 * What a backend supplies: its syntax, its leaves, and the hooks it needs. `C` is the context
 * the backend's leaves read; `N` is `null` for a backend whose leaves may be inexpressible in
 * this syntax (one such leaf makes the whole predicate inexpressible), `never` otherwise.
 */
export interface BooleanEncoder<C, N extends null = never> {
  syntax: BooleanSyntax;
  /** A leaf's text (an atom), or its printed form when it is not an atom. */
  leaf(p: LeafPredicate, ctx: C): string | Printed | N;
  /** The context of a not's operand (for leaves that are written differently under a negation). */
  negate?(ctx: C): C;
  /**
   * An or's operands, given its items and a function that prints one (default: every item
   * printed): for instance equalities on one field written as one `in` list.
   */
  orOperands?(items: readonly Predicate[], print: (item: Predicate) => Printed | N, ctx: C): (string | Printed | N)[];
}

export interface BooleanPrinter<C, N extends null = never> {
  print(p: Predicate, ctx: C): Printed | N;
  /** Operands joined by `op` as the syntax writes them (for a leaf that stands for several alternatives). */
  join(op: ChainOperator, operands: readonly (string | Printed)[]): Printed;
}

export function booleanPrinter<C, N extends null = never>(encoder: BooleanEncoder<C, N>): BooleanPrinter<C, N> {
  const syntax = encoder.syntax;
  const atom = (x: string | Printed): Printed => (typeof x === 'string' ? { text: x, precedence: ATOM } : x);
  const group = (text: string): Printed => ({ text: syntax.group(text), precedence: ATOM, grouped: true });
  /** A group the layout adds (readability, chunks): continuation lines are indented under its opening. */
  const blockGroup = (text: string): Printed =>
    group(syntax.wrap ? text.replace(/\n/g, '\n' + syntax.wrap.indent) : text);

  /** Operands on one line, or one per line when the syntax wraps and they do not fit. */
  function layout(items: readonly Printed[], token: string): string {
    const flat = items.map((i) => i.text).join(` ${token} `);
    const wrap = syntax.wrap;
    if (!wrap || (flat.length <= wrap.width && !flat.includes('\n'))) return flat;
    return items.map((i) => (i.precedence < ATOM ? blockGroup(i.text) : i).text).join(`\n${token} `);
  }

  /** Two or more operands, each already grouped as precedence requires. */
  function chainText(op: ChainOperator, items: readonly Printed[]): string {
    const { token, maxOperands } = syntax[op];
    if (maxOperands === undefined || items.length <= maxOperands) return layout(items, token);
    const chunks: Printed[] = [];
    for (let i = 0; i < items.length; i += maxOperands) {
      const chunk = items.slice(i, i + maxOperands);
      chunks.push(blockGroup(chunk.length === 1 ? chunk[0]!.text : chainText(op, chunk)));
    }
    return chainText(op, chunks);
  }

  /** A chain: operands that are chains of the same operator continue it (unless parenthesize). */
  function join(op: ChainOperator, operands: readonly (string | Printed)[]): Printed {
    let items = operands.map(atom);
    if (!syntax.parenthesize) items = items.flatMap((i) => (i.chain?.op === op ? i.chain.operands : [i]));
    if (items.length === 1) return items[0]!;
    const precedence = syntax[op].precedence;
    const grouped = items.map((i) => (i.precedence <= precedence ? group(i.text) : i));
    const text = chainText(op, grouped);
    return syntax.parenthesize ? group(text) : { text, precedence, chain: { op, operands: items } };
  }

  function not(operand: Printed): Printed {
    const { prefix, groupOperand, precedence } = syntax.not;
    const needsGroup = groupOperand === 'always' ? !operand.grouped : operand.precedence < precedence;
    return { text: prefix + (needsGroup ? syntax.group(operand.text) : operand.text), precedence };
  }

  const printable = (items: readonly (string | Printed | N)[]): items is (string | Printed)[] =>
    items.every((i) => i !== null);
  // Only reachable when N is null: a leaf was inexpressible.
  const inexpressible = null as N;
  const orOperands = encoder.orOperands;
  const childContext = (node: Predicate & { kind: 'and' | 'or' | 'not' }, ctx: C): C =>
    node.kind === 'not' && encoder.negate ? encoder.negate(ctx) : ctx;

  const fold: PredicateFold<Printed | N, C> = {
    and: (items) => (!printable(items) ? inexpressible : items.length === 0 ? atom(syntax.true) : join('and', items)),
    or: (items) => (printable(items) ? join('or', items) : inexpressible),
    not: (item) => (item === null ? inexpressible : not(item)),
    leaf: (leaf, ctx) => {
      const r = encoder.leaf(leaf, ctx);
      if (r === null) return inexpressible;
      if (typeof r === 'string') return atom(r);
      // A leaf's text is opaque: no parent continues a chain the leaf printed.
      const { chain: _, ...opaque } = r;
      return opaque;
    },
    child: childContext,
    // The hook sees an or's items before they are printed, and prints only those it needs.
    whole: orOperands
      ? (node, ctx) => {
          if (node.kind !== 'or') return undefined;
          const inner = childContext(node, ctx);
          const operands = orOperands(node.items, (item) => print(item, inner), ctx);
          return printable(operands) ? join('or', operands) : inexpressible;
        }
      : undefined,
  };
  const print = (p: Predicate, ctx: C): Printed | N => foldPredicate(p, fold, ctx);

  return { print, join };
}
