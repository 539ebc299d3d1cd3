/**
 * Appends every item of `items` to `target`. `target.push(...items)` passes each item as an
 * argument, and a list of ~120,000 values (a rule's value list, an event's array) overflows the
 * call stack.
 */
export function pushAll<T>(target: T[], items: readonly T[]): T[] {
  for (const item of items) target.push(item);
  return target;
}
