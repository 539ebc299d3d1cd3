/**
 * `fmt --check` over SigmaHQ's rules: SigmaHQ's own files should mostly pass; none may be refused;
 * formatting is idempotent and never changes the AST (formatSigmaText verifies that itself and
 * refuses otherwise — a refusal here is a failure).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { parseAllDocuments, visit } from 'yaml';
import { formatSigmaText, type FormatReason } from '../../../src/backends/sigma/format.js';
import { SHARED } from '../../helpers/paths.js';
import { corpusFiles } from '../../helpers/corpus.js';

/** Every comment of a YAML text, as the yaml package attaches them (never text inside strings). */
function comments(text: string): string[] {
  const out: string[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (!('contents' in doc)) continue;
    if (doc.commentBefore) out.push(doc.commentBefore);
    if (doc.comment) out.push(doc.comment);
    visit(doc, (_k, node) => {
      const n = node as { commentBefore?: string | null; comment?: string | null };
      if (n && typeof n === 'object') {
        if (n.commentBefore) out.push(n.commentBefore);
        if (n.comment) out.push(n.comment);
      }
    });
  }
  return out
    .flatMap((c) => c.split('\n'))
    .map((c) => c.trim())
    .filter(Boolean);
}

const RULES = `${SHARED}/corpus/sigmahq/rules`;
let files: string[] = [];

const deviating: { file: string; text: string; reasons: FormatReason[] }[] = [];
const refused: string[] = [];
const reasons: Record<string, number> = {};

beforeAll(() => {
  files = [...corpusFiles('rules')];
  for (const f of files) {
    const r = formatSigmaText(fs.readFileSync(f, 'utf8'), { file: f });
    if (r.diagnostics.length) refused.push(`${f}: ${r.diagnostics[0]!.message}`);
    else if (r.changed) {
      deviating.push({ file: f, text: r.text, reasons: r.reasons });
      for (const x of r.reasons) reasons[x] = (reasons[x] ?? 0) + 1;
    }
  }
}, 120_000);

describe('fmt over the SigmaHQ rules', () => {
  it('refuses nothing', () => expect(refused).toEqual([]));
  it('SigmaHQ files mostly pass (fewer than 10% deviate)', () => {
    expect(files.length).toBeGreaterThan(3000);
    const measured = `fmt --check ${RULES}: ${files.length} files, ${deviating.length} deviate ${JSON.stringify(reasons)}`;
    expect(deviating.length / files.length, measured).toBeLessThan(0.1);
  });
  it('is idempotent on every deviating file', () => {
    const notIdempotent = deviating.filter((d) => formatSigmaText(d.text).changed).map((d) => d.file);
    expect(notIdempotent).toEqual([]);
  });
  it('keeps every comment line', () => {
    const lost: string[] = [];
    let checked = 0;
    for (const d of deviating) {
      const before = comments(fs.readFileSync(d.file, 'utf8'));
      checked += before.length;
      const after = comments(d.text);
      for (const c of before) if (!after.includes(c)) lost.push(`${d.file}: ${c}`);
    }
    expect(checked).toBeGreaterThan(20);
    expect(lost).toEqual([]);
  });
});
