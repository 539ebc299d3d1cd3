/**
 * KQL string literals. Escaping is security: every value must reach Kusto as exactly itself.
 * Plain `"…"` literals escape `\`, `"` and every control / format / unpaired-surrogate
 * character (`\n`, `\r`, `\t`, else `\uXXXX`); values with backslashes and nothing else
 * special use the verbatim form `@"…"` (only `"` is doubled), which reads like a Windows path.
 * Verified by a fast-check property through Microsoft's parser (test/backends/kql/escaping.test.ts).
 */

// Control, format, surrogate, private-use and unassigned code points, plus line/paragraph
// separators: never emitted raw.
const SPECIAL = /[\p{C}\u2028\u2029]/u;

export function kqlString(value: string): string {
  if (isPrintableAscii(value) || (!SPECIAL.test(value) && !hasLoneSurrogate(value))) {
    if (value.includes('\\')) return '@"' + value.replace(/"/g, '""') + '"';
    return '"' + value.replace(/"/g, '\\"') + '"';
  }
  let out = '"';
  // Iterate by code point: paired surrogates (emoji) stay readable, lone ones are escaped.
  for (const c of value) {
    if (c === '\\') out += '\\\\';
    else if (c === '"') out += '\\"';
    else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else if (c === '\t') out += '\\t';
    else if (SPECIAL.test(c))
      for (let i = 0; i < c.length; i++) out += '\\u' + c.charCodeAt(i).toString(16).padStart(4, '0');
    else out += c;
  }
  return out + '"';
}

/** Printable ASCII (U+0020–U+007E) holds no character SPECIAL matches: most values, checked cheaply. */
function isPrintableAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

function hasLoneSurrogate(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const n = s.charCodeAt(i + 1);
      if (n >= 0xdc00 && n <= 0xdfff) {
        i++;
        continue;
      }
      return true;
    }
    if (c >= 0xdc00 && c <= 0xdfff) return true;
  }
  return false;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Words Kusto reserves: such column names are bracketed. */
const RESERVED = new Set([
  'and',
  'or',
  'not',
  'in',
  'has',
  'contains',
  'where',
  'let',
  'true',
  'false',
  'null',
  'by',
  'on',
  'with',
  'of',
  'to',
  'as',
  'between',
  'matches',
  'regex',
  'startswith',
  'endswith',
  'typeof',
  'dynamic',
]);

/** A column reference: bare when it is a plain identifier, else `['name']`. */
export function kqlName(name: string): string {
  return IDENT.test(name) && !RESERVED.has(name.toLowerCase()) ? name : `[${kqlString(name)}]`;
}
