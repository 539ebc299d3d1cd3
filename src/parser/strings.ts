/**
 * Sigma string values: wildcards, escapes and placeholders, exactly as the specification
 * defines them (sigma-rules-specification.md, "Escape Character"):
 *   `*` any characters, `?` one character; `\*` and `\?` literal; `\\` one backslash;
 *   a backslash before any other character is a literal backslash.
 * With `expand`, `%name%` is a placeholder and `\%` a literal percent.
 */
import type { StringPart, StringValue } from '../ast/types.js';

export function parseSigmaString(raw: string, expand = false): StringPart[] {
  const parts: StringPart[] = [];
  let lit = '';
  const flush = (): void => {
    if (lit) {
      parts.push(lit);
      lit = '';
    }
  };
  const n = raw.length;
  for (let i = 0; i < n; i++) {
    const c = raw[i]!;
    if (c === '\\') {
      const next = raw[i + 1];
      if (next === '*' || next === '?' || next === '\\' || (expand && next === '%')) {
        lit += next;
        i++;
      } else {
        lit += '\\';
      }
    } else if (c === '*') {
      flush();
      parts.push({ wildcard: 'multi' });
    } else if (c === '?') {
      flush();
      parts.push({ wildcard: 'single' });
    } else if (expand && c === '%') {
      const close = raw.indexOf('%', i + 1);
      const name = close > i + 1 ? raw.slice(i + 1, close) : '';
      if (close !== -1 && name && /^[A-Za-z0-9_.-]+$/.test(name)) {
        flush();
        parts.push({ placeholder: name });
        i = close;
      } else {
        lit += '%';
      }
    } else {
      lit += c;
    }
  }
  flush();
  return parts;
}

/** Prints parts back to Sigma's escaped notation (the inverse of parseSigmaString). */
export function printSigmaString(parts: readonly StringPart[], expand = false): string {
  let out = '';
  for (const p of parts) {
    if (typeof p === 'string') {
      // A backslash must be doubled only where the next character would make it an escape:
      // before a wildcard, another backslash, (with expand) a percent, or at a part boundary
      // followed by a wildcard. Doubling every backslash is always correct; keep single ones
      // where safe, as SigmaHQ's convention prefers.
      for (let i = 0; i < p.length; i++) {
        const c = p[i]!;
        if (c === '*' || c === '?') out += '\\' + c;
        else if (expand && c === '%') out += '\\%';
        else if (c === '\\') {
          const next = i + 1 < p.length ? p[i + 1] : undefined;
          const needsDouble =
            next === undefined || next === '*' || next === '?' || next === '\\' || (expand && next === '%');
          out += needsDouble ? '\\\\' : '\\';
        } else out += c;
      }
    } else if ('wildcard' in p) {
      out += p.wildcard === 'multi' ? '*' : '?';
    } else {
      out += '%' + p.placeholder + '%';
    }
  }
  return out;
}

export function hasWildcards(parts: readonly StringPart[]): boolean {
  return parts.some((p) => typeof p !== 'string' && 'wildcard' in p);
}

/** The literal text when the value has no wildcards or placeholders, else null. */
export function plainText(parts: readonly StringPart[]): string | null {
  let s = '';
  for (const p of parts) {
    if (typeof p !== 'string') return null;
    s += p;
  }
  return s;
}

export function stringValue(raw: string, expand = false): StringValue {
  return { type: 'string', parts: parseSigmaString(raw, expand), raw };
}
