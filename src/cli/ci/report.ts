/**
 * The Markdown report of `sigil ci` (GitHub's job summary): totals first, a table of the checked
 * rule files, then one collapsed section per file with its lint findings, test results, noise
 * score before → after and the diff of every generated query and artifact. Rule text (titles,
 * messages, queries) is untrusted: it is escaped, and code blocks are fenced longer than any
 * backtick run inside them, so a rule cannot add markup to the report.
 */
import type { Finding } from '../../lint/types.js';
import { unifiedDiff, wordDiff } from '../../util/unified-diff.js';
import type { Selected } from './select.js';
import type { Output, Side, SideDocument, SideFile } from './side.js';

export interface CiEntry {
  selected: Selected;
  before?: SideFile;
  after?: SideFile;
}

export interface CiTotals {
  files: number;
  byStatus: Record<string, number>;
  errors: number;
  warnings: number;
  infos: number;
  testsPassed: number;
  testsFailed: number;
  testProblems: number;
  outputsChanged: number;
  conversionFailures: number;
  newConversionFailures: number;
}

export interface CiRun {
  /** What was compared: `HEAD~1 → working tree`, or why every rule was checked. */
  scope: string;
  base?: string;
  entries: CiEntry[];
  head: Side;
  baseSide?: Side;
  totals: CiTotals;
  failed: boolean;
  outputKeys: string[];
  pipelineProblems: string[];
}

/** Text for Markdown and HTML contexts: markup characters escaped. */
function md(s: string): string {
  return s
    .replace(/[\\`*_[\]<>|~&]/g, (c) => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '&' ? '&amp;' : `\\${c}`))
    .replace(/[\r\n]+/g, ' ');
}

/** A path in an inline code span, whatever backticks it holds. */
function code(s: string): string {
  // Control characters (a newline in a file name) shown as escapes: a table row is one line.
  const visible = s.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return `<code>${visible.replace(/[<>&|]/g, (c) => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '|' ? '&#124;' : '&amp;'))}</code>`;
}

function fenced(lang: string, text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${lang}\n${text.endsWith('\n') ? text : text + '\n'}${fence}\n`;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Documents of the two sides paired: by id when both have one, else by position. */
export function pairDocuments(
  before?: SideFile,
  after?: SideFile,
): [SideDocument | undefined, SideDocument | undefined][] {
  const a = before?.documents ?? [];
  const b = after?.documents ?? [];
  const pairs: [SideDocument | undefined, SideDocument | undefined][] = [];
  const used = new Set<SideDocument>();
  for (const d of b) {
    const match =
      (d.id !== undefined ? a.find((x) => x.id === d.id && !used.has(x)) : undefined) ??
      a.find((x) => x.index === d.index && !used.has(x) && (x.id === undefined || d.id === undefined));
    if (match) used.add(match);
    pairs.push([match, d]);
  }
  for (const d of a) if (!used.has(d)) pairs.push([d, undefined]);
  return pairs;
}

const MAX_DIFF_LINES = 300;
/** Bytes of report: under GitHub's 1 MiB per job summary, with room for other steps. */
const SUMMARY_BUDGET = 900 * 1024;

function outputSection(key: string, before: Output | undefined, after: Output | undefined): string | undefined {
  const head = `**${md(key)}**`;
  const show = (o: Output): string => ('text' in o ? o.text : `cannot be converted: ${o.error}\n`);
  if (!before && !after) return undefined;
  if (!before) return `${head} (new)\n\n${fenced('', clip(show(after!)))}`;
  if (!after) return `${head} (removed)\n\n${fenced('', clip(show(before)))}`;
  const a = show(before);
  const b = show(after);
  if (a === b) return undefined;
  let s = `${head}\n\n${fenced('diff', clip(`--- before\n+++ after\n${unifiedDiff(a, b)}`))}`;
  // Long lines (a one-line SPL search): the changed words, so the change is found at a glance.
  const al = a.split('\n');
  const bl = b.split('\n');
  if (al.length === bl.length) {
    const words: string[] = [];
    al.forEach((l, k) => {
      if (l !== bl[k] && Math.max(l.length, bl[k]!.length) > 120) words.push(...wordDiff(l, bl[k]!));
    });
    if (words.length) s += `\nChanged words:\n\n${fenced('', clip(words.join('\n')))}`;
  }
  return s;
}

function clip(text: string): string {
  const lines = text.split('\n');
  if (lines.length <= MAX_DIFF_LINES) return text;
  return lines.slice(0, MAX_DIFF_LINES).join('\n') + `\n… ${lines.length - MAX_DIFF_LINES} more lines\n`;
}

function findingLine(f: Finding): string {
  return `- ${f.severity} **${md(f.code)}** ${md(f.name)} (line ${f.line}): ${md(f.message)}`;
}

function countFindings(file: SideFile | undefined): { e: number; w: number; i: number } {
  const all = [...(file?.findings ?? []), ...(file?.documents.flatMap((d) => d.findings) ?? [])];
  return {
    e: all.filter((f) => f.severity === 'error').length,
    w: all.filter((f) => f.severity === 'warning').length,
    i: all.filter((f) => f.severity === 'info').length,
  };
}

function entrySection(e: CiEntry, keys: string[]): { row: string; details: string; changedOutputs: number } {
  const s = e.selected;
  const pairs = pairDocuments(e.before, e.after);
  const title = pairs.map(([a, b]) => (b ?? a)?.title).find((t) => t !== undefined) ?? '';
  const c = countFindings(e.after);
  const tests = (e.after?.documents ?? []).flatMap((d) => d.tests);
  const failedTests = tests.filter((t) => !t.passed).length;
  let changedOutputs = 0;
  const body: string[] = [];
  body.push(`Selected because: ${s.reasons.map(md).join('; ')}.`);
  if (e.after?.findings.length) body.push(`File:\n\n${e.after.findings.map(findingLine).join('\n')}`);
  for (const [before, after] of pairs) {
    const doc = after ?? before!;
    const parts: string[] = [];
    const name = `${md(doc.title ?? doc.id ?? `document ${doc.index + 1}`)}${doc.kind && doc.kind !== 'rule' ? ` (${doc.kind})` : ''}`;
    parts.push(`#### ${name}${!before ? ' — added' : !after ? ' — deleted' : ''}`);
    if (after) {
      parts.push(
        after.findings.length ? `Lint:\n\n${after.findings.map(findingLine).join('\n')}` : 'Lint: no findings.',
      );
      if (after.tests.length)
        parts.push(
          `Tests: ${after.tests.length - after.tests.filter((t) => !t.passed).length}/${after.tests.length} passed\n\n` +
            after.tests.map((t) => `- ${t.passed ? 'pass' : '**FAIL**'} ${md(t.name)}: ${md(t.reason)}`).join('\n'),
        );
    }
    if (before?.noise || after?.noise) {
      const n = (x?: SideDocument): string => (x?.noise ? `${x.noise.score} (${x.noise.level})` : '—');
      parts.push(`Noise: ${n(before)} → ${n(after)}`);
    }
    for (const key of keys) {
      const sec = outputSection(key, before?.outputs.get(key), after?.outputs.get(key));
      if (sec) {
        parts.push(sec);
        changedOutputs++;
      }
    }
    body.push(parts.join('\n\n'));
  }
  const bits = [
    c.e || c.w ? `${plural(c.e, 'error')}, ${plural(c.w, 'warning')}` : 'lint clean',
    tests.length ? `tests ${tests.length - failedTests}/${tests.length}` : 'no tests',
    changedOutputs ? plural(changedOutputs, 'output') + ' changed' : 'outputs unchanged',
  ];
  const noise = pairs
    .map(([a, b]) => (a?.noise || b?.noise ? `${a?.noise?.score ?? '—'} → ${b?.noise?.score ?? '—'}` : ''))
    .filter(Boolean);
  const row = `| ${s.status} | ${code(s.rel)} | ${md(title)} | ${c.e} | ${c.w} | ${tests.length ? `${tests.length - failedTests}/${tests.length}` : '—'} | ${noise.join(', ') || '—'} | ${changedOutputs} |`;
  const summary = `${md(s.status)} ${code(s.rel)} ${md(title)} — ${bits.join(' · ')}`;
  const details = `<details><summary>${summary}</summary>\n\n${body.join('\n\n')}\n\n</details>\n`;
  return { row, details, changedOutputs };
}

export function renderReport(run: CiRun): string {
  const t = run.totals;
  const lines: string[] = [];
  lines.push(`## Sigil CI: ${run.failed ? 'failed' : 'passed'}`);
  lines.push('');
  lines.push(`${md(run.scope)}.`);
  lines.push('');
  const statuses = Object.entries(t.byStatus)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${k}`)
    .join(', ');
  lines.push('| | |\n|---|---|');
  lines.push(`| Rule files checked | ${t.files}${statuses ? ` (${statuses})` : ''} |`);
  lines.push(`| Lint | ${plural(t.errors, 'error')}, ${plural(t.warnings, 'warning')}, ${t.infos} info |`);
  lines.push(
    `| Rule tests | ${t.testsPassed} passed, ${t.testsFailed} failed${t.testProblems ? `, ${plural(t.testProblems, 'unusable file')}` : ''} |`,
  );
  lines.push(
    `| Conversions | ${plural(t.outputsChanged, 'output')} changed; ${t.conversionFailures} not expressible (${t.newConversionFailures} new) |`,
  );
  lines.push(`| Targets | ${run.outputKeys.map(md).join(', ') || 'none'} |`);
  lines.push('');
  for (const p of run.pipelineProblems) lines.push(`- pipeline problem: ${md(p)}`);
  for (const p of run.head.testProblems) lines.push(`- test problem: ${md(p)}`);
  if (run.pipelineProblems.length || run.head.testProblems.length) lines.push('');
  if (run.entries.length === 0) {
    lines.push('No rule file is affected by the change.');
    return lines.join('\n') + '\n';
  }
  const sections = run.entries.map((e) => entrySection(e, run.outputKeys));
  lines.push('| Change | File | Title | Errors | Warnings | Tests | Noise | Outputs changed |');
  lines.push('|---|---|---|---|---|---|---|---|');
  for (const s of sections) lines.push(s.row);
  lines.push('');
  // GitHub shows at most 1 MiB of a job summary: the sections that do not fit are named, not cut.
  let size = Buffer.byteLength(lines.join('\n'));
  let shown = 0;
  for (const s of sections) {
    const bytes = Buffer.byteLength(s.details) + 1;
    if (size + bytes > SUMMARY_BUDGET) break;
    lines.push(s.details);
    size += bytes;
    shown++;
  }
  if (shown < sections.length)
    lines.push(
      `${sections.length - shown} more sections are not shown: the report would exceed GitHub's 1 MiB job summary. Run \`sigil ci\` locally for them.`,
    );
  return lines.join('\n') + '\n';
}
