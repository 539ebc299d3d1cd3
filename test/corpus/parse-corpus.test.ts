/**
 * Every SigmaHQ corpus file parses to an AST or yields diagnostics, never a crash; the files
 * that fail are pinned (path → error codes) in expected-parse-errors.json, which
 * scripts/gen-expected-parse-errors.mjs regenerates for review.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse, type ParseResult } from '../../src/parser/index.js';
import type { Diagnostic } from '../../src/diagnostics.js';
import expected from './expected-parse-errors.json' with { type: 'json' };
import { yamlFiles } from '../helpers/files.js';
import { CORPUS, SHARED } from '../helpers/paths.js';
import { ALL_DIRS, loadCorpus, type CorpusFile } from '../helpers/corpus.js';

const CLEAN_DIRS = ['rules', 'rules-emerging-threats', 'rules-threat-hunting'];

function allDiagnostics(r: ParseResult): Diagnostic[] {
  return [...r.diagnostics, ...r.documents.flatMap((d) => d.diagnostics)];
}

/** Every corpus file (parsed once for all corpus suites, test/helpers/corpus.ts), crashes kept. */
let outcomes: readonly CorpusFile[] = [];

beforeAll(() => {
  outcomes = loadCorpus(ALL_DIRS, { schema: true });
});

describe('SigmaHQ corpus', () => {
  it('finds the corpus (more than 3,800 rule files)', () => {
    expect(outcomes.length).toBeGreaterThan(3800);
  });

  it('parses every file without a crash', () => {
    expect(outcomes.filter((o) => o.crash).map((o) => `${o.rel}: ${o.crash}`)).toEqual([]);
  });

  it('gives every file either documents or diagnostics, every diagnostic a location', () => {
    for (const o of outcomes) {
      const r = o.result!;
      expect(r.documents.length + r.diagnostics.length, o.rel).toBeGreaterThan(0);
      for (const doc of r.documents) expect(doc.document !== undefined || doc.diagnostics.length > 0, o.rel).toBe(true);
      for (const d of allDiagnostics(r)) {
        expect(d.line, `${o.rel} ${d.code}`).toBeGreaterThanOrEqual(1);
        expect(d.column, `${o.rel} ${d.code}`).toBeGreaterThanOrEqual(1);
        expect(d.file).toBe(o.file);
      }
    }
  });

  it('fails exactly the pinned files, with exactly the pinned error codes', () => {
    const actual: Record<string, string[]> = {};
    for (const o of outcomes) {
      const codes = [
        ...new Set(
          allDiagnostics(o.result!)
            .filter((d) => d.severity === 'error')
            .map((d) => d.code),
        ),
      ].sort();
      if (codes.length) actual[o.rel] = codes;
    }
    expect(actual).toEqual(expected);
  });

  it('pins no failure in rules/, rules-emerging-threats/, rules-threat-hunting/', () => {
    const bad = Object.keys(expected).filter((p) => CLEAN_DIRS.includes(p.split('/')[0]!));
    expect(bad).toEqual([]);
  });

  it('pins only real defects: slash dates, Sigma 1 aggregations and Sigma 1 pseudo-code conditions', () => {
    for (const [path, codes] of Object.entries(expected as Record<string, string[]>)) {
      expect(['deprecated', 'unsupported'], path).toContain(path.split('/')[0]);
      for (const c of codes) expect(['P011', 'P013', 'P014', 'P030'], path).toContain(c);
    }
    // Every pinned P030 is a `YYYY/MM/DD` date, a real defect of the rule.
    for (const o of outcomes) {
      for (const d of allDiagnostics(o.result!).filter((x) => x.code === 'P030'))
        expect(d.message, o.rel).toMatch(/'(date|modified): \d{4}\/\d{2}\/\d{2}'/);
    }
  });

  it('leaves rules/ nearly warning-free and without any schema (P008) warning', () => {
    const warnings = outcomes
      .filter((o) => o.rel.startsWith('rules/'))
      .flatMap((o) => allDiagnostics(o.result!).filter((d) => d.severity === 'warning'));
    expect(warnings.filter((d) => d.code === 'P008')).toEqual([]);
    // The one known warning: an identifier named 'select_tree_execution|endswith' (P017).
    expect(warnings.map((d) => `${relative(CORPUS, d.file!)}:${d.code}`)).toEqual([
      'rules/macos/process_creation/proc_creation_macos_file_and_directory_discovery.yml:P017',
    ]);
  });

  it('builds an AST for every rule file in rules/', () => {
    const rules = outcomes.filter((o) => o.rel.startsWith('rules/'));
    for (const o of rules) {
      expect(
        o.result!.documents.every((d) => d.document !== undefined),
        o.rel,
      ).toBe(true);
      const doc = o.result!.documents[0]!.document!;
      expect(doc.kind, o.rel).toBe('rule');
      if (doc.kind === 'rule') expect(doc.detection.conditions.length, o.rel).toBeGreaterThan(0);
    }
  });
});

describe('spec schema tests and the godmode rule', () => {
  const files = [...yamlFiles(join(SHARED, 'spec/tests/schema')), join(CORPUS, 'tests/godmode_sigma_rule.yml')];
  it.each(files.map((f) => [relative(SHARED, f), f]))('%s parses without errors', (_name, f) => {
    expect(existsSync(f)).toBe(true);
    const r = parse(readFileSync(f), { file: f });
    const errors = allDiagnostics(r).filter((d) => d.severity === 'error');
    expect(errors).toEqual([]);
    expect(r.documents.length).toBeGreaterThan(0);
    expect(r.documents.every((d) => d.document)).toBe(true);
  });

  it('reads the godmode collection: a global template merged into three rules', () => {
    const r = parse(readFileSync(join(CORPUS, 'tests/godmode_sigma_rule.yml')));
    const docs = r.documents.map((d) => d.document!);
    expect(docs.length).toBe(3);
    for (const d of docs) {
      expect(d.title).toBe('Godmode Sigma Rule');
      expect(d.id).toBe('def6caac-a999-4fc9-8800-cfeff700ba98');
      expect(d.kind).toBe('rule');
    }
  });
});
