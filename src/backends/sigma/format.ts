/**
 * `sigil fmt`: formats a Sigma file by EDITING its YAML document (the `yaml` package's
 * Document API keeps comments), not by re-serialising the AST: top-level keys are put in the
 * convention's order, indentation becomes 4 spaces with indented block lists, double quotes
 * become single quotes where that spells the same string. Scalar styles (quoted or plain)
 * are otherwise kept as the author wrote them.
 *
 * Safety: a rule with parser errors is not formatted (its diagnostics are returned); the
 * formatted text is parsed again with Sigil's parser and its AST compared with the original's;
 * on any difference (or a YAML error) formatting is refused with a diagnostic and the original
 * text is returned untouched.
 */
import { parseAllDocuments, isMap, isScalar, visit, Scalar, type Document } from 'yaml';
import { parse } from '../../parser/index.js';
import type { Diagnostic } from '../../diagnostics.js';
import { CANONICAL_KEY_ORDER, YAML_PRINT_OPTIONS } from './emit.js';
import { firstDifference } from './compare.js';
import { slashDateToIso } from '../../util/text.js';

export type FormatReason = 'key order' | 'indentation/layout' | 'quoting' | 'date form';

export interface FormatResult {
  /** The formatted text (the input itself when formatting was refused). */
  text: string;
  changed: boolean;
  /** Why the input deviates from the convention (empty when unchanged). */
  reasons: FormatReason[];
  /** F001/F002 errors when formatting was refused (codes documented in docs/backends/sigma.md). */
  diagnostics: Diagnostic[];
}

const RANK = new Map(CANONICAL_KEY_ORDER.map((k, i) => [k, i]));

export function formatSigmaText(input: string, options: { file?: string } = {}): FormatResult {
  const refuse = (code: string, message: string, hint: string, line = 1, column = 1): FormatResult => {
    const d: Diagnostic = { code, severity: 'error', message, hint, line, column };
    if (options.file !== undefined) d.file = options.file;
    return { text: input, changed: false, reasons: [], diagnostics: [d] };
  };
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  // A rule with errors is left as it is, with the parser's diagnostics: formatting would hide
  // that it is broken. The same parse is the reference the formatted text is checked against.
  const before = parse(text, options.file !== undefined ? { file: options.file } : {});
  const errors = [...before.diagnostics, ...before.documents.flatMap((d) => d.diagnostics)].filter(
    (d) => d.severity === 'error',
  );
  if (errors.length) return { text: input, changed: false, reasons: [], diagnostics: errors };
  const docs = parseAllDocuments(text, { version: '1.2', schema: 'failsafe', prettyErrors: true });
  if (!Array.isArray(docs)) return { text: input, changed: false, reasons: [], diagnostics: [] };
  for (const d of docs) {
    const e = d.errors[0];
    if (e) {
      const [line, column] = e.linePos?.[0] ? [e.linePos[0].line, e.linePos[0].col] : [1, 1];
      return refuse(
        'F001',
        `Cannot format: the YAML does not parse (${e.code}).`,
        'Fix the YAML syntax first (sigil parse shows the error).',
        line,
        column,
      );
    }
  }
  const reasons = new Set<FormatReason>();
  for (const d of docs) {
    if (reorderTopLevel(d)) reasons.add('key order');
    if (normaliseQuotes(d)) reasons.add('quoting');
    if (normaliseDates(d)) reasons.add('date form');
  }
  let out = docs
    .map((d, i) => {
      const s = d.toString({ ...YAML_PRINT_OPTIONS, commentString });
      // The first document needs no `---`; later ones always start with one.
      if (i === 0) return s.startsWith('---\n') && !/^---/.test(text) ? s.slice(4) : s;
      return s.startsWith('---') ? s : '---\n' + s;
    })
    .join('');
  out = restoreCommentSpacing(text, out);
  if (out === text) return { text: input, changed: false, reasons: [], diagnostics: [] };
  if (reasons.size === 0 || stripQuoteAndOrderInsensitive(out) !== stripQuoteAndOrderInsensitive(text))
    reasons.add('indentation/layout');

  // Verify: the formatted text must say exactly what the original says.
  const after = parse(out, { schema: false });
  if (before.documents.length !== after.documents.length) {
    return refuse(
      'F002',
      'Refusing to format: the formatted text has a different number of documents.',
      'Please report this as a Sigil bug with the file attached.',
    );
  }
  for (let i = 0; i < before.documents.length; i++) {
    const a = before.documents[i]!.document;
    const b = after.documents[i]!.document;
    if (!a && !b) continue;
    if (!a || !b)
      return refuse(
        'F002',
        `Refusing to format: document ${i + 1} would change.`,
        'Please report this as a Sigil bug with the file attached.',
      );
    const diff = firstDifference(a, b);
    if (diff)
      return refuse(
        'F002',
        `Refusing to format: document ${i + 1} would change at ${diff}.`,
        'Please report this as a Sigil bug with the file attached.',
      );
  }
  return { text: out, changed: true, reasons: [...reasons], diagnostics: [] };
}

/** Stable sort of the top-level keys by the canonical order; custom keys go last, in their order. */
function reorderTopLevel(doc: Document): boolean {
  const root = doc.contents;
  if (!isMap(root)) return false;
  const items = root.items.map((item, index) => {
    const key = isScalar(item.key) ? String(item.key.value) : '';
    return { item, index, rank: RANK.get(key) ?? CANONICAL_KEY_ORDER.length };
  });
  const sorted = [...items].sort((a, b) => a.rank - b.rank || a.index - b.index);
  if (sorted.every((s, i) => s.index === i)) return false;
  // A comment before the first key belongs to the document, not to that key.
  const first = root.items[0]?.key;
  const lead = isScalar(first) ? first.commentBefore : undefined;
  if (isScalar(first) && lead !== undefined) first.commentBefore = undefined;
  root.items = sorted.map((s) => s.item);
  const newFirst = root.items[0]?.key;
  if (lead !== undefined && isScalar(newFirst))
    newFirst.commentBefore = newFirst.commentBefore ? lead + '\n' + newFirst.commentBefore : lead;
  return true;
}

/** Double-quoted scalars that need no escapes become single-quoted (SigmaHQ's quoting). */
function normaliseQuotes(doc: Document): boolean {
  let changed = false;
  visit(doc, {
    Scalar(_key, node) {
      if (node.type !== Scalar.QUOTE_DOUBLE || typeof node.value !== 'string') return;
      const v = node.value;
      // Keep double quotes where single quotes would need '' or cannot spell the text.
      if (v.includes("'") || /[\x00-\x1f\x7f\u0085\u2028\u2029]/.test(v)) return;
      node.type = Scalar.QUOTE_SINGLE;
      changed = true;
    },
  });
  return changed;
}

/** `date: 2019/10/24` (older rules) → `date: 2019-10-24`, the form the specification names (P036). */
function normaliseDates(doc: Document): boolean {
  let changed = false;
  if (!isMap(doc.contents)) return false;
  for (const item of doc.contents.items) {
    const key = isScalar(item.key) ? item.key.value : undefined;
    if ((key !== 'date' && key !== 'modified') || !isScalar(item.value) || typeof item.value.value !== 'string')
      continue;
    const iso = slashDateToIso(item.value.value);
    if (!iso) continue;
    item.value.value = iso;
    changed = true;
  }
  return changed;
}

/** Marks comments in the printer's output so that `#` inside values is never mistaken for one. */
const COMMENT_MARK = '\u0001';
const commentString = (c: string): string => c.replace(/^(?!$)(?: $)?/gm, COMMENT_MARK + '#');

/**
 * The `yaml` printer puts one space before an inline comment; SigmaHQ's files use two (yamllint)
 * or align comments. An inline comment takes the spacing it had in the original line with the
 * same content; a new one gets two spaces.
 */
function restoreCommentSpacing(original: string, printed: string): string {
  const spacing = new Map<string, string>();
  for (const line of original.split('\n')) {
    if (!line.includes('#')) continue;
    const t = line.trim();
    for (const m of t.matchAll(/(\s+)#/g))
      spacing.set(t.slice(0, m.index) + ' #' + t.slice(m.index + m[0].length), m[1]!);
  }
  // The printer moves a comment written after `key:` (whose value is a block below) onto its
  // own line under the key; put it back where the author wrote it.
  const lines = printed.split('\n');
  // Comment lines the author wrote directly under a non-blank line: the printer puts a blank
  // line before a document's trailing comment, which the author did not write.
  const origLines = original.split('\n');
  const tight = new Set<string>();
  for (let i = 1; i < origLines.length; i++)
    if (origLines[i]!.trim().startsWith('#') && origLines[i - 1]!.trim() !== '') tight.add(origLines[i]!.trim());
  const joined: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const next = lines[i + 1];
    if (
      line === '' &&
      next !== undefined &&
      next.trimStart().startsWith(COMMENT_MARK + '#') &&
      tight.has(next.trim().slice(1)) &&
      joined.length > 0
    )
      continue;
    if (
      next !== undefined &&
      /:$/.test(line) &&
      !line.includes(COMMENT_MARK) &&
      next.trimStart().startsWith(COMMENT_MARK + '#')
    ) {
      const comment = next.trimStart().slice(1);
      const key = line.trim() + ' ' + comment.trimEnd();
      if (spacing.has(key)) {
        joined.push(line + COMMENT_MARK + comment);
        i++;
        continue;
      }
    }
    joined.push(line);
  }
  return joined
    .map((line) => {
      const at = line.indexOf(COMMENT_MARK);
      if (at === -1) return line;
      const before = line.slice(0, at);
      const comment = line.slice(at + 1);
      if (before.trim() === '') return before + comment;
      const content = before.trimEnd();
      return content + (spacing.get(content.trimStart() + ' ' + comment.trimEnd()) ?? '  ') + comment;
    })
    .join('\n');
}

function stripQuoteAndOrderInsensitive(s: string): string {
  // Leading whitespace per line (the layout) with content reduced to a marker, sorted so key order and quotes do not count.
  return s
    .split('\n')
    .map((l) => /^\s*/.exec(l)![0].length + ':' + (l.trimStart().startsWith('-') ? '-' : ''))
    .sort()
    .join('\n');
}
