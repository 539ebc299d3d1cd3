/**
 * One side of a `sigil ci` comparison — the base revision or the working tree — checked the same
 * way: the selected files parsed and linted (with noise scores), their rules' tests run, and
 * their rules and correlations converted to every configured target and format.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SigmaDocument } from '../../ast/types.js';
import { getBackend } from '../../backends/index.js';
import { parse, lookupRule, type ParseResult } from '../../parser/index.js';
import { loadPipelineSpec, type PipelineSpec } from '../../pipelines/index.js';
import type { LintConfig } from '../../lint/config.js';
import { lint, type LintReport } from '../../lint/engine.js';
import type { Finding } from '../../lint/types.js';
import { parseTestsFile } from '../../eval/rule-tests.js';
import { convertParsedFile, type ConvertSettings } from '../convert-file.js';
import { distinctFilters, filtersIn } from '../filters.js';
import { runRuleTests, type Outcome } from '../commands/test.js';
import type { CiTarget } from './config.js';

/** One generated output of a document: the text, or why the target cannot express it. */
export type Output = { text: string } | { error: string };

export interface SideDocument {
  index: number;
  id?: string;
  title?: string;
  kind?: SigmaDocument['kind'];
  findings: Finding[];
  noise?: { score: number; level: string };
  /** `target label / format` → output. */
  outputs: Map<string, Output>;
  tests: Outcome[];
}

export interface SideFile {
  rel: string;
  /** File-level problems (unreadable, YAML syntax). */
  findings: Finding[];
  documents: SideDocument[];
}

export interface Side {
  files: Map<string, SideFile>;
  lint: LintReport;
  tests: Outcome[];
  /** Tests, rule or events files that cannot be used (errors only). */
  testProblems: string[];
  /** Pipeline files that did not load on this side. */
  pipelineProblems: string[];
}

export interface SideInput {
  /** Repository path → text at this side (undefined: absent). */
  read: (rel: string) => string | undefined;
  /** Files to check. */
  checked: string[];
  /** Files read for correlations and filters, not checked. */
  context: string[];
  targets: CiTarget[];
  root: string;
  lint: LintConfig;
  /** Where the side's files are on disk for the rule tests (the working tree), or undefined to write them to a temporary folder. */
  onDisk?: string;
}

export const outputKey = (t: CiTarget, format: string): string => `${t.label} / ${format}`;

/** A pipeline that cannot be loaded fails every rule (rather than converting without it). */
function failing(name: string, reason: string): PipelineSpec {
  return { name, description: reason, transformations: [{ type: 'fail', reason: `${name}: ${reason}` }] };
}

function loadPipelines(t: CiTarget, input: SideInput, problems: string[]): (string | PipelineSpec)[] | undefined {
  if (!t.pipelines) return undefined;
  return t.pipelines.map((p) => {
    if (!path.isAbsolute(p)) return p;
    const rel = path.relative(input.root, p).split(path.sep).join('/');
    const text = input.read(rel);
    if (text === undefined) {
      problems.push(`${rel}: the pipeline file does not exist`);
      return failing(rel, 'the pipeline file does not exist');
    }
    const { spec, diagnostics } = loadPipelineSpec(text, rel);
    if (!spec) {
      problems.push(`${rel}: ${diagnostics.map((d) => `${d.line}:${d.column} ${d.code} ${d.message}`).join('; ')}`);
      return failing(rel, 'the pipeline file is not valid');
    }
    return spec;
  });
}

export function evaluateSide(input: SideInput): Side {
  const parsed = new Map<string, ParseResult>();
  for (const rel of [...input.checked, ...input.context]) {
    if (parsed.has(rel)) continue;
    const text = input.read(rel);
    if (text !== undefined) parsed.set(rel, parse(text, { file: rel }));
  }
  const checked = input.checked.filter((rel) => parsed.has(rel)).map((rel) => parsed.get(rel)!);
  const all = [...parsed.values()];
  const report = lint(checked, { config: input.lint, noise: true });

  const files = new Map<string, SideFile>();
  for (const r of checked) files.set(r.file!, { rel: r.file!, findings: [], documents: [] });
  for (const f of report.fileFindings) files.get(f.file ?? '')?.findings.push(f);
  for (const r of checked) {
    const file = files.get(r.file!)!;
    for (const d of r.documents) {
      const linted = report.documents.find((x) => x.file === r.file && x.index === d.index);
      const doc = d.document;
      file.documents.push({
        index: d.index,
        ...(doc?.id !== undefined ? { id: doc.id } : {}),
        ...(doc?.title !== undefined ? { title: doc.title } : {}),
        ...(doc ? { kind: doc.kind } : {}),
        findings: linted?.findings ?? d.diagnostics.map((x) => ({ ...x, name: 'parse', file: r.file! })),
        ...(linted?.noise ? { noise: { score: linted.noise.score, level: linted.noise.level } } : {}),
        outputs: new Map(),
        tests: [],
      });
    }
  }

  // Conversions, with the filters of the side applied and correlations resolved among its files.
  const pipelineProblems: string[] = [];
  const filters = distinctFilters(filtersIn(all));
  const lookup = (ref: string): SigmaDocument | undefined => lookupRule(all, ref);
  for (const t of input.targets) {
    const pipelines = loadPipelines(t, input, pipelineProblems);
    for (const format of t.formats) {
      const settings: ConvertSettings = {
        target: t.target,
        format,
        options: {},
        json: false,
        color: false,
        ...(pipelines ? { pipelines } : {}),
        ...(filters.length ? { filters } : {}),
      };
      const key = outputKey(t, format);
      const backend = getBackend(t.target)!;
      for (const r of checked) {
        const conv = convertParsedFile(r, settings, lookup);
        const offset = conv.items.length - r.documents.length;
        const docs = files.get(r.file!)!.documents;
        r.documents.forEach((d, k) => {
          const item = conv.items[offset + k];
          const target = docs[k]!;
          if (!item || item.kind === 'filter' || item.kind === 'invalid' || item.kind === 'deferred') return;
          if (item.kind === 'converted' && item.rendered) {
            // A query's comment line names the rule, as `convert` prints it.
            const fmt = backend.formats.find((f) => f.name === format)!;
            const text = fmt.comment ? `${fmt.comment(item.label)}\n${item.rendered.text}` : item.rendered.text;
            target.outputs.set(key, { text: text.endsWith('\n') ? text : text + '\n' });
          } else if (item.kind === 'failed') target.outputs.set(key, { error: item.reason ?? 'cannot be converted' });
          void d;
        });
      }
    }
  }

  // Rule tests read tests and events files beside the rules: on disk for the working tree, in a
  // temporary copy of just those files for the base.
  let testRoot = input.onDisk;
  let temp: string | undefined;
  if (!testRoot) {
    temp = fs.mkdtempSync(path.join(os.tmpdir(), 'sigil-ci-base-'));
    testRoot = temp;
    fs.mkdirSync(path.join(temp, '.git'));
    for (const r of checked) materializeTests(r.file!, input.read, temp);
  }
  const run = runRuleTests(
    checked.map((r) => ({ ...r, file: path.join(testRoot!, r.file!) })),
    filters,
  );
  if (temp) fs.rmSync(temp, { recursive: true, force: true });
  const rel = (abs: string): string => path.relative(testRoot!, abs).split(path.sep).join('/');
  const tests = run.outcomes.map((o) => ({ ...o, ruleFile: rel(o.ruleFile), source: rel(o.source) }));
  for (const o of tests) {
    const doc = files
      .get(o.ruleFile)
      ?.documents.find((d) => (o.ruleId !== null ? d.id === o.ruleId : d.title === o.title));
    doc?.tests.push(o);
  }
  const testProblems = run.problems
    .filter((d) => d.severity === 'error')
    .map((d) => `${d.file ? rel(d.file) : ''}:${d.line}:${d.column}: ${d.code} ${d.message}`);
  return { files, lint: report, tests, testProblems, pipelineProblems };
}

/** Writes a rule file, its tests file and the events files those name into `dir`, from the side's contents. */
function materializeTests(ruleRel: string, read: (rel: string) => string | undefined, dir: string): void {
  const put = (rel: string, text: string): void => {
    const abs = path.join(dir, rel);
    if (!abs.startsWith(dir + path.sep)) return;
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, text);
  };
  const rule = read(ruleRel);
  if (rule === undefined) return;
  put(ruleRel, rule);
  for (const ext of ['.tests.yml', '.tests.yaml']) {
    const testsRel = ruleRel.replace(/\.ya?ml$/i, ext);
    const tests = read(testsRel);
    if (tests === undefined) continue;
    put(testsRel, tests);
    for (const c of parseTestsFile(tests, testsRel).cases) {
      if (c.eventsFile === undefined || path.isAbsolute(c.eventsFile)) continue;
      const eventsRel = path.posix.normalize(path.posix.join(path.posix.dirname(testsRel), c.eventsFile));
      if (eventsRel.startsWith('..')) continue;
      const events = read(eventsRel);
      if (events !== undefined) put(eventsRel, events);
    }
  }
}
