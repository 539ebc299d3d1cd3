/**
 * Validation of `re` values. Sigma's flavour is a PCRE subset; JavaScript's RegExp accepts
 * that subset, so a pattern JavaScript rejects is reported. A leading inline flag group such
 * as `(?i)` (PCRE, common in the corpus) is accepted and folded into the flags.
 */

interface SigmaRegex {
  source: string;
  flags: string;
}

/** Splits a leading `(?imsx)` group off a PCRE pattern. */
export function splitInlineFlags(pattern: string): SigmaRegex {
  const m = /^\(\?([imsx]+)\)/.exec(pattern);
  if (!m) return { source: pattern, flags: '' };
  return { source: pattern.slice(m[0].length), flags: m[1]!.replace(/x/g, '') };
}

/** Returns the compiled pattern, or an error message. */
export function compileSigmaRegex(pattern: string, flags: string): RegExp | string {
  const inline = splitInlineFlags(pattern);
  const all = [...new Set((flags + inline.flags).split(''))].filter((f) => 'ims'.includes(f)).join('');
  try {
    return new RegExp(inline.source, all);
  } catch (e) {
    return (e as Error).message.replace(/^Invalid regular expression: /, '');
  }
}
