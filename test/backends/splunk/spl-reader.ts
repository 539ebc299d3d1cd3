/**
 * A small structural reader of the SPL Sigil emits (no SPL parser is available offline):
 * quoted strings with Splunk's two escapes (`\\`, `\"`), search terms `field="…"` and
 * `field IN (…)`, pipes outside quotes, balanced parentheses. Used by the escaping property
 * tests and the corpus checks to read the emitted literals back.
 */

export type TermPart = string | { wildcard: 'multi' };

/** Reads a double-quoted string starting at `text[at] === '"'`; returns its content and the index after it. */
export function readQuoted(text: string, at: number): { value: string; end: number } {
  if (text[at] !== '"') throw new Error(`expected " at ${at} in ${text}`);
  let value = '';
  let i = at + 1;
  for (; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\') {
      const n = text[i + 1];
      // Sigil escapes exactly these two; anything else would be a bug in the emitter.
      if (n !== '\\' && n !== '"') throw new Error(`stray backslash before ${JSON.stringify(n)} at ${i} in ${text}`);
      value += n;
      i++;
    } else if (c === '"') return { value, end: i + 1 };
    else value += c;
  }
  throw new Error(`unterminated string in ${text}`);
}

/** Splits a quoted search-term value into literal text and `*` wildcards (a `*` is always a wildcard in Splunk search). */
export function termParts(raw: string): TermPart[] {
  const out: TermPart[] = [];
  let lit = '';
  for (const c of raw) {
    if (c === '*') {
      if (lit) out.push(lit);
      lit = '';
      out.push({ wildcard: 'multi' });
    } else lit += c;
  }
  if (lit) out.push(lit);
  return out;
}

/** Reads `field="value"` (the whole text must be one term). */
export function readSearchTerm(text: string): { field: string; parts: TermPart[] } {
  const m = /^([A-Za-z_][A-Za-z0-9_.]*)=/.exec(text);
  if (!m) throw new Error(`not a field term: ${text}`);
  const q = readQuoted(text, m[0].length);
  if (q.end !== text.length) throw new Error(`trailing text after term: ${text}`);
  return { field: m[1]!, parts: termParts(q.value) };
}

/** Splits a query at top-level pipes (outside quotes and brackets). */
export function splitPipes(query: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (let i = 0; i < query.length; i++) {
    const c = query[i]!;
    if (c === '"') {
      const q = readQuoted(query, i);
      cur += query.slice(i, q.end);
      i = q.end - 1;
      continue;
    }
    if (c === '(' || c === '[') depth++;
    if (c === ')' || c === ']') depth--;
    if (depth < 0) throw new Error(`unbalanced ) in ${query}`);
    if (c === '|' && depth === 0) {
      out.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  if (depth !== 0) throw new Error(`unbalanced ( in ${query}`);
  out.push(cur.trim());
  return out;
}

/** Reads `regex field="re"` / `where match(field, "re")` regex strings back to PCRE source. */
export function regexesIn(command: string): string[] {
  const out: string[] = [];
  const re = /(?:regex [^=]+=|match\([^,]+, )"/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(command))) {
    const q = readQuoted(command, m.index + m[0].length - 1);
    out.push(q.value);
    re.lastIndex = q.end;
  }
  return out;
}

/** Compiles the PCRE subset Sigil emits for patterns into a JS RegExp (`(?is)` prefix, `\z`). */
export function pcreToJs(source: string): RegExp {
  const m = /^\(\?([ims]+)\)/.exec(source);
  const flags = m ? m[1]! : '';
  let body = m ? source.slice(m[0].length) : source;
  body = body.replace(/\\z$/, '$');
  return new RegExp(body, flags);
}
