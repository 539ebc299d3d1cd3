/**
 * Deployment settings of the artifacts (schedule, trigger, suppression, grouping, custom details,
 * severity), per format — Sentinel and Defender rules, Splunk saved searches: defaults from `.sigil.yml` (`artifacts:`), overridden per rule
 * by the rule's custom attribute `sigil: { artifacts: … }` (kept in the AST's `custom`). The
 * limits are those of the consumers: Azure-Sentinel's template model
 * (.script/tests/detectionTemplateSchemaValidation/Models/ScheduledTemplateInternalModel.cs) and
 * the alert-rule API for Sentinel; Graph's detectionRule (ruleSchedule) for Defender.
 */
import type { JsonValue, Loc, Metadata } from '../ast/types.js';

/** One problem with a setting: where (path below `artifacts`) and what. */
export interface SettingProblem {
  path: string[];
  message: string;
  hint?: string;
}

/** Settings of a Sentinel scheduled rule (sentinel-rule YAML and sentinel-arm). */
export interface SentinelSettings {
  /** Minutes. */
  queryFrequency: number;
  queryPeriod: number;
  triggerOperator: 'gt' | 'lt' | 'eq' | 'ne';
  triggerThreshold: number;
  severity?: 'Informational' | 'Low' | 'Medium' | 'High';
  enabled: boolean;
  suppression: { enabled: boolean; duration: number };
  /** Incident creation and alert grouping (incidentConfiguration). */
  grouping?: {
    createIncident: boolean;
    enabled: boolean;
    reopenClosedIncident: boolean;
    lookbackDuration: number;
    matchingMethod: 'AllEntities' | 'AnyAlert' | 'Selected';
    groupByEntities: string[];
  };
  /** eventGroupingSettings.aggregationKind */
  eventGrouping?: 'SingleAlert' | 'AlertPerResult';
  /** Custom detail key → column of the query's results. */
  customDetails?: Record<string, string>;
}

export interface DefenderSettings {
  /** ruleSchedule.frequency: 0 (continuous), 1, 3, 12 or 24 hours. */
  frequencyHours: 0 | 1 | 3 | 12 | 24;
  severity?: 'informational' | 'low' | 'medium' | 'high';
  enabled: boolean;
}

const SENTINEL_DEFAULTS: SentinelSettings = {
  queryFrequency: 60,
  queryPeriod: 60,
  triggerOperator: 'gt',
  triggerThreshold: 0,
  enabled: true,
  suppression: { enabled: false, duration: 300 },
};
const DEFENDER_DEFAULTS: DefenderSettings = { frequencyHours: 1, enabled: true };

/** Settings of a Splunk saved search (savedsearches.conf and the app); absent keys keep the format's defaults. */
export interface SavedSearchSettings {
  cron_schedule?: string;
  earliest_time?: string;
  latest_time?: string;
  enabled?: boolean;
  severity?: 'informational' | 'low' | 'medium' | 'high' | 'critical';
  /** alert.suppress with its period (minutes) and fields. */
  suppression?: { enabled: boolean; duration: number; fields: string[] };
}

/** The settings sections, by the format names that read them (sentinel-arm shares sentinel-rule's). */
const SETTINGS_SECTIONS = ['sentinel-rule', 'defender-detection', 'savedsearches'] as const;
type SettingsSection = (typeof SETTINGS_SECTIONS)[number];

const MINUTE = 1;
const DAY = 24 * 60;
/** Alert-rule API and template model: queryFrequency and queryPeriod within 5 minutes … 14 days. */
const MIN_SCHEDULE = 5 * MINUTE;
const MAX_SCHEDULE = 14 * DAY;
const MAX_SUPPRESSION = DAY;
const MAX_GROUPING_LOOKBACK = 7 * DAY;
const SENTINEL_ENTITY_TYPES = [
  'Account',
  'Host',
  'IP',
  'URL',
  'FileHash',
  'File',
  'Process',
  'RegistryKey',
  'RegistryValue',
  'DNS',
  'CloudApplication',
  'AzureResource',
  'Mailbox',
];

/**
 * A duration as Sentinel's YAML templates write it (`<n>m`, `<n>h`, `<n>d`) or as ISO 8601 with
 * days, hours and minutes only (`PT1H`, `P1DT12H`) → minutes; undefined when it is neither or
 * not a whole number of minutes (the API has no seconds, weeks, months or years).
 */
export function parseDuration(text: string): number | undefined {
  const short = /^(\d{1,6})([mhd])$/.exec(text);
  if (short) return Number(short[1]) * { m: 1, h: 60, d: DAY }[short[2] as 'm' | 'h' | 'd'];
  const iso = /^P(?:(\d{1,6})D)?(?:T(?:(\d{1,6})H)?(?:(\d{1,6})M)?)?$/.exec(text);
  if (!iso || text === 'P' || text.endsWith('T')) return undefined;
  return Number(iso[1] ?? 0) * DAY + Number(iso[2] ?? 0) * 60 + Number(iso[3] ?? 0);
}

/** Minutes → the short form of Azure-Sentinel YAML (largest exact unit). */
export function shortDuration(minutes: number): string {
  if (minutes % DAY === 0) return `${minutes / DAY}d`;
  if (minutes % 60 === 0) return `${minutes / 60}h`;
  return `${minutes}m`;
}

/** Minutes → ISO 8601 for ARM (`PT1H`, `P1D`, `P1DT2H30M`). */
export function isoDuration(minutes: number): string {
  const d = Math.floor(minutes / DAY);
  const h = Math.floor((minutes % DAY) / 60);
  const m = minutes % 60;
  const time = (h ? `${h}H` : '') + (m ? `${m}M` : '');
  const text = `P${d ? `${d}D` : ''}${time ? `T${time}` : ''}`;
  return text === 'P' ? 'PT0M' : text;
}

const fmt = (minutes: number): string => `${shortDuration(minutes)} (${isoDuration(minutes)})`;

type Obj = { [key: string]: JsonValue };
const isObj = (v: JsonValue | undefined): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);

/** Reads one section; problems carry the path below the section. */
class Reader {
  readonly problems: SettingProblem[] = [];
  constructor(private readonly base: string[]) {}
  problem(path: string[], message: string, hint?: string): void {
    this.problems.push({ path: [...this.base, ...path], message, ...(hint ? { hint } : {}) });
  }
  keys(obj: Obj, known: readonly string[], path: string[] = []): void {
    for (const k of Object.keys(obj))
      if (!known.includes(k))
        this.problem([...path, k], `unknown setting '${[...path, k].join('.')}'`, `known: ${known.join(', ')}`);
  }
  duration(obj: Obj, key: string, path: string[], min: number, max: number): number | undefined {
    const v = obj[key];
    if (v === undefined) return undefined;
    const minutes = typeof v === 'string' ? parseDuration(v) : undefined;
    const name = [...path, key].join('.');
    if (minutes === undefined) {
      this.problem(
        [...path, key],
        `'${name}: ${JSON.stringify(v)}' is not a duration Sentinel accepts`,
        "write minutes, hours or days: '30m', '1h', '1d', or ISO 8601 'PT30M', 'PT1H', 'P1D' (no seconds, weeks, months or years)",
      );
      return undefined;
    }
    if (minutes < min || minutes > max) {
      this.problem(
        [...path, key],
        `'${name}: ${String(v)}' is outside ${fmt(min)} … ${fmt(max)}`,
        `Sentinel refuses a ${name} outside that range`,
      );
      return undefined;
    }
    return minutes;
  }
  bool(obj: Obj, key: string, path: string[] = []): boolean | undefined {
    const v = obj[key];
    if (v === undefined) return undefined;
    if (typeof v === 'boolean') return v;
    this.problem([...path, key], `'${[...path, key].join('.')}' must be true or false, not ${JSON.stringify(v)}`);
    return undefined;
  }
  oneOf<T extends string>(obj: Obj, key: string, values: readonly T[], path: string[] = []): T | undefined {
    const v = obj[key];
    if (v === undefined) return undefined;
    if (typeof v === 'string' && (values as readonly string[]).includes(v)) return v as T;
    this.problem(
      [...path, key],
      `'${[...path, key].join('.')}: ${JSON.stringify(v)}' is not one of ${values.join(', ')}`,
    );
    return undefined;
  }
  mapping(obj: Obj, key: string, path: string[] = []): Obj | undefined {
    const v = obj[key];
    if (v === undefined) return undefined;
    if (isObj(v)) return v;
    this.problem([...path, key], `'${[...path, key].join('.')}' must be a mapping`);
    return undefined;
  }
}

const SENTINEL_KEYS = [
  'queryFrequency',
  'queryPeriod',
  'triggerOperator',
  'triggerThreshold',
  'severity',
  'enabled',
  'suppression',
  'grouping',
  'eventGrouping',
  'customDetails',
] as const;

/** Applies a `sentinel-rule` section on top of `base`; problems for invalid values. */
function readSentinel(section: JsonValue, base: SentinelSettings, r: Reader): SentinelSettings {
  const out: SentinelSettings = { ...base, suppression: { ...base.suppression } };
  if (!isObj(section)) {
    r.problem([], 'the sentinel-rule settings must be a mapping');
    return out;
  }
  r.keys(section, SENTINEL_KEYS);
  const freq = r.duration(section, 'queryFrequency', [], MIN_SCHEDULE, MAX_SCHEDULE);
  if (freq !== undefined) out.queryFrequency = freq;
  const period = r.duration(section, 'queryPeriod', [], MIN_SCHEDULE, MAX_SCHEDULE);
  if (period !== undefined) out.queryPeriod = period;
  const op = r.oneOf(section, 'triggerOperator', ['gt', 'lt', 'eq', 'ne'] as const);
  if (op) out.triggerOperator = op;
  const t = section['triggerThreshold'];
  if (t !== undefined) {
    if (typeof t === 'number' && Number.isInteger(t) && t >= 0 && t <= 10_000) out.triggerThreshold = t;
    else r.problem(['triggerThreshold'], `'triggerThreshold: ${JSON.stringify(t)}' is not a whole number 0 … 10000`);
  }
  const sev = r.oneOf(section, 'severity', ['Informational', 'Low', 'Medium', 'High'] as const);
  if (sev) out.severity = sev;
  const enabled = r.bool(section, 'enabled');
  if (enabled !== undefined) out.enabled = enabled;
  const sup = r.mapping(section, 'suppression');
  if (sup) {
    r.keys(sup, ['enabled', 'duration'], ['suppression']);
    const e = r.bool(sup, 'enabled', ['suppression']);
    if (e !== undefined) out.suppression.enabled = e;
    const d = r.duration(sup, 'duration', ['suppression'], MIN_SCHEDULE, MAX_SUPPRESSION);
    if (d !== undefined) out.suppression.duration = d;
  }
  const g = r.mapping(section, 'grouping');
  if (g) {
    const p = ['grouping'];
    r.keys(
      g,
      ['createIncident', 'enabled', 'reopenClosedIncident', 'lookbackDuration', 'matchingMethod', 'groupByEntities'],
      p,
    );
    const grouping = {
      createIncident: true,
      enabled: true,
      reopenClosedIncident: false,
      lookbackDuration: 5 * 60,
      matchingMethod: 'AllEntities' as const,
      groupByEntities: [] as string[],
      ...base.grouping,
    } satisfies NonNullable<SentinelSettings['grouping']>;
    const out2: NonNullable<SentinelSettings['grouping']> = { ...grouping };
    for (const k of ['createIncident', 'enabled', 'reopenClosedIncident'] as const) {
      const b = r.bool(g, k, p);
      if (b !== undefined) out2[k] = b;
    }
    const lb = r.duration(g, 'lookbackDuration', p, MIN_SCHEDULE, MAX_GROUPING_LOOKBACK);
    if (lb !== undefined) out2.lookbackDuration = lb;
    const mm = r.oneOf(g, 'matchingMethod', ['AllEntities', 'AnyAlert', 'Selected'] as const, p);
    if (mm) out2.matchingMethod = mm;
    const ents = g['groupByEntities'];
    if (ents !== undefined) {
      if (Array.isArray(ents) && ents.every((e) => typeof e === 'string' && SENTINEL_ENTITY_TYPES.includes(e)))
        out2.groupByEntities = ents as string[];
      else
        r.problem(
          [...p, 'groupByEntities'],
          `'grouping.groupByEntities' must be a list of entity types`,
          `known: ${SENTINEL_ENTITY_TYPES.join(', ')}`,
        );
    }
    if (out2.matchingMethod === 'Selected' && out2.groupByEntities.length === 0)
      r.problem(
        [...p, 'matchingMethod'],
        "'grouping.matchingMethod: Selected' needs 'grouping.groupByEntities'",
        'name the entity types to group by, e.g. [Host, Account]',
      );
    out.grouping = out2;
  }
  const eg = r.oneOf(section, 'eventGrouping', ['SingleAlert', 'AlertPerResult'] as const);
  if (eg) out.eventGrouping = eg;
  const cd = r.mapping(section, 'customDetails');
  if (cd) {
    const details: Record<string, string> = {};
    const entries = Object.entries(cd);
    // Template model: at most 20 details, keys ^[a-zA-Z]+\w*$ up to 20 characters, values column names.
    if (entries.length > 20) r.problem(['customDetails'], `${entries.length} custom details; Sentinel allows 20`);
    for (const [k, v] of entries) {
      if (!/^[a-zA-Z]+\w*$/.test(k) || k.length > 20)
        r.problem(
          ['customDetails', k],
          `custom detail key '${k}' must start with a letter, hold only letters, digits and _, and have at most 20 characters`,
        );
      else if (typeof v !== 'string' || !/^[a-zA-Z_]+\w*$/.test(v) || v.length > 500)
        r.problem(['customDetails', k], `custom detail '${k}' must name a column, not ${JSON.stringify(v)}`);
      else details[k] = v;
    }
    out.customDetails = { ...base.customDetails, ...details };
  }
  return out;
}

/**
 * Checks across settings, once the defaults and the rule's own are merged (each may be valid
 * alone): the template model's PeriodGreaterThanOrEqualFrequency and
 * FrequencyLimitationForLongPeriodQuery.
 */
function sentinelCrossChecks(s: SentinelSettings): SettingProblem[] {
  const out: SettingProblem[] = [];
  if (s.queryFrequency > s.queryPeriod)
    out.push({
      path: ['sentinel-rule', 'queryFrequency'],
      message: `queryFrequency ${fmt(s.queryFrequency)} is longer than queryPeriod ${fmt(s.queryPeriod)}`,
      hint: 'Sentinel needs queryPeriod ≥ queryFrequency (each run must read at least the time since the last)',
    });
  if (s.queryPeriod >= 2 * DAY && s.queryFrequency < 60)
    out.push({
      path: ['sentinel-rule', 'queryFrequency'],
      message: `queryPeriod ${fmt(s.queryPeriod)} is 2 days or more, so queryFrequency must be at least 1h, not ${fmt(s.queryFrequency)}`,
    });
  return out;
}

const DEFENDER_FREQUENCIES: Record<string, DefenderSettings['frequencyHours']> = {
  '0': 0,
  '1h': 1,
  '3h': 3,
  '12h': 12,
  '24h': 24,
  PT0S: 0,
  PT1H: 1,
  PT3H: 3,
  PT12H: 12,
  PT24H: 24,
  P1D: 24,
};

function readDefender(section: JsonValue, base: DefenderSettings, r: Reader): DefenderSettings {
  const out = { ...base };
  if (!isObj(section)) {
    r.problem([], 'the defender-detection settings must be a mapping');
    return out;
  }
  r.keys(section, ['frequency', 'severity', 'enabled']);
  const f = section['frequency'];
  if (f !== undefined) {
    const hours = typeof f === 'string' || typeof f === 'number' ? DEFENDER_FREQUENCIES[String(f)] : undefined;
    if (hours === undefined)
      r.problem(
        ['frequency'],
        `'frequency: ${JSON.stringify(f)}' is not a schedule Defender custom detections accept`,
        "Graph's ruleSchedule allows 0 (continuous), 1h, 3h, 12h or 24h",
      );
    else out.frequencyHours = hours;
  }
  const sev = r.oneOf(section, 'severity', ['informational', 'low', 'medium', 'high'] as const);
  if (sev) out.severity = sev;
  const e = r.bool(section, 'enabled');
  if (e !== undefined) out.enabled = e;
  return out;
}

/** savedsearches.conf.spec: cron_schedule is a standard 5-field cron expression. */
const CRON_FIELD = /^(\*|\d+(-\d+)?)(\/\d+)?(,(\*|\d+(-\d+)?)(\/\d+)?)*$/;
/** A search time modifier: `now`, `0`, an epoch, or `-10m@m`-style relative times (search docs, "Time modifiers"). */
const TIME_MODIFIER =
  /^(now|0|\d{9,10}|[+-]?\d*(s|sec|secs|second|seconds|m|min|mins|minute|minutes|h|hr|hrs|hour|hours|d|day|days|w|week|weeks|mon|month|months|q|qtr|qtrs|quarter|quarters|y|yr|yrs|year|years)(@[a-z0-9]+)?|@[a-z0-9]+)$/;
const SPLUNK_FIELD = /^[A-Za-z_][A-Za-z0-9_.]*$/;

function readSavedSearch(section: JsonValue, base: SavedSearchSettings, r: Reader): SavedSearchSettings {
  const out: SavedSearchSettings = { ...base };
  if (!isObj(section)) {
    r.problem([], 'the savedsearches settings must be a mapping');
    return out;
  }
  r.keys(section, ['cron_schedule', 'earliest_time', 'latest_time', 'enabled', 'severity', 'suppression']);
  const cron = section['cron_schedule'];
  if (cron !== undefined) {
    const fields = typeof cron === 'string' ? cron.trim().split(/\s+/) : [];
    if (fields.length !== 5 || !fields.every((f) => CRON_FIELD.test(f)))
      r.problem(
        ['cron_schedule'],
        `'cron_schedule: ${JSON.stringify(cron)}' is not a 5-field cron expression`,
        "e.g. '*/10 * * * *'",
      );
    else out.cron_schedule = fields.join(' ');
  }
  for (const key of ['earliest_time', 'latest_time'] as const) {
    const v = section[key];
    if (v === undefined) continue;
    if (typeof v !== 'string' || !TIME_MODIFIER.test(v))
      r.problem([key], `'${key}: ${JSON.stringify(v)}' is not a Splunk time modifier`, "e.g. '-70m@m', 'now'");
    else out[key] = v;
  }
  const e = r.bool(section, 'enabled');
  if (e !== undefined) out.enabled = e;
  const sev = r.oneOf(section, 'severity', ['informational', 'low', 'medium', 'high', 'critical'] as const);
  if (sev) out.severity = sev;
  const sup = r.mapping(section, 'suppression');
  if (sup) {
    r.keys(sup, ['enabled', 'duration', 'fields'], ['suppression']);
    const enabled = r.bool(sup, 'enabled', ['suppression']) ?? true;
    const duration = r.duration(sup, 'duration', ['suppression'], MINUTE, 14 * DAY) ?? out.suppression?.duration ?? 60;
    const f = sup['fields'];
    let fields: string[] = out.suppression?.fields ?? [];
    if (f !== undefined) {
      if (!Array.isArray(f) || !f.every((x): x is string => typeof x === 'string' && SPLUNK_FIELD.test(x)))
        r.problem(['suppression', 'fields'], "'suppression.fields' must be a list of field names");
      else fields = f;
    }
    out.suppression = { enabled, duration, fields };
  }
  return out;
}

/**
 * Validates an `artifacts` mapping (from `.sigil.yml`, or a rule's `sigil.artifacts`): the
 * sections it may hold and their values. `base` is the path of the mapping, for messages.
 */
export function validateArtifactSettings(value: JsonValue, base: string[]): SettingProblem[] {
  const r = new Reader(base);
  if (!isObj(value)) {
    r.problem(
      [],
      `'${base.join('.')}' must be a mapping of format → settings`,
      `known: ${SETTINGS_SECTIONS.join(', ')}`,
    );
    return r.problems;
  }
  r.keys(value, SETTINGS_SECTIONS);
  const sr = value['sentinel-rule'];
  if (sr !== undefined) {
    const sub = new Reader([...base, 'sentinel-rule']);
    readSentinel(sr, SENTINEL_DEFAULTS, sub);
    r.problems.push(...sub.problems);
  }
  const dd = value['defender-detection'];
  if (dd !== undefined) {
    const sub = new Reader([...base, 'defender-detection']);
    readDefender(dd, DEFENDER_DEFAULTS, sub);
    r.problems.push(...sub.problems);
  }
  const ss = value['savedsearches'];
  if (ss !== undefined) {
    const sub = new Reader([...base, 'savedsearches']);
    readSavedSearch(ss, {}, sub);
    r.problems.push(...sub.problems);
  }
  return r.problems;
}

/** The `artifacts` mapping a rule carries (`sigil: { artifacts: … }`), if any. */
function ruleArtifacts(rule: Metadata): JsonValue | undefined {
  const s = rule.custom['sigil'];
  return isObj(s) ? s['artifacts'] : undefined;
}

/** Where a problem is in the rule: the deepest node of its path the parser located. */
function locate(rule: Metadata, path: string[]): Loc | undefined {
  for (let n = path.length; n > 0; n--) {
    const loc = rule.locs[path.slice(0, n).join('.')];
    if (loc) return loc;
  }
  return undefined;
}

export interface ResolvedSettings<T> {
  settings: T;
  problems: (SettingProblem & { loc?: Loc })[];
}

/**
 * `.sigil.yml` defaults, then the rule's own. The CLI validated the defaults where it read them
 * (with their positions); a library caller's invalid default is reported here, without one.
 */
export function sentinelSettings(rule: Metadata, defaults: JsonValue | undefined): ResolvedSettings<SentinelSettings> {
  const fromConfig = isObj(defaults) ? defaults['sentinel-rule'] : undefined;
  const config = new Reader(['artifacts', 'sentinel-rule']);
  let settings = fromConfig === undefined ? SENTINEL_DEFAULTS : readSentinel(fromConfig, SENTINEL_DEFAULTS, config);
  const own = ruleArtifacts(rule);
  const base = ['sigil', 'artifacts'];
  const problems = [
    ...config.problems,
    ...(own === undefined ? [] : sectionProblems(validateArtifactSettings(own, base), 'sentinel-rule')),
  ];
  const section = isObj(own) ? own['sentinel-rule'] : undefined;
  if (section !== undefined) settings = readSentinel(section, settings, new Reader(base));
  if (!problems.length)
    for (const p of sentinelCrossChecks(settings))
      problems.push({ ...p, path: section === undefined ? ['artifacts', ...p.path] : [...base, ...p.path] });
  return { settings, problems: problems.map((p) => withLoc(rule, p)) };
}

export function defenderSettings(rule: Metadata, defaults: JsonValue | undefined): ResolvedSettings<DefenderSettings> {
  const fromConfig = isObj(defaults) ? defaults['defender-detection'] : undefined;
  const config = new Reader(['artifacts', 'defender-detection']);
  let settings = fromConfig === undefined ? DEFENDER_DEFAULTS : readDefender(fromConfig, DEFENDER_DEFAULTS, config);
  const own = ruleArtifacts(rule);
  const base = ['sigil', 'artifacts'];
  const problems = [
    ...config.problems,
    ...(own === undefined ? [] : sectionProblems(validateArtifactSettings(own, base), 'defender-detection')),
  ];
  const section = isObj(own) ? own['defender-detection'] : undefined;
  if (section !== undefined) settings = readDefender(section, settings, new Reader(base));
  return { settings, problems: problems.map((p) => withLoc(rule, p)) };
}

/** The saved-search settings `.sigil.yml` sets (`artifacts: savedsearches:`), without a rule's. */
export function savedSearchDefaults(
  defaults: JsonValue | undefined,
  reader = new Reader(['artifacts', 'savedsearches']),
): SavedSearchSettings {
  const section = isObj(defaults) ? defaults['savedsearches'] : undefined;
  return section === undefined ? {} : readSavedSearch(section, {}, reader);
}

/** A Splunk saved search's settings: `.sigil.yml` defaults, then the rule's own (`sigil.artifacts.savedsearches`). */
export function savedSearchSettings(
  rule: Metadata,
  defaults: JsonValue | undefined,
): ResolvedSettings<SavedSearchSettings> {
  const config = new Reader(['artifacts', 'savedsearches']);
  let settings = savedSearchDefaults(defaults, config);
  const own = ruleArtifacts(rule);
  const base = ['sigil', 'artifacts'];
  const problems = [
    ...config.problems,
    ...(own === undefined ? [] : sectionProblems(validateArtifactSettings(own, base), 'savedsearches')),
  ];
  const section = isObj(own) ? own['savedsearches'] : undefined;
  if (section !== undefined) settings = readSavedSearch(section, settings, new Reader(base));
  return { settings, problems: problems.map((p) => withLoc(rule, p)) };
}

/** A format reports the problems of its own section and of the mapping around it, not of others. */
function sectionProblems(problems: SettingProblem[], section: SettingsSection): SettingProblem[] {
  return problems.filter((p) => {
    const s = p.path[2];
    return s === undefined || s === section || !(SETTINGS_SECTIONS as readonly string[]).includes(s);
  });
}

function withLoc(rule: Metadata, p: SettingProblem): SettingProblem & { loc?: Loc } {
  const loc = p.path[0] === 'sigil' ? locate(rule, p.path) : undefined;
  return loc ? { ...p, loc } : p;
}
