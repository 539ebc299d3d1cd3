/**
 * Corpus-wide SPL conversion with each pipeline (every document either converts to a well-formed
 * query or is reported with a code and reason), and golden files for the T1546.003 rules.
 * Regenerate the golden files with SIGIL_UPDATE_GOLDEN=1 (test/helpers/golden.ts), then review the diff.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from '../../../src/parser/index.js';
import { convertDocument } from '../../../src/convert.js';
import type { ConversionResult } from '../../../src/backends/types.js';
import type { SigmaDocument } from '../../../src/ast/types.js';
import { readQuoted, splitPipes } from './spl-reader.js';
import { ALL_DIRS, RULE_DIRS, corpusFiles, parsedCorpus } from '../../helpers/corpus.js';
import { expectGolden } from '../../helpers/golden.js';

const GOLDEN = path.join(path.dirname(new URL(import.meta.url).pathname), 'golden', 't1546.003');

interface Tally {
  converted: number;
  failed: number;
  windows: number;
  windowsConverted: number;
  reasons: Record<string, number>;
  malformed: string[];
  unexplained: string[];
}

const docs: { file: string; doc: SigmaDocument }[] = [];
const tallies: Record<string, Tally> = {};
const byKey = new Map<string, SigmaDocument>();

/** Structural checks every emitted query must pass. */
function checkQuery(q: string, generating: boolean): string | null {
  try {
    const pipes = splitPipes(q);
    if (generating) {
      if (!q.startsWith('| tstats ') && !q.startsWith('| datamodel ') && !q.startsWith('| multisearch '))
        return 'a query starting with a pipe must start with a generating command';
    } else if (q.startsWith('|') || pipes[0] === '') return 'starts with a pipe';
    for (const p of pipes.slice(generating ? 2 : 1))
      if (!/^(regex|where|search|eval|streamstats|stats|bin) /.test(p)) return `unexpected command: ${p.slice(0, 40)}`;
    // Every quote opens a well-formed string (readQuoted throws on stray escapes).
    for (let i = 0; i < q.length; i++) if (q[i] === '"') i = readQuoted(q, i).end - 1;
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

beforeAll(() => {
  // Every folder, parsed once for all corpus suites (test/helpers/corpus.ts).
  for (const { file: f, result: r } of parsedCorpus(ALL_DIRS, { schema: true })) {
    for (const d of r.documents)
      if (
        d.document &&
        !d.diagnostics.some((x) => x.severity === 'error') &&
        !r.diagnostics.some((x) => x.severity === 'error')
      )
        docs.push({ file: f, doc: d.document });
  }
  for (const { doc } of docs) {
    if (doc.id) byKey.set(doc.id, doc);
    if (doc.name) byKey.set(doc.name, doc);
  }
  for (const pipeline of ['splunk-windows', 'splunk-cim']) {
    const t: Tally = {
      converted: 0,
      failed: 0,
      windows: 0,
      windowsConverted: 0,
      reasons: {},
      malformed: [],
      unexplained: [],
    };
    for (const { file, doc } of docs) {
      if (doc.kind === 'filter') continue;
      const r = convertDocument(doc, { target: 'splunk', pipelines: [pipeline], lookup: (k) => byKey.get(k) });
      const windows = doc.kind === 'rule' && doc.logsource.product === 'windows';
      if (windows) t.windows++;
      if (r.ok) {
        t.converted++;
        if (windows) t.windowsConverted++;
        const bad = checkQuery(r.queries[0]!, r.meta['generating'] === true);
        if (bad) t.malformed.push(`${file}: ${bad}: ${r.queries[0]}`);
      } else {
        t.failed++;
        const e = r.errors[0];
        if (!e || !e.code || !e.reason || !e.message) t.unexplained.push(file);
        else t.reasons[`${e.code} ${e.reason}`] = (t.reasons[`${e.code} ${e.reason}`] ?? 0) + 1;
      }
    }
    tallies[pipeline] = t;
  }
}, 120_000);

/** The counts of a pipeline, shown when an assertion on them fails. */
const tally = (t: Tally): string =>
  `${t.converted} converted, ${t.failed} reported (${JSON.stringify(t.reasons)}); Windows ${t.windowsConverted}/${t.windows}`;

describe('corpus conversion', () => {
  it('covers the whole corpus', () => expect(docs.length).toBeGreaterThan(3500));
  it('splunk-windows converts at least 98.9% of the Windows rules', () => {
    const t = tallies['splunk-windows']!;
    // 2,854 of 2,885 at the time of writing; the rest need ETW-only sources (file_access,
    // file_rename) or user-defined placeholder values.
    expect(t.windowsConverted / t.windows, tally(t)).toBeGreaterThanOrEqual(0.989);
    expect(Object.keys(t.reasons).every((k) => /^C00[15] /.test(k))).toBe(true);
  });
  it('splunk-cim converts every rule it can express and reports the rest', () => {
    const t = tallies['splunk-cim']!;
    expect(t.converted, tally(t)).toBeGreaterThan(2000);
    expect(Object.keys(t.reasons).sort()).toEqual([
      'C001 unsupported logsource',
      'C002 field not in table',
      'C005 unresolved placeholder',
      'C009 keyword search unsupported',
    ]);
  });
  for (const p of ['splunk-windows', 'splunk-cim']) {
    it(`${p}: every query is well formed`, () => expect(tallies[p]!.malformed.slice(0, 5)).toEqual([]));
    it(`${p}: every failure has a code, reason and message`, () => expect(tallies[p]!.unexplained).toEqual([]));
  }
});

function render(r: ConversionResult): string {
  if (!r.ok) return r.errors.map((e) => `ERROR ${e.code} (${e.reason}): ${e.message}`).join('\n') + '\n';
  return r.queries.join('\n') + '\n' + r.warnings.map((w) => `WARNING ${w.code}: ${w.message}\n`).join('');
}

describe('golden: the corpus rules for T1546.003 (WMI event subscription)', () => {
  const files: string[] = [];
  for (const d of RULE_DIRS) files.push(...corpusFiles(d));
  const t1546 = files.filter((f) => /attack\.t1546\.003/i.test(fs.readFileSync(f, 'utf8'))).sort();
  it('finds the rules', () => expect(t1546.length).toBeGreaterThanOrEqual(12));
  for (const f of t1546) {
    for (const pipeline of ['splunk-windows', 'splunk-cim']) {
      it(`${path.basename(f)} (${pipeline})`, (ctx) => {
        const doc = parse(fs.readFileSync(f), { file: f }).documents[0]!.document!;
        const got = render(convertDocument(doc, { target: 'splunk', pipelines: [pipeline] }));
        expectGolden(ctx, path.join(GOLDEN, `${path.basename(f, '.yml')}.${pipeline}.spl`), got);
      });
    }
  }
});
