/**
 * Runs the checks over parsed documents: per-document checks, cross-file checks over all of
 * them, the noise score, configuration (levels, exclusions) and inline suppressions.
 * Pure: takes parse results, returns findings; the CLI does the I/O.
 */
import type { Loc, SigmaDocument } from '../ast/types.js';
import type { Diagnostic, Severity } from '../diagnostics.js';
import type { ParseResult } from '../parser/index.js';
import { BUILTIN_ATTACK, type AttackData } from './attack.js';
import { defaultConfig, resolveKey, type LintConfig } from './config.js';
import { BUILTIN_CATALOG, type NoiseCatalog } from './noise/catalog.js';
import { noiseScore, type NoiseResult } from './noise/score.js';
import type { TelemetryEvidence } from './noise/telemetry.js';
import { checks as allChecks } from './registry.js';
import { BUILTIN_TAXONOMY, type Taxonomy } from './taxonomy.js';
import type { Check, CheckContext, DocumentInfo, Finding, ReportInput } from './types.js';

export interface LintOptions {
  config?: LintConfig;
  attack?: AttackData;
  taxonomy?: Taxonomy;
  /** Reach catalog for the noise score (default: the shipped SigmaHQ index). */
  catalog?: NoiseCatalog;
  /** Compute noise scores (default true). */
  noise?: boolean;
  /** Benign-baseline matches per document (from the evaluator), folded into the score. */
  baseline?: Map<SigmaDocument, { matches: number; events: number }>;
  /** Telemetry evidence per rule (`--telemetry`): where it covers the rule's log source, the score rests on it. */
  evidence?: Map<SigmaDocument, TelemetryEvidence>;
}

interface LintedDocument {
  file?: string;
  /** 0-based index of the YAML document in its file. */
  index: number;
  id?: string;
  title?: string;
  kind?: SigmaDocument['kind'];
  findings: Finding[];
  noise?: NoiseResult;
}

export interface LintReport {
  documents: LintedDocument[];
  /** Findings about whole files (YAML syntax, encoding). */
  fileFindings: Finding[];
  counts: Record<Severity, number>;
}

const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };
export function atLeast(s: Severity, threshold: Severity): boolean {
  return SEVERITY_RANK[s] >= SEVERITY_RANK[threshold];
}

/** Codes suppressed inline: `sigil: { disable: [D009, escaped-wildcard] }` in the rule. */
function inlineSuppressions(doc: SigmaDocument): Set<string> {
  const out = new Set<string>();
  const s = doc.custom['sigil'];
  if (!s || typeof s !== 'object' || Array.isArray(s)) return out;
  const list = s['disable'];
  const keys = Array.isArray(list) ? list : typeof list === 'string' ? [list] : [];
  for (const k of keys) for (const c of resolveKey(String(k)) ?? []) out.add(c);
  return out;
}

function fromDiagnostic(d: Diagnostic, file: string | undefined): Finding {
  const f: Finding = {
    code: d.code,
    name: 'parse',
    severity: d.severity,
    message: d.message,
    line: d.line,
    column: d.column,
  };
  if (d.hint) f.hint = d.hint;
  const where = d.file ?? file;
  if (where !== undefined) f.file = where;
  return f;
}

/**
 * Rules that alert only through a correlation: named (by id or name) by a correlation rule of
 * the linted set that does not ask for their own alerts (`generate: false`, the default).
 */
function baseRulesOfCorrelations(results: readonly ParseResult[]): Set<SigmaDocument> {
  const docs = results.flatMap((r) => r.documents.flatMap((d) => d.document ?? []));
  const referenced = new Set<string>();
  for (const d of docs)
    if (d.kind === 'correlation' && !d.correlation.generate)
      for (const ref of d.correlation.rules) referenced.add(ref.toLowerCase());
  const out = new Set<SigmaDocument>();
  if (referenced.size === 0) return out;
  for (const d of docs) {
    if (d.kind !== 'rule') continue;
    if ((d.id && referenced.has(d.id.toLowerCase())) || (d.name && referenced.has(d.name.toLowerCase()))) out.add(d);
  }
  return out;
}

export function lint(results: readonly ParseResult[], options: LintOptions = {}): LintReport {
  const config = options.config ?? defaultConfig();
  const attack = options.attack ?? BUILTIN_ATTACK;
  const taxonomy = options.taxonomy ?? BUILTIN_TAXONOMY;
  const catalog = options.catalog ?? BUILTIN_CATALOG;
  const active: Check[] = allChecks.filter((c) => config.levels[c.meta.code] !== 'off');
  const perDoc = active.filter((c) => c.check);
  // Documents with parse errors skip the detection and noise checks (their detection may be partial).
  const perDocAfterErrors = perDoc.filter((c) => c.meta.family !== 'detection' && c.meta.family !== 'noise');
  const cross = active.filter((c) => c.crossFile);
  const crossState = cross.map((c) => c.crossFile!.create());

  const report: LintReport = { documents: [], fileFindings: [], counts: { error: 0, warning: 0, info: 0 } };
  const entries = new Map<DocumentInfo, { out: LintedDocument; suppressed: Set<string> }>();

  const emit = (target: Finding[], doc: SigmaDocument | undefined, suppressed: Set<string>, f: Finding): void => {
    const level = config.levels[f.code];
    if (level === 'off' || suppressed.has(f.code)) return;
    const id = doc?.id?.toLowerCase();
    if (id && config.exclusions[id]?.includes(f.code)) return;
    if (level) f.severity = level;
    target.push(f);
    report.counts[f.severity]++;
  };
  const finding = (check: Check, info: DocumentInfo, r: ReportInput): Finding => {
    const loc: Loc = r.loc ?? info.loc;
    const f: Finding = {
      code: check.meta.code,
      name: check.meta.name,
      severity: check.meta.defaultSeverity,
      message: r.message,
      line: loc.line,
      column: loc.column,
    };
    if (r.hint) f.hint = r.hint;
    if (r.fix !== undefined) f.fix = r.fix;
    if (r.edit && check.meta.fixable) f.edit = r.edit;
    if (info.file !== undefined) f.file = info.file;
    return f;
  };

  const correlatedOnly = baseRulesOfCorrelations(results);
  for (const result of results) {
    for (const d of result.diagnostics) emit(report.fileFindings, undefined, new Set(), fromDiagnostic(d, result.file));
    for (const pd of result.documents) {
      const out: LintedDocument = { index: pd.index, findings: [] };
      if (result.file !== undefined) out.file = result.file;
      report.documents.push(out);
      const doc = pd.document;
      const suppressed = doc ? inlineSuppressions(doc) : new Set<string>();
      for (const d of pd.diagnostics) emit(out.findings, doc, suppressed, fromDiagnostic(d, result.file));
      if (!doc) continue;
      out.kind = doc.kind;
      if (doc.id !== undefined) out.id = doc.id;
      if (doc.title !== undefined) out.title = doc.title;
      const info: DocumentInfo = { document: doc, loc: pd.loc };
      if (result.file !== undefined) info.file = result.file;
      entries.set(info, { out, suppressed });
      // A document with parse errors is not scored (its detection may be partial), nor a rule that
      // alerts only through a correlation (it never alerts on its own).
      const parseErrors = pd.diagnostics.some((d) => d.severity === 'error');
      if (options.noise !== false && !parseErrors && !correlatedOnly.has(doc)) {
        const baseline = options.baseline?.get(doc);
        const evidence = options.evidence?.get(doc);
        const n = noiseScore(doc, {
          catalog,
          thresholds: config.noise,
          ...(baseline ? { baseline } : {}),
          ...(evidence ? { evidence } : {}),
        });
        if (n) out.noise = n;
      }
      // Checks only see documents the parser could build without errors in their detection.
      const run = parseErrors ? perDocAfterErrors : perDoc;
      let current: Check = perDoc[0]!;
      const ctx: CheckContext = {
        ...info,
        attack,
        taxonomy,
        report: (r) => emit(out.findings, doc, suppressed, finding(current, info, r)),
      };
      if (out.noise) ctx.noise = out.noise;
      for (let k = 0; k < run.length; k++) {
        current = run[k]!;
        current.check!(ctx);
      }
      cross.forEach((c, i) => c.crossFile!.collect(crossState[i], info));
    }
  }
  cross.forEach((c, i) =>
    c.crossFile!.finish(crossState[i], {
      attack,
      report: (info, r) => {
        const e = entries.get(info);
        if (e) emit(e.out.findings, info.document, e.suppressed, finding(c, info, r));
      },
    }),
  );
  for (const d of report.documents)
    d.findings.sort((a, b) => a.line - b.line || a.column - b.column || (a.code < b.code ? -1 : 1));
  return report;
}

/** Every finding of a report, file-level ones first. */
export function allFindings(r: LintReport): Finding[] {
  return [...r.fileFindings, ...r.documents.flatMap((d) => d.findings)];
}
