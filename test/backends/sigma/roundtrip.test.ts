/** Round trip over the whole SigmaHQ corpus: parse → emit → parse gives an equal AST. */
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from '../../../src/parser/index.js';
import { emitSigma } from '../../../src/backends/sigma/emit.js';
import { firstDifference } from '../../../src/backends/sigma/compare.js';
import { lowerDetection } from '../../../src/ast/semantics.js';
import type { SigmaDocument } from '../../../src/ast/types.js';
import { ALL_DIRS, parsedCorpus } from '../../helpers/corpus.js';

interface Outcome {
  files: number;
  clean: number;
  documents: number;
  failures: string[];
  customKept: number;
}

let outcome: Outcome;

const noLoc = (v: unknown): string => JSON.stringify(v, (k, x: unknown) => (k === 'loc' ? undefined : x));

beforeAll(() => {
  // Every folder, parsed once for all corpus suites (test/helpers/corpus.ts).
  const files = parsedCorpus(ALL_DIRS, { schema: true });
  outcome = { files: files.length, clean: 0, documents: 0, failures: [], customKept: 0 };
  for (const { file: f, result: res } of files) {
    const errs =
      res.diagnostics.some((d) => d.severity === 'error') ||
      res.documents.some((d) => !d.document || d.diagnostics.some((x) => x.severity === 'error'));
    if (errs) continue;
    outcome.clean++;
    const docs = res.documents.map((d) => d.document!) as SigmaDocument[];
    const text = emitSigma(docs);
    const again = parse(text, { file: f + '(emitted)' });
    const docs2 = again.documents.map((d) => d.document);
    if (again.diagnostics.some((d) => d.severity === 'error') || docs2.length !== docs.length) {
      outcome.failures.push(`${f}: re-parse failed: ${again.diagnostics.map((d) => d.message).join('; ')}`);
      continue;
    }
    docs.forEach((doc, i) => {
      outcome.documents++;
      const back = docs2[i];
      if (!back) return void outcome.failures.push(`${f}#${i}: document lost`);
      const d = firstDifference(doc, back, { normalizeModifiers: true });
      if (d) outcome.failures.push(`${f}#${i}: differs at ${d}`);
      if (Object.keys(doc.custom).length && JSON.stringify(doc.custom) === JSON.stringify(back.custom))
        outcome.customKept++;
      if (doc.kind === 'rule' && back.kind === 'rule') {
        // Modifier spelling is normalised (wide → utf16le): the meaning must not change.
        if (noLoc(lowerDetection(doc.detection)) !== noLoc(lowerDetection(back.detection)))
          outcome.failures.push(`${f}#${i}: lowered detection differs`);
      }
    });
  }
}, 120_000);

describe('Sigma emitter round trip over the corpus', () => {
  it('covers the corpus', () => {
    expect(outcome.files).toBeGreaterThan(3500);
    expect(outcome.clean).toBeGreaterThan(3500);
  });
  it('gives an equal AST for every clean document', () => {
    expect(outcome.failures.slice(0, 20)).toEqual([]);
    expect(outcome.failures.length).toBe(0);
  });
  it('keeps custom fields', () => {
    expect(outcome.customKept).toBeGreaterThan(100);
  });
});
