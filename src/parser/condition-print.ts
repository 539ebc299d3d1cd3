/**
 * Prints a Condition back to canonical Sigma condition text: lower-case keywords, `1 of` /
 * `all of`, single spaces, and only the parentheses that precedence requires
 * (or < and < not < x of / identifier). `parseCondition(printCondition(c))` gives `c` back
 * for a flattened tree (no `and` directly inside `and`, no `or` directly inside `or`).
 */
import { foldCondition } from '../ast/fold.js';
import type { Condition } from '../ast/types.js';

const PRECEDENCE: Record<Condition['type'], number> = { or: 1, and: 2, not: 3, of: 4, ref: 4 };

/** A printed condition and how tightly its outermost operator binds (Infinity: never parenthesised). */
interface Printed {
  text: string;
  precedence: number;
}

export function printCondition(c: Condition): string {
  return foldCondition<Printed>(c, {
    or: (items) => join(items, 'or'),
    and: (items) => join(items, 'and'),
    not: (item) => ({ text: `not ${operand(item, PRECEDENCE.not)}`, precedence: PRECEDENCE.not }),
    of: (node) => ({
      text: `${node.quantifier === 'all' ? 'all' : '1'} of ${node.pattern}`,
      precedence: PRECEDENCE.of,
    }),
    ref: (node) => ({ text: node.name, precedence: PRECEDENCE.ref }),
  }).text;
}

function join(items: Printed[], operator: 'and' | 'or'): Printed {
  // An and/or with a single item is just that item (an empty one has no Sigma text: '').
  if (items.length <= 1) return items[0] ?? { text: '', precedence: Infinity };
  const precedence = PRECEDENCE[operator];
  return { text: items.map((i) => operand(i, precedence)).join(` ${operator} `), precedence };
}

/** An operand's text, in parentheses when it binds less tightly than its operator (`precedence`). */
function operand(p: Printed, precedence: number): string {
  return p.precedence < precedence ? `(${p.text})` : p.text;
}
