/**
 * Generic walks over the two boolean trees of the AST: lowered predicates (semantics.ts) and
 * conditions as written (types.ts). A walk that only differs in what it does at each kind of
 * node is a fold with four handlers; walks that need the parent's context (negation depth,
 * clause names) pass it down through `C`.
 */
import type { Condition, ConditionOf, ConditionRef } from './types.js';
import type { LeafPredicate, Predicate } from './predicate.js';

export interface PredicateFold<T, C = undefined> {
  and(items: T[], node: Predicate & { kind: 'and' }, ctx: C): T;
  or(items: T[], node: Predicate & { kind: 'or' }, ctx: C): T;
  not(item: T, node: Predicate & { kind: 'not' }, ctx: C): T;
  leaf(node: LeafPredicate, ctx: C): T;
  /** The context a child sees (default: the parent's). Called for every and/or/not child. */
  child?(node: Predicate & { kind: 'and' | 'or' | 'not' }, ctx: C): C;
  /**
   * The fold of an and/or/not node decided from the node itself, its children left unfolded
   * (undefined: fold it as usual). For a walk that must see the children before folding them,
   * e.g. to write several of them as one.
   */
  whole?(node: Predicate & { kind: 'and' | 'or' | 'not' }, ctx: C): T | undefined;
}

/** Folds a predicate tree bottom-up. */
export function foldPredicate<T, C = undefined>(p: Predicate, f: PredicateFold<T, C>, ctx?: C): T {
  const c = ctx as C;
  if (f.whole && (p.kind === 'and' || p.kind === 'or' || p.kind === 'not')) {
    const whole = f.whole(p, c);
    if (whole !== undefined) return whole;
  }
  switch (p.kind) {
    case 'and':
    case 'or': {
      const inner = f.child ? f.child(p, c) : c;
      const items = p.items.map((i) => foldPredicate(i, f, inner));
      return p.kind === 'and' ? f.and(items, p, c) : f.or(items, p, c);
    }
    case 'not':
      return f.not(foldPredicate(p.item, f, f.child ? f.child(p, c) : c), p, c);
    default:
      return f.leaf(p, c);
  }
}

/** Calls `visit` on every leaf of a predicate, left to right. */
export function forEachLeaf(
  p: Predicate,
  visit: (leaf: LeafPredicate, negated: boolean) => void,
  negated = false,
): void {
  switch (p.kind) {
    case 'and':
    case 'or':
      for (const i of p.items) forEachLeaf(i, visit, negated);
      return;
    case 'not':
      forEachLeaf(p.item, visit, !negated);
      return;
    default:
      visit(p, negated);
  }
}

/** Whether some leaf passes `test` (leaves are tried left to right, up to the first that does). */
export function someLeaf(
  p: Predicate,
  test: (leaf: LeafPredicate, negated: boolean) => boolean,
  negated = false,
): boolean {
  switch (p.kind) {
    case 'and':
    case 'or':
      return p.items.some((i) => someLeaf(i, test, negated));
    case 'not':
      return someLeaf(p.item, test, !negated);
    default:
      return test(p, negated);
  }
}

export interface ConditionFold<T> {
  and(items: T[], node: Condition & { type: 'and' }): T;
  or(items: T[], node: Condition & { type: 'or' }): T;
  not(item: T, node: Condition & { type: 'not' }): T;
  ref(node: ConditionRef): T;
  of(node: ConditionOf): T;
}

/** Folds a condition tree bottom-up. */
export function foldCondition<T>(c: Condition, f: ConditionFold<T>): T {
  switch (c.type) {
    case 'and':
      return f.and(
        c.items.map((i) => foldCondition(i, f)),
        c,
      );
    case 'or':
      return f.or(
        c.items.map((i) => foldCondition(i, f)),
        c,
      );
    case 'not':
      return f.not(foldCondition(c.item, f), c);
    case 'ref':
      return f.ref(c);
    case 'of':
      return f.of(c);
  }
}
