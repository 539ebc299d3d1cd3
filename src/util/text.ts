/**
 * Text helpers for diagnostics: shortening quoted input and "did you mean …?" suggestions.
 * No dependencies, so any layer can use them.
 */

/** `text` cut to `max` characters, with `…` when something was cut (for quoting input in messages). */
export function truncate(text: string, max = 60): string {
  return text.length > max ? text.slice(0, max) + '…' : text;
}

/** Levenshtein distance: the fewest single-character insertions, deletions and substitutions. */
function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(above + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

/**
 * The candidate closest to `word` by case-insensitive edit distance, among those at most
 * `maxDistance` (a number, or one per candidate) away; the first of them on a tie. Each caller
 * passes its own limit: how far a typo may be depends on what is being suggested.
 */
export function closest(
  word: string,
  candidates: Iterable<string>,
  maxDistance: number | ((candidate: string) => number),
): string | undefined {
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const limit = typeof maxDistance === 'number' ? maxDistance : maxDistance(candidate);
    const candidateLower = candidate.toLowerCase();
    // The distance is at least the difference in length: skip the quadratic computation.
    if (Math.abs(candidateLower.length - lower.length) > limit) continue;
    const d = editDistance(lower, candidateLower);
    if (d <= limit && d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/** Whether a string is a UUID (the form of a Sigma rule id, and what Sentinel needs for one). */
export function isUuid(text: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(text);
}

/** An older `YYYY/MM/DD` date as `YYYY-MM-DD`, the specification's form; undefined for anything else. */
export function slashDateToIso(text: string): string | undefined {
  const m = /^(\d{4})\/(\d{2})\/(\d{2})$/.exec(text);
  return m ? `${m[1]}-${m[2]}-${m[3]}` : undefined;
}
