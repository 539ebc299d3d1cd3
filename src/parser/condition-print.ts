/**
 * Prints a Condition back to canonical Sigma condition text: lower-case keywords, `1 of` /
 * `all of`, single spaces, and only the parentheses that precedence requires
 * (or < and < not < x of / identifier). `parseCondition(printCondition(c))` gives `c` back
 * for a flattened tree (no `and` directly inside `and`, no `or` directly inside `or`).
 */
import type { Condition } from '../ast/types.js';

const PRECEDENCE: Record<Condition['type'], number> = { or: 1, and: 2, not: 3, of: 4, ref: 4 };

export function printCondition(c: Condition): string {
  return print(c, 0);
}

function print(c: Condition, min: number): string {
  // An and/or with a single item is just that item (an empty one has no Sigma text: '').
  if ((c.type === 'and' || c.type === 'or') && c.items.length <= 1) {
    return c.items.length === 1 ? print(c.items[0]!, min) : '';
  }
  let text: string;
  switch (c.type) {
    case 'or':
      text = c.items.map((i) => print(i, PRECEDENCE.or)).join(' or ');
      break;
    case 'and':
      text = c.items.map((i) => print(i, PRECEDENCE.and)).join(' and ');
      break;
    case 'not':
      text = `not ${print(c.item, PRECEDENCE.not)}`;
      break;
    case 'of':
      text = `${c.quantifier === 'all' ? 'all' : '1'} of ${c.pattern}`;
      break;
    case 'ref':
      text = c.name;
      break;
  }
  return PRECEDENCE[c.type] < min ? `(${text})` : text;
}
