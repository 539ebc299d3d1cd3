/**
 * Literal text a regular expression cannot match without: runs of plain characters at the
 * top level of the pattern (not inside groups or classes, not made optional by a quantifier).
 * Used as a cheap prefilter before the RE2 run and as index atoms. Conservative: anything
 * this scanner does not fully understand (top-level alternation, inline flag changes,
 * \Q…\E, odd braces) gives `null` — no literal is claimed.
 */

/** Skips a quantifier at i (`*`, `+`, `?`, `{n}`, `{n,}`, `{n,m}`, each optionally lazy `?`). */
function quantifierEnd(p: string, i: number): { end: number; optional: boolean } | null | undefined {
  const c = p[i];
  if (c === '*' || c === '?') return { end: p[i + 1] === '?' ? i + 2 : i + 1, optional: true };
  if (c === '+') return { end: p[i + 1] === '?' ? i + 2 : i + 1, optional: false };
  if (c === '{') {
    const m = /^\{(\d+)(,\d*)?\}/.exec(p.slice(i));
    if (!m) return null; // a brace we do not understand
    const end = i + m[0].length;
    return { end: p[end] === '?' ? end + 1 : end, optional: Number(m[1]) === 0 };
  }
  return undefined;
}

/** Index just after the group or class that starts at i, or -1. */
function skipBracketed(p: string, i: number): number {
  if (p[i] === '[') {
    let j = i + 1;
    if (p[j] === '^') j++;
    if (p[j] === ']') j++;
    for (; j < p.length; j++) {
      if (p[j] === '\\') j++;
      else if (p[j] === '[' && p[j + 1] === ':') {
        const close = p.indexOf(':]', j + 2);
        if (close === -1) return -1;
        j = close + 1;
      } else if (p[j] === ']') return j + 1;
    }
    return -1;
  }
  let depth = 0;
  for (let j = i; j < p.length; j++) {
    const c = p[j];
    if (c === '\\') j++;
    else if (c === '[') {
      const k = skipBracketed(p, j);
      if (k === -1) return -1;
      j = k - 1;
    } else if (c === '(') depth++;
    else if (c === ')') {
      depth--;
      if (depth === 0) return j + 1;
    }
  }
  return -1;
}

/** The literal runs every match contains, or null when the pattern is beyond this scanner. */
export function requiredLiterals(pattern: string): string[] | null {
  if (pattern.includes('\\Q') || /\(\?[a-zA-Z-]*[:)]/.test(pattern.replace(/\(\?:/g, ''))) return null;
  const runs: string[] = [];
  let run = '';
  const flush = (): void => {
    if (run) runs.push(run);
    run = '';
  };
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === '|') return null;
    if (c === '(' || c === '[') {
      const end = skipBracketed(pattern, i);
      if (end === -1) return null;
      flush();
      i = end;
      const q = quantifierEnd(pattern, i);
      if (q === null) return null;
      if (q) i = q.end;
      continue;
    }
    let lit: string | null = null;
    let next = i + 1;
    if (c === '\\') {
      const e = pattern[i + 1];
      if (e === undefined) return null;
      next = i + 2;
      // An escaped punctuation character is itself; letters and digits are classes or codes.
      if (!/[A-Za-z0-9]/.test(e)) lit = e;
    } else if (c === '.' || c === '^' || c === '$') lit = null;
    else if (c === '*' || c === '+' || c === '?' || c === '{' || c === ')') return null;
    else lit = c;
    const q = quantifierEnd(pattern, next);
    if (q === null) return null;
    if (lit === null) {
      flush();
      i = q ? q.end : next;
      continue;
    }
    if (q) {
      // `x?`, `x*`, `x{0,n}`: x may be absent; `x+`, `x{2}`: x is there, but the run ends.
      if (!q.optional) run += lit;
      flush();
      i = q.end;
      continue;
    }
    run += lit;
    i = next;
  }
  flush();
  return runs;
}

/** The longest required literal, if any. */
export function bestLiteral(pattern: string): string | null {
  const runs = requiredLiterals(pattern);
  if (!runs || runs.length === 0) return null;
  return runs.reduce((a, b) => (b.length > a.length ? b : a));
}
