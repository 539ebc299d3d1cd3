/**
 * Phase 2, per call: names against the detection's search identifiers (P011 for an undefined
 * one, `1 of x*` / `them` to the names they match, P015 when none), and character offsets to
 * file locations.
 */
import type { Condition, Loc } from '../../ast/types.js';
import { makeDiagnostic, type Diagnostic } from '../../diagnostics.js';
import { nearNotSupported, undefinedIdentifier, unmatchedPattern } from './messages.js';
import type { Finding, Raw, RawOf, Syntax } from './raw.js';

export interface ConditionParseResult {
  condition?: Condition;
  diagnostics: Diagnostic[];
}

/** At most this many undefined identifiers (P011) and as many unmatched patterns (P015) are reported. */
const MAX_RESOLUTION_ERRORS = 50;

export function resolve(
  s: Syntax,
  identifiers: readonly string[],
  position: (index: number) => Loc,
): ConditionParseResult {
  let defined: Set<string> | undefined;
  const isDefined = (name: string): boolean => (defined ??= new Set(identifiers)).has(name);
  const diag = (f: Finding): Diagnostic => {
    const message =
      f.columnOf === undefined ? f.message : f.message.replace('{column}', String(position(f.columnOf).column));
    return makeDiagnostic(f.code, message, position(f.index), f.hint);
  };

  // A bare `near` (not a defined identifier) is Sigma 1: report only that.
  if (s.nears.length > 0) {
    const near = s.nears.find((n) => !isDefined(n.name));
    if (near !== undefined && !s.findings.some((f) => f.code === 'P014')) {
      return { diagnostics: [diag(nearNotSupported(near.at))] };
    }
  }

  const findings = s.findings.slice();
  let reported: Set<string> | undefined;
  for (const r of s.refs) {
    if (isDefined(r.name) || reported?.has(r.name)) continue;
    reported ??= new Set();
    if (reported.size >= MAX_RESOLUTION_ERRORS) break;
    reported.add(r.name);
    findings.push(undefinedIdentifier(r.name, r.at, identifiers));
  }
  const names = s.ofs.length > 0 ? new Map<RawOf, string[]>() : undefined;
  let unmatched = 0;
  for (const o of s.ofs) {
    const matched = resolveOf(o, identifiers);
    names!.set(o, matched);
    if (matched.length > 0 || ++unmatched > MAX_RESOLUTION_ERRORS) continue;
    findings.push(unmatchedPattern(o, identifiers));
  }
  if (findings.length > 1) findings.sort((a, b) => a.index - b.index);
  const diagnostics = findings.map(diag);
  if (s.tree === undefined) return { diagnostics };
  return { condition: build(s.tree, names, identifiers, position), diagnostics };
}

/** The identifiers an `of` names: those its pattern matches, or for `them` all but `_…`. */
function resolveOf(o: RawOf, identifiers: readonly string[]): string[] {
  const matched = o.them
    ? identifiers.filter((n) => !n.startsWith('_'))
    : identifiers.filter((n) => matchesPattern(o.pattern, n));
  return matched.length > 1 ? [...new Set(matched)] : matched;
}

/** Raw tree → Condition. Recursive, but the tree is at most MAX_CONDITION_DEPTH deep. */
function build(
  r: Raw,
  names: Map<RawOf, string[]> | undefined,
  ids: readonly string[],
  position: (i: number) => Loc,
): Condition {
  const loc = position(r.at);
  switch (r.type) {
    case 'and':
    case 'or':
      return { type: r.type, items: r.items.map((i) => build(i, names, ids, position)), loc };
    case 'not':
      return { type: 'not', item: build(r.item, names, ids, position), loc };
    case 'ref':
      return { type: 'ref', name: r.name, loc };
    case 'of':
      return {
        type: 'of',
        quantifier: r.quantifier,
        pattern: r.pattern,
        names: [...(names?.get(r) ?? resolveOf(r, ids))],
        loc,
      };
  }
}

/** `*` wildcard match, anchored at both ends (linear backtracking; no regular expression blow-up). */
function matchesPattern(pattern: string, name: string): boolean {
  let p = 0;
  let n = 0;
  let star = -1;
  let mark = 0;
  while (n < name.length) {
    if (p < pattern.length && pattern[p] !== '*' && pattern[p] === name[n]) {
      p++;
      n++;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      mark = n;
    } else if (star >= 0) {
      p = star + 1;
      n = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
}
