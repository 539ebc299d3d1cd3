/**
 * A unified diff of two texts, line by line (the `diff -u` layout), for `sigil ci`'s report.
 * Written here rather than taken from the `diff` package: what it compares is a generated query
 * or artifact (tens to hundreds of lines), for which a plain longest-common-subsequence table is
 * quick, and the published CLI gains no dependency for it.
 */

type Op = { kind: ' ' | '-' | '+'; line: string };

/** Lines of a text; a final newline does not make an empty last line. */
function lines(text: string): string[] {
  if (text === '') return [];
  const l = text.split('\n');
  if (l[l.length - 1] === '') l.pop();
  return l;
}

/** The edit script from `a` to `b`: common prefix and suffix kept aside, an LCS table for the middle. */
function editScript(a: string[], b: string[]): Op[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const n = endA - start;
  const m = endB - start;
  const ops: Op[] = a.slice(0, start).map((line) => ({ kind: ' ', line }));
  if (n * m > 4_000_000) {
    // Too large to align line by line: the middle as a whole replaced (still a correct diff).
    for (let i = start; i < endA; i++) ops.push({ kind: '-', line: a[i]! });
    for (let j = start; j < endB; j++) ops.push({ kind: '+', line: b[j]! });
  } else {
    // lcs[i][j]: length of the LCS of a[start+i..endA) and b[start+j..endB).
    const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
    for (let i = n - 1; i >= 0; i--)
      for (let j = m - 1; j >= 0; j--)
        lcs[i]![j] =
          a[start + i] === b[start + j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && a[start + i] === b[start + j]) {
        ops.push({ kind: ' ', line: a[start + i]! });
        i++;
        j++;
      } else if (i < n && (j === m || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) {
        // Deletions before insertions within a change, as diff -u prints them.
        ops.push({ kind: '-', line: a[start + i]! });
        i++;
      } else {
        ops.push({ kind: '+', line: b[start + j]! });
        j++;
      }
    }
  }
  for (let i = endA; i < a.length; i++) ops.push({ kind: ' ', line: a[i]! });
  return ops;
}

/**
 * The hunks of a unified diff (without the `---`/`+++` header), `context` lines around each
 * change; empty when the texts are equal.
 */
export function unifiedDiff(before: string, after: string, context = 3): string {
  const a = lines(before);
  const b = lines(after);
  const ops = editScript(a, b);
  const changed = ops.map((o, k) => (o.kind !== ' ' ? k : -1)).filter((k) => k >= 0);
  if (changed.length === 0) return '';
  // Group changes whose context overlaps into hunks.
  const hunks: [number, number][] = [];
  for (const k of changed) {
    const last = hunks[hunks.length - 1];
    if (last && k - last[1] <= 2 * context) last[1] = k;
    else hunks.push([k, k]);
  }
  // Line numbers before each op.
  const posA: number[] = [];
  const posB: number[] = [];
  let la = 0;
  let lb = 0;
  for (const o of ops) {
    posA.push(la);
    posB.push(lb);
    if (o.kind !== '+') la++;
    if (o.kind !== '-') lb++;
  }
  let outText = '';
  for (const [first, last] of hunks) {
    const from = Math.max(0, first - context);
    const to = Math.min(ops.length - 1, last + context);
    const slice = ops.slice(from, to + 1);
    const countA = slice.filter((o) => o.kind !== '+').length;
    const countB = slice.filter((o) => o.kind !== '-').length;
    const startA = countA ? posA[from]! + 1 : posA[from]!;
    const startB = countB ? posB[from]! + 1 : posB[from]!;
    outText += `@@ -${startA},${countA} +${startB},${countB} @@\n`;
    for (const o of slice) outText += `${o.kind}${o.line}\n`;
  }
  return outText;
}

/**
 * The changed words of a long line, `git diff --word-diff` style: `…context [-old-]{+new+} context…`,
 * one line per changed region. For single-line queries (SPL), where a line diff shows the whole
 * query twice and a reviewer has to find the difference.
 */
export function wordDiff(before: string, after: string, context = 40): string[] {
  const a = before.split(/(\s+)/);
  const b = after.split(/(\s+)/);
  if (a.length * b.length > 4_000_000) return [];
  const n = a.length;
  const m = b.length;
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  // Runs of equal text and of changes.
  const parts: ({ same: string } | { del: string; ins: string })[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      const last = parts[parts.length - 1];
      if (last && 'same' in last) last.same += a[i];
      else parts.push({ same: a[i]! });
      i++;
      j++;
      continue;
    }
    let last = parts[parts.length - 1];
    if (!last || 'same' in last) parts.push((last = { del: '', ins: '' }));
    if (i < n && (j === m || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) last.del += a[i++];
    else last.ins += b[j++];
  }
  const out: string[] = [];
  parts.forEach((p, k) => {
    if ('same' in p) return;
    const prev = parts[k - 1];
    const next = parts[k + 1];
    const left = prev && 'same' in prev ? prev.same : '';
    const right = next && 'same' in next ? next.same : '';
    const l = left.length > context ? '…' + left.slice(-context) : left;
    const r = right.length > context ? right.slice(0, context) + '…' : right;
    out.push(`${l}${p.del ? `[-${p.del}-]` : ''}${p.ins ? `{+${p.ins}+}` : ''}${r}`);
  });
  return out;
}
