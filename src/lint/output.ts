/** Renderings of a lint report for machines: JSON, SARIF 2.1.0 (GitHub code scanning), GitHub annotations. */
import type { Severity } from '../diagnostics.js';
import { PARSE_DIAGNOSTICS } from '../diagnostics.js';
import { allFindings, type LintReport } from './engine.js';
import { checkByKey } from './registry.js';
import type { Finding } from './types.js';

const DOCS_BASE = 'https://github.com/sigil-project/sigil/blob/main/docs/lint/';

export function toJson(report: LintReport): string {
  const docs = report.documents.map((d) => ({
    file: d.file ?? null,
    index: d.index,
    id: d.id ?? null,
    title: d.title ?? null,
    findings: d.findings.map(strip),
    noise: d.noise
      ? {
          score: d.noise.score,
          level: d.noise.level,
          explanation: d.noise.explanation,
          ...(d.noise.basis ? { basis: d.noise.basis } : {}),
          ...(d.noise.evidence ? { evidence: d.noise.evidence } : {}),
        }
      : null,
  }));
  return (
    JSON.stringify({ documents: docs, fileFindings: report.fileFindings.map(strip), counts: report.counts }, null, 2) +
    '\n'
  );
}

function strip(f: Finding): Omit<Finding, 'file' | 'edit'> {
  // The edit is for --fix; the JSON keeps its published shape.
  const { file: _file, edit: _edit, ...rest } = f;
  return rest;
}

const SARIF_LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  error: 'error',
  warning: 'warning',
  info: 'note',
};

/** A relative, forward-slash URI for SARIF's artifactLocation. */
function artifactUri(file: string): string {
  const rel = file.replace(/\\/g, '/').replace(/^\.\//, '');
  return rel.split('/').map(encodeURIComponent).join('/');
}

export function toSarif(report: LintReport, version: string): string {
  const findings = allFindings(report);
  const used = [...new Set(findings.map((f) => f.code))].sort();
  const rules = used.map((code) => {
    const check = checkByKey(code);
    if (check) {
      const m = check.meta;
      return {
        id: m.code,
        name: m.name,
        shortDescription: { text: m.summary },
        fullDescription: { text: m.why },
        helpUri: `${DOCS_BASE}${m.code}.md`,
        help: {
          text: `${m.summary}\n\n${m.why}\n\nBad:\n${m.bad}\n\nGood:\n${m.good}`,
          markdown: checkDoc(code) ?? m.summary,
        },
        defaultConfiguration: { level: SARIF_LEVEL[m.defaultSeverity] },
        properties: { family: m.family },
      };
    }
    const p = PARSE_DIAGNOSTICS[code as keyof typeof PARSE_DIAGNOSTICS];
    return {
      id: code,
      name: 'parse',
      shortDescription: { text: p?.summary ?? code },
      helpUri: `${DOCS_BASE}index.md#parser-diagnostics`,
      help: { text: p?.summary ?? code },
      defaultConfiguration: { level: SARIF_LEVEL[p?.severity ?? 'error'] },
    };
  });
  const index = new Map(used.map((c, i) => [c, i]));
  const results = findings.map((f) => {
    const message = f.hint ? `${f.message}\nHint: ${f.hint}` : f.message;
    return {
      ruleId: f.code,
      ruleIndex: index.get(f.code)!,
      level: SARIF_LEVEL[f.severity],
      message: { text: message },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: artifactUri(f.file ?? 'stdin') },
            region: { startLine: Math.max(1, f.line), startColumn: Math.max(1, f.column) },
          },
        },
      ],
    };
  });
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'sigil',
            informationUri: 'https://github.com/sigil-project/sigil',
            semanticVersion: version,
            version,
            rules,
          },
        },
        results,
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}

/** `::error file=…,line=…,col=…,title=CODE::message` workflow commands. */
export function toGithub(report: LintReport): string {
  const esc = (s: string): string => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  const prop = (s: string): string => esc(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
  const cmd: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'notice' };
  return allFindings(report)
    .map(
      (f) =>
        `::${cmd[f.severity]} file=${prop(f.file ?? 'stdin')},line=${f.line},col=${f.column},title=${prop(f.code + ' ' + f.name)}::${esc(f.message + (f.hint ? '\nHint: ' + f.hint : ''))}\n`,
    )
    .join('');
}

/** The documentation page of a check (Markdown), as `sigil lint --explain CODE` prints it. */
export function checkDoc(key: string): string | undefined {
  const c = checkByKey(key);
  if (!c) {
    const p = PARSE_DIAGNOSTICS[key.toUpperCase() as keyof typeof PARSE_DIAGNOSTICS];
    return p
      ? `# ${key.toUpperCase()} (parser, ${p.severity})\n\n${p.summary}\n\nReported by the parser; see docs/lint/index.md.\n`
      : undefined;
  }
  const m = c.meta;
  const lines = [
    `# ${m.code} ${m.name}`,
    '',
    `Family: ${m.family} · default severity: ${m.defaultSeverity}${m.pysigma ? ` · pySigma: ${m.pysigma.map((v) => '`' + v + '`').join(', ')}` : ''}${c.crossFile ? ' · cross-file' : ''}${m.fixable ? ' · fixable (`sigil lint --fix`)' : ''}`,
    '',
    '## What it finds',
    '',
    m.summary,
    '',
    '## Why',
    '',
    m.why,
    '',
    '## Bad',
    '',
    '```yaml',
    m.bad,
    '```',
    '',
    '## Good',
    '',
    '```yaml',
    m.good,
    '```',
    '',
    '## Configure',
    '',
    '```yaml',
    `# .sigil.yml`,
    `checks:`,
    `    ${m.code}: off   # or error, warning, info`,
    '```',
    '',
    `Suppress in one rule: \`sigil: {disable: [${m.code}]}\`.`,
    '',
  ];
  return lines.join('\n');
}
