/**
 * `sigil tune`: filter proposals for one rule from its hits on telemetry.
 *
 * Candidates are the commonest values among the hits of behaviour fields (fields.ts): whole
 * values, safe directory and registry-key prefixes (`startswith`), and the host application of
 * a PowerShell ContextInfo (`contains`). They are chosen greedily — behaviour before identity,
 * then the candidate that removes the most hits still left, ties to the preferred field, then
 * to the narrower form; each must remove at least 2 % of the hits — while
 *   - every positive case of the rule's own tests and SigmaHQ regression data that passes
 *     without the filters still passes with them (cases are run on the filtered rule), and
 *   - a filter never names, on a path or name field, a value the rule itself selects (it would
 *     turn the rule off rather than tune it), and never uses a prefix on a field the rule reads.
 * Identity values (fields.ts) are candidates only when asked for, and are marked.
 * Pure: no I/O; the hits and the cases are handed in.
 */
import type { SigmaRule } from '../../ast/types.js';
import type { PatternPart } from '../../ast/predicate.js';
import { lowerDetection } from '../../ast/semantics.js';
import { forEachLeaf } from '../../ast/fold.js';
import { compilePredicate, compileRule, toView, type EventTest } from '../../eval/compile.js';
import type { EventObject } from '../../eval/event-shapes.js';
import type { EventView } from '../../eval/event-view.js';
import {
  BEHAVIOUR_FIELDS,
  contextFragments,
  IDENTITY_FIELDS,
  inWritableFolder,
  isIdentityValue,
  PROGRAM_FIELDS,
  safePathPrefixes,
  safeRegistryPrefixes,
  shippedWithWindows,
  type FieldKind,
} from './fields.js';

/** Distinct values per field considered as candidates (the commonest among the hits). */
const TOP_VALUES = 40;
/**
 * A filter must explain at least this share of the hits (and two of them): a rarer value is a
 * one-off of the tuning telemetry, not a pattern, and a string of them would exclude every
 * value a field takes, turning the rule off instead of tuning it.
 */
const MIN_SHARE = 0.02;
/** PowerShell's own hosts (see the ContextInfo candidates). */
const POWERSHELL_HOSTS: ReadonlySet<string> = new Set(['powershell.exe', 'pwsh.exe', 'powershell_ise.exe']);
/** Values longer than this are not proposed: a filter should be readable and reviewable. */
const MAX_VALUE_LENGTH = 300;

export type FilterModifier = 'startswith' | 'contains';

/** A positive case the tuned rule must still pass: the rule's own test or a regression case. */
export interface GuardCase {
  name: string;
  /** Where the case is written (tests file or info.yml). */
  source: string;
  events: readonly EventObject[];
  /** At least this many events must match (SigmaHQ's match_count); otherwise one. */
  matchCount?: number;
}

export interface TuneOptions {
  /** Propose identity values too (marked environment-specific). */
  identity?: boolean;
  /** At most this many filters per rule (default 8). */
  maxFilters?: number;
  /** A filter must remove at least this many hits (default 2 % of them and at least 2; 1 when there are at most 5 hits). */
  minRemoved?: number;
}

export interface Proposal {
  /** The search identifier: `filter_main_*` (shipped with Windows) or `filter_optional_*`. */
  identifier: string;
  group: 'main' | 'optional';
  field: string;
  modifier: FilterModifier | null;
  value: string;
  /** Hits this filter removes among those the filters before it leave. */
  removes: number;
  /** Hits left after this filter and the ones before it. */
  remaining: number;
  /** An identity value (host, user, SID, GUID, id, address): fits one environment only. */
  environmentSpecific: boolean;
}

/** A candidate refused because it would stop a case from matching. */
interface Refused {
  field: string;
  modifier: FilterModifier | null;
  value: string;
  removes: number;
  /** The case it would break (name and source). */
  case: string;
}

export interface TuneResult {
  /** Hits in the telemetry. */
  hits: number;
  /** Hits the proposals were computed on (all of them unless the collector's cap was reached). */
  examined: number;
  proposals: Proposal[];
  /** Hits (of `examined`) left after every proposal. */
  remaining: number;
  /** The guarding cases: how many, how many passed before tuning (only those guard). */
  guards: { cases: number; passing: number; notPassing: string[] };
  refused: Refused[];
}

interface Candidate {
  field: string;
  kind: FieldKind;
  modifier: FilterModifier | null;
  value: string;
  rank: number;
  environmentSpecific: boolean;
  test: EventTest;
  /** Indices of the hit rows it matches. */
  rows: number[];
}

function pattern(value: string, modifier: FilterModifier | null): PatternPart[] {
  if (modifier === 'startswith') return [value, { wildcard: 'multi' }];
  if (modifier === 'contains') return [{ wildcard: 'multi' }, value, { wildcard: 'multi' }];
  return [value];
}

/** The test a filter identifier `field|modifier: value` performs (Sigma strings: case-insensitive). */
export function filterTest(field: string, modifier: FilterModifier | null, value: string): EventTest {
  return compilePredicate({ kind: 'string', field, pattern: pattern(value, modifier), cased: false });
}

interface Selected {
  /** The rule's positive tests per field (lower-cased field name). */
  tests: Map<string, EventTest[]>;
  /** The literal text of its positive string values, lower-cased and joined (to find program names in). */
  text: string;
}

/** What the rule selects: its positive (not negated) leaves. */
function selectedBy(rule: SigmaRule): Selected {
  const tests = new Map<string, EventTest[]>();
  const literals: string[] = [];
  let predicate;
  try {
    predicate = lowerDetection(rule.detection);
  } catch {
    return { tests, text: '' };
  }
  forEachLeaf(predicate, (leaf, negated) => {
    if (negated) return;
    if (leaf.kind === 'string')
      literals.push(leaf.pattern.map((p) => (typeof p === 'string' ? p.toLowerCase() : '\u0000')).join(''));
    if (typeof leaf.field !== 'string') return;
    const key = leaf.field.toLowerCase();
    tests.set(key, [...(tests.get(key) ?? []), compilePredicate(leaf)]);
  });
  return { tests, text: literals.join('\u0000') };
}

/** The program a path names (`c:\windows\system32\conhost.exe` → `conhost.exe`), lower-cased. */
const programName = (value: string): string => value.split(/[\\/]/).pop()!.toLowerCase();

/** The program a command line starts with (`"C:\x\a.exe" -k` → `a.exe`, `whoami /all` → `whoami.exe`). */
function commandProgram(commandLine: string): string | undefined {
  const first = /^\s*(?:"([^"]+)"|(\S+))/.exec(commandLine);
  const token = first?.[1] ?? first?.[2];
  if (!token) return undefined;
  const name = programName(token);
  return /\.[a-z0-9]{2,4}$/.test(name) ? name : `${name}.exe`;
}

/** Counts of values, grouped case-insensitively, keeping the commonest spelling. */
class ValueCounts {
  private readonly byKey = new Map<string, { n: number; spellings: Map<string, number> }>();
  add(value: string): void {
    const key = value.toLowerCase();
    let slot = this.byKey.get(key);
    if (!slot) this.byKey.set(key, (slot = { n: 0, spellings: new Map() }));
    slot.n++;
    slot.spellings.set(value, (slot.spellings.get(value) ?? 0) + 1);
  }
  /** The commonest values (commonest spelling of each), most hits first. */
  top(k: number): { value: string; n: number; distinct: number }[] {
    return [...this.byKey.values()]
      .map((s) => ({
        value: [...s.spellings].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]![0],
        n: s.n,
        distinct: s.spellings.size,
      }))
      .sort((a, b) => b.n - a.n || (a.value < b.value ? -1 : 1))
      .slice(0, k);
  }
}

function candidates(views: readonly EventView[], selected: Selected, options: TuneOptions): Candidate[] {
  const fields: [string, FieldKind, boolean][] = [...BEHAVIOUR_FIELDS].map(([f, k]) => [f, k, false]);
  if (options.identity) for (const f of IDENTITY_FIELDS) fields.push([f, 'name', true]);
  const out: Candidate[] = [];
  fields.forEach(([field, kind, identityField], rank) => {
    const exact = new ValueCounts();
    const prefixes = new ValueCounts();
    /** Distinct whole values under each prefix (lower-cased): a prefix must cover two. */
    const under = new Map<string, Set<string>>();
    const fragments = new ValueCounts();
    for (const ev of views) {
      const seen = new Set<string>();
      for (const v of ev.strings(field)) {
        if (v === '' || v === '-' || seen.has(v.toLowerCase())) continue;
        seen.add(v.toLowerCase());
        if (kind === 'context') {
          for (const f of contextFragments(v)) if (f.length <= MAX_VALUE_LENGTH) fragments.add(f);
          continue;
        }
        if (v.length > MAX_VALUE_LENGTH) continue;
        exact.add(v);
        const ps = kind === 'path' ? safePathPrefixes(v) : kind === 'registry' ? safeRegistryPrefixes(v) : [];
        for (const p of ps) {
          prefixes.add(p);
          const key = p.toLowerCase();
          let s = under.get(key);
          if (!s) under.set(key, (s = new Set()));
          s.add(v.toLowerCase());
        }
      }
    }
    const rules = selected.tests.get(field.toLowerCase());
    const push = (value: string, modifier: FilterModifier | null): void => {
      const environmentSpecific =
        identityField || isIdentityValue(value) || (kind === 'path' && inWritableFolder(value));
      if (environmentSpecific && !options.identity) return;
      // Never the program the rule is about, whichever field names it there (a rule on
      // `CommandLine|contains: 'conhost.exe 0xffffffff'` must not get `Image: …\conhost.exe`).
      // Nor an invocation of that program: its arguments are the attacker's to choose.
      const program =
        modifier === null && PROGRAM_FIELDS.has(field)
          ? programName(value)
          : kind === 'text'
            ? commandProgram(value)
            : undefined;
      if (program !== undefined && program.length >= 5 && selected.text.includes(program)) return;
      // In PowerShell's own logs its standard hosts are PowerShell itself: excluding them would
      // exclude nearly everything such a rule is about.
      if (kind === 'context' && POWERSHELL_HOSTS.has(commandProgram(value.replace(/^Host Application = /, '')) ?? ''))
        return;
      // Never the very value the rule selects on a path or name field: that turns the rule off.
      if (rules && kind !== 'text' && kind !== 'context') {
        if (modifier !== null) return;
        const probe = toView({ [field]: value });
        if (rules.some((t) => t(probe))) return;
      }
      out.push({
        field,
        kind,
        modifier,
        value,
        rank,
        environmentSpecific,
        test: filterTest(field, modifier, value),
        rows: [],
      });
    };
    for (const { value } of exact.top(TOP_VALUES)) push(value, null);
    for (const { value } of prefixes.top(TOP_VALUES))
      if ((under.get(value.toLowerCase())?.size ?? 0) >= 2) push(value, 'startswith');
    for (const { value } of fragments.top(TOP_VALUES)) push(value, 'contains');
  });
  for (const c of out) views.forEach((ev, i) => c.test(ev) && c.rows.push(i));
  return out;
}

const FIELD_SLUG: Readonly<Record<string, string>> = {
  ParentImage: 'parent',
  Image: 'image',
  CommandLine: 'cli',
  ParentCommandLine: 'parent_cli',
  TargetFilename: 'target',
  TargetObject: 'key',
  ImageLoaded: 'loaded',
  ContextInfo: 'host',
  OriginalFileName: 'ofn',
};

function slug(field: string, modifier: FilterModifier | null, value: string): string {
  const f = FIELD_SLUG[field] ?? field.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
  let v = value;
  if (modifier === 'startswith') v = value.split('\\').filter(Boolean).pop() ?? value;
  else if (field.endsWith('CommandLine')) v = (commandProgram(value) ?? value).replace(/\.exe$/i, '');
  else if (/[\\/]/.test(value)) {
    // A path or a command line: the file name of its first path.
    const first = /[^"\s]*[\\/][^"\s]*/.exec(value.replace(/^Host Application = /, ''))?.[0] ?? value;
    v = first.split(/[\\/]/).filter(Boolean).pop() ?? value;
    v = v.replace(/\.(exe|dll|sys|ps1|bat|cmd|com)$/i, '');
  }
  const cleaned = v
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 30)
    .replace(/_+$/, '');
  return cleaned ? `${f}_${cleaned}` : f;
}

function groupOf(c: Candidate): 'main' | 'optional' {
  if (c.environmentSpecific) return 'optional';
  const v = c.kind === 'context' ? c.value.replace(/^Host Application = /, '') : c.value.replace(/^"/, '');
  if (c.kind === 'name')
    return /^(LogonType|LogonProcessName|AuthenticationPackageName)$/.test(c.field) ||
      /^microsoft (corporation|windows)/i.test(v)
      ? 'main'
      : 'optional';
  return shippedWithWindows(v) ? 'main' : 'optional';
}

/**
 * Proposes filters for `rule` from its hits (`hitEvents`, the events it matched; `hits` counts
 * them all when only some were kept), guarded by `cases`.
 */
export function proposeFilters(
  rule: SigmaRule,
  hitEvents: readonly EventObject[],
  hits: number,
  cases: readonly GuardCase[],
  options: TuneOptions = {},
): TuneResult {
  const views = hitEvents.map((e) => toView(e));
  const maxFilters = options.maxFilters ?? 8;
  const minRemoved = options.minRemoved ?? (views.length <= 5 ? 1 : Math.max(2, Math.ceil(views.length * MIN_SHARE)));
  const matcher = compileRule(rule);
  // The guards: positive cases that pass before tuning, with the events the rule matches.
  const guards: { label: string; needed: number; events: EventView[] }[] = [];
  const notPassing: string[] = [];
  for (const c of cases) {
    const matched = matcher.ok ? c.events.map((e) => toView(e)).filter((ev) => matcher.matches(ev)) : [];
    const needed = Math.max(1, c.matchCount ?? 1);
    const label = `${c.name} (${c.source})`;
    if (matched.length >= needed) guards.push({ label, needed, events: matched });
    else notPassing.push(label);
  }

  const all = candidates(views, selectedBy(rule), options);
  const alive = new Uint8Array(views.length).fill(1);
  let remaining = views.length;
  const chosen: Candidate[] = [];
  const proposals: Proposal[] = [];
  const refused: Refused[] = [];
  const refusedKeys = new Set<string>();
  const taken = new Set(rule.detection.identifiers.map((i) => i.name));
  const breaks = (c: Candidate): string | undefined => {
    const tests = [...chosen, c].map((x) => x.test);
    for (const g of guards) {
      const left = g.events.filter((ev) => !tests.some((t) => t(ev))).length;
      if (left < g.needed) return g.label;
    }
    return undefined;
  };
  while (proposals.length < maxFilters && remaining > 0) {
    const scored = all
      .filter((c) => !chosen.includes(c))
      .map((c) => ({ c, removes: c.rows.reduce((n, i) => n + alive[i]!, 0) }))
      .filter((x) => x.removes >= minRemoved)
      .sort(
        (a, b) =>
          // Behaviour first: identity values only for what behaviour filters cannot remove.
          Number(a.c.environmentSpecific) - Number(b.c.environmentSpecific) ||
          b.removes - a.removes ||
          a.c.rank - b.c.rank ||
          Number(a.c.modifier !== null) - Number(b.c.modifier !== null) ||
          // Of two prefixes that remove as much, the longer (narrower) one.
          b.c.value.length - a.c.value.length ||
          (a.c.value < b.c.value ? -1 : a.c.value > b.c.value ? 1 : 0),
      );
    let pick: (typeof scored)[number] | undefined;
    for (const x of scored) {
      const broken = breaks(x.c);
      if (broken === undefined) {
        pick = x;
        break;
      }
      const key = `${x.c.field}\u0000${x.c.modifier}\u0000${x.c.value}`;
      if (!refusedKeys.has(key)) {
        refusedKeys.add(key);
        refused.push({ field: x.c.field, modifier: x.c.modifier, value: x.c.value, removes: x.removes, case: broken });
      }
    }
    if (!pick) break;
    for (const i of pick.c.rows) alive[i] = 0;
    remaining -= pick.removes;
    chosen.push(pick.c);
    const group = groupOf(pick.c);
    let identifier = `filter_${group}_${slug(pick.c.field, pick.c.modifier, pick.c.value)}`;
    for (let n = 2; taken.has(identifier); n++)
      identifier = `filter_${group}_${slug(pick.c.field, pick.c.modifier, pick.c.value)}_${n}`;
    taken.add(identifier);
    proposals.push({
      identifier,
      group,
      field: pick.c.field,
      modifier: pick.c.modifier,
      value: pick.c.value,
      removes: pick.removes,
      remaining,
      environmentSpecific: pick.c.environmentSpecific,
    });
  }
  return {
    hits,
    examined: views.length,
    proposals,
    remaining,
    guards: { cases: cases.length, passing: guards.length, notPassing },
    refused,
  };
}

/** The fields proposals may use (what a hit collector must keep besides the rule's own). */
export const tuneFields = (identity: boolean): string[] => [
  ...BEHAVIOUR_FIELDS.keys(),
  ...(identity ? IDENTITY_FIELDS : []),
];
