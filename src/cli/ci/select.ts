/**
 * Which rule files `sigil ci` checks, and why. From the files changed since the base revision,
 * references are followed both ways: a changed correlation brings the rules it is over (as
 * context), a changed rule brings the correlations over it and the filters aimed at it, a
 * changed filter the rules it names, a changed tests or events file its rule. A changed pipeline
 * file selects every rule it routes or transforms; a changed configuration, every rule.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { SigmaDocument, SigmaRule } from '../../ast/types.js';
import { parse, type ParseResult } from '../../parser/index.js';
import { filterNamesRule } from '../../pipelines/filters.js';
import { logsourceMatches, whenHolds } from '../../pipelines/match.js';
import type { PipelineSpec } from '../../pipelines/index.js';
import { parseTestsFile } from '../../eval/rule-tests.js';
import { expandPaths } from '../io.js';
import type { ChangeStatus, FileChange } from './git.js';

const RULE_FILE = /\.ya?ml$/i;
const TESTS_FILE = /\.tests\.ya?ml$/i;

export interface Selected {
  /** Path relative to the repository root: in the working tree, or at the base for a deleted file. */
  rel: string;
  /** The path at the base when it differs (renamed), or undefined when the file is new. */
  baseRel?: string;
  /** How the file itself changed; `unchanged` when it is selected by reference only. */
  status: ChangeStatus | 'unchanged';
  reasons: string[];
  /** Needed to convert or test other rules (base rules of a correlation), not checked itself. */
  contextOnly: boolean;
}

/** Every rule file of the working tree, read once: the reference index. */
export interface RuleIndex {
  files: string[];
  text: Map<string, string>;
  /** Rule id (lower case) or name → files defining it. */
  defines: Map<string, string[]>;
  /** Correlation and filter documents of the working tree, parsed. */
  referencing: { rel: string; doc: SigmaDocument }[];
}

/** Repository root → relative path with forward slashes (git's spelling). */
export const relTo = (root: string, abs: string): string => path.relative(root, abs).split(path.sep).join('/');

/** Whether a repository path is a rule file inside one of the rule folders. */
function isRulePath(root: string, folders: readonly string[], rel: string): boolean {
  if (!RULE_FILE.test(rel) || TESTS_FILE.test(rel)) return false;
  // A directory walk skips hidden folders and node_modules: so does the selection.
  if (rel.split('/').some((s) => s.startsWith('.') || s === 'node_modules')) return false;
  const abs = path.join(root, rel);
  return folders.some((f) => {
    const r = path.relative(f, abs);
    return r === '' || (!r.startsWith('..') && !path.isAbsolute(r));
  });
}

const KEY_LINE = /^(id|name):[ \t]*['"]?([^'"\s#]+)/gm;

export function buildIndex(root: string, folders: readonly string[]): RuleIndex {
  const existing = folders.filter((f) => fs.existsSync(f));
  const files = existing.length ? expandPaths(existing).map((f) => relTo(root, path.resolve(f))) : [];
  const text = new Map<string, string>();
  const defines = new Map<string, string[]>();
  const referencing: RuleIndex['referencing'] = [];
  for (const rel of files) {
    let t: string;
    try {
      t = fs.readFileSync(path.join(root, rel), 'utf8');
    } catch {
      continue;
    }
    text.set(rel, t);
    // Top-level id and name lines: a cheap scan, so that only the files it names are parsed.
    for (const m of t.matchAll(KEY_LINE)) {
      const key = m[1] === 'id' ? m[2]!.toLowerCase() : m[2]!;
      const list = defines.get(key) ?? [];
      if (!list.includes(rel)) list.push(rel);
      defines.set(key, list);
    }
    if (/^(correlation|filter):/m.test(t))
      for (const d of parse(t, { file: rel }).documents)
        if (d.document && d.document.kind !== 'rule') referencing.push({ rel, doc: d.document });
  }
  return { files, text, defines, referencing };
}

const docName = (d: SigmaDocument): string => `'${d.title ?? d.id ?? d.name ?? '?'}'`;

/** The refs (id or name) a rule answers to. */
function refsOf(rule: SigmaDocument): string[] {
  return [rule.id?.toLowerCase(), rule.name].filter((x): x is string => x !== undefined);
}

/** Does a pipeline route or transform a rule of this logsource? */
function pipelineTouches(spec: PipelineSpec, rule: SigmaRule): boolean {
  const ls = rule.logsource;
  if (spec.routes?.some((r) => logsourceMatches(r.logsource, ls))) return true;
  // A transformation conditioned on a table applies to whatever a route sent there: counted as touching.
  return spec.transformations.some((t) => {
    if (!t.when) return true;
    const { table: _table, ...byLogsource } = t.when;
    return whenHolds(byLogsource, ls, undefined);
  });
}

export interface SelectionInput {
  root: string;
  ruleFolders: string[];
  testsFolders: string[];
  index: RuleIndex;
  changes: FileChange[];
  /** Base-revision contents of a path (undefined when absent there). */
  baseText: (rel: string) => string | undefined;
  configRel?: string;
  /** Pipeline files of the targets (repository paths) → their specs at head and at base. */
  pipelineSpecs: (rel: string) => { head?: PipelineSpec; base?: PipelineSpec };
  pipelineRels: Set<string>;
  /** Parses every rule of the working tree (only when a pipeline changed). */
  parseAll: () => ParseResult[];
}

export function selectFiles(input: SelectionInput): Map<string, Selected> {
  const { root, index, changes } = input;
  const selected = new Map<string, Selected>();
  const select = (rel: string, reason: string, init: Partial<Selected> = {}, contextOnly = false): Selected => {
    let s = selected.get(rel);
    if (!s) {
      // A file selected by reference is read at the base under the same path.
      s = { rel, baseRel: rel, status: 'unchanged', reasons: [], contextOnly, ...init };
      selected.set(rel, s);
    } else {
      Object.assign(s, init);
      if (!contextOnly) s.contextOnly = false;
    }
    // The file's own change comes first among the reasons.
    if (!contextOnly && !s.reasons.includes(reason)) {
      if (init.status) s.reasons.unshift(reason);
      else s.reasons.push(reason);
    }
    return s;
  };
  /** Documents whose output may differ: what refers to them is affected too. */
  const affected: { rel: string; doc: SigmaDocument }[] = [];
  const parseText = (t: string | undefined, rel: string): SigmaDocument[] =>
    t === undefined
      ? []
      : parse(t, { file: rel })
          .documents.map((d) => d.document)
          .filter((d): d is SigmaDocument => !!d);
  const everyRule = (reason: string): void => {
    for (const rel of index.files) select(rel, reason);
  };

  for (const c of changes) {
    const rel = c.path;
    if (input.configRel !== undefined && rel === input.configRel) {
      everyRule(`the configuration ${rel} changed`);
      continue;
    }
    if (input.pipelineRels.has(rel)) {
      const { head, base } = input.pipelineSpecs(rel);
      for (const r of input.parseAll())
        for (const d of r.documents) {
          const doc = d.document;
          if (doc?.kind !== 'rule' || !r.file) continue;
          if ((head && pipelineTouches(head, doc)) || (base && pipelineTouches(base, doc))) {
            const ruleRel = relTo(root, path.resolve(r.file));
            select(ruleRel, `routed by the changed pipeline ${rel}`);
            affected.push({ rel: ruleRel, doc });
          }
        }
      continue;
    }
    if (TESTS_FILE.test(rel)) {
      for (const ext of ['.yml', '.yaml']) {
        const ruleRel = rel.replace(TESTS_FILE, ext);
        if (index.text.has(ruleRel)) select(ruleRel, `its tests ${rel} changed`);
      }
      continue;
    }
    if (isRulePath(root, input.ruleFolders, rel) || (c.from && isRulePath(root, input.ruleFolders, c.from))) {
      // git pairs similar files as a rename; rules with no id in common are a deletion and an addition.
      if (c.status === 'renamed' && c.from) {
        const ids = (docs: SigmaDocument[]): string[] => docs.map((d) => d.id?.toLowerCase() ?? '').filter(Boolean);
        const headIds = ids(parseText(index.text.get(rel), rel));
        if (!ids(parseText(input.baseText(c.from), c.from)).some((id) => headIds.includes(id))) {
          changes.push({ status: 'deleted', path: c.from }, { status: 'added', path: rel });
          continue;
        }
      }
      const s = select(rel, c.status === 'renamed' ? `renamed from ${c.from}` : c.status, {
        status: c.status,
        ...(c.status === 'added' ? {} : { baseRel: c.from ?? rel }),
      });
      if (c.status === 'added') delete s.baseRel;
      const head = c.status === 'deleted' ? [] : parseText(index.text.get(rel), rel);
      const base = c.status === 'added' ? [] : parseText(input.baseText(s.baseRel!), s.baseRel!);
      for (const doc of [...head, ...base]) affected.push({ rel, doc });
      continue;
    }
    // An events file named by a rule test: that rule.
    if (/\.(jsonl?|ndjson)$/i.test(rel)) {
      for (const tf of testsFilesIn(root, [...input.ruleFolders, ...input.testsFolders])) {
        let t: string;
        try {
          t = fs.readFileSync(path.join(root, tf), 'utf8');
        } catch {
          continue;
        }
        const named = parseTestsFile(t, tf).cases.some(
          (k) => k.eventsFile !== undefined && relTo(root, path.resolve(root, path.dirname(tf), k.eventsFile)) === rel,
        );
        if (!named) continue;
        for (const ext of ['.yml', '.yaml']) {
          const ruleRel = tf.replace(TESTS_FILE, ext);
          if (index.text.has(ruleRel)) select(ruleRel, `the events file ${rel} of its tests changed`);
        }
      }
    }
  }

  // Follow references from the affected documents (a correlation over an affected rule is affected too).
  const seen = new Set<SigmaDocument>();
  while (affected.length) {
    const { rel, doc } = affected.shift()!;
    if (seen.has(doc)) continue;
    seen.add(doc);
    if (doc.kind === 'rule') {
      const refs = refsOf(doc);
      for (const r of index.referencing) {
        if (r.rel === rel) continue;
        if (
          r.doc.kind === 'correlation' &&
          r.doc.correlation.rules.some((x) => refs.includes(x.toLowerCase()) || refs.includes(x))
        ) {
          select(r.rel, `correlation over ${docName(doc)} (${rel})`);
          affected.push(r);
        } else if (r.doc.kind === 'filter' && filterNamesRule(r.doc, doc)) {
          select(r.rel, `filter aimed at ${docName(doc)} (${rel})`);
        }
      }
      // A correlation can be over another correlation.
    } else if (doc.kind === 'correlation') {
      // Rules a changed correlation uses are checked with it; those of a correlation selected
      // only by reference are read for its conversion, not reported.
      const changedItself = selected.get(rel)?.status !== 'unchanged';
      for (const ref of doc.correlation.rules)
        for (const f of index.defines.get(ref.toLowerCase()) ?? index.defines.get(ref) ?? [])
          if (f !== rel) select(f, `used by the changed correlation ${docName(doc)} (${rel})`, {}, !changedItself);
      const refs = refsOf(doc);
      for (const r of index.referencing)
        if (
          r.rel !== rel &&
          r.doc.kind === 'correlation' &&
          r.doc.correlation.rules.some((x) => refs.includes(x.toLowerCase()) || refs.includes(x))
        ) {
          select(r.rel, `correlation over ${docName(doc)} (${rel})`);
          affected.push(r);
        }
    } else {
      for (const ref of doc.filter.rules)
        for (const f of index.defines.get(ref.toLowerCase()) ?? index.defines.get(ref) ?? [])
          if (f !== rel) {
            select(f, `named by the filter ${docName(doc)} (${rel})`);
            for (const d of parseText(index.text.get(f), f)) if (d.kind === 'rule') affected.push({ rel: f, doc: d });
          }
    }
  }
  return selected;
}

/** Tests files under the folders (repository paths). */
function testsFilesIn(root: string, folders: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.name.startsWith('.') || e.name === 'node_modules') continue;
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (TESTS_FILE.test(e.name)) out.push(relTo(root, p));
    }
  };
  for (const f of new Set(folders)) walk(f);
  return out;
}
