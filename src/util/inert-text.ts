/**
 * Rule metadata (title, id, description, tags) is data: where an artifact gives a line break or
 * a control character meaning — a KQL `//` comment, a `.conf` comment or stanza header — it is
 * written as one printable line, each such character as a visible escape (`\n`, `\u001b`).
 */

// Control, format, surrogate, private-use and unassigned code points (NEL U+0085 is a control),
// plus the line and paragraph separators some parsers treat as line breaks.
const SPECIAL = /[\p{C}\u2028\u2029]/u;
const SPECIAL_ALL = /[\p{C}\u2028\u2029]/gu;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeChar(c: string): string {
  const named = NAMED[c];
  if (named) return named;
  let out = '';
  for (let i = 0; i < c.length; i++) out += '\\u' + c.charCodeAt(i).toString(16).padStart(4, '0');
  return out;
}

/** The text as one line of printable characters: line breaks and control characters escaped. */
export function oneLine(text: string): string {
  return SPECIAL.test(text) ? text.replace(SPECIAL_ALL, escapeChar) : text;
}

// Control and format characters other than line feed and tab: terminal escape sequences (ESC),
// bidirectional overrides and the like, which would change what a terminal shows. The colour
// sequences Sigil itself writes (SGR reset, dim, red, yellow, cyan) may be kept.
const TERMINAL_UNSAFE = /[^\P{Cc}\n\t]|[\p{Cf}\u2028\u2029]/gu;
const TERMINAL_UNSAFE_BUT_COLOURS = /(\x1b\[(?:0|2|31|33|36)m)|[^\P{Cc}\n\t]|[\p{Cf}\u2028\u2029]/gu;

/** Text for a terminal or log: escape sequences and invisible controls shown as `\u001b`. */
export function forTerminal(text: string, keepColours = false): string {
  return keepColours
    ? text.replace(TERMINAL_UNSAFE_BUT_COLOURS, (c, colour: string | undefined) => colour ?? escapeChar(c))
    : text.replace(TERMINAL_UNSAFE, escapeChar);
}
