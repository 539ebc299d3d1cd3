/**
 * `sigil lint --fix`: applies the unambiguous fixes lint checks attach to their findings (edits
 * of the YAML document, src/lint/types.ts FixEdit), then the SigmaHQ key order and layout as
 * `sigil fmt` writes them, again and again until nothing changes (a fix can reveal another).
 * The YAML document is edited through the `yaml` library's document model, so comments stay.
 */
import { isMap, isScalar, isSeq, parseAllDocuments, type Document, type Scalar } from 'yaml';
import { formatSigmaText } from '../backends/sigma/format.js';
import { lint, type LintOptions } from '../lint/engine.js';
import type { Finding, FixEdit } from '../lint/types.js';
import { parse } from '../parser/index.js';

/** Rounds of lint + fix + format at most: each round either changes the text or ends the loop. */
const MAX_ROUNDS = 8;

export interface FixResult {
  text: string;
  changed: boolean;
  /** Findings whose fix was applied, in the order applied (their round's positions). */
  applied: Finding[];
  /** Whether the layout was rewritten (key order, indentation, quoting). */
  formatted: boolean;
  rounds: number;
}

/** Path order for applying edits: deeper and later list items first, so indexes stay valid. */
function comparePaths(a: (string | number)[], b: (string | number)[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return y - x;
    return String(x) < String(y) ? -1 : 1;
  }
  return b.length - a.length;
}

/** Applies one edit when the value at its path is still the one the check saw. */
function applyEdit(doc: Document, edit: FixEdit): boolean {
  if (edit.op === 'set-key') return applyKeyEdit(doc, edit);
  const node = doc.getIn(edit.path, true);
  if (!isScalar(node) || String(node.value) !== edit.from) return false;
  if (edit.op === 'set') {
    node.value = edit.value;
    return true;
  }
  const parent = doc.getIn(edit.path.slice(0, -1), true);
  if (!isSeq(parent)) return false;
  return doc.deleteIn(edit.path);
}

function applyKeyEdit(doc: Document, edit: Extract<FixEdit, { op: 'set-key' }>): boolean {
  const map = doc.getIn(edit.path, true);
  if (!isMap(map)) return false;
  const pair = map.items.find((p) => isScalar(p.key) && String(p.key.value) === edit.from);
  if (!pair || !isScalar(pair.key)) return false;
  if (map.items.some((p) => isScalar(p.key) && String(p.key.value) === edit.value)) return false;
  // Every value must still be what the check saw, in order.
  const nodes = isSeq(pair.value) ? pair.value.items : [pair.value];
  if (nodes.length !== edit.values.length) return false;
  if (!nodes.every((n, i) => isScalar(n) && String(n.value) === edit.values[i]!.from)) return false;
  nodes.forEach((n, i) => ((n as Scalar).value = edit.values[i]!.value));
  pair.key.value = edit.value;
  return true;
}

export function fixText(input: string, options: { file?: string; lint?: LintOptions } = {}): FixResult {
  let text = input;
  const applied: Finding[] = [];
  let formatted = false;
  let rounds = 0;
  for (; rounds < MAX_ROUNDS; rounds++) {
    const result = parse(text, options.file !== undefined ? { file: options.file } : {});
    // A file that does not parse is left alone: the findings say why.
    if ([...result.diagnostics, ...result.documents.flatMap((d) => d.diagnostics)].some((d) => d.severity === 'error'))
      break;
    const report = lint([result], { ...options.lint, noise: false });
    const edits = report.documents.flatMap((d) =>
      d.findings.filter((f) => f.edit).map((f) => ({ index: d.index, finding: f, edit: f.edit! })),
    );
    let next = text;
    if (edits.length) {
      const docs = parseAllDocuments(text, { version: '1.2', schema: 'failsafe', keepSourceTokens: false });
      if (!Array.isArray(docs) || docs.some((d) => d.errors.length)) break;
      edits.sort((a, b) => a.index - b.index || comparePaths(a.edit.path, b.edit.path));
      let any = false;
      for (const e of edits) {
        const doc = docs[e.index];
        if (doc && applyEdit(doc, e.edit)) {
          applied.push(e.finding);
          any = true;
        }
      }
      if (any) next = docs.map((d) => d.toString({ lineWidth: 0 })).join('');
    }
    const f = formatSigmaText(next, options.file !== undefined ? { file: options.file } : {});
    if (f.diagnostics.length === 0 && f.changed) {
      formatted = true;
      next = f.text;
    }
    if (next === text) break;
    text = next;
  }
  return { text, changed: text !== input, applied, formatted, rounds };
}
