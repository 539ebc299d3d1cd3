// @ts-check
/**
 * The split of ../shared/telemetry used by the benign-prevalence index
 * (scripts/build-noise-prevalence.mjs) and by the evaluation (scripts/noise-eval.mjs): by
 * recording and host, never by event. Recordings whose hosts are all in the Mordor lab
 * (theshire.local / mordor.local: WORKSTATION5-7, MORDORDC) are the tuning part; those of the
 * other labs (shire.com, Pedro01, pandalab DC01, blacksmith ADFS01) and the benign EVTX fixtures
 * are held out. No host is in both parts; a recording with hosts of both would stop the script.
 */
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import zlib from 'node:zlib';

export const TELEMETRY = path.resolve(import.meta.dirname, '../../shared/telemetry');

/** Techniques of the recordings the OTRF metadata does not map (named by the dataset). */
const NAMED_TECHNIQUES = /** @type {Record<string, string[]>} */ ({
  'credential_access__cmd_dumping_ntds_dit_file_volume_shadow_copy.jsonl.gz': ['T1003.003'],
  'defense_evasion__empire_scm_dll_hijack_ikeext.jsonl.gz': ['T1574.001'],
  'defense_evasion__empire_wmic_add_user_backdoor.jsonl.gz': ['T1047'],
  'lateral_movement__covenant_psremoting_grunt.jsonl.gz': ['T1021.006'],
  'persistence__covenant_persiststartup.jsonl.gz': ['T1547.001'],
});

const TUNING_HOST = /^(workstation[567]|mordordc)(\.(theshire|mordor)\.local)?$/i;

/** @returns {{ file: string, path: string, heldOut: boolean, techniques: string[] }[]} */
export function recordings() {
  const manifest = JSON.parse(fs.readFileSync(path.join(TELEMETRY, 'otrf/MANIFEST.json'), 'utf8'));
  const out = [];
  for (const f of manifest.files) {
    const hosts = Object.keys(f.hosts ?? {});
    const techniques = [
      ...(f.attack ?? []).flatMap((/** @type {any} */ a) => a.techniques.map((/** @type {any} */ t) => t.technique)),
      ...(NAMED_TECHNIQUES[f.file] ?? []),
    ];
    const tuning = hosts.every((h) => TUNING_HOST.test(h));
    const held = hosts.every((h) => !TUNING_HOST.test(h));
    if (!tuning && !held) throw new Error(`${f.file} mixes tuning and held-out hosts`);
    out.push({ file: `otrf/${f.file}`, path: path.join(TELEMETRY, 'otrf', f.file), heldOut: held, techniques });
  }
  for (const f of fs.readdirSync(path.join(TELEMETRY, 'benign')).sort())
    if (f.endsWith('.jsonl.gz'))
      out.push({ file: `benign/${f}`, path: path.join(TELEMETRY, 'benign', f), heldOut: true, techniques: [] });
  return out;
}

/** The events of one gzip JSON Lines recording. @param {string} file */
export async function* events(file) {
  const rl = readline.createInterface({
    input: fs.createReadStream(file).pipe(zlib.createGunzip()),
    crlfDelay: Infinity,
  });
  for await (const line of rl) if (line.trim() !== '') yield JSON.parse(line);
}

/**
 * Whether a rule's ATT&CK technique tags share a technique (or its parent) with a recording's
 * simulated ones: its hits there count as attack events, not benign firing.
 * @param {{ tags?: string[] }} rule @param {{ techniques: string[] }} rec
 */
export function sharesTechnique(rule, rec) {
  const ruleTechniques = (rule.tags ?? [])
    .map((t) => /^attack\.(t\d{4}(\.\d{3})?)$/i.exec(t)?.[1]?.toUpperCase())
    .filter((t) => t !== undefined);
  return ruleTechniques.some((x) => rec.techniques.some((y) => x === y || x.split('.')[0] === y.split('.')[0]));
}

/**
 * The attackers' command-and-control servers in the OTRF labs. A recording's simulated technique
 * runs through an agent (Empire, Covenant, Metasploit) that calls one of these back; its process
 * tree's events are attack events whatever a rule's ATT&CK tags say. Evidence:
 * - 10.10.10.5 (Mordor lab): the agents that OTRF's metadata lists for "Empire Mimikatz
 *   LogonPasswords" (SDWIN-190518202151, `simulation.adversary_view`: powershell, PID 1648 on
 *   WORKSTATION5) connect only to 10.10.10.5:80 in that recording; Covenant's InstallUtil and
 *   Empire's regsvr32 launcher call it too.
 * - 10.0.10.106 (shire.com lab): the only destination of the Empire agents' powershell.exe (and of
 *   the notepad.exe they inject into) in the two Empire recordings of that lab, every few seconds
 *   on 443.
 * - 192.168.56.40 (Pedro01 lab): the only destination of the Metasploit `payload.exe` (8443) in
 *   each recording of that lab.
 */
export const C2_ADDRESSES = new Set(['10.10.10.5', '10.0.10.106', '192.168.56.40']);

const POWERSHELL_CHANNEL = /powershell/i;

/** A process id as Windows writes it: decimal, or `0x…` in the Security log. @param {unknown} v */
function pid(v) {
  if (typeof v === 'number') return Number.isInteger(v) ? v : undefined;
  if (typeof v !== 'string' || v === '') return undefined;
  const n = /^0x[0-9a-f]+$/i.test(v) ? parseInt(v, 16) : /^\d+$/.test(v) ? Number(v) : NaN;
  return Number.isNaN(n) ? undefined : n;
}

/** @param {unknown} h */
const hostOf = (h) => (typeof h === 'string' ? h.toLowerCase().split('.')[0] : '');

/**
 * What an event says about processes: the processes it acts for (each as the keys it names it
 * by: `host|pid` and, in Sysmon, `host|{guid}`), the parent → child edges it records, and whether
 * it talks to a C2 address.
 * @param {any} raw @param {{ value(f: string): unknown }} view
 */
function processFacts(raw, view) {
  const host = hostOf(view.value('Computer'));
  const channel = String(view.value('Channel') ?? '').toLowerCase();
  const id = Number(view.value('EventID'));
  /** @param {unknown} p @param {unknown} [g] @returns {string[]} */
  const keys = (p, g) => {
    const out = [];
    const n = pid(p);
    if (n !== undefined && n > 4) out.push(`${host}|${n}`);
    if (typeof g === 'string' && g !== '') out.push(`${host}|${g.toLowerCase()}`);
    return out;
  };
  /** @type {string[][]} */
  const acting = [];
  /** @type {[string[], string[]][]} */
  const edges = [];
  if (channel.includes('sysmon')) {
    const self = keys(view.value('ProcessId'), view.value('ProcessGuid'));
    acting.push(self);
    if (id === 1) {
      const parent = keys(view.value('ParentProcessId'), view.value('ParentProcessGuid'));
      acting.push(parent);
      edges.push([parent, self]);
    }
    if (id === 8 || id === 10) {
      const source = keys(
        view.value('SourceProcessId'),
        view.value('SourceProcessGuid') ?? view.value('SourceProcessGUID'),
      );
      acting.push(source);
      // A thread created in another process runs the creator's code there.
      if (id === 8) edges.push([source, keys(view.value('TargetProcessId'), view.value('TargetProcessGuid'))]);
    }
  } else if (POWERSHELL_CHANNEL.test(channel)) {
    // PowerShell's logs are written by the PowerShell host itself.
    acting.push(keys(raw.ExecutionProcessID ?? raw.process_id));
  } else if (channel === 'security') {
    acting.push(keys(view.value('ProcessId')), keys(view.value('ProcessID')));
    if (id === 4688) {
      const child = keys(view.value('NewProcessId'));
      acting.push(child);
      edges.push([keys(view.value('ProcessId')), child]);
    }
  }
  const addresses = [
    view.value('DestinationIp'),
    view.value('SourceIp'),
    view.value('DestAddress'),
    view.value('SourceAddress'),
  ];
  const c2 = addresses.some((a) => typeof a === 'string' && C2_ADDRESSES.has(a));
  // The program a Sysmon event's process runs, and the PowerShell host an event names (for the
  // collectors that do not record which process wrote a PowerShell event).
  const image = channel.includes('sysmon') ? lower(view.value('Image')) : undefined;
  const psHost = POWERSHELL_CHANNEL.test(channel)
    ? lower(
        /Host ?Application ?= ?(.*?\.exe)/i.exec(String(view.value('ContextInfo') ?? view.value('Data') ?? ''))?.[1],
      )
    : undefined;
  return { host, acting: acting.filter((k) => k.length > 0), edges, c2, image, psHost };
}

/** @param {unknown} v */
const lower = (v) => (typeof v === 'string' && v !== '' ? v.toLowerCase() : undefined);

/**
 * The attack processes of one recording, as keys (`host|pid`, `host|{guid}`): every process that
 * talks to a C2 address, and its descendants (process creation, remote threads), found in two
 * passes (once per recording and process). The keys an event gives one process (its pid and its
 * GUID) are linked both ways.
 * @param {string} file @param {(raw: any) => { value(f: string): unknown }} toView
 * @returns {Promise<Set<string>>}
 */
export function attackProcesses(file, toView) {
  let tree = trees.get(file);
  if (tree === undefined) trees.set(file, (tree = buildAttackTree(file, toView)));
  return tree;
}
/** Per recording, its tree: the evaluation scripts read a recording more than once. */
const trees = new Map();

/** @param {string} file @param {(raw: any) => { value(f: string): unknown }} toView @returns {Promise<Set<string>>} */
async function buildAttackTree(file, toView) {
  /** @type {Set<string>} */
  const tree = new Set();
  /** @type {Map<string, Set<string>>} */
  const next = new Map();
  const link = (/** @type {string} */ a, /** @type {string} */ b) => {
    const s = next.get(a);
    if (s) s.add(b);
    else next.set(a, new Set([b]));
  };
  /** @type {Map<string, Set<string>>} host|image → the first key of each process seen running it */
  const runs = new Map();
  for await (const raw of events(file)) {
    const f = processFacts(raw, toView(raw));
    if (f.image && f.acting[0]) {
      const k = `${f.host}|${f.image}`;
      const set = runs.get(k);
      if (set) set.add(f.acting[0][0]);
      else runs.set(k, new Set([f.acting[0][0]]));
    }
    for (const self of f.acting) {
      if (f.c2) for (const k of self) tree.add(k);
      for (const a of self) for (const b of self) if (a !== b) link(a, b);
    }
    for (const [parent, child] of f.edges) for (const p of parent) for (const c of child) link(p, c);
  }
  const queue = [...tree];
  while (queue.length > 0)
    for (const c of next.get(/** @type {string} */ (queue.pop())) ?? [])
      if (!tree.has(c)) {
        tree.add(c);
        queue.push(c);
      }
  // A program only attack processes run (Metasploit's payload.exe, not powershell.exe) marks the
  // PowerShell events whose host it is, where the collector did not record the writing process.
  if (tree.size > 0)
    for (const [k, processes] of runs) if ([...processes].every((p) => tree.has(p))) tree.add(`image:${k}`);
  return tree;
}

/**
 * Whether an event belongs to the attack: it talks to a C2 address, or a process it acts for is
 * in the recording's attack tree.
 * @param {any} raw @param {{ value(f: string): unknown }} view @param {Set<string>} tree
 */
export function isAttackEvent(raw, view, tree) {
  if (tree.size === 0) return false;
  const f = processFacts(raw, view);
  return (
    f.c2 ||
    f.acting.some((self) => self.some((k) => tree.has(k))) ||
    (f.psHost !== undefined && tree.has(`image:${f.host}|${f.psHost}`))
  );
}
