/**
 * The noisiness score: how likely a rule is to fire on benign activity, and which clause is
 * to blame. Specificity is counted in bits (relative units modelled on −log2 of the share of
 * benign events a part matches):
 *  1. corpus reach: an indicator many catalog rules use is common; each doubling of its reach
 *     costs a bit;
 *  2. intrinsic specificity: value length and character classes, wildcards, the operator,
 *     common binaries and paths, event-id-only selections;
 *  3. boolean structure: the condition is reduced to at most MAX_BRANCHES disjuncts (keeping
 *     the least specific: the noisiest branch decides); a conjunction adds its parts' bits
 *     (with diminishing returns), a list of alternatives is as noisy as its noisiest value, `and not`
 *     filters add bits according to how much they exclude.
 *  4. optional baseline: matches on benign events measured by the evaluator.
 * Around them: value and branch bits saturate (diminishing returns), a quiet parent starting a
 * shell is an unusual lineage (lineage.ts), the benign-prevalence index (prevalence.ts) lowers
 * values common in benign telemetry, and the logsource's volume (measured where the index
 * places a Windows source, a fixed table elsewhere) shifts the total.
 * The score reads only the detection, the logsource, the catalog and the prevalence index (never
 * level, status, title, description, falsepositives, author, references, tags or path: what it
 * is judged against).
 */
import type { Condition, Detection, SigmaDocument } from '../../ast/types.js';
import { lowerNode, type Predicate } from '../../ast/semantics.js';
import { foldCondition } from '../../ast/fold.js';
import { leafIndicator, indicatorKey, type Indicator } from './indicators.js';
import { reachLookup, type NoiseCatalog } from './catalog.js';
import { isLegitimateProgram, shipsWithWindows } from './legitimate-programs.js';
import { lineageRole, type LineageRole } from './lineage.js';
import type { TelemetryEvidence } from './telemetry.js';
import { indicatorShare, sourceShare } from './prevalence.js';

export interface NoiseResult {
  score: number;
  level: 'low' | 'medium' | 'high';
  explanation: string;
  /** Bits of specificity of the noisiest branch (for tests and tuning). */
  bits: number;
  /** The noisiest branch's literals: clause, indicator key, reach and bits (for tests and tuning). */
  branch: { clause: string; indicator: string | null; reach: number; bits: number; filter: boolean }[];
  /** What the score rests on: telemetry evidence (where it covers the log source) or the static estimate. */
  basis?: 'telemetry' | 'static';
  /** The rule measured on telemetry (`--telemetry`), when telemetry was given. */
  evidence?: TelemetryEvidence;
}

export interface NoiseOptions {
  catalog: NoiseCatalog;
  thresholds?: { medium: number; high: number };
  /** Matches of this rule on a benign baseline, and the number of events. */
  baseline?: { matches: number; events: number };
  /** The rule measured on telemetry: where it covers the rule's log source, the score rests on it. */
  evidence?: TelemetryEvidence;
  /**
   * The model's constants (default: NOISE_PARAMS), for calibration experiments:
   * `{ ...NOISE_PARAMS, perChar: 1 }`. Bits are memoised per params object, so reuse one object.
   */
  params?: NoiseParams;
}

/** Bound on the disjuncts kept per node: the noisiest ones (others cannot change the maximum). */
export const MAX_BRANCHES = 32;
/**
 * The model's constants, in one place (docs/noise.md explains them). Frozen: the calibration
 * (docs/noise.md: tuned on the even-id half of the corpus, reported on the odd half) shows how
 * each one moves the AUC by passing its own values (NoiseOptions.params).
 */
export const NOISE_PARAMS = Object.freeze({
  /** Bits lost per doubling of an indicator's corpus reach. */
  reachWeight: 1,
  /** Bits per character of a value, before the operator factor. */
  perChar: 0.9,
  /** Minimum bits of a string indicator of 3+ characters: two common values together still narrow. */
  floor: 1,
  /** Weight of each further field of a conjunction, and of each further indicator on the same field. */
  decay: 0.9,
  sameField: 0.9,
  /** Bits of a whole uncommon file name (`endswith '\\name.exe'`), and of a common one. */
  rareName: 7,
  commonName: 2,
  /** Bits of a PowerShell cmdlet name. */
  cmdlet: 2,
  /** Scale of the logsource prior. */
  prior: 2,
  /**
   * Minimum bits (before the operator factor) of a value with a character outside ASCII
   * (emoji, a right-to-left override): benign command lines and paths are nearly all ASCII.
   */
  nonAscii: 8,
  /** Bits per literal character of a regex. */
  regexRate: 0.3,
  /** Cap of equality on an event-type field (an event-id-only selection). */
  eventTypeCap: 2,
  /** Character-class factor of plain words, and of words with spaces. */
  plainWord: 0.75,
  spaced: 0.9,
  /** Operator factor of contains / wildcards, and of starts/ends with. */
  containsFactor: 0.6,
  affixFactor: 0.8,
  /**
   * Bits all `and not` filters of a branch add together, at most: one bit, they at most halve
   * what the selection matches elsewhere (authors filter the benign sources of their own
   * environment; issue 21's telemetry shows filtered rules still fire on other hosts).
   */
  filterCap: 1,
  /** Scale of one filter's bits (0.3 … 2.5 by how broad what it excludes is, before the scale). */
  filterWeight: 0.5,
  /**
   * Saturation of a value's length-based bits, and of a branch's bits: specificity has
   * diminishing returns (see saturate()).
   */
  valueSaturation: 8,
  branchSaturation: 10,
  /** Bits a quiet parent starting a shell or system tool adds to a branch (lineage.ts). */
  lineage: 4,
  /**
   * A baseline's observed rate in the model's bits: a rule matching 1 in 2^baselineCenter benign
   * events (1 in 1,024) scores 50; each further halving of the rate adds baselineScale model bits.
   * The model's bits are relative units (saturated, with priors), not literal −log2 rates.
   */
  baselineCenter: 10,
  baselineScale: 0.4,
  /**
   * Benign prevalence (prevalence.ts): how much of a value's bits come from the share of benign
   * events that hold it (0 = characters only), and model bits per bit of −log2(share).
   */
  prevalenceWeight: 1,
  prevalenceScale: 1,
  /**
   * 1: for a program that ships with Windows (not an everyday binary), the observed share counts
   * both ways (a rare or absent one is specific); 0: it only lowers, as for other values.
   */
  windowsPrograms: 1,
  /**
   * Model bits per bit of −log2(the log source's share of benign events), centred on
   * volumeCenter: the same rate as an observed match rate's (baselineScale), since a source's
   * volume bounds how often a rule on it can fire.
   */
  volumeWeight: 0.4,
  volumeCenter: 5,
  /** In-scope telemetry events at which the observed rate and the static estimate weigh the same. */
  telemetryHalf: 5,
  /** Score 50 at this many bits; the logistic's width. */
  center: 3,
  width: 1.2,
});

/** The model's constants as NoiseOptions.params takes them: NOISE_PARAMS's keys, any values. */
type NoiseParams = { readonly [K in keyof typeof NOISE_PARAMS]: number };

/** A literal of a branch: an indicator with its bits, or a filter (negated sub-condition). */
interface Literal {
  bits: number;
  clause: string;
  indicator?: Indicator;
  reach?: number;
  /** Number of alternatives OR-ed in this literal (a value list). */
  alternatives?: number;
  filter?: boolean;
  /** The share of benign events holding the value, from the prevalence index (when it knows it). */
  benignShare?: number;
  /** A filter that can never hold: it excludes nothing. */
  excludesNothing?: boolean;
  /** Why the indicator alone is common (the intrinsic rule that capped it), for the explanation. */
  reason?: string;
  /**
   * The part this literal's noisiest alternative plays in a process lineage (lineage.ts), and
   * how many bits more specific its noisiest alternative *without* that part is (Infinity when
   * every alternative plays it): the lineage bonus cannot exceed that, or the other alternative
   * would become the noisiest.
   */
  lineage?: { role: LineageRole; slack: number };
}

interface Branch {
  bits: number;
  literals: Literal[];
  /** A quiet parent and a spawned tool hold together in this branch: their literals and the bits it adds. */
  lineage?: { parent: Literal; child: Literal; bits: number };
}

/**
 * Diminishing returns: about `x` bits while x is small, never more than `cap`. A value's length
 * and a branch's indicators both stop narrowing at some point: benign software that trips a rule
 * does the same thing the rule describes (its legitimate use of the behaviour), so past the
 * behaviour's own benign rate a longer value or one more indicator of the same behaviour excludes
 * little more. Counting bits linearly overrated long registry paths and long command-line
 * fragments against short, unusual ones.
 */
function saturate(x: number, cap: number): number {
  return cap * (1 - Math.exp(-x / cap));
}

/** Image-like executables so common that a rule on them alone matches everyday activity. */
const COMMON_BINARIES = new Set([
  'powershell.exe',
  'pwsh.exe',
  'cmd.exe',
  'rundll32.exe',
  'regsvr32.exe',
  'svchost.exe',
  'explorer.exe',
  'msiexec.exe',
  'wmic.exe',
  'reg.exe',
  'schtasks.exe',
  'sc.exe',
  'net.exe',
  'net1.exe',
  'mshta.exe',
  'cscript.exe',
  'wscript.exe',
  'conhost.exe',
  'dllhost.exe',
  'taskhostw.exe',
  'lsass.exe',
  'services.exe',
  'werfault.exe',
  'bash',
  'sh',
  'python',
  'python.exe',
  'curl',
  'curl.exe',
  'wget',
  'chrome.exe',
  'msedge.exe',
  'firefox.exe',
  'outlook.exe',
  'winword.exe',
  'excel.exe',
  'w3wp.exe',
  'java.exe',
  'node.exe',
  'certutil.exe',
  'bitsadmin.exe',
  'wmiprvse.exe',
  'mmc.exe',
  'notepad.exe',
  'taskmgr.exe',
  'consent.exe',
  'userinit.exe',
  'winlogon.exe',
  'smss.exe',
  'csrss.exe',
  'ntoskrnl.exe',
  // Everyday Unix utilities: shell scripts run them constantly.
  'dash',
  'zsh',
  'ksh',
  'grep',
  'egrep',
  'cat',
  'kill',
  'pkill',
  'chmod',
  'chown',
  'ls',
  'ps',
  'id',
  'whoami',
  'find',
  'awk',
  'sed',
  'cut',
  'perl',
  'ruby',
  'php',
  'python2',
  'python3',
  'base64',
  'crontab',
  'systemctl',
  'sudo',
  'su',
  'cp',
  'mv',
  'rm',
  'tar',
  'ssh',
  'scp',
  'osascript',
  'launchctl',
  'defaults',
  'security',
  'open',
  'dscl',
  'uname',
  'hostname',
  'ifconfig',
  'netstat',
  'env',
  'nohup',
  // Everyday Windows tools and the system DLLs nearly every process loads.
  'tasklist.exe',
  'taskkill.exe',
  'whoami.exe',
  'ipconfig.exe',
  'ping.exe',
  'hostname.exe',
  'systeminfo.exe',
  'nslookup.exe',
  'timeout.exe',
  'find.exe',
  'findstr.exe',
  'where.exe',
  'attrib.exe',
  'icacls.exe',
  'robocopy.exe',
  'xcopy.exe',
  'tar.exe',
  'msbuild.exe',
  'csc.exe',
  'dotnet.exe',
  'git.exe',
  'code.exe',
  'teams.exe',
  'onedrive.exe',
  'searchprotocolhost.exe',
  'runtimebroker.exe',
  'sihost.exe',
  'ctfmon.exe',
  'kernel32.dll',
  'kernelbase.dll',
  'ntdll.dll',
  'user32.dll',
  'advapi32.dll',
  'ws2_32.dll',
  'ole32.dll',
  'oleaut32.dll',
  'combase.dll',
  'shell32.dll',
  'crypt32.dll',
  'wininet.dll',
  'winhttp.dll',
  'urlmon.dll',
  'clr.dll',
  'clrjit.dll',
  'mscoree.dll',
  'amsi.dll',
  'system.management.automation.dll',
  'system.management.automation.ni.dll',
  'vbscript.dll',
  'jscript.dll',
  'dbghelp.dll',
  'dbgcore.dll',
]);

/**
 * Path fragments nearly every event contains (system folders, registry roots): they add no
 * specificity, so they are removed before a value's length is counted.
 */
const COMMON_FRAGMENTS = [
  '\\software\\microsoft\\windows\\currentversion',
  '\\software\\microsoft\\windows nt\\currentversion',
  '\\software\\wow6432node',
  '\\software\\microsoft',
  '\\software\\policies\\microsoft',
  '\\software\\classes',
  '\\system\\currentcontrolset\\services',
  '\\system\\currentcontrolset\\control',
  '\\system\\currentcontrolset',
  'hklm\\',
  'hkcu\\',
  'hkey_local_machine',
  'hkey_current_user',
  '\\registry\\machine',
  'c:\\windows\\system32\\',
  'c:\\windows\\syswow64\\',
  'c:\\windows\\',
  '\\windows\\system32\\',
  '\\windows\\',
  'c:\\users\\',
  '\\users\\',
  '\\appdata\\local\\temp\\',
  '\\appdata\\local\\',
  '\\appdata\\roaming\\',
  'c:\\program files (x86)\\',
  'c:\\program files\\',
  '\\program files',
  'c:\\programdata\\',
  '\\microsoft\\windows\\',
  '/usr/bin/',
  '/usr/sbin/',
  '/usr/local/bin/',
  '/bin/',
  '/sbin/',
  '/etc/',
  '/tmp/',
  '/var/',
  '/home/',
];

/** PowerShell cmdlet names (Verb-Noun) are everyday admin vocabulary, not indicators by themselves. */
const CMDLET =
  /^(get|set|new|remove|add|invoke|start|stop|enable|disable|import|export|test|clear|out|write|read|copy|move|select|convert)-[a-z]+$/;
const COMMON_PATH =
  /^(c:)?\\?(windows|program files( \(x86\))?|programdata|users)(\\(system32|syswow64|temp|appdata))?\\?$|^\\?(system32|syswow64|appdata|temp|windows)\\?$|^\/(tmp|usr|bin|etc|var|home)\/?$/;

/**
 * Fields whose values name an event type (an API call, an operation, an event id): equality on
 * them selects a kind of event, not a suspicious behaviour, like an event-id-only selection.
 */
const EVENT_TYPE_FIELD =
  /^(eventid|eventname|eventsource|eventtype|event_type|event\.action|action|actiontype|operation|operationname|operationnamevalue|activitytype|activitydisplayname|category|type|method|cs-method|provider_name|channel|workload|recordtype|status|resulttype|service|source|logontype|protocol|qtype)$/i;

/**
 * Fields that name a running program's image (or a module it loads): only there does a whole
 * file name stand for a program that runs wherever it is used (the common and legitimate
 * program caps) or for a rare tool (the rare-name floor).
 */
const PROCESS_IMAGE_FIELD =
  /^(image|parentimage|originalfilename|sourceimage|targetimage|imageloaded|newprocessname|parentprocessname|processname|callerprocessname|application|initiatingprocessfilename|filename|process_name|process_path|parent_process_name|parent_process_path)$/i;

/**
 * Params → predicate kind → indicator key → bits (two levels: no key concatenation per literal).
 * Keyed on the params object: NOISE_PARAMS is frozen, and an experiment's own params get their own memo.
 */
const intrinsicCaches = new WeakMap<NoiseParams, Map<string, Map<string, Intrinsic>>>();

function intrinsicCacheFor(p: NoiseParams): Map<string, Map<string, Intrinsic>> {
  let cache = intrinsicCaches.get(p);
  if (cache === undefined) {
    cache = new Map();
    intrinsicCaches.set(p, cache);
  }
  return cache;
}

/**
 * Intrinsic specificity of one indicator, in bits, and the reason when a rule about common
 * values capped it (for the explanation).
 */
interface Intrinsic {
  bits: number;
  reason?: string;
}

const EVENT_KIND_REASON = 'it selects a kind of event, not a behaviour';

/** Intrinsic specificity (memoised per indicator: many rules share them). */
function intrinsic(
  ind: Indicator,
  indKey: string,
  p: NoiseParams,
  cache: Map<string, Map<string, Intrinsic>>,
): Intrinsic {
  let byKey = cache.get(ind.leaf.kind);
  if (byKey === undefined) {
    byKey = new Map();
    cache.set(ind.leaf.kind, byKey);
  }
  let value = byKey.get(indKey);
  if (value === undefined) {
    value = valueBits(ind, p);
    if (EVENT_TYPE_FIELD.test(ind.field) && (ind.op === 'eq' || ind.leaf.kind === 'number')) {
      // An event id selects a kind of event; an operation name (a cloud API call, an audit
      // action) selects every occurrence of that operation, administrators' included.
      const reason =
        ind.leaf.kind === 'number' ||
        /^\d+$/.test(ind.value) ||
        /^(channel|provider_name|eventsource|service|source)$/i.test(ind.field)
          ? EVENT_KIND_REASON
          : 'it selects every occurrence of an operation, whoever performs it';
      value = { bits: Math.min(value.bits, p.eventTypeCap), reason };
    }
    byKey.set(indKey, value);
  }
  return value;
}

/** A whole file name (`endswith '\\name.exe'`, or equal to `name.exe`), lower-cased, if the value is one. */
function wholeFileName(op: string, text: string): string | undefined {
  const whole =
    (op === 'endswith' && /^[\\/]/.test(text) && !text.slice(1).includes('\\')) ||
    (op === 'eq' && /^[^\\/]+\.\w{2,4}$/.test(text));
  return whole ? text.replace(/^.*[\\/]/, '') : undefined;
}

function valueBits(ind: Indicator, p: NoiseParams): Intrinsic {
  const leaf = ind.leaf;
  switch (leaf.kind) {
    case 'string': {
      if (ind.op === 'any') return { bits: 0.2 };
      const text = ind.value.replace(/\*/g, '');
      let core = text;
      // Every common fragment has a path separator or a registry hive name.
      if (text.includes('\\') || text.includes('/') || text.includes('hkey'))
        for (const f of COMMON_FRAGMENTS) if (core.includes(f)) core = core.split(f).join('\u0000');
      const L = core.replace(/\u0000/g, '').length + (core.includes('\u0000') ? 1 : 0);
      let factor =
        ind.op === 'eq' ? 1 : ind.op === 'startswith' || ind.op === 'endswith' ? p.affixFactor : p.containsFactor;
      if (ind.field === '*') factor *= 0.8; // keywords: anywhere in the event
      // Character classes: punctuation, digits and mixed text are rarer than plain words.
      const rich =
        /[\\/.:=%$_\-{}[\]"'|&<>]/.test(text) || /\d/.test(text) ? 1 : /\s/.test(text) ? p.spaced : p.plainWord;
      let bits = saturate(Math.min(20, p.perChar * factor * rich * Math.min(L, 40)), p.valueSaturation);
      // A whole file name (endswith '\\name.exe', or equal to it): as specific as the binary is rare.
      const file = wholeFileName(ind.op, text);
      // Everyday binaries, and programs that ship with the system or are installed legitimately,
      // run wherever they are used as intended: their name alone is common.
      let reason: string | undefined;
      if (file !== undefined && !PROCESS_IMAGE_FIELD.test(ind.field)) {
        // A file a process writes, a value it sets (TargetFilename, TargetObject …): its name is
        // no program that runs, so neither the everyday-program cap nor the rare-name floor
        // applies; it counts by length like any other value.
      } else if (file !== undefined && COMMON_BINARIES.has(file))
        [bits, reason] = [p.commonName, `${file} runs on every machine`];
      else if (file !== undefined && isLegitimateProgram(file))
        [bits, reason] = [p.commonName, `${file} is a legitimate program that runs wherever it is used as intended`];
      else if (file !== undefined) bits = Math.max(bits, p.rareName);
      if (COMMON_PATH.test(text)) {
        bits = Math.min(bits, 1.5);
        reason ??= 'a system folder every event names';
      }
      if (CMDLET.test(text.trim())) {
        bits = Math.min(bits, p.cmdlet);
        reason ??= 'a PowerShell cmdlet name is everyday admin vocabulary';
      }
      if (/[^\x00-\x7f]/.test(text)) bits = Math.max(bits, p.nonAscii * factor);
      else if (L <= 2) bits = Math.min(bits, 0.5);
      return reason === undefined ? { bits } : { bits, reason };
    }
    case 'regex': {
      const literal = leaf.pattern.replace(/\\./g, 'x').replace(/[.*+?^${}()|[\]]/g, '').length;
      return { bits: saturate(Math.min(14, p.regexRate * literal), p.valueSaturation) };
    }
    case 'number':
      // Event ids and codes select an event type, not a behaviour.
      return { bits: leaf.op === 'eq' ? 2.5 : 1 };
    case 'boolean':
      return { bits: 1 };
    case 'null':
    case 'exists':
      return { bits: 0.5 };
    case 'cidr': {
      const n = leaf.cidr.network;
      const priv = /^(10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|127\.|169\.254\.|fe80|fc|fd|0000)/.test(n);
      return {
        bits: priv || leaf.cidr.prefix < 8 ? 1 : Math.min(10, leaf.cidr.prefix / (leaf.cidr.version === 4 ? 3 : 10)),
      };
    }
    case 'fieldref':
      return { bits: 3 };
    default:
      return { bits: 0 };
  }
}

/**
 * Combines the bits of a conjunction. Indicators on the same field are correlated (two
 * substrings of one command line often come together), indicators on different fields less so:
 * within a field each further indicator counts `sameField`^i, across fields `decay`^j.
 */
function conjunctionBits(literals: Literal[], p: NoiseParams): number {
  const byField = new Map<string, number[]>();
  for (const l of literals) {
    const f = l.indicator?.field ?? '';
    const list = byField.get(f) ?? [];
    list.push(l.bits);
    byField.set(f, list);
  }
  const perField = [...byField.values()].map((bits) =>
    bits.sort((a, b) => b - a).reduce((t, b, i) => t + b * Math.pow(p.sameField, i), 0),
  );
  return perField.sort((a, b) => b - a).reduce((t, b, j) => t + b * Math.pow(p.decay, j), 0);
}

/**
 * A branch's bits: its indicators together, a process lineage among them, and its filters, with
 * diminishing returns. One pass, no allocation for the common one-indicator branch (this runs
 * for every combination the condition produces).
 */
/** An indicator that selects a kind of event (an EventID, a Channel, a provider, an operation). */
function isEventTypeLiteral(l: Literal): boolean {
  return !l.filter && l.reason === EVENT_KIND_REASON && l.indicator !== undefined;
}

/**
 * The positive literals that narrow a branch: the event-type selectors among them (`Channel` and
 * `EventID`, a provider and an event id) name one kind of event together, so only the most
 * specific of them counts; the others add nothing.
 */
function narrowing(literals: readonly Literal[]): Literal[] {
  let kind: Literal | undefined;
  const out: Literal[] = [];
  for (const l of literals) {
    if (l.filter) continue;
    if (isEventTypeLiteral(l)) {
      if (kind === undefined || l.bits > kind.bits) kind = l;
    } else out.push(l);
  }
  if (kind) out.push(kind);
  return out;
}

function makeBranch(literals: Literal[], p: NoiseParams): Branch {
  if (literals.filter(isEventTypeLiteral).length > 1)
    literals = [...narrowing(literals), ...literals.filter((l) => l.filter)];
  let filterBits = 0;
  let positives = 0;
  let single: Literal | undefined;
  let parent: Literal | undefined;
  let child: Literal | undefined;
  for (const l of literals) {
    if (l.filter) {
      filterBits += l.bits;
      continue;
    }
    positives++;
    single = l;
    const role = l.lineage?.role;
    if (role === 'parent') parent ??= l;
    else if (role === 'child') child ??= l;
  }
  const together =
    positives === 0
      ? 0
      : positives === 1
        ? single!.bits
        : conjunctionBits(
            literals.filter((l) => !l.filter),
            p,
          );
  let lineage: Branch['lineage'];
  if (parent && child) {
    const bits = Math.min(p.lineage, parent.lineage!.slack, child.lineage!.slack);
    if (bits > 0) lineage = { parent, child, bits };
  }
  // Filters: at most filterCap bits together (a known-benign exclusion written for one
  // environment removes less elsewhere); they refine, never make a broad selection specific.
  const raw = together + (lineage?.bits ?? 0) + Math.min(p.filterCap, filterBits);
  const bits = saturate(raw, p.branchSaturation);
  return lineage ? { literals, bits, lineage } : { literals, bits };
}

/** Whether a branch requires one field to equal two different plain values (it never holds). */
function contradictory(b: Branch): boolean {
  const eq = new Map<string, string>();
  for (const l of b.literals) {
    const ind = l.indicator;
    if (l.filter || !ind || ind.op !== 'eq' || ind.leaf.kind !== 'string' || (l.alternatives ?? 1) > 1) continue;
    if (ind.value.includes('*') || ind.value.includes('?')) continue;
    const prior = eq.get(ind.field);
    if (prior !== undefined && prior !== ind.value) return true;
    eq.set(ind.field, ind.value);
  }
  return false;
}

function prune(branches: Branch[]): Branch[] {
  if (branches.length <= MAX_BRANCHES) return branches;
  return [...branches].sort((a, b) => a.bits - b.bits).slice(0, MAX_BRANCHES);
}

class Scorer {
  private readonly intrinsics: Map<string, Map<string, Intrinsic>>;

  constructor(
    private readonly reach: (key: string) => number,
    private readonly params: NoiseParams,
    /** Whether the benign-prevalence index (Windows telemetry) applies to the rule's values. */
    private readonly prevalence: boolean,
  ) {
    this.intrinsics = intrinsicCacheFor(params);
  }

  branch(literals: Literal[]): Branch {
    return makeBranch(literals, this.params);
  }

  literalOf(leaf: Predicate, clause: string): Literal {
    const ind = leafIndicator(leaf, clause);
    if (!ind) return { bits: 0, clause };
    const key = indicatorKey(ind);
    const r = this.reach(key);
    const { bits: counted, reason } = intrinsic(ind, key, this.params, this.intrinsics);
    // Where the benign-prevalence index knows the value, what it observed replaces (in part)
    // what the characters suggest.
    const seen = this.prevalence && this.params.prevalenceWeight > 0 ? indicatorShare(ind) : undefined;
    // Presence is strong evidence, absence weak: a value the lab never showed may be common
    // elsewhere (TeamViewer in a lab without it), so the observed share only lowers the bits.
    const observed =
      seen === undefined
        ? counted
        : saturate(this.params.prevalenceScale * -Math.log2(seen), this.params.valueSaturation);
    // Except for a program that ships with Windows (and is not an everyday binary): every
    // Windows host of the lab has it, so the lab's share of it running counts both ways, and a
    // system tool Windows itself never ran there is not routine, whatever the cap for
    // legitimate programs says.
    const file = seen !== undefined && this.params.windowsPrograms > 0 ? wholeFileName(ind.op, ind.value) : undefined;
    const bothWays = file !== undefined && shipsWithWindows(file) && !COMMON_BINARIES.has(file);
    const own =
      observed < counted || bothWays
        ? (1 - this.params.prevalenceWeight) * counted + this.params.prevalenceWeight * observed
        : counted;
    const floor =
      ind.leaf.kind === 'string' && ind.value.replace(/\*/g, '').length >= 3 ? Math.min(own, this.params.floor) : 0.2;
    const bits = Math.max(floor, 0.2, own - this.params.reachWeight * Math.log2(1 + r));
    const literal: Literal = { bits, clause, indicator: ind, reach: r };
    if (reason !== undefined) literal.reason = reason;
    if (seen !== undefined) literal.benignShare = seen;
    const role = ind.leaf.kind === 'string' ? lineageRole(ind.field, ind.op, ind.value) : undefined;
    if (role !== undefined) literal.lineage = { role, slack: Infinity };
    return literal;
  }

  /**
   * Disjuncts of a lowered identifier (value lists collapse into one literal). Not a foldPredicate:
   * an `or` of leaves is scored from the leaves' literals (one value list), which a bottom-up fold
   * would already have turned into branches.
   */
  predicate(p: Predicate, clause: string): Branch[] {
    switch (p.kind) {
      case 'and': {
        let acc: Branch[] = [this.branch([])];
        for (const item of p.items) acc = this.product(acc, this.predicate(item, clause));
        return acc;
      }
      case 'or': {
        // A list of leaf alternatives: the noisiest value decides.
        if (p.items.every((i) => i.kind !== 'and' && i.kind !== 'or' && i.kind !== 'not')) {
          const items = p.items.map((item) => this.literalOf(item, clause));
          const worst = items.reduce((a, b) => (b.bits < a.bits ? b : a));
          const literal: Literal = { ...worst, bits: Math.max(0.1, worst.bits), alternatives: items.length };
          const role = worst.lineage?.role;
          if (role !== undefined) {
            // How much more specific the noisiest alternative that plays no such part is.
            const others = items.filter((l) => l.lineage?.role !== role).map((l) => l.bits - worst.bits);
            literal.lineage = { role, slack: others.length > 0 ? Math.min(...others) : Infinity };
          }
          return [this.branch([literal])];
        }
        return prune(p.items.flatMap((i) => this.predicate(i, clause)));
      }
      case 'not':
        return [this.branch([this.filterLiteral(this.predicate(p.item, clause), clause)])];
      default:
        return [this.branch([this.literalOf(p, clause)])];
    }
  }

  /**
   * A negated part: the broader what it excludes, the more bits it adds (0.3 … 2.5, times
   * filterWeight). A part that can never hold (every branch requires one field to equal two
   * different values) excludes nothing and adds nothing.
   */
  filterLiteral(excluded: Branch[], clause: string): Literal {
    const clauses = [...new Set(excluded.flatMap((b) => b.literals.map((l) => l.clause)))];
    const possible = excluded.filter((b) => !contradictory(b));
    if (possible.length === 0)
      return { bits: 0, clause: clauses.join(', ') || clause, filter: true, excludesNothing: true };
    const broadest = Math.min(...possible.map((b) => b.bits));
    const bits =
      this.params.filterWeight *
      (Math.max(0.3, Math.min(2.5, 2.5 - 0.15 * broadest)) + 0.1 * Math.log2(possible.length));
    return { bits, clause: clauses.join(', ') || clause, filter: true };
  }

  product(a: Branch[], b: Branch[]): Branch[] {
    // The neutral start of a conjunction (one empty branch) needs no copying.
    if (a.length === 1 && a[0]!.literals.length === 0) return b;
    if (b.length === 1 && b[0]!.literals.length === 0) return a;
    const out: Branch[] = [];
    for (const x of a) for (const y of b) out.push(this.branch([...x.literals, ...y.literals]));
    return prune(out);
  }

  condition(c: Condition, det: Detection, cache: Map<string, Branch[]>): Branch[] {
    const ident = (name: string): Branch[] => {
      let r = cache.get(name);
      if (!r) {
        const node = det.identifiers.find((i) => i.name === name)?.node;
        r = node ? this.predicate(lowerNode(node), name) : [this.branch([])];
        cache.set(name, r);
      }
      return r;
    };
    const conjunction = (parts: Branch[][]): Branch[] =>
      parts.reduce((acc, p) => this.product(acc, p), [this.branch([])]);
    return foldCondition<Branch[]>(c, {
      and: (items) => conjunction(items),
      or: (items) => prune(items.flat()),
      not: (inner, { item }) => {
        const name = item.type === 'ref' ? item.name : item.type === 'of' ? item.pattern : 'filter';
        return [this.branch([{ ...this.filterLiteral(inner, name), clause: name }])];
      },
      ref: ({ name }) => ident(name),
      of: ({ names, quantifier }) =>
        quantifier === 'any' ? prune(names.flatMap(ident)) : conjunction(names.map(ident)),
    });
  }
}

function describe(l: Literal): string {
  const ind = l.indicator;
  if (!ind) return `${l.clause}`;
  const field = ind.field === '*' ? 'keyword' : ind.field;
  const bare = ind.leaf.kind === 'number' || ind.leaf.kind === 'boolean' || ind.leaf.kind === 'exists';
  const value =
    ind.op === 'null'
      ? 'null'
      : bare
        ? ind.value
        : `'${ind.value.length > 60 ? ind.value.slice(0, 57) + '…' : ind.value}'`;
  const alt = l.alternatives && l.alternatives > 1 ? ` (one of ${l.alternatives} values)` : '';
  return `${field} ${ind.op} ${value}${alt}`;
}

function usedBy(l: Literal): string {
  const r = l.reach ?? 0;
  const reach = r === 0 ? 'used by no other rule' : `used by ${r} other rule${r === 1 ? '' : 's'}`;
  return l.benignShare === undefined
    ? reach
    : `${reach}, in ${formatShare(l.benignShare)} of benign events with such a value`;
}

function explain(worst: Branch, branches: number, score: number): string {
  const pos = worst.literals.filter((l) => !l.filter).sort((a, b) => a.bits - b.bits);
  const filters = worst.literals.filter((l) => l.filter);
  const clauses = [...new Set(pos.map((l) => l.clause))].join(' and ') || 'detection';
  const head = branches > 1 ? `noisiest of ${branches} branches, ` : '';
  let s: string;
  if (pos.length === 0) s = `${head}${clauses}: no positive indicator (the rule matches everything its filters leave)`;
  else if (pos.length === 1) {
    const l = pos[0]!;
    const reason = l.bits < 3 ? l.reason : undefined;
    s = `${head}${clauses}: ${describe(l)} is ${usedBy(l)}${l.bits < 3 ? ` and alone matches common activity${reason ? ` (${reason})` : ''}` : ''}; no other indicator narrows this branch`;
  } else {
    const [a, b] = [pos[0]!, pos[pos.length - 1]!];
    s =
      score >= 50
        ? `${head}${clauses}: ${describe(a)} (${usedBy(a)}) is narrowed only by ${pos
            .slice(1)
            .map((l) => `${describe(l)} (${usedBy(l)})`)
            .join(', ')}; together they still match common activity`
        : `${head}${clauses}: ${pos.length} indicators must hold together; the most specific is ${describe(b)} (${usedBy(b)})`;
  }
  if (worst.lineage)
    s += `; ${lineageName(worst.lineage.parent, 'parent')} starting ${lineageName(worst.lineage.child, 'program')} is an unusual process lineage`;
  const working = filters.filter((f) => !f.excludesNothing);
  const idle = filters.filter((f) => f.excludesNothing);
  if (working.length) s += `; filters ${working.map((f) => f.clause).join(', ')} exclude known benign activity`;
  if (idle.length)
    s += `; ${idle.map((f) => f.clause).join(', ')} can never match (one field required to equal two values), so ${idle.length === 1 ? 'it excludes' : 'they exclude'} nothing`;
  if (!working.length && score >= 50) s += '; no filter excludes known benign activity';
  return s;
}

/** `winword.exe`, or `winword.exe (or one of 2 other parents)` for a list. */
function lineageName(l: Literal, noun: string): string {
  const value = l.indicator?.value ?? '';
  const name = value.replace(/^.*[\\/]/, ''); // as wholeFileName() takes it
  const others = (l.alternatives ?? 1) - 1;
  return others > 0 ? `${name} (or one of ${others} other ${noun}${others === 1 ? '' : 's'})` : name;
}

/**
 * Event volume of a logsource, in bits (domain knowledge, not fitted per rule): high-volume
 * sources (every shell process on Linux/macOS, every PowerShell script block, auditd, DNS,
 * proxy) let even specific-looking values match benign activity; sources whose events are
 * already alerts (honeypots, identity-risk detections, antivirus, RPC firewall blocks) start
 * closer to malicious.
 */
const LOGSOURCE_PRIOR: [RegExp, number, string][] = [
  [/^(linux|macos)\|process_creation\|/, -2, 'Linux/macOS process creation is high-volume'],
  [/^linux\|\|auditd$/, -2, 'auditd is high-volume'],
  [/^windows\|ps_(script|module|classic_start|classic_provider_start)\|/, -2, 'PowerShell logging is high-volume'],
  [/^\w*\|(dns_query|dns|proxy|firewall|network_connection|image_load)\|/, -1, 'this event type is high-volume'],
  [
    /^(aws|azure|gcp|m365|okta|github|google_workspace|onelogin|bitbucket|kubernetes)\|/,
    -1,
    'cloud audit events are routine admin actions',
  ],
  [/^opencanary\|/, 6, 'honeypot events are never benign'],
  [
    /^azure\|\|riskdetection$|^windows\|\|windefend$|^rpc_firewall\||^\w*\|antivirus\|/,
    3,
    'events of this source are already detections',
  ],
];

/** The logsource's prior in bits, and why (for the explanation). */
function logsourcePrior(doc: SigmaDocument): { bits: number; why: string } | undefined {
  if (doc.kind !== 'rule') return undefined;
  const key = `${doc.logsource.product ?? ''}|${doc.logsource.category ?? ''}|${doc.logsource.service ?? ''}`;
  const entry = LOGSOURCE_PRIOR.find(([re]) => re.test(key));
  return entry && { bits: entry[1], why: entry[2] };
}

/** A share as a percentage for explanations: `12 %`, `0.3 %`, `< 0.01 %`. */
function formatShare(x: number): string {
  const pct = x * 100;
  return pct < 0.01 ? '< 0.01 %' : pct < 1 ? `${pct.toPrecision(1)} %` : `${Math.round(pct)} %`;
}

/** Logistic map from bits of specificity to a 0–100 score (params.center bits = 50). */
function bitsToScore(bits: number, p: NoiseParams): number {
  return Math.round(100 / (1 + Math.exp((bits - p.center) / p.width)));
}

export function noiseScore(doc: SigmaDocument, options: NoiseOptions): NoiseResult | undefined {
  if (doc.kind !== 'rule' || doc.detection.conditions.length === 0) return undefined;
  const det = doc.detection;
  const p = options.params ?? NOISE_PARAMS;
  const windows = doc.logsource.product?.toLowerCase() === 'windows';
  const scorer = new Scorer(reachLookup(options.catalog, doc.id), p, windows);
  let branches: Branch[];
  try {
    const cache = new Map<string, Branch[]>();
    branches = prune(det.conditions.flatMap((c) => scorer.condition(c, det, cache)));
  } catch {
    return undefined; // a detection that does not lower has parser errors already
  }
  if (branches.length === 0) return undefined;
  // The noisiest branch decides.
  const worst = [...branches].sort((a, b) => a.bits - b.bits)[0]!;
  const volume = windows && p.volumeWeight > 0 ? sourceShare(doc.logsource) : undefined;
  let source = logsourcePrior(doc);
  // Where the index places a Windows log source, its measured volume replaces the fixed guess
  // that the source is high-volume (PowerShell logging, image loads, network connections):
  // measured, those sources carry fewer benign events than registry or Security auditing.
  if (source && source.bits < 0 && volume !== undefined) source = undefined;
  let bits = Math.max(0, worst.bits + p.prior * (source?.bits ?? 0));
  // What the rule's context adds: the logsource's volume.
  let contextNote = source ? `; ${source.why}` : '';
  if (volume !== undefined) {
    // Measured volume of the log source in benign telemetry: a source that carries many events
    // gives a rule more chances to fire. Only a busy source moves the score: a source the lab
    // hardly shows may be busy elsewhere (absence is weak evidence, as for values).
    const shift = Math.min(0, p.volumeWeight * (-Math.log2(volume) - p.volumeCenter));
    if (shift < 0) {
      bits = Math.max(0, bits + shift);
      contextNote += `; its log source carries ${formatShare(volume)} of benign Windows events`;
    }
  }
  let baselineNote = '';
  if (options.baseline && options.baseline.events > 0) {
    const { matches, events } = options.baseline;
    // Observed rate on benign events, -log2((matches + 1) / (events + 2)) bits, in the model's
    // units, weighted in by the sample size.
    const observed = Math.max(
      0,
      p.center + p.baselineScale * (-Math.log2((matches + 1) / (events + 2)) - p.baselineCenter),
    );
    const w = Math.min(0.7, Math.log10(1 + events) / 6);
    bits = (1 - w) * bits + w * observed;
    baselineNote = `; baseline: ${matches} match${matches === 1 ? '' : 'es'} in ${events} benign events`;
  }
  let evidenceNote = '';
  let basis: 'telemetry' | 'static' = 'static';
  const ev = options.evidence;
  if (ev?.covered) {
    // The observed rate, on the same scale as a baseline's, carries the score: weight
    // inScope / (inScope + telemetryHalf), so ten in-scope events give it 67 %, a hundred 95 % and ten
    // thousand 99.95 %.
    const observed = Math.max(
      0,
      p.center + p.baselineScale * (-Math.log2((ev.hits + 0.5) / (ev.inScope + 1)) - p.baselineCenter),
    );
    const w = ev.inScope / (ev.inScope + p.telemetryHalf);
    bits = (1 - w) * bits + w * observed;
    const top = ev.branches[0];
    const branchNote = top && top.identifiers.length > 0 ? `, mostly through ${top.identifiers.join(' and ')}` : '';
    const weight = `weight ${Math.round(w * 100)} %`;
    // Table rows are counted as rows (those the rule's query reads), events as events of its log source.
    const rows = ev.unit === 'rows';
    const tables = ev.rows?.tables ?? (ev.rows?.table !== undefined ? [ev.rows.table] : []);
    const inScope = rows
      ? `${ev.inScope} row${ev.inScope === 1 ? '' : 's'}${tables.length ? ` of ${tables.join(' and ')}` : ''} that its query reads`
      : `${ev.inScope} event${ev.inScope === 1 ? '' : 's'} of its log source`;
    evidenceNote = `telemetry: ${ev.hits} hit${ev.hits === 1 ? '' : 's'} in ${inScope} (${ev.perMillion} per million)${branchNote}; ${
      w >= 0.5
        ? `the score rests on this evidence (${weight})`
        : `too few ${ev.unit} to outweigh the static estimate (${weight})`
    }; static estimate: `;
    basis = w >= 0.5 ? 'telemetry' : 'static';
  } else if (ev?.unit === 'rows')
    evidenceNote =
      ev.rows?.skipped !== undefined
        ? 'static estimate (the rule is not run on table rows; noise.evidence.rows.skipped says why): '
        : 'static estimate (the telemetry has no rows its query reads): ';
  else if (ev) evidenceNote = 'static estimate (the telemetry has no events of this log source): ';
  const score = bitsToScore(bits, p);
  const t = options.thresholds ?? { medium: 40, high: 70 };
  const level = score >= t.high ? 'high' : score >= t.medium ? 'medium' : 'low';
  const branch = worst.literals.map((l) => ({
    clause: l.clause,
    indicator: l.indicator ? indicatorKey(l.indicator) : null,
    reach: l.reach ?? 0,
    bits: Math.round(l.bits * 100) / 100,
    filter: !!l.filter,
  }));
  const result: NoiseResult = {
    score,
    level,
    explanation: evidenceNote + explain(worst, branches.length, score) + contextNote + baselineNote,
    bits: Math.round(bits * 100) / 100,
    branch,
  };
  if (ev) {
    result.basis = basis;
    result.evidence = ev;
  }
  return result;
}
