/**
 * The parser's public entry: text (or bytes) of one file → Sigma documents and diagnostics.
 * No file or process I/O: the CLI reads files and passes their contents in.
 */
import type { CorrelationRule, FilterRule, Loc, SigmaDocument } from '../ast/types.js';
import { makeDiagnostic, type Diagnostic } from '../diagnostics.js';
import { buildDocument, type BuildContext } from './document/index.js';
import { validateSchema } from './schema.js';
import { parseYaml } from './yaml.js';
import { BudgetExceeded, LIMITS, LineIndex, toPlain, type YMap, type YNode } from './yaml-tree.js';

export interface ParsedDocument {
  /** 0-based index of the YAML document in the file. */
  index: number;
  document?: SigmaDocument;
  diagnostics: Diagnostic[];
  loc: Loc;
}

export interface ParseResult {
  file?: string;
  documents: ParsedDocument[];
  /** Diagnostics about the file as a whole (encoding, YAML syntax, size). */
  diagnostics: Diagnostic[];
}

export interface ParseOptions {
  file?: string;
  /** Validate against the vendored JSON schemas (default true). */
  schema?: boolean;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Finds the first byte offset where UTF-8 decoding fails. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const len = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
    if (len === 0 || i + len > bytes.length) return i;
    for (let k = 1; k < len; k++) if ((bytes[i + k]! & 0xc0) !== 0x80) return i;
    // Overlong forms, UTF-16 surrogates and code points past U+10FFFF (RFC 3629 table).
    const b1 = bytes[i + 1]!;
    if (
      (b === 0xe0 && b1 < 0xa0) ||
      (b === 0xed && b1 > 0x9f) ||
      (b === 0xf0 && b1 < 0x90) ||
      (b === 0xf4 && b1 > 0x8f)
    )
      return i;
    i += len;
  }
  return bytes.length;
}

function locFromByteOffset(bytes: Uint8Array, offset: number): Loc {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 10 || (bytes[i] === 13 && bytes[i + 1] !== 10)) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1, offset };
}

export function parse(input: string | Uint8Array, options: ParseOptions = {}): ParseResult {
  const result: ParseResult = { documents: [], diagnostics: [] };
  if (options.file !== undefined) result.file = options.file;
  const fail = (d: Diagnostic): ParseResult => {
    if (options.file !== undefined) d.file = options.file;
    result.diagnostics.push(d);
    return result;
  };

  const size = typeof input === 'string' ? input.length : input.byteLength;
  if (size > LIMITS.maxBytes) {
    return fail(
      makeDiagnostic(
        'P004',
        `The file is ${(size / 1048576).toFixed(1)} MB; Sigil reads rule files up to ${LIMITS.maxBytes / 1048576} MB.`,
        { line: 1, column: 1 },
        'A Sigma rule is a few kilobytes: is this the right file?',
      ),
    );
  }
  let text: string;
  if (typeof input === 'string') text = input;
  else {
    try {
      text = decoder.decode(input);
    } catch {
      const at = firstInvalidUtf8(input);
      const utf16 =
        input.length >= 2 && ((input[0] === 0xff && input[1] === 0xfe) || (input[0] === 0xfe && input[1] === 0xff));
      if (utf16)
        return fail(
          makeDiagnostic(
            'P001',
            'The file is UTF-16 text (it starts with a UTF-16 byte order mark); Sigma rules are UTF-8.',
            { line: 1, column: 1 },
            'Save the file as UTF-8 (in PowerShell: Set-Content -Encoding utf8).',
          ),
        );
      return fail(
        makeDiagnostic(
          'P001',
          `The file is not valid UTF-8 (byte 0x${input[at]?.toString(16).padStart(2, '0') ?? '??'} at offset ${at}).`,
          locFromByteOffset(input, at),
          'Save the file as UTF-8.',
        ),
      );
    }
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const nul = text.indexOf('\0');
  const lines = new LineIndex(text);
  if (nul !== -1) {
    return fail(
      makeDiagnostic(
        'P001',
        'The file contains NUL bytes: it is binary, not a YAML rule.',
        lines.loc(nul),
        'Pass Sigma rule files (.yml) only.',
      ),
    );
  }

  const yaml = parseYaml(text, lines);
  for (const d of yaml.diagnostics) {
    if (options.file !== undefined) d.file = options.file;
    result.diagnostics.push(d);
  }
  if (yaml.documents.length === 0 && yaml.diagnostics.length === 0) {
    return fail(
      makeDiagnostic(
        'P005',
        'The file is empty: it holds no Sigma document.',
        { line: 1, column: 1 },
        'Add a rule, or remove the file.',
      ),
    );
  }

  // Sigma 1 collections: `action: global` sets a template merged into the following
  // documents, `reset` clears it, `repeat` re-uses the previous document with changes.
  let global: YMap | null = null;
  let previous: YMap | null = null;
  yaml.documents.forEach((ydoc, index) => {
    const docLoc = lines.loc(Math.max(0, ydoc.start));
    // Tree-building problems (duplicate keys, bad aliases) belong to their document.
    const diagnostics: Diagnostic[] = [...ydoc.diagnostics];
    const parsed: ParsedDocument = { index, diagnostics, loc: docLoc };
    const ctx: BuildContext = { lines, text, diagnostics, budget: { left: LIMITS.maxNodeVisits } };
    const node = ydoc.contents;
    const push = (): void => {
      for (const d of diagnostics) if (options.file !== undefined) d.file = options.file;
      // In file order, as an editor lists them (Array.prototype.sort is stable).
      diagnostics.sort((a, b) => a.line - b.line || a.column - b.column);
      result.documents.push(parsed);
    };
    if (!node || (node.kind === 'scalar' && node.value === null)) {
      if (yaml.documents.length === 1 || index === 0) {
        diagnostics.push(
          makeDiagnostic(
            'P005',
            'The YAML document is empty.',
            docLoc,
            'Remove the empty document (a stray ---).',
            'warning',
          ),
        );
        push();
      }
      return;
    }
    if (ydoc.expandedSize > LIMITS.maxNodeVisits) {
      diagnostics.push(
        makeDiagnostic(
          'P004',
          `The document expands to more than ${LIMITS.maxNodeVisits} YAML nodes (alias expansion).`,
          docLoc,
          'Remove the YAML aliases (*name): Sigma rules do not need them.',
        ),
      );
      push();
      return;
    }
    if (node.kind !== 'map') {
      diagnostics.push(
        makeDiagnostic(
          'P005',
          `A Sigma document must be a mapping (title:, logsource:, detection: …), not a ${node.kind === 'seq' ? 'list' : 'single value'}.`,
          docLoc,
          'Start the document with keys such as title: and detection:.',
        ),
      );
      push();
      return;
    }
    const action = node.entries.find((e) => e.key.kind === 'scalar' && e.key.text === 'action')?.value;
    let map: YMap = node;
    if (action) {
      const a = action.kind === 'scalar' ? action.text : '';
      const rest: YMap = {
        ...node,
        entries: node.entries.filter((e) => !(e.key.kind === 'scalar' && e.key.text === 'action')),
      };
      if (a === 'global' || a === 'reset') {
        global = a === 'global' ? rest : null;
        // A template has no entry of its own: its tree problems are reported for the file.
        for (const d of diagnostics)
          result.diagnostics.push(options.file !== undefined ? { ...d, file: options.file } : d);
        return;
      }
      if (a === 'repeat') {
        if (!previous) {
          diagnostics.push(
            makeDiagnostic(
              'P034',
              "'action: repeat' has no previous document to repeat.",
              lines.loc(action.start),
              'Put the repeated document after a complete one.',
            ),
          );
          push();
          return;
        }
        map = mergeMaps(previous, rest);
      } else {
        diagnostics.push(
          makeDiagnostic(
            'P034',
            `Unknown collection action '${a}'.`,
            lines.loc(action.start),
            'Use action: global, reset or repeat.',
          ),
        );
        push();
        return;
      }
    } else if (global) {
      map = mergeMaps(global, node);
    }
    previous = map;
    const doc = buildDocument(ctx, map);
    if (doc) {
      parsed.document = doc;
      if (options.schema !== false) schemaCheck(ctx, doc, map);
    }
    push();
  });
  return result;
}

/** Deep merge of two mappings (right wins; nested mappings merge). */
function mergeMaps(base: YMap, over: YMap): YMap {
  const entries = base.entries.map((e) => ({ ...e }));
  for (const e of over.entries) {
    const k = e.key.kind === 'scalar' ? e.key.text : null;
    const i = k === null ? -1 : entries.findIndex((b) => b.key.kind === 'scalar' && b.key.text === k);
    if (i === -1) entries.push(e);
    else {
      const prev = entries[i]!.value;
      entries[i] = {
        key: e.key,
        value: prev.kind === 'map' && e.value.kind === 'map' ? mergeMaps(prev, e.value) : e.value,
      };
    }
  }
  return { kind: 'map', entries, start: over.start, flow: over.flow };
}

function schemaCheck(ctx: BuildContext, doc: SigmaDocument, map: YMap): void {
  let data: unknown;
  try {
    data = toPlain(map, { left: LIMITS.maxNodeVisits });
  } catch (e) {
    if (e instanceof BudgetExceeded) return;
    throw e;
  }
  // A node the parser has already reported on needs no second (schema) diagnostic.
  const reported = new Set(ctx.diagnostics.map((d) => `${d.line}:${d.column}`));
  // Once the parser found an error in the document, the schema's view of the detection only
  // restates it less precisely (the parser is authoritative there).
  const parserErrors = ctx.diagnostics.some((d) => d.severity === 'error');
  for (const f of validateSchema(doc.kind, data)) {
    if (parserErrors && /^\/(detection|filter)(\/|$)/.test(f.path)) continue;
    const node = nodeAtPointer(map, f.path) ?? map;
    const at = ctx.lines.loc(node.start);
    if (reported.has(`${at.line}:${at.column}`)) continue;
    ctx.diagnostics.push(
      makeDiagnostic(
        'P008',
        `Schema: ${f.message}.`,
        ctx.lines.loc(node.start),
        'The Sigma JSON schema for this document type does not accept this; check the specification.',
      ),
    );
  }
}

function nodeAtPointer(root: YNode, pointer: string): YNode | undefined {
  let node: YNode | undefined = root;
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (!node) return undefined;
    if (node.kind === 'map') node = node.entries.find((e) => e.key.kind === 'scalar' && e.key.text === seg)?.value;
    else if (node.kind === 'seq') node = node.items[Number(seg)];
    else return node;
  }
  return node;
}

// ---------------------------------------------------------------------------
// Cross-document references

/**
 * Resolves correlation and filter references (by id or name) over a set of parsed files;
 * returns P032 diagnostics for references that point nowhere, keyed by document.
 */
export function resolveReferences(results: readonly ParseResult[]): Map<SigmaDocument, Diagnostic[]> {
  const byKey = new Map<string, SigmaDocument>();
  for (const r of results)
    for (const d of r.documents) {
      if (!d.document) continue;
      if (d.document.id) byKey.set(d.document.id, d.document);
      if (d.document.name) byKey.set(d.document.name, d.document);
    }
  const out = new Map<SigmaDocument, Diagnostic[]>();
  for (const r of results)
    for (const d of r.documents) {
      const doc = d.document;
      if (!doc || doc.kind === 'rule') continue;
      const refs =
        doc.kind === 'correlation' ? (doc as CorrelationRule).correlation.rules : (doc as FilterRule).filter.rules;
      const at = doc.kind === 'correlation' ? doc.locs['correlation'] : doc.locs['filter'];
      const diags: Diagnostic[] = [];
      for (const ref of refs) {
        if (!byKey.has(ref)) {
          const diag = makeDiagnostic(
            'P032',
            `'${ref}' names no rule (by id or name) among the given files.`,
            at,
            'Pass the referenced rule files too, or fix the id/name.',
            doc.kind === 'filter' ? 'warning' : 'error',
          );
          if (r.file !== undefined) diag.file = r.file;
          diags.push(diag);
        }
      }
      if (diags.length) out.set(doc, diags);
    }
  return out;
}

export function lookupRule(results: readonly ParseResult[], ref: string): SigmaDocument | undefined {
  for (const r of results)
    for (const d of r.documents)
      if (d.document && (d.document.id === ref || d.document.name === ref)) return d.document;
  return undefined;
}
