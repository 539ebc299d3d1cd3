/**
 * Splunk's quoting and escaping rules, as a table of small functions (pinned by
 * test/backends/splunk/escape.test.ts and documented in docs/backends/splunk.md).
 *
 * - Search terms (`field="…"`, bare `"…"`): inside double quotes a backslash escapes `"` and
 *   `\` (Search Manual, "Backslashes": a literal backslash is written `\\`). `*` is ALWAYS a
 *   wildcard, even quoted and even after a backslash — a literal `*` cannot be searched for,
 *   so such values go to a regex instead (the encoder decides; see `searchLiteralOk`).
 * - Eval / `where` string literals: the same two escapes (`\\`, `\"`).
 * - Regexes (`match()`, `| regex`): PCRE source, then written as a quoted string with the
 *   same two escapes, so every regex backslash is doubled.
 * - Field names: plain when they are word characters; in search otherwise double-quoted, in
 *   eval single-quoted (Search Reference, "eval": field names with other characters).
 */

/** Escapes text for use between double quotes in a search term or eval string literal. */
export function escapeQuoted(text: string): string {
  return text.replace(/[\\"]/g, (c) => '\\' + c);
}

export function quoteString(text: string): string {
  return '"' + escapeQuoted(text) + '"';
}

/** Characters a search-term literal cannot carry: `*` (always a wildcard) and control characters. */
const UNSEARCHABLE = /[*\x00-\x1f\x7f]/;

/** Whether literal text can be written inside a quoted search term and mean exactly itself. */
export function searchLiteralOk(text: string): boolean {
  return !UNSEARCHABLE.test(text);
}

const PLAIN_FIELD = /^[A-Za-z_][A-Za-z0-9_.]*$/;
const PLAIN_EVAL_FIELD = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A field name in a search term. */
export function searchField(name: string): string {
  return PLAIN_FIELD.test(name) ? name : quoteString(name);
}

/** A field name in an eval expression (`where`), or null when it cannot be written. */
export function evalField(name: string): string | null {
  if (PLAIN_EVAL_FIELD.test(name)) return name;
  if (name.includes("'") || /[\x00-\x1f]/.test(name)) return null;
  return "'" + name.replace(/\\/g, '\\\\') + "'";
}

/** Escapes literal text for a PCRE pattern (every non-alphanumeric ASCII symbol that PCRE treats specially). */
export function escapePcre(text: string): string {
  return text
    .replace(/[\\^$.|?*+()[\]{}/#-]/g, '\\$&')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t')
    .replace(/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/g, (c) => '\\x' + c.charCodeAt(0).toString(16).padStart(2, '0'));
}
