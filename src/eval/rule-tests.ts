/**
 * Rule tests (docs/rule-tests.md): the `name.tests.yml` convention and SigmaHQ's
 * regression_data `info.yml`, read from text, and the running of one case against a
 * compiled rule. Pure: the CLI finds and reads the files.
 */
import { parse as parseYamlText } from 'yaml';
import type { Diagnostic } from '../diagnostics.js';
import { evalDiagnostic } from './codes.js';
import type { IdentifierResult, RuleMatcher } from './compile.js';
import type { EventObject } from './event-shapes.js';

export interface TestCase {
  name: string;
  /** Rule id or title (needed when the rule file holds several rules). */
  rule?: string;
  /** true: the rule must match the event (≥ 1 event of a file); false: none may match. */
  match: boolean;
  event?: EventObject;
  /** Relative to the tests file (`name.tests.yml`) or to the repository root (info.yml). */
  eventsFile?: string;
  /** regression_data: how many events of the file must match at least, when given. */
  matchCount?: number;
  /** regression_data `type: evtx`: the .evtx file itself (`eventsFile` is the JSON beside it). */
  evtxFile?: string;
  line: number;
}

export interface TestsFile {
  cases: TestCase[];
  diagnostics: Diagnostic[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function yamlText(text: string, file: string | undefined, diagnostics: Diagnostic[]): unknown {
  try {
    return parseYamlText(text, { prettyErrors: true });
  } catch (e) {
    const pos = (e as { linePos?: { line: number; col: number }[] }).linePos?.[0];
    const d = evalDiagnostic(
      'E004',
      `The tests file is not valid YAML: ${(e as Error).message.split('\n')[0]}.`,
      pos ? { line: pos.line, column: pos.col } : undefined,
    );
    if (file !== undefined) d.file = file;
    diagnostics.push(d);
    return undefined;
  }
}

/** Line of the n-th `- ` item under `tests:` (best effort, for messages). */
function itemLines(text: string): number[] {
  const lines = text.split('\n');
  const out: number[] = [];
  let inTests = false;
  let indent = -1;
  lines.forEach((l, i) => {
    if (/^tests\s*:/.test(l)) {
      inTests = true;
      return;
    }
    if (!inTests) return;
    const m = /^(\s*)- /.exec(l);
    if (m && (indent === -1 || m[1]!.length === indent)) {
      indent = m[1]!.length;
      out.push(i + 1);
    } else if (/^\S/.test(l)) inTests = false;
  });
  return out;
}

/** Reads a `name.tests.yml` file. */
export function parseTestsFile(text: string, file?: string): TestsFile {
  const diagnostics: Diagnostic[] = [];
  const fail = (message: string, line = 1, hint?: string): void => {
    const d = evalDiagnostic('E004', message, { line, column: 1 }, hint);
    if (file !== undefined) d.file = file;
    diagnostics.push(d);
  };
  const data = yamlText(text, file, diagnostics);
  if (diagnostics.length) return { cases: [], diagnostics };
  if (!isObject(data) || !Array.isArray(data['tests'])) {
    fail("A tests file is a mapping with a 'tests:' list.", 1, 'See docs/rule-tests.md for the layout.');
    return { cases: [], diagnostics };
  }
  const lines = itemLines(text);
  const cases: TestCase[] = [];
  data['tests'].forEach((item: unknown, i: number) => {
    const line = lines[i] ?? 1;
    if (!isObject(item)) return fail(`Test ${i + 1} is not a mapping.`, line);
    const name = typeof item['name'] === 'string' ? item['name'] : `test ${i + 1}`;
    if (typeof item['match'] !== 'boolean') return fail(`Test '${name}' needs 'match: true' or 'match: false'.`, line);
    const hasEvent = 'event' in item;
    const hasFile = 'events_file' in item;
    if (hasEvent === hasFile) return fail(`Test '${name}' needs exactly one of 'event' and 'events_file'.`, line);
    if (hasEvent && !isObject(item['event'])) return fail(`Test '${name}': 'event' must be a mapping of fields.`, line);
    if (hasFile && typeof item['events_file'] !== 'string')
      return fail(`Test '${name}': 'events_file' must be a path.`, line);
    const c: TestCase = { name, match: item['match'], line };
    if (typeof item['rule'] === 'string') c.rule = item['rule'];
    else if (item['rule'] !== undefined) return fail(`Test '${name}': 'rule' must be a rule id or title.`, line);
    if (hasEvent) c.event = item['event'] as EventObject;
    else c.eventsFile = item['events_file'] as string;
    cases.push(c);
  });
  return { cases, diagnostics };
}

export interface RegressionInfo {
  /** Rule ids from `rule_metadata`. */
  ruleIds: string[];
  /**
   * Positive cases; `eventsFile` is the JSON beside the named .evtx, relative to the repository
   * root, and `evtxFile` the .evtx itself.
   */
  cases: TestCase[];
  diagnostics: Diagnostic[];
}

/** Reads a SigmaHQ regression_data info.yml. */
export function parseRegressionInfo(text: string, file?: string): RegressionInfo {
  const diagnostics: Diagnostic[] = [];
  const data = yamlText(text, file, diagnostics);
  const out: RegressionInfo = { ruleIds: [], cases: [], diagnostics };
  if (!isObject(data)) return out;
  if (Array.isArray(data['rule_metadata']))
    for (const m of data['rule_metadata']) if (isObject(m) && typeof m['id'] === 'string') out.ruleIds.push(m['id']);
  if (Array.isArray(data['regression_tests_info'])) {
    for (const t of data['regression_tests_info']) {
      if (!isObject(t) || typeof t['path'] !== 'string') continue;
      const c: TestCase = {
        name: typeof t['name'] === 'string' ? t['name'] : 'regression test',
        match: true,
        eventsFile: t['path'].replace(/\.evtx$/i, '.json'),
        line: 1,
      };
      if (typeof t['match_count'] === 'number') c.matchCount = t['match_count'];
      if (t['type'] === 'evtx' || /\.evtx$/i.test(t['path'])) c.evtxFile = t['path'];
      out.cases.push(c);
    }
  }
  return out;
}

export interface CaseResult {
  name: string;
  passed: boolean;
  /** One line saying why the case passed or failed. */
  reason: string;
  /** Events tested and how many matched. */
  events: number;
  matched: number;
  /** For a failing case: the search identifiers evaluated on the first relevant event. */
  explanation?: IdentifierResult[];
}

/** Runs one case's events through a compiled rule. */
export function runCase(matcher: RuleMatcher, c: TestCase, events: readonly EventObject[]): CaseResult {
  const base = { name: c.name, events: events.length };
  if (!matcher.ok)
    return {
      ...base,
      passed: false,
      matched: 0,
      reason: `the rule cannot be evaluated: ${matcher.diagnostics.map((d) => d.message).join(' ')}`,
    };
  if (events.length === 0) return { ...base, passed: false, matched: 0, reason: 'no events to test' };
  const hits = events.map((e) => matcher.matches(e));
  const matched = hits.filter(Boolean).length;
  let passed: boolean;
  let reason: string;
  if (c.match) {
    // match_count is a floor: SigmaHQ's JSON renderings can hold more matching events than
    // the count recorded for the .evtx (3 cases in the corpus snapshot, all genuine matches).
    passed = c.matchCount !== undefined ? matched >= c.matchCount && matched > 0 : matched > 0;
    reason =
      c.matchCount !== undefined
        ? `${matched} of ${events.length} events matched (at least ${c.matchCount} expected)`
        : matched > 0
          ? `${matched} of ${events.length} events matched`
          : `no event matched (${events.length} tested)`;
  } else {
    passed = matched === 0;
    reason = passed
      ? `no event matched (${events.length} tested)`
      : `${matched} of ${events.length} events matched, none should`;
  }
  const r: CaseResult = { ...base, passed, matched, reason };
  if (!passed) {
    // Explain on the first event that went the wrong way.
    const idx = c.match ? Math.max(0, hits.indexOf(false)) : hits.indexOf(true);
    r.explanation = matcher.explain(events[idx]!);
  }
  return r;
}

/** One-line summary of an explanation: which identifiers were true, which false, and why. */
export function describeExplanation(ex: readonly IdentifierResult[]): string[] {
  const lines: string[] = [];
  for (const id of ex) {
    lines.push(`${id.identifier}: ${id.matched ? 'true' : 'false'}${id.error ? ` (${id.error})` : ''}`);
    for (const f of id.fields) {
      const name = f.field === null ? '<keywords>' : f.field;
      const mods = f.modifiers.length ? '|' + f.modifiers.join('|') : '';
      const actual =
        f.actual === null ? 'absent' : f.actual.length === 1 ? JSON.stringify(f.actual[0]) : JSON.stringify(f.actual);
      lines.push(
        `  ${f.matched ? '✓' : '✗'} ${name}${mods} ${JSON.stringify(f.expected.length === 1 ? f.expected[0] : f.expected)}${f.field === null ? '' : ` — event: ${actual}`}`,
      );
    }
  }
  return lines;
}
