#!/usr/bin/env node
// @ts-check
/**
 * Generates docs/diagnostics.md from the catalogue (PARSE_DIAGNOSTICS in src/diagnostics.ts).
 * Each code's example is produced by running the parser on a small input, so the documented
 * message is the one Sigil prints. test/parser/diagnostics-doc.test.ts checks the file is current.
 * Usage: npm run build && node scripts/gen-diagnostics-doc.mjs
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** @param {string} detection */
const RULE = (detection, extra = '') =>
  `title: Example\n${extra}logsource:\n    product: windows\ndetection:\n${detection}`;

/**
 * One input per code: text (or bytes), and whether references must be resolved.
 * @type {Record<string, { text: string, bytes?: undefined, resolve?: boolean } | { bytes: number[], text?: undefined, resolve?: undefined }>}
 */
export const EXAMPLES = {
  P001: { bytes: [0x74, 0x69, 0x74, 0x6c, 0x65, 0x3a, 0x20, 0x4a, 0xf6, 0x72, 0x67, 0x0a] },
  P002: { text: 'title: Example\nlogsource:\n\tproduct: windows\n' },
  P003: { text: RULE('    selection:\n        Image: a.exe\n        Image: b.exe\n    condition: selection\n') },
  P004: { text: 'title: ' + '['.repeat(100) + ']'.repeat(100) + '\n' },
  P005: { text: 'just a line of text\n' },
  P006: {
    text: 'title: Example\nlogsource: windows\ndetection:\n    selection:\n        EventID: 1\n    condition: selection\n',
  },
  P007: { text: 'title: Example\ndetection:\n    selection:\n        EventID: 1\n    condition: selection\n' },
  P008: { text: RULE('    selection:\n        EventID: 1\n    condition: selection\n', 'level: severe\n') },
  P010: { text: RULE('    selection:\n        EventID: 1\n') },
  P011: { text: RULE('    selection:\n        EventID: 1\n    condition: selection and not filter\n') },
  P012: {
    text: RULE('    selection:\n        EventID: 1\n    filter:\n        User: SYSTEM\n    condition: selection\n'),
  },
  P013: { text: RULE('    selection:\n        EventID: 1\n    condition: selection and\n') },
  P014: { text: RULE('    selection:\n        EventID: 1\n    condition: selection | count() by User > 5\n') },
  P015: { text: RULE('    selection:\n        EventID: 1\n    condition: selection and not 1 of filter_*\n') },
  P016: { text: RULE('    selection:\n        EventID: 1\n    filter: {}\n    condition: selection and not filter\n') },
  P017: { text: RULE('    selection:\n        EventID:\n            id: 1\n    condition: selection\n') },
  P020: { text: RULE("    selection:\n        Image|endwith: '\\\\cmd.exe'\n    condition: selection\n") },
  P021: { text: RULE("    selection:\n        Image|contains|endswith: '\\\\cmd.exe'\n    condition: selection\n") },
  P022: { text: RULE('    selection:\n        Size|gt: large\n    condition: selection\n') },
  P023: { text: RULE("    selection:\n        CommandLine|contains|all: ' -enc '\n    condition: selection\n") },
  P024: { text: RULE("    selection:\n        CommandLine|re: '(?<name'\n    condition: selection\n") },
  P025: { text: RULE('    selection:\n        DestinationIp|cidr: 10.0.0.0/33\n    condition: selection\n') },
  P026: { text: RULE("    selection:\n        CommandLine|base64: 'IEX*'\n    condition: selection\n") },
  P027: {
    text: RULE("    selection:\n        User:\n            - ''\n            - null\n    condition: selection\n"),
  },
  P028: { text: RULE('    selection:\n        User|exists: yes\n    condition: selection\n') },
  P029: { text: RULE('    selection:\n        User|fieldref: 5\n    condition: selection\n') },
  P030: { text: RULE('    selection:\n        EventID: 1\n    condition: selection\n', 'date: 2024-13-45\n') },
  P031: {
    text: 'title: Example\ncorrelation:\n    type: event_count\n    rules:\n        - failed_logon\n    group-by:\n        - User\n    timespan: 5 minutes\n    condition:\n        gte: 10\n',
  },
  P032: {
    resolve: true,
    text: 'title: Example\ncorrelation:\n    type: event_count\n    rules:\n        - failed_logon\n    group-by:\n        - User\n    timespan: 5m\n    condition:\n        gte: 10\n',
  },
  P033: {
    text: 'title: Example\nlogsource:\n    product: windows\nfilter:\n    selection:\n        User: admin\n    condition: selection\n',
  },
  P034: { text: 'action: repeat\ntitle: Example\n' },
  P035: { text: RULE('    selection:\n        EventID: 4625\n    timeframe: 5m\n    condition: selection\n') },
  P036: {
    text: 'title: Old date\ndate: 2019/10/24\nlogsource:\n    product: windows\ndetection:\n    selection:\n        EventID: 1\n    condition: selection\n',
  },
};

/**
 * Renders the page. `api` holds parse, resolveReferences and PARSE_DIAGNOSTICS (from dist/ or src/).
 * @param {{ parse: typeof import('../src/parser/index.js').parse, resolveReferences: typeof import('../src/parser/index.js').resolveReferences, PARSE_DIAGNOSTICS: typeof import('../src/diagnostics.js').PARSE_DIAGNOSTICS }} api
 */
export function renderDiagnosticsDoc({ parse, resolveReferences, PARSE_DIAGNOSTICS }) {
  const lines = [
    '# Parser diagnostics',
    '',
    '<!-- Generated by scripts/gen-diagnostics-doc.mjs from PARSE_DIAGNOSTICS in src/diagnostics.ts: do not edit by hand. -->',
    '',
    'Every problem the parser finds is a diagnostic: a stable code, a severity, a message, usually a',
    'hint, and the file, line and column of the offending YAML node (1-based). Errors mean the document',
    'cannot be trusted to mean what its author intended; warnings flag something legal but doubtful.',
    'Codes are never reused or renumbered. The CLI prints them as `file:line:column: severity CODE message`',
    '(`sigil parse --json` gives them as objects).',
    '',
    '| Code | Severity | Summary |',
    '| --- | --- | --- |',
  ];
  for (const [code, def] of Object.entries(PARSE_DIAGNOSTICS))
    lines.push(`| [${code}](#${code.toLowerCase()}) | ${def.severity} | ${def.summary.replace(/\|/g, '\\|')} |`);
  lines.push('');
  for (const [code, def] of Object.entries(PARSE_DIAGNOSTICS)) {
    const ex = EXAMPLES[code];
    if (!ex) throw new Error(`no example for ${code}: add one to scripts/gen-diagnostics-doc.mjs`);
    const input = ex.bytes ? Uint8Array.from(ex.bytes) : ex.text;
    const result = parse(input, { file: 'example.yml' });
    let diags = [...result.diagnostics, ...result.documents.flatMap((d) => d.diagnostics)];
    if (ex.resolve) diags = [...resolveReferences([result]).values()].flat();
    const d = diags.find((x) => x.code === code);
    if (!d) throw new Error(`the example for ${code} does not produce it: ${JSON.stringify(diags)}`);
    lines.push(`## ${code}`, '', `**${def.severity}**: ${def.summary}`, '', 'Example input:', '');
    if (ex.bytes) lines.push('```', `bytes: ${ex.bytes.map((b) => b.toString(16).padStart(2, '0')).join(' ')}`, '```');
    else
      lines.push(
        '```yaml',
        ex.text.length > 600 ? ex.text.slice(0, 600) + '…' : ex.text.replace(/\n$/, '').replace(/\t/g, '→   '),
        '```',
      );
    lines.push('', 'Output:', '', '```', `example.yml:${d.line}:${d.column}: ${d.severity} ${d.code} ${d.message}`);
    if (d.hint) lines.push(...d.hint.split('\n').map((h, i) => (i === 0 ? `  hint: ${h}` : `  ${h}`)));
    lines.push('```', '');
  }
  return lines.join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  // The compiled modules (typed by their sources: type-checking does not need a build).
  /** @type {typeof import('../src/parser/index.js')} */
  const { parse, resolveReferences } = await import(new URL('../dist/parser/index.js', import.meta.url).href);
  /** @type {typeof import('../src/diagnostics.js')} */
  const { PARSE_DIAGNOSTICS } = await import(new URL('../dist/diagnostics.js', import.meta.url).href);
  const out = fileURLToPath(new URL('../docs/diagnostics.md', import.meta.url));
  writeFileSync(out, renderDiagnosticsDoc({ parse, resolveReferences, PARSE_DIAGNOSTICS }));
  console.error(`wrote ${out}`);
}
