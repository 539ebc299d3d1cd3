#!/usr/bin/env node
// @ts-check
/**
 * Query cost on Sentinel's `Event` table (pipeline sentinel-event): Sysmon rules of the corpus,
 * converted, run by the test KQL interpreter (test/backends/kql/kql-interpreter.ts, transpiled
 * with TypeScript into node_modules/.cache) on a generated sample of Event rows whose EventData is
 * the agent's XML. Each query also runs with its `has` prefilter lines removed, to show what the
 * prefilter saves: how many rows reach parse_xml + mv-apply (the costly part in Kusto). The
 * verdicts of both must agree (the prefilter never drops a match); the script fails otherwise.
 *
 *   node scripts/bench-event-table.mjs [--rows N] [--rules N]
 *
 * N rows (default 5,000; 60% process_creation, 20% registry_set, 20% file_event), the first N
 *  rules (default 30) of rules/windows/{process_creation,registry/registry_set,file/file_event}.
 * Not a test: numbers vary with the machine. Needs `npm run build`.
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const root = path.resolve(import.meta.dirname, '..');
/** @param {string} name @param {number} def */
const arg = (name, def) => {
  const i = process.argv.indexOf(name);
  const n = i === -1 ? def : Number(process.argv[i + 1]);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`bench-event-table: ${name} takes a whole number ≥ 1`);
    process.exit(2);
  }
  return n;
};
const ROWS = arg('--rows', 5_000);
const RULES = arg('--rules', 30);

// The interpreter, transpiled (its only import, re2js, resolves from node_modules).
const cache = path.join(root, 'node_modules/.cache/sigil-bench');
fs.mkdirSync(cache, { recursive: true });
const src = fs.readFileSync(path.join(root, 'test/backends/kql/kql-interpreter.ts'), 'utf8');
const js = ts.transpileModule(src, {
  compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
}).outputText;
fs.writeFileSync(path.join(cache, 'kql-interpreter.mjs'), js);
const { runKql } = await import(path.join(cache, 'kql-interpreter.mjs'));
const { parse } = await import('../dist/parser/index.js');
const { convertDocument } = await import('../dist/convert.js');
const { tableColumns } = await import('../dist/backends/kql/schema.js');

// Seeded generator (deterministic sample).
let seed = 20260101;
const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
/** @template T @param {T[]} a @returns {T} */
const pick = (a) => /** @type {T} */ (a[Math.floor(rnd() * a.length)]);
const IMAGES = [
  'C:\\Windows\\System32\\svchost.exe',
  'C:\\Windows\\explorer.exe',
  'C:\\Program Files\\App\\app.exe',
  'C:\\Windows\\System32\\cmd.exe',
  'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
  'C:\\Windows\\System32\\rundll32.exe',
  'C:\\Users\\bob\\AppData\\Local\\Temp\\x.exe',
];
const ARGS = [
  '',
  ' /c whoami',
  ' -nop -w hidden -enc SQBFAFgA',
  ' /s /q',
  ' C:\\Windows\\Temp\\a.dll,Start',
  ' --type=renderer',
];
const KEYS = [
  'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run\\x',
  'HKU\\S-1-5-21\\Software\\Classes\\ms-settings\\shell\\open\\command\\(Default)',
  'HKLM\\System\\CurrentControlSet\\Services\\svc\\ImagePath',
];
const esc = (/** @type {string} */ s) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
/** @param {number} id @param {Record<string, string>} data */
const row = (id, data) => ({
  Source: 'Microsoft-Windows-Sysmon',
  EventLog: 'Microsoft-Windows-Sysmon/Operational',
  EventID: id,
  Computer: 'host' + Math.floor(rnd() * 50),
  EventData:
    '<DataItem type="System.XmlData" time="2026-01-01T00:00:00.0000000+00:00" sourceHealthServiceId="7896DB24-81DF-2EAB-B12B-29AED6D69A17"><EventData xmlns="http://schemas.microsoft.com/win/2004/08/events/event">' +
    Object.entries(data)
      .map(([k, v]) => `<Data Name="${k}">${esc(v)}</Data>`)
      .join('') +
    '</EventData></DataItem>',
});
const rows = [];
for (let i = 0; i < ROWS; i++) {
  const r = rnd();
  const image = pick(IMAGES);
  if (r < 0.6)
    rows.push(
      row(1, {
        RuleName: '-',
        UtcTime: '2026-01-01 00:00:00.000',
        ProcessGuid: '{0}',
        ProcessId: '4242',
        Image: image,
        CommandLine: `"${image}"${pick(ARGS)}`,
        CurrentDirectory: 'C:\\Windows\\system32\\',
        User: 'CORP\\bob',
        IntegrityLevel: 'Medium',
        ParentImage: pick(IMAGES),
        ParentCommandLine: pick(IMAGES),
        OriginalFileName: path.win32.basename(image),
      }),
    );
  else if (r < 0.8)
    rows.push(
      row(13, { EventType: 'SetValue', Image: image, TargetObject: pick(KEYS), Details: 'DWORD (0x00000001)' }),
    );
  else
    rows.push(
      row(11, { Image: image, TargetFilename: `C:\\Users\\bob\\AppData\\Local\\Temp\\${Math.floor(rnd() * 1e6)}.tmp` }),
    );
}

const corpus = path.resolve(root, '../shared/corpus/sigmahq/rules/windows');
const files = ['process_creation', 'registry/registry_set', 'file/file_event'].flatMap((d) =>
  fs
    .readdirSync(path.join(corpus, d))
    .sort()
    .slice(0, Math.ceil(RULES / 3))
    .map((f) => path.join(corpus, d, f)),
);
const columns = tableColumns('Event', 'sentinel');
let parsedWith = 0;
let parsedWithout = 0;
let cpu = 0;
let matches = 0;
let prefiltered = 0;
let converted = 0;
/** Rows that reach the parse: those that pass every `where` before it (a query without it parses nothing). */
const beforeParse = (/** @type {string} */ q) => q.split('\n| extend EventDataItems')[0];
for (const file of files) {
  const doc = parse(fs.readFileSync(file, 'utf8'), { file }).documents[0]?.document;
  if (!doc || doc.kind !== 'rule') continue;
  const r = convertDocument(doc, { target: 'kql', pipelines: ['sentinel-event'] });
  if (!r.ok || r.tables[0] !== 'Event') continue;
  converted++;
  const query = r.queries[0];
  const without = query
    .split('\n')
    .filter((l) => !/^\| where EventData has/.test(l))
    .join('\n');
  if (without !== query) prefiltered++;
  const parses = query.includes('parse_xml');
  const start = process.cpuUsage();
  for (const x of rows) {
    const hit = runKql(query, x, { table: 'Event', columns });
    // The prefilter never drops a match.
    if (hit !== runKql(without, x, { table: 'Event', columns })) {
      console.error(`bench-event-table: the prefilter changed a verdict for ${file}`);
      process.exit(1);
    }
    if (hit) matches++;
    if (!parses) continue;
    if (runKql(beforeParse(query), x, { table: 'Event', columns })) parsedWith++;
    if (runKql(beforeParse(without), x, { table: 'Event', columns })) parsedWithout++;
  }
  const used = process.cpuUsage(start);
  cpu += (used.user + used.system) / 1000;
}
const fmt = (/** @type {number} */ n) => n.toLocaleString('en-US');
console.log(`Event table: ${fmt(converted)} rules (${fmt(prefiltered)} with a has prefilter) × ${fmt(ROWS)} rows`);
console.log(
  `  rows parsed (parse_xml + mv-apply): ${fmt(parsedWith)} with the prefilter, ${fmt(parsedWithout)} without`,
);
console.log(`  share of rows parsed: ${((100 * parsedWith) / Math.max(1, parsedWithout)).toFixed(1)}%`);
console.log(
  `  (interpreter CPU ${fmt(Math.round(cpu))} ms; the interpreter models which rows pass, not Kusto's costs)`,
);
console.log(`  matches: ${fmt(matches)}`);
