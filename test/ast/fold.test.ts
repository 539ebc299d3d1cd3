import { describe, expect, it } from 'vitest';
import { foldPredicate, forEachLeaf, someLeaf } from '../../src/ast/fold.js';
import type { LeafPredicate, Predicate } from '../../src/ast/predicate.js';

const leaf = (field: string): Predicate => ({ kind: 'exists', field, value: true });
const tree: Predicate = {
  kind: 'and',
  items: [
    leaf('a'),
    { kind: 'not', item: { kind: 'or', items: [leaf('b'), { kind: 'not', item: leaf('c') }] } },
    leaf('d'),
  ],
};
const name = (p: LeafPredicate): string => (p.kind === 'exists' ? p.field : '?');

describe('someLeaf', () => {
  it('tries leaves left to right and stops at the first that passes', () => {
    const tried: string[] = [];
    expect(
      someLeaf(tree, (p) => {
        tried.push(name(p));
        return name(p) === 'b';
      }),
    ).toBe(true);
    expect(tried).toEqual(['a', 'b']);
  });

  it('is false when no leaf passes, after trying them all', () => {
    const tried: string[] = [];
    expect(someLeaf(tree, (p) => (tried.push(name(p)), false))).toBe(false);
    expect(tried).toEqual(['a', 'b', 'c', 'd']);
  });

  it('tells whether a leaf is under an odd number of nots, as forEachLeaf does', () => {
    const negated: Record<string, boolean> = {};
    someLeaf(tree, (p, n) => ((negated[name(p)] = n), false));
    const expected: Record<string, boolean> = {};
    forEachLeaf(tree, (p, n) => (expected[name(p)] = n));
    expect(negated).toEqual({ a: false, b: true, c: false, d: false });
    expect(negated).toEqual(expected);
  });
});

describe('foldPredicate', () => {
  it('passes the context a child gets from its parent', () => {
    const depth = foldPredicate<string, number>(
      tree,
      {
        and: (items) => `and(${items.join(',')})`,
        or: (items) => `or(${items.join(',')})`,
        not: (item) => `not(${item})`,
        leaf: (p, d) => `${name(p)}${d}`,
        child: (node, d) => (node.kind === 'not' ? d + 1 : d),
      },
      0,
    );
    expect(depth).toBe('and(a0,not(or(b1,not(c2))),d0)');
  });

  it('whole: a node folded from the node itself leaves its children unfolded', () => {
    const visited: string[] = [];
    const text = foldPredicate<string>(tree, {
      and: (items) => `and(${items.join(',')})`,
      or: (items) => `or(${items.join(',')})`,
      not: (item) => `not(${item})`,
      leaf: (p) => (visited.push(name(p)), name(p)),
      whole: (node) => (node.kind === 'or' ? `${node.items.length} alternatives` : undefined),
    });
    expect(text).toBe('and(a,not(2 alternatives),d)');
    expect(visited).toEqual(['a', 'd']);
  });
});
