/**
 * How a duplicate finding names the other members of its group. Each member gets one finding,
 * and each finding names at most a few others plus a count: a group of 10,000 copies gives
 * 10,000 findings of bounded size, not 10,000 lists of 9,999 files.
 */
import type { DocumentInfo } from '../../types.js';

const NAMED = 3;

/** `a.yml, b.yml and 12 others` for the members of `group` other than `self`. */
export function othersIn(
  group: readonly DocumentInfo[],
  self: DocumentInfo,
  name: (d: DocumentInfo) => string = (d) => d.file ?? '<input>',
): string {
  const named: string[] = [];
  for (const d of group) {
    if (d === self) continue;
    if (named.length === NAMED) break;
    named.push(name(d));
  }
  const rest = group.length - 1 - named.length;
  return rest > 0 ? `${named.join(', ')} and ${rest} other${rest === 1 ? '' : 's'}` : named.join(', ');
}
