/** Shared helpers for the lint tests: parse YAML strings and lint them like the CLI does. */
import { parse, resolveReferences } from '../../src/parser/index.js';
import { lint, type LintOptions, type LintReport } from '../../src/lint/engine.js';

export interface FileInput {
  file: string;
  text: string;
}

export function lintTexts(inputs: (string | FileInput)[], options: LintOptions = {}): LintReport {
  const results = inputs.map((i, n) => {
    const f = typeof i === 'string' ? { file: `rule${n}.yml`, text: i } : i;
    return parse(f.text, { file: f.file, schema: false });
  });
  const refs = resolveReferences(results);
  for (const r of results)
    for (const d of r.documents) if (d.document) d.diagnostics.push(...(refs.get(d.document) ?? []));
  return lint(results, options);
}

/** `code@line:column` of every finding with the given code. */
export function findingsOf(report: LintReport, code: string): string[] {
  return report.documents.flatMap((d) =>
    d.findings.filter((f) => f.code === code).map((f) => `${f.file}:${f.line}:${f.column}`),
  );
}

/** A complete, clean rule; `patch` replaces top-level sections by key (YAML text without the key line). */
const BASE: Record<string, string> = {
  title: 'title: Suspicious Certutil Decode',
  id: 'id: 3c1b2f0e-8a4d-4e5b-9c6d-7e8f9a0b1c2d',
  status: 'status: test',
  description: 'description: Detects certutil used to decode a file, a common way to drop payloads.',
  references: 'references:\n    - https://example.org/certutil',
  author: 'author: Jane Doe',
  date: 'date: 2024-05-17',
  tags: 'tags:\n    - attack.defense-evasion\n    - attack.t1140',
  logsource: 'logsource:\n    category: process_creation\n    product: windows',
  detection:
    "detection:\n    selection:\n        Image|endswith: '\\certutil.exe'\n        CommandLine|contains: '-decode'\n    condition: selection",
  falsepositives: 'falsepositives:\n    - Unknown',
  level: 'level: medium',
};

/** Builds a rule from BASE with sections replaced (a full `key: …` text) or removed (null). */
export function rule(patch: Record<string, string | null> = {}): string {
  const out: string[] = [];
  for (const v of Object.values({ ...BASE, ...patch })) if (v !== null) out.push(v);
  return out.join('\n') + '\n';
}

export interface CheckCase {
  code: string;
  /** Rules (or sets of files) that must not get this code. */
  valid: (string | FileInput[])[];
  /** Rules (or sets of files) and the exact `file:line:column` of each finding with this code. */
  invalid: { input: string | FileInput[]; at: string[] }[];
}

export function runCase(c: CheckCase, options: LintOptions = {}): { valid: string[][]; invalid: string[][] } {
  const run = (input: string | FileInput[]): string[] =>
    findingsOf(lintTexts(typeof input === 'string' ? [input] : input, options), c.code);
  return { valid: c.valid.map(run), invalid: c.invalid.map((i) => run(i.input)) };
}
