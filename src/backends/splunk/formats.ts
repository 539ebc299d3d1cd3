/**
 * SPL output formats: the plain search, savedsearches.conf stanzas (scheduled correlation
 * searches for Enterprise Security: action.correlationsearch.*, action.notable.*, action.risk.*
 * with ATT&CK annotations), macros.conf (the log-source macros the searches use) and an
 * installable Splunk app (.tgz) holding both. (The ESCU detection YAML was dropped: see
 * CHANGELOG.md and docs/backends/splunk.md.)
 */
import type { CorrelationRule, SigmaRule } from '../../ast/types.js';
import { conversionError } from '../diagnostics.js';
import { oneLine } from '../../util/inert-text.js';
import type {
  ArtifactDefaults,
  BackendOptions,
  CombinedOutput,
  ConversionError,
  ConversionSuccess,
  OutputFormat,
  RenderedOutput,
} from '../types.js';
import { savedSearchDefaults, savedSearchSettings, type SavedSearchSettings } from '../settings.js';
import { MACRO_NAME } from './contract.js';
import { riskEntries } from './risk.js';
import { tarGz } from './tar.js';

const LEVEL_SEVERITY: Record<string, string> = {
  informational: 'informational',
  low: 'low',
  medium: 'medium',
  high: 'high',
  critical: 'critical',
};
const LEVEL_RISK: Record<string, number> = { informational: 10, low: 25, medium: 50, high: 75, critical: 100 };

/** ATT&CK tags (`attack.t1059.001`, `attack.execution`) → technique ids and tactic names. */
function attackAnnotations(tags: readonly string[] = []): { techniques: string[]; tactics: string[] } {
  const techniques: string[] = [];
  const tactics: string[] = [];
  for (const t of tags) {
    const m = /^attack\.(t\d{4}(?:\.\d{3})?)$/i.exec(t);
    if (m) techniques.push(m[1]!.toUpperCase());
    else if (/^attack\.[a-z][a-z-_]+$/i.test(t) && !/^attack\.(g|s)\d{4}$/i.test(t))
      tactics.push(t.slice(7).replace(/_/g, '-'));
  }
  return { techniques: [...new Set(techniques)], tactics: [...new Set(tactics)] };
}

/** Line breaks as a .conf reader or an editor sees them. */
const LINE_BREAK = /\r\n|[\r\n\u0085\u2028\u2029]/;

/** No trailing backslash (nor white space before one): it would continue the line into the next setting. */
const withoutContinuation = (line: string): string => line.replace(/[\s\\]+$/, '');

/** One line of a .conf file from rule text: control characters escaped (src/util/inert-text.ts), no continuation. */
function confLine(text: string): string {
  return withoutContinuation(oneLine(text));
}

/**
 * A .conf value from rule text (a description): each line break becomes a continuation
 * (` \` at the line's end), so a line of the text can never start a stanza or a setting. Only
 * the last line can end the value, so only it loses a trailing backslash.
 */
function confText(text: string): string {
  const lines = text.split(LINE_BREAK).map(oneLine);
  lines[lines.length - 1] = withoutContinuation(lines[lines.length - 1]!);
  return lines.join(' \\\n');
}

/** The search as a .conf value: its lines joined by continuations (`check` refuses other breaks). */
function confSearch(query: string): string {
  return query.replace(/\n/g, ' \\\n');
}

function stanzaName(rule: SigmaRule | CorrelationRule): string {
  // `[` `]` end a stanza name; keep the title readable otherwise.
  return confLine((rule.title ?? rule.id ?? 'Sigma rule').replace(/[[\]]/g, '').trim());
}

const opt = (options: BackendOptions, name: string, fallback: string): string => {
  const v = options[name] ?? options[name.replace(/_/g, '-')];
  return confLine(v === undefined ? fallback : String(v));
};

export const plainFormat: OutputFormat = {
  name: 'query',
  description: 'the SPL search text',
  render: (result) => ({ text: result.queries.join('\n') + '\n', extension: '.spl' }),
};

/** The log-source macros a result's queries use → their default definitions (src/backends/splunk/convert.ts). */
function macrosOf(result: ConversionSuccess): Record<string, string> {
  const m = result.meta['macros'];
  const out: Record<string, string> = {};
  if (m && typeof m === 'object' && !Array.isArray(m))
    for (const [k, v] of Object.entries(m)) if (typeof v === 'string' && MACRO_NAME.test(k)) out[k] = v;
  return out;
}

/** Why a value cannot be written in a .conf file exactly (a line break, a trailing backslash), if it cannot. */
function confValueProblem(value: string): string | undefined {
  if (/[\r\n\u0085\u2028\u2029]/.test(value)) return 'holds a line break';
  if (value.endsWith('\\')) return 'ends in a backslash, which a .conf file reads as a line continuation';
  return undefined;
}

/** The query is code: what a .conf value cannot carry exactly is refused, not altered. */
function checkSearch(result: ConversionSuccess): ConversionError | undefined {
  const search = result.queries.join('\n');
  if (/[\r\u0085\u2028\u2029]/.test(search))
    return conversionError(
      'C015',
      'the search holds a line break other than \\n, which savedsearches.conf cannot carry',
    );
  if (search.endsWith('\\'))
    return conversionError(
      'C015',
      'the search ends in a backslash, which savedsearches.conf reads as a line continuation',
    );
  for (const [name, definition] of Object.entries(macrosOf(result))) {
    const problem = confValueProblem(definition);
    if (problem) return conversionError('C015', `the definition of the macro ${name} ${problem}`);
  }
  return undefined;
}

const SAVED_SEARCH_OPTIONS = {
  cron_schedule: "cron_schedule of the search (default '*/10 * * * *')",
  earliest_time: "dispatch.earliest_time (default '-10m@m')",
  latest_time: "dispatch.latest_time (default 'now')",
  security_domain: "action.notable.param.security_domain (default 'threat')",
};

/**
 * The settings of a rule's stanza: the rule's own (`sigil: artifacts: savedsearches:`), then
 * `--set`, then `.sigil.yml` (`artifacts: savedsearches:`), then the format's defaults.
 */
function stanzaOptions(
  rule: SigmaRule | CorrelationRule,
  options: BackendOptions,
  defaults: ArtifactDefaults | undefined,
): { options: BackendOptions; settings: SavedSearchSettings } {
  const own = savedSearchSettings(rule, undefined).settings;
  const config = savedSearchDefaults(defaults);
  const merged: BackendOptions = {};
  for (const key of ['cron_schedule', 'earliest_time', 'latest_time'] as const) {
    const v = own[key] ?? options[key] ?? options[key.replace(/_/g, '-')] ?? config[key];
    if (v !== undefined) merged[key] = v;
  }
  return {
    options: { ...options, ...merged },
    settings: {
      ...config,
      ...own,
      ...(own.suppression || config.suppression ? { suppression: own.suppression ?? config.suppression } : {}),
    },
  };
}

/** Settings problems as the per-rule error (C038), located in the rule where they are. */
function settingsError(
  rule: SigmaRule | CorrelationRule,
  defaults: ArtifactDefaults | undefined,
): ConversionError | undefined {
  const p = savedSearchSettings(rule, defaults).problems[0];
  if (!p) return undefined;
  return conversionError('C038', `${p.path.join('.')}: ${p.message}`, {
    ...(p.hint ? { hint: p.hint } : {}),
    ...(p.loc ? { loc: p.loc } : {}),
  });
}

/** The savedsearches.conf stanza of one converted rule. */
function savedSearchStanza(
  result: ConversionSuccess,
  rule: SigmaRule | CorrelationRule,
  cliOptions: BackendOptions,
  defaults?: ArtifactDefaults,
): string {
  const { options, settings } = stanzaOptions(rule, cliOptions, defaults);
  const level = settings.severity ?? rule.level ?? 'medium';
  const suppression = settings.suppression?.enabled ? settings.suppression : undefined;
  const { techniques } = attackAnnotations(rule.tags);
  const annotations = JSON.stringify({ mitre_attack: techniques });
  const title = stanzaName(rule);
  const description = (rule.description ?? '').trim();
  const search = result.queries.join('\n');
  const routing = typeof result.meta['routing'] === 'string' ? result.meta['routing'] : null;
  const risk = riskEntries(search, result.fields, routing, LEVEL_RISK[level] ?? 50);
  const lines: string[] = [
    ...(rule.id ? [`# Sigma rule ${confLine(rule.id)}`] : []),
    `[${title}]`,
    `search = ${confSearch(search)}`,
    `description = ${confText(description)}`,
    `cron_schedule = ${opt(options, 'cron_schedule', '*/10 * * * *')}`,
    // A correlation's window may start before the run's 10 minutes: read the timespan more.
    `dispatch.earliest_time = ${opt(options, 'earliest_time', rule.kind === 'correlation' ? `-${10 + Math.ceil(rule.correlation.timespan.seconds / 60)}m@m` : '-10m@m')}`,
    `dispatch.latest_time = ${opt(options, 'latest_time', 'now')}`,
    `enableSched = ${settings.enabled === false ? 0 : 1}`,
    'counttype = number of events',
    'relation = greater than',
    'quantity = 0',
    'alert.track = 1',
    ...(suppression
      ? [
          'alert.suppress = 1',
          `alert.suppress.period = ${suppression.duration}m`,
          ...(suppression.fields.length ? [`alert.suppress.fields = ${suppression.fields.join(',')}`] : []),
        ]
      : ['alert.suppress = 0']),
    'action.correlationsearch.enabled = 1',
    `action.correlationsearch.label = ${title}`,
    `action.correlationsearch.annotations = ${annotations}`,
    'action.notable = 1',
    `action.notable.param.rule_title = ${title}`,
    `action.notable.param.rule_description = ${confText(description)}`,
    `action.notable.param.severity = ${LEVEL_SEVERITY[level] ?? 'medium'}`,
    `action.notable.param.security_domain = ${opt(options, 'security_domain', 'threat')}`,
    // ES's current risk parameter: one JSON list of risk and threat objects (as contentctl writes
    // it), each a field the search's results carry (src/backends/splunk/risk.ts). Without one,
    // no risk action: a risk event needs a risk object.
    ...(risk.length
      ? [
          'action.risk = 1',
          `action.risk.param._risk = ${JSON.stringify(risk)}`,
          `action.risk.param._risk_message = ${title}`,
          'action.risk.param.verbose = 0',
        ]
      : ['action.risk = 0']),
  ];
  return lines.join('\n') + '\n';
}

export const savedSearchesFormat: OutputFormat = {
  name: 'savedsearches',
  description:
    'a savedsearches.conf stanza (scheduled Enterprise Security correlation search with notable and risk actions)',
  options: SAVED_SEARCH_OPTIONS,
  check: (result, rule, defaults) => checkSearch(result) ?? settingsError(rule, defaults),
  render: (result, rule, options, defaults) => ({
    text: savedSearchStanza(result, rule, options, defaults),
    extension: '.conf',
  }),
};

/** macros.conf stanzas for the given macros (macros.conf.spec: `definition`, `iseval`, `description`). */
function macroStanzas(macros: Record<string, string>): string {
  return Object.entries(macros)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(
      ([name, definition]) =>
        `[${name}]\ndefinition = ${definition}\niseval = 0\ndescription = Scopes the Sigma log source searched by the rules converted with Sigil; edit it to name your indexes and sourcetypes.\n`,
    )
    .join('\n');
}

/** Every macro the outputs use, with a definition (the first given wins; pipelines give one per macro). */
function collectMacros(outputs: readonly RenderedOutput[]): Record<string, string> {
  const all: Record<string, string> = {};
  for (const o of outputs) {
    const m = JSON.parse(o.parts?.['macros'] ?? '{}') as Record<string, string>;
    for (const [k, v] of Object.entries(m)) if (v && !(k in all)) all[k] = v;
  }
  return all;
}

export const macrosFormat: OutputFormat = {
  name: 'macros',
  description:
    'macros.conf: the log-source search macros the converted searches use, with their default definitions (one file for the run)',
  check: (result) => checkSearch(result),
  render: (result) => {
    const macros = Object.fromEntries(Object.entries(macrosOf(result)).filter(([, v]) => v !== ''));
    return { text: macroStanzas(macros), extension: '.conf', parts: { macros: JSON.stringify(macros) } };
  },
  combine: (outputs) => ({ data: macroStanzas(collectMacros(outputs)), fileName: 'macros.conf' }),
};

/** app.conf.spec: `[package] id` is letters, digits, `_` and `.`, not ending with a dot. */
const APP_ID = /^[A-Za-z0-9_.]*[A-Za-z0-9_]$/;
const APP_VERSION = /^\d+\.\d+\.\d+$/;

/** Stanza names made unique (Splunk merges stanzas of one name; a second rule must not overwrite the first). */
function uniqueStanzas(stanzas: readonly string[]): string[] {
  const used = new Set<string>();
  return stanzas.map((text) =>
    text.replace(/^\[(.*)\]$/m, (_all, name: string) => {
      let n = name;
      for (let i = 2; used.has(n.toLowerCase()); i++) n = `${name} (${i})`;
      used.add(n.toLowerCase());
      return `[${n}]`;
    }),
  );
}

export const appFormat: OutputFormat = {
  name: 'app',
  description:
    'an installable Splunk app (.tgz): default/app.conf, default/savedsearches.conf, default/macros.conf, metadata/default.meta (one archive for the run)',
  options: {
    ...SAVED_SEARCH_OPTIONS,
    app_name: "the app's folder and package id (default 'sigma_detections')",
    app_label: "the app's label in Splunk Web (default 'Sigma detections')",
    app_version: "the app's version, major.minor.patch (default '1.0.0')",
  },
  check: (result, rule, defaults) => checkSearch(result) ?? settingsError(rule, defaults),
  render: (result, rule, options, defaults) => {
    const stanza = savedSearchStanza(result, rule, options, defaults);
    const macros = Object.fromEntries(Object.entries(macrosOf(result)).filter(([, v]) => v !== ''));
    return { text: stanza, extension: '.conf', parts: { savedsearch: stanza, macros: JSON.stringify(macros) } };
  },
  combine: (outputs, options): CombinedOutput => {
    const id = opt(options, 'app_name', 'sigma_detections');
    const version = opt(options, 'app_version', '1.0.0');
    const label = opt(options, 'app_label', 'Sigma detections');
    if (!APP_ID.test(id))
      return { error: `app_name '${id}' is not a Splunk app id (letters, digits, _ and ., not ending with a dot)` };
    if (!APP_VERSION.test(version)) return { error: `app_version '${version}' is not major.minor.patch` };
    const appConf = [
      '[install]',
      'is_configured = 0',
      'state = enabled',
      '',
      '[launcher]',
      'author = Sigil',
      'description = Sigma rules converted to Splunk searches by Sigil',
      `version = ${version}`,
      '',
      '[package]',
      `id = ${id}`,
      'check_for_updates = 0',
      '',
      '[ui]',
      'is_visible = 0',
      `label = ${label}`,
      '',
    ].join('\n');
    const saved = uniqueStanzas(outputs.map((o) => o.parts?.['savedsearch'] ?? '').filter((t) => t !== ''));
    const meta = [
      '# Objects are shared with the whole app; only admins change them.',
      '[]',
      'access = read : [ * ], write : [ admin ]',
      'export = none',
      '',
      '[savedsearches]',
      'owner = admin',
      '',
    ].join('\n');
    const data = tarGz([
      { path: `${id}/` },
      { path: `${id}/default/` },
      { path: `${id}/default/app.conf`, data: appConf },
      { path: `${id}/default/savedsearches.conf`, data: saved.join('\n') },
      { path: `${id}/default/macros.conf`, data: macroStanzas(collectMacros(outputs)) },
      { path: `${id}/metadata/` },
      { path: `${id}/metadata/default.meta`, data: meta },
    ]);
    return { data, fileName: `${id}.tgz` };
  },
};
