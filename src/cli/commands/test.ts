/** `sigil test`: run the tests found beside the given rules (docs/rule-tests.md). */
import fs from 'node:fs';
import path from 'node:path';
import type { CommandModule } from 'yargs';
import type { FilterRule, SigmaRule } from '../../ast/types.js';
import type { ParseResult } from '../../parser/index.js';
import { applyFilters } from '../../pipelines/filters.js';
import { distinctFilters, filterNotApplied, filtersIn, loadFilters } from '../filters.js';
import type { Diagnostic } from '../../diagnostics.js';
import { evalDiagnostic } from '../../eval/codes.js';
import { compileRule, type RuleMatcher } from '../../eval/compile.js';
import type { EventObject } from '../../eval/event-shapes.js';
import { isEvtx, readEvtxSync } from '../../eval/evtx/reader.js';
import { parseJsonEvents } from '../../eval/json-events.js';
import {
  describeExplanation,
  parseRegressionInfo,
  parseTestsFile,
  runCase,
  type CaseResult,
  type TestCase,
} from '../../eval/rule-tests.js';
import { formatDiagnostic } from '../format.js';
import { err, expandPaths, out, requireRuleFiles, useColor } from '../io.js';
import { loadRules } from '../load.js';
import { testSpec, type TestArgs as Args } from '../specs/test.js';

const TESTS_FILE = /\.tests\.ya?ml$/i;

export interface RuleEntry {
  rule: SigmaRule;
  file: string;
  matcher?: RuleMatcher;
}

export interface Outcome extends CaseResult {
  ruleId: string | null;
  title: string;
  ruleFile: string;
  /** Where the case is written (tests file or info.yml) and its line. */
  source: string;
  line: number;
  explanationText?: string[];
}

/**
 * The events of an EVTX file (told by its signature), read 64 KiB at a time; undefined when the
 * file is not EVTX or cannot be opened (then it is read as text, which reports why).
 */
function readEvtxEvents(file: string, report: (d: Diagnostic) => void): EventObject[] | undefined {
  let fd: number | undefined;
  let evtx = false;
  try {
    fd = fs.openSync(file, 'r');
    const head = Buffer.alloc(8);
    evtx = fs.readSync(fd, head, 0, 8, 0) === 8 && isEvtx(head);
  } catch {
    // A directory, a permission error…: reading it as text says so (E005).
  }
  if (!evtx || fd === undefined) {
    if (fd !== undefined) fs.closeSync(fd);
    return undefined;
  }
  const open = fd;
  const events: EventObject[] = [];
  try {
    let position = 0;
    const read = (buf: Buffer, size: number): number => {
      const n = fs.readSync(open, buf, 0, size, position);
      position += n;
      return n;
    };
    for (const e of readEvtxSync(read, file, report)) events.push(e);
  } catch (e) {
    const d = evalDiagnostic(
      'E008',
      `The events file cannot be read to its end (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); the events before the fault are used.`,
    );
    d.file = file;
    report(d);
  } finally {
    fs.closeSync(open);
  }
  return events;
}

function readText(file: string): string | Diagnostic {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    const d = evalDiagnostic(
      'E005',
      `Cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`,
    );
    d.file = file;
    return d;
  }
}

/**
 * The rule repository a tests file belongs to: the nearest folder above it holding `.git`, else
 * the current folder when the file is inside it, else the file's own folder. Events files must
 * stay inside it: a rule's tests run in CI and must not read the rest of the machine.
 */
function repositoryOf(file: string): string {
  const git = findUp(path.dirname(file), '.git');
  if (git) return git;
  const cwd = process.cwd();
  return within(cwd, path.resolve(file)) ? cwd : path.dirname(path.resolve(file));
}

/** Whether `file` is inside `root`, following links (a path that does not exist is taken as written). */
function within(root: string, file: string): boolean {
  const real = (p: string): string => {
    try {
      return fs.realpathSync(p);
    } catch {
      return path.resolve(p);
    }
  };
  const rel = path.relative(real(root), real(file));
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** An events file named by a test, or a diagnostic when it would leave the repository. */
function eventsPath(base: string, named: string, root: string, where: string, line: number): string | Diagnostic {
  const file = path.resolve(base, named);
  if (!path.isAbsolute(named) && within(root, file)) return file;
  const d = evalDiagnostic(
    'E007',
    `The events file '${named}' is outside the rule repository (${root}).`,
    { line, column: 1 },
    'Name the events file by a path relative to the tests file, inside the repository.',
  );
  d.file = where;
  return d;
}

/** Walks up from a directory to the first one that holds `rel`. */
function findUp(start: string, rel: string): string | undefined {
  let dir = path.resolve(start);
  for (;;) {
    if (fs.existsSync(path.join(dir, rel))) return dir;
    const up = path.dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

/** regression_data fallback: rule id → info.yml files, per repository root (cached). */
const regressionIndex = new Map<string, Map<string, string[]>>();
function infoFilesFor(root: string, id: string): string[] {
  let idx = regressionIndex.get(root);
  if (!idx) {
    idx = new Map();
    const walk = (dir: string): void => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.name === 'info.yml') {
          const text = readText(p);
          if (typeof text !== 'string') continue;
          for (const rid of parseRegressionInfo(text, p).ruleIds) idx!.set(rid, [...(idx!.get(rid) ?? []), p]);
        }
      }
    };
    walk(path.join(root, 'regression_data'));
    regressionIndex.set(root, idx);
  }
  return idx.get(id) ?? [];
}

function xml(s: string): string {
  return s.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);
}

/** What running the tests of a set of rules gives. */
export interface RuleTestRun {
  outcomes: Outcome[];
  /** Rule, tests or events files that cannot be used (errors), and warnings. */
  problems: Diagnostic[];
  /** Warnings about filters that name a rule but cannot apply to it (text lines). */
  notes: string[];
  /** Rules read, per rule file. */
  rulesByFile: Map<string, RuleEntry[]>;
}

/** One test case of a rule with its events (null: the events file cannot be read). */
export interface GatheredCase {
  entry: RuleEntry;
  case: TestCase;
  /** Where the case is written (tests file or info.yml). */
  source: string;
  events: EventObject[] | null;
}

/**
 * Runs the tests of the rules in `results` (parsed rule files): tests files beside them and
 * SigmaHQ regression data, on the rules as filtered by the filters among them and `extraFilters`.
 */
export function runRuleTests(results: readonly ParseResult[], extraFilters: readonly FilterRule[] = []): RuleTestRun {
  const { cases, problems, notes, rulesByFile } = gatherRuleTests(results, extraFilters);
  const outcomes: Outcome[] = [];
  const matcherOf = (e: RuleEntry): RuleMatcher => (e.matcher ??= compileRule(e.rule));
  for (const { entry, case: c, source, events } of cases) {
    const base = {
      ruleId: entry.rule.id ?? null,
      title: entry.rule.title ?? '(untitled)',
      ruleFile: entry.file,
      source,
      line: c.line,
    };
    if (events === null) {
      outcomes.push({
        ...base,
        name: c.name,
        passed: false,
        reason: `cannot read the events file ${c.eventsFile}`,
        events: 0,
        matched: 0,
      });
      continue;
    }
    const res = runCase(matcherOf(entry), c, events);
    const o: Outcome = { ...base, ...res };
    if (res.explanation) o.explanationText = describeExplanation(res.explanation);
    outcomes.push(o);
  }
  return { outcomes, problems, notes, rulesByFile };
}

/**
 * The test cases of the rules in `results` with their events, found as `runRuleTests` finds
 * them (also what `sigil tune` guards its proposals with), without running them.
 */
export function gatherRuleTests(
  results: readonly ParseResult[],
  extraFilters: readonly FilterRule[] = [],
): Omit<RuleTestRun, 'outcomes'> & { cases: GatheredCase[] } {
  const notes: string[] = [];
  const problems: Diagnostic[] = [];
  const rulesByFile = new Map<string, RuleEntry[]>();
  for (const r of results) {
    problems.push(...r.diagnostics.filter((d) => d.severity === 'error'));
    for (const d of r.documents) {
      problems.push(...d.diagnostics.filter((x) => x.severity === 'error'));
      if (d.document?.kind === 'rule' && r.file)
        rulesByFile.set(r.file, [...(rulesByFile.get(r.file) ?? []), { rule: d.document, file: r.file }]);
    }
  }
  // Tests run on the rules as deployed: with the filters that name them.
  const distinct = distinctFilters([...extraFilters, ...filtersIn(results)]);
  if (distinct.length) {
    for (const entries of rulesByFile.values()) {
      for (const e of entries) {
        const { rule, mismatched } = applyFilters(e.rule, distinct);
        for (const m of mismatched) notes.push(filterNotApplied(e.file, m.filter, e.rule, m.reason));
        e.rule = rule;
      }
    }
  }
  const cases: GatheredCase[] = [];
  const eventsCache = new Map<string, EventObject[] | null>();
  const loadEvents = (file: string): EventObject[] | null => {
    if (eventsCache.has(file)) return eventsCache.get(file)!;
    const evtx = readEvtxEvents(file, (d) => problems.push(d));
    if (evtx !== undefined) {
      eventsCache.set(file, evtx);
      return evtx;
    }
    const text = readText(file);
    let events: EventObject[] | null = null;
    if (typeof text !== 'string') problems.push(text);
    else {
      const parsed = parseJsonEvents(text, file);
      problems.push(...parsed.diagnostics);
      events = parsed.events.map((e) => e.event);
    }
    eventsCache.set(file, events);
    return events;
  };
  const record = (entry: RuleEntry, c: TestCase, source: string, events: EventObject[] | null): void => {
    cases.push({ entry, case: c, source, events });
  };

  for (const [ruleFile, entries] of rulesByFile) {
    // 1. name.tests.yml beside the rule file.
    for (const ext of ['.tests.yml', '.tests.yaml']) {
      const tf = ruleFile.replace(/\.ya?ml$/i, ext);
      if (!fs.existsSync(tf)) continue;
      const text = readText(tf);
      if (typeof text !== 'string') {
        problems.push(text);
        continue;
      }
      const parsed = parseTestsFile(text, tf);
      problems.push(...parsed.diagnostics);
      for (const c of parsed.cases) {
        const entry =
          c.rule !== undefined
            ? entries.find((e) => e.rule.id === c.rule || e.rule.title === c.rule || e.rule.name === c.rule)
            : entries.length === 1
              ? entries[0]
              : undefined;
        if (!entry) {
          const d = evalDiagnostic(
            'E005',
            c.rule !== undefined
              ? `Test '${c.name}' names rule '${c.rule}', which is not in ${ruleFile}.`
              : `Test '${c.name}': ${ruleFile} holds ${entries.length} rules; say which with 'rule: <id or title>'.`,
            { line: c.line, column: 1 },
          );
          d.file = tf;
          problems.push(d);
          continue;
        }
        if (c.event) {
          record(entry, c, tf, [c.event]);
          continue;
        }
        const file = eventsPath(path.dirname(tf), c.eventsFile!, repositoryOf(tf), tf, c.line);
        if (typeof file !== 'string') problems.push(file);
        else record(entry, c, tf, loadEvents(file));
      }
    }
    // 2. SigmaHQ regression data.
    for (const entry of entries) {
      const infos: { info: string; root: string }[] = [];
      const declared = entry.rule.custom['regression_tests_path'];
      if (typeof declared === 'string') {
        const root = findUp(path.dirname(entry.file), declared);
        if (root) infos.push({ info: path.join(root, declared), root });
        else {
          // Declared but absent (e.g. a corpus snapshot without that regression data): a warning, not a failure.
          const d = evalDiagnostic(
            'E005',
            `regression_tests_path '${declared}' is not found in any directory above the rule; its regression tests are not run.`,
            entry.rule.locs['regression_tests_path'],
            undefined,
            'warning',
          );
          d.file = entry.file;
          problems.push(d);
        }
      } else if (entry.rule.id) {
        const root = findUp(path.dirname(entry.file), 'regression_data');
        if (root) for (const info of infoFilesFor(root, entry.rule.id)) infos.push({ info, root });
      }
      for (const { info, root } of infos) {
        const text = readText(info);
        if (typeof text !== 'string') {
          problems.push(text);
          continue;
        }
        const parsed = parseRegressionInfo(text, info);
        problems.push(...parsed.diagnostics);
        for (const c of parsed.cases) {
          const file = eventsPath(root, c.eventsFile!, root, info, c.line);
          if (typeof file !== 'string') problems.push(file);
          else record(entry, c, info, loadEvents(file));
          // The .evtx the case names is a case of its own, read directly, when it is there.
          if (c.evtxFile === undefined) continue;
          const evtx = eventsPath(root, c.evtxFile, root, info, c.line);
          if (typeof evtx !== 'string') problems.push(evtx);
          else if (fs.existsSync(evtx))
            record(entry, { ...c, name: `${c.name} (EVTX)`, eventsFile: c.evtxFile }, info, loadEvents(evtx));
        }
      }
    }
  }

  return { cases, problems, notes, rulesByFile };
}

/** JUnit XML of test outcomes, one suite per rule file. */
export function junitXml(outcomes: readonly Outcome[]): string {
  const failed = outcomes.filter((o) => !o.passed).length;
  const bySuite = new Map<string, Outcome[]>();
  for (const o of outcomes) bySuite.set(o.ruleFile, [...(bySuite.get(o.ruleFile) ?? []), o]);
  let x = `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="sigil test" tests="${outcomes.length}" failures="${failed}">\n`;
  for (const [file, list] of bySuite) {
    x += `  <testsuite name="${xml(file)}" tests="${list.length}" failures="${list.filter((o) => !o.passed).length}">\n`;
    for (const o of list) {
      x += `    <testcase classname="${xml(o.title)}" name="${xml(o.name)}" file="${xml(o.source)}" line="${o.line}">`;
      if (!o.passed)
        x += `\n      <failure message="${xml(o.reason)}">${xml((o.explanationText ?? []).join('\n'))}</failure>\n    `;
      x += '</testcase>\n';
    }
    x += '  </testsuite>\n';
  }
  return x + '</testsuites>\n';
}

export const testCommand: CommandModule<object, Args> = {
  ...testSpec,
  handler: (argv) => {
    const files = expandPaths(argv.paths);
    const testsFiles = files.filter((f) => TESTS_FILE.test(f));
    const ruleFiles = files.filter((f) => !TESTS_FILE.test(f));
    // A tests file named on its own brings its rule file.
    for (const t of testsFiles) {
      for (const ext of ['.yml', '.yaml']) {
        const r = t.replace(TESTS_FILE, ext);
        if (fs.existsSync(r) && !ruleFiles.includes(r)) ruleFiles.push(r);
      }
    }
    requireRuleFiles(ruleFiles, argv.paths);
    const { results } = loadRules(ruleFiles, { schema: false, resolve: false });
    const { outcomes, problems, notes, rulesByFile } = runRuleTests(results, loadFilters(argv.filter).filters);
    for (const n of notes) err(n);
    for (const d of problems) err(formatDiagnostic(d) + '\n');
    const failed = outcomes.filter((o) => !o.passed).length;
    if (argv.format === 'json') {
      out(JSON.stringify({ passed: outcomes.length - failed, failed, cases: outcomes }, null, 2) + '\n');
    } else if (argv.format === 'junit') {
      out(junitXml(outcomes));
    } else {
      const color = useColor();
      const paint = (code: string, s: string): string => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
      for (const o of outcomes) {
        out(
          `${o.passed ? paint('32', 'PASS') : paint('31', 'FAIL')} ${o.title} — ${o.name}: ${o.reason}  (${o.source}:${o.line})\n`,
        );
        for (const l of o.explanationText ?? []) out(`       ${l}\n`);
      }
    }
    const ruleCount = [...rulesByFile.values()].reduce((n, l) => n + l.length, 0);
    err(`${ruleCount} rules, ${outcomes.length} test cases: ${outcomes.length - failed} passed, ${failed} failed\n`);
    if (ruleCount === 0) {
      // Every rule file was bad: each is reported above; bad inputs exit 1 (docs/cli.md).
      err('sigil: no rule could be read\n');
      process.exitCode = 1;
      return;
    }
    if (outcomes.length === 0) {
      err('sigil: no tests found for the given rules (see docs/rule-tests.md)\n');
      process.exitCode = problems.some((d) => d.severity === 'error') ? 1 : 2;
      return;
    }
    // A rule, tests or events file that cannot be used is a failure, not a pass.
    const broken = problems.filter((d) => d.severity === 'error').length;
    process.exitCode = failed > 0 || broken > 0 ? 1 : 0;
  },
};
