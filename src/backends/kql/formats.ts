/**
 * KQL output formats: the plain query, a Microsoft Sentinel scheduled analytics rule (Azure-Sentinel
 * repository YAML and ARM template), and a Defender XDR custom detection (Graph detectionRule JSON).
 */
import YAML from 'yaml';
import type { CorrelationRule, SigmaRule } from '../../ast/types.js';
import { attackInfo } from '../attack.js';
import { conversionError } from '../diagnostics.js';
import { oneLine } from '../../util/inert-text.js';
import { isUuid } from '../../util/text.js';
import type { ArtifactDefaults, ConversionError, ConversionSuccess, OutputFormat } from '../types.js';
import { defenderImpactedAssets, impactedAssetColumns, sentinelEntities, type EntityMapping } from './entities.js';
import { kqlName } from './literals.js';
import { tableColumns, type KqlProduct } from './schema.js';
import {
  defenderSettings,
  isoDuration,
  sentinelSettings,
  shortDuration,
  type DefenderSettings,
  type ResolvedSettings,
  type SentinelSettings,
} from '../settings.js';
import { templateId } from './template-id.js';

type Doc = SigmaRule | CorrelationRule;

/** Sentinel has no Critical severity. */
const SENTINEL_SEVERITY: Record<string, string> = {
  informational: 'Informational',
  low: 'Low',
  medium: 'Medium',
  high: 'High',
  critical: 'High',
};
const GRAPH_SEVERITY: Record<string, string> = {
  informational: 'informational',
  low: 'low',
  medium: 'medium',
  high: 'high',
  critical: 'high',
};

/** What the KQL backend records in a result's `meta` for its formats (a correlation: no product or table). */
export type KqlMeta = {
  product?: KqlProduct;
  timeColumn: string;
  table?: string;
  correlation?: string;
  /** The pipelines that ran, in order (part of each artifact's id). */
  pipelines?: string[];
  /** A correlation's group-by output columns → the column each comes from, per referenced rule. */
  groupColumns?: Record<string, string[]>;
  /** A correlation's result columns (its group-by names, the columns it carries). */
  columns?: string[];
};

/** The meta of a KQL result: these formats only ever render the KQL backend's results. */
function metaOf(r: ConversionSuccess): KqlMeta {
  return r.meta as KqlMeta;
}
function tableOf(r: ConversionSuccess): string {
  return metaOf(r).table ?? r.tables[0] ?? '';
}
function productOf(r: ConversionSuccess): KqlProduct {
  return metaOf(r).product ?? 'sentinel';
}

/**
 * The columns the query returns, as the table's column names: all of the table's for a plain
 * rule; after a correlation's summarize, only the group-by columns, each standing for the one
 * table column it was projected from (output name → table column).
 */
function outputColumns(r: ConversionSuccess): Map<string, string> {
  const m = metaOf(r);
  const out = new Map<string, string>();
  if (r.tables.length !== 1) return m.correlation === undefined ? unionColumns(r) : out;
  if (m.correlation !== undefined) {
    for (const [name, sources] of Object.entries(m.groupColumns ?? {}))
      if (sources.length && sources.every((s) => s === sources[0])) out.set(sources[0]!, name);
    return out;
  }
  for (const c of tableColumns(tableOf(r), productOf(r))?.keys() ?? []) out.set(c, c);
  return out;
}

/**
 * A plain rule over a union of tables (a route's `union`): the route table's columns that come
 * out of the union as one column — of the same type in every table, or parsed from JSON text
 * where the rule reads them (src/backends/kql/query.ts, unionSource).
 */
function unionColumns(r: ConversionSuccess): Map<string, string> {
  const product = productOf(r);
  const [first, ...others] = r.tables.map((t) => tableColumns(t, product));
  const parsed = new Set(r.fields.map((f) => f.split('.')[0]!));
  const out = new Map<string, string>();
  for (const [column, type] of first ?? []) {
    const same = others.every((o) => {
      const t = o?.get(column);
      return t === type || (type === 'dynamic' && t === 'string' && parsed.has(column));
    });
    if (same) out.set(column, column);
  }
  return out;
}

/** The Sentinel entities of a result, and the columns the artifact's query adds for them. */
function entityMappings(r: ConversionSuccess): { mappings: EntityMapping[]; extend: Record<string, string> } {
  const cols = outputColumns(r);
  const plain = metaOf(r).correlation === undefined;
  const { mappings, extend } = sentinelEntities(
    tableOf(r),
    new Set(cols.keys()),
    plain ? new Set(r.fields) : undefined,
  );
  return {
    mappings: mappings.map((e) => ({
      ...e,
      fieldMappings: e.fieldMappings.map((f) => ({ ...f, columnName: cols.get(f.columnName) ?? f.columnName })),
    })),
    extend,
  };
}

/**
 * The query of a Sentinel rule artifact: the rule's, then the columns its entities need. A
 * correlation reads an overlapping period (its frequency plus its timespan), so a window seen by
 * two runs would alert twice: only results whose latest event falls in the run's own frequency
 * are kept, and each window end is reported by exactly one run.
 */
function sentinelQuery(r: ConversionSuccess, rule: Doc, frequencyMinutes: number): string {
  const { extend } = entityMappings(r);
  const lines = Object.entries(extend).map(([name, expr]) => `| extend ${kqlName(name)} = ${expr}`);
  if (rule.kind === 'correlation') lines.push(`| where ${kqlName(metaOf(r).timeColumn)} > ago(${frequencyMinutes}m)`);
  return [...r.queries, ...lines].join('\n') + '\n';
}

/** Sentinel's longest query period (minutes). */
const SENTINEL_MAX_PERIOD_MINUTES = 14 * 24 * 60;

/**
 * The settings of a Sentinel rule artifact: a correlation's window may start before the run's
 * own frequency, so its query period covers the frequency plus the timespan (whole minutes up).
 */
function sentinelSettingsFor(rule: Doc, defaults: ArtifactDefaults | undefined): ResolvedSettings<SentinelSettings> {
  const resolved = sentinelSettings(rule, defaults);
  if (rule.kind !== 'correlation') return resolved;
  const needed = resolved.settings.queryFrequency + Math.ceil(rule.correlation.timespan.seconds / 60);
  return {
    ...resolved,
    settings: { ...resolved.settings, queryPeriod: Math.max(resolved.settings.queryPeriod, needed) },
  };
}

/** The identity an artifact id derives from: the rule's id, else its name, else its title. */
function ruleKey(rule: Doc): string {
  return rule.id ?? rule.name ?? rule.title ?? '';
}

/** Where an artifact came from, kept in it as data (its own id is derived, see template-id.ts). */
function provenance(r: ConversionSuccess, rule: Doc, format: string): Record<string, unknown> {
  return {
    ...(rule.id !== undefined ? { id: rule.id } : {}),
    ...(rule.name !== undefined ? { name: rule.name } : {}),
    pipelines: metaOf(r).pipelines ?? [],
    format,
  };
}

const CONNECTORS: Record<string, { connectorId: string; dataTypes: string[] }> = {
  SecurityEvent: { connectorId: 'SecurityEvents', dataTypes: ['SecurityEvent'] },
  WindowsEvent: { connectorId: 'WindowsForwardedEvents', dataTypes: ['WindowsEvent'] },
  Event: { connectorId: 'WindowsSecurityEvents', dataTypes: ['Event'] },
  // Microsoft Entra ID's connector (AzureActiveDirectory), one entry per table as its own rules list them.
  SigninLogs: { connectorId: 'AzureActiveDirectory', dataTypes: ['SigninLogs'] },
  AADNonInteractiveUserSignInLogs: {
    connectorId: 'AzureActiveDirectory',
    dataTypes: ['AADNonInteractiveUserSignInLogs'],
  },
  AuditLogs: { connectorId: 'AzureActiveDirectory', dataTypes: ['AuditLogs'] },
  // The connector ids Azure-Sentinel's own analytics rules give these tables.
  AzureActivity: { connectorId: 'AzureActivity', dataTypes: ['AzureActivity'] },
  AWSCloudTrail: { connectorId: 'AWS', dataTypes: ['AWSCloudTrail'] },
  OfficeActivity: { connectorId: 'Office365', dataTypes: ['OfficeActivity'] },
  Syslog: { connectorId: 'Syslog', dataTypes: ['Syslog'] },
  // Connector ids of the Azure-Sentinel data connector definitions that fill these tables
  // (GCP Pub/Sub Audit Logs, Windows Server DNS, Okta Single Sign-On) and, for IIS, the id
  // Azure-Sentinel's own W3CIISLog analytics rules list. CommonSecurityLog has none: each CEF
  // vendor has its own connector, and which one fills the table is the workspace's choice.
  GCPAuditLogs: { connectorId: 'GCPAuditLogsDefinition', dataTypes: ['GCPAuditLogs'] },
  DnsEvents: { connectorId: 'DNS', dataTypes: ['DnsEvents'] },
  W3CIISLog: { connectorId: 'AzureMonitor(IIS)', dataTypes: ['W3CIISLog'] },
  Okta_CL: { connectorId: 'OktaSSO', dataTypes: ['Okta_CL'] },
};

function requiredDataConnectors(r: ConversionSuccess): { connectorId: string; dataTypes: string[] }[] {
  return r.tables.flatMap((t) =>
    t.startsWith('Device')
      ? [{ connectorId: 'MicrosoftThreatProtection', dataTypes: [t] }]
      : CONNECTORS[t]
        ? [CONNECTORS[t]!]
        : [],
  );
}

/** The template model's limits on the rule's texts (AnalyticsTemplateInternalModelBase.cs). */
const SENTINEL_MAX_NAME = 256;
const SENTINEL_MAX_DESCRIPTION = 5000;

function sentinelDescription(rule: Doc): string {
  return [
    rule.description ?? rule.title ?? '',
    rule.references?.length ? `References: ${rule.references.join(' ')}` : '',
  ]
    .filter(Boolean)
    .join('\n');
}

/** The rule as Azure-Sentinel's YAML template model names things (ARM maps from this). */
function sentinelRule(
  r: ConversionSuccess,
  rule: Doc,
  settings: SentinelSettings,
  format: string,
): Record<string, unknown> {
  const { tactics, techniques } = attackInfo(rule.tags);
  const entities = entityMappings(r).mappings;
  const g = settings.grouping;
  return {
    id: templateId(ruleKey(rule), metaOf(r).pipelines ?? [], format),
    name: rule.title ?? rule.name ?? '',
    description: sentinelDescription(rule),
    severity: settings.severity ?? SENTINEL_SEVERITY[rule.level ?? 'medium'] ?? 'Medium',
    requiredDataConnectors: requiredDataConnectors(r),
    queryFrequency: shortDuration(settings.queryFrequency),
    queryPeriod: shortDuration(settings.queryPeriod),
    triggerOperator: settings.triggerOperator,
    triggerThreshold: settings.triggerThreshold,
    tactics,
    relevantTechniques: techniques,
    query: sentinelQuery(r, rule, settings.queryFrequency),
    // The template model refuses an empty list (1 … 5 mappings): none is written as no key.
    ...(entities.length ? { entityMappings: entities } : {}),
    ...(settings.customDetails && Object.keys(settings.customDetails).length
      ? { customDetails: settings.customDetails }
      : {}),
    ...(settings.eventGrouping ? { eventGroupingSettings: { aggregationKind: settings.eventGrouping } } : {}),
    ...(g
      ? {
          incidentConfiguration: {
            createIncident: g.createIncident,
            groupingConfiguration: {
              enabled: g.enabled,
              reopenClosedIncident: g.reopenClosedIncident,
              lookbackDuration: shortDuration(g.lookbackDuration),
              matchingMethod: g.matchingMethod,
              groupByEntities: g.groupByEntities,
              groupByAlertDetails: [],
              groupByCustomDetails: [],
            },
          },
        }
      : {}),
    version: '1.0.0',
    kind: 'Scheduled',
    sigma: provenance(r, rule, format),
  };
}

const query: OutputFormat = {
  name: 'query',
  description: 'the KQL query text (.kql)',
  render: (r) => ({ text: r.queries.join('\n\n') + '\n', extension: '.kql' }),
  comment: (text) => `// ${oneLine(text)}`,
};

/**
 * Sentinel refuses a scheduled rule whose query is longer than 10,000 characters (the alert-rule
 * API, and `StringLength(10000)` in Azure-Sentinel's template model): such a rule is an error
 * here, not an artifact that fails at deployment.
 */
const SENTINEL_MAX_QUERY = 10_000;

function sentinelQueryTooLong(
  r: ConversionSuccess,
  rule: Doc,
  settings: SentinelSettings,
): ConversionError | undefined {
  if (settings.queryPeriod > SENTINEL_MAX_PERIOD_MINUTES)
    return conversionError(
      'C036',
      `the correlation's timespan needs a query period of ${settings.queryPeriod} minutes; a Sentinel scheduled rule reads at most 14 days`,
      { hint: 'shorten the timespan to at most 14 days minus the frequency' },
    );
  const length = sentinelQuery(r, rule, settings.queryFrequency).length;
  if (length <= SENTINEL_MAX_QUERY) return undefined;
  return conversionError(
    'C018',
    `the query has ${length.toLocaleString('en-US')} characters; a Sentinel scheduled rule's query may have at most ${SENTINEL_MAX_QUERY.toLocaleString('en-US')}`,
    {
      hint: 'split the rule, or move part of the query into a saved function (a KQL function in the workspace) and call it',
    },
  );
}

/** The first settings problem as a located conversion error. */
function settingsError(problems: ResolvedSettings<unknown>['problems']): ConversionError | undefined {
  const p = problems[0];
  if (!p) return undefined;
  return conversionError('C038', `${p.path.join('.')}: ${p.message}`, {
    ...(p.hint ? { hint: p.hint } : {}),
    ...(p.loc ? { loc: p.loc } : {}),
  });
}

/** Everything a Sentinel rule artifact needs besides the query's own length. */
function sentinelCheck(
  r: ConversionSuccess,
  rule: Doc,
  defaults: ArtifactDefaults | undefined,
): ConversionError | undefined {
  const { settings, problems } = sentinelSettingsFor(rule, defaults);
  const bad = settingsError(problems);
  if (bad) return bad;
  const name = rule.title ?? rule.name ?? '';
  if (name.length > SENTINEL_MAX_NAME)
    return conversionError(
      'C040',
      `the title has ${name.length} characters; a Sentinel rule's name may have at most ${SENTINEL_MAX_NAME}`,
      {
        hint: 'shorten the title',
        ...(rule.locs['title'] ? { loc: rule.locs['title'] } : {}),
      },
    );
  const description = sentinelDescription(rule);
  if (description.length > SENTINEL_MAX_DESCRIPTION)
    return conversionError(
      'C040',
      `the description with its references has ${description.length} characters; a Sentinel rule's description may have at most ${SENTINEL_MAX_DESCRIPTION}`,
      {
        hint: 'shorten the description or list fewer references',
        ...(rule.locs['description'] ? { loc: rule.locs['description'] } : {}),
      },
    );
  const out = outputColumns(r);
  for (const [key, col] of Object.entries(settings.customDetails ?? {}))
    if (![...out.values()].includes(col))
      return conversionError('C039', `custom detail '${key}' names column '${col}', which the query does not return`, {
        hint: `the results carry: ${[...out.values()].sort().join(', ') || 'no named columns'}`,
        ...(rule.locs[`sigil.artifacts.sentinel-rule.customDetails.${key}`]
          ? { loc: rule.locs[`sigil.artifacts.sentinel-rule.customDetails.${key}`] }
          : {}),
      });
  return sentinelQueryTooLong(r, rule, settings);
}

const sentinelYaml: OutputFormat = {
  name: 'sentinel-rule',
  description: 'Microsoft Sentinel scheduled analytics rule, Azure-Sentinel repository YAML',
  check: sentinelCheck,
  render: (r, rule, _options, defaults) => ({
    text: YAML.stringify(sentinelRule(r, rule, sentinelSettingsFor(rule, defaults).settings, 'sentinel-rule'), {
      lineWidth: 0,
      blockQuote: 'literal',
      // A string that needs double quotes is written as a JSON string: yaml 2.9's folded
      // double-quoted form turned a line of one space into a backslash (found by the metadata
      // property test, seed -532051840).
      doubleQuotedAsJSON: true,
    }),
    extension: '.yaml',
  }),
};

/**
 * ARM evaluates a string that starts with `[` and ends with `]` as a template expression; `[[`
 * keeps such a string literal. Rule text in the template goes through this, so a title or
 * description can never call a template function.
 */
function armLiteral<T>(value: T): T {
  if (typeof value === 'string') return (value.startsWith('[') && value.endsWith(']') ? '[' + value : value) as T;
  if (Array.isArray(value)) return value.map(armLiteral) as T;
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, armLiteral(v)])) as T;
  return value;
}

const ARM_TRIGGER: Record<SentinelSettings['triggerOperator'], string> = {
  gt: 'GreaterThan',
  lt: 'LessThan',
  eq: 'Equal',
  ne: 'NotEqual',
};

const sentinelArm: OutputFormat = {
  name: 'sentinel-arm',
  description: 'Microsoft Sentinel scheduled analytics rule as an ARM template (alertRules, kind Scheduled)',
  // The resource's name is the derived template id (a UUID, see template-id.ts), never rule text;
  // the rule's own id, kept in the template's metadata, must still be a UUID as Sentinel expects.
  check: (r, rule, defaults) =>
    rule.id && isUuid(rule.id)
      ? sentinelCheck(r, rule, defaults)
      : conversionError(
          'C015',
          `an ARM template needs the rule's id as a UUID, not ${JSON.stringify(rule.id ?? null)}`,
          {
            hint: 'give the rule a UUID id (sigil fmt does not invent one), or use --format sentinel-rule',
          },
        ),
  render: (r, rule, _options, defaults) => {
    const settings = sentinelSettingsFor(rule, defaults).settings;
    const s = sentinelRule(r, rule, settings, 'sentinel-arm');
    const g = settings.grouping;
    const template = {
      $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
      contentVersion: '1.0.0.0',
      metadata: armLiteral({ sigma: s['sigma'] }),
      parameters: { workspace: { type: 'String' } },
      resources: [
        {
          id: `[concat(resourceId('Microsoft.OperationalInsights/workspaces/providers', parameters('workspace'), 'Microsoft.SecurityInsights'),'/alertRules/${String(s['id'])}')]`,
          name: `[concat(parameters('workspace'),'/Microsoft.SecurityInsights/${String(s['id'])}')]`,
          type: 'Microsoft.OperationalInsights/workspaces/providers/alertRules',
          kind: 'Scheduled',
          apiVersion: '2023-02-01-preview',
          properties: armLiteral({
            displayName: s['name'],
            description: s['description'],
            severity: s['severity'],
            enabled: settings.enabled,
            query: s['query'],
            queryFrequency: isoDuration(settings.queryFrequency),
            queryPeriod: isoDuration(settings.queryPeriod),
            triggerOperator: ARM_TRIGGER[settings.triggerOperator],
            triggerThreshold: settings.triggerThreshold,
            suppressionDuration: isoDuration(settings.suppression.duration),
            suppressionEnabled: settings.suppression.enabled,
            tactics: s['tactics'],
            techniques: [...new Set((s['relevantTechniques'] as string[]).map((t) => t.split('.')[0]))],
            subTechniques: (s['relevantTechniques'] as string[]).filter((t) => t.includes('.')),
            ...(s['entityMappings'] ? { entityMappings: s['entityMappings'] } : {}),
            ...(s['customDetails'] ? { customDetails: s['customDetails'] } : {}),
            ...(s['eventGroupingSettings'] ? { eventGroupingSettings: s['eventGroupingSettings'] } : {}),
            ...(g
              ? {
                  incidentConfiguration: {
                    createIncident: g.createIncident,
                    groupingConfiguration: {
                      enabled: g.enabled,
                      reopenClosedIncident: g.reopenClosedIncident,
                      lookbackDuration: isoDuration(g.lookbackDuration),
                      matchingMethod: g.matchingMethod,
                      groupByEntities: g.groupByEntities,
                      groupByAlertDetails: [],
                      groupByCustomDetails: [],
                    },
                  },
                }
              : {}),
          }),
        },
      ],
    };
    return { text: JSON.stringify(template, null, 2) + '\n', extension: '.json' };
  },
};

/** Columns a Defender custom detection must return. */
const DEFENDER_REQUIRED = ['Timestamp', 'ReportId', 'DeviceId'];

/** Graph's ruleSchedule.frequency for the hours a detection may run at (0: continuously, NRT). */
const DEFENDER_FREQUENCY: Record<DefenderSettings['frequencyHours'], string> = {
  0: 'PT0S',
  1: 'PT1H',
  3: 'PT3H',
  12: 'PT12H',
  24: 'P1D',
};

/**
 * How far back each run of a custom detection reads, by frequency in hours (Microsoft's
 * documented pairs: every hour → 4 hours, 3 hours → 12 hours, 12 hours → 48 hours, 24 hours →
 * 30 days; continuous runs read new events only).
 */
const DEFENDER_LOOKBACK_HOURS: Record<DefenderSettings['frequencyHours'], number> = {
  0: 0,
  1: 4,
  3: 12,
  12: 48,
  24: 30 * 24,
};

const defenderDetection: OutputFormat = {
  name: 'defender-detection',
  description: 'Microsoft Defender XDR custom detection rule (Graph security detectionRule JSON)',
  check: (r, rule, defaults) => {
    const meta = metaOf(r);
    if (meta.correlation !== undefined) {
      // A correlation keeps Timestamp, ReportId and DeviceId with arg_max where every table has them.
      const missing = DEFENDER_REQUIRED.filter((c) => !meta.columns?.includes(c));
      if (productOf(r) !== 'defender' || missing.length)
        return conversionError(
          'C036',
          `a Defender custom detection must return ${DEFENDER_REQUIRED.join(', ')}: the correlation over ${r.tables.join(', ')} (${productOf(r)}) returns no ${missing.join(', ')}`,
          { hint: 'use -p defender-xdr with base rules on Device* tables, or --format query (a hunting query)' },
        );
      const { settings, problems } = defenderSettings(rule, defaults);
      const bad = settingsError(problems);
      if (bad) return bad;
      const lookback = DEFENDER_LOOKBACK_HOURS[settings.frequencyHours];
      const span = rule.kind === 'correlation' ? rule.correlation.timespan.seconds / 3600 : 0;
      if (settings.frequencyHours === 0 || settings.frequencyHours + span > lookback)
        return conversionError(
          'C036',
          `a correlation over ${rule.kind === 'correlation' ? rule.correlation.timespan.raw : ''} does not fit a Defender custom detection run every ${settings.frequencyHours} h (lookback ${lookback} h; continuous runs take no aggregation)`,
          {
            hint: 'choose a less frequent schedule (sigil: artifacts: defender-detection: frequency), or shorten the timespan',
          },
        );
      return undefined;
    }
    const cols =
      r.tables.length === 1 && productOf(r) === 'defender' ? tableColumns(tableOf(r), 'defender') : undefined;
    if (!cols || !DEFENDER_REQUIRED.every((c) => cols.has(c))) {
      return conversionError(
        'C003',
        `a Defender custom detection must return ${DEFENDER_REQUIRED.join(', ')}: the query reads ${r.tables.join(', ')} (${productOf(r)})`,
        { hint: 'use -p defender-xdr, or --format sentinel-rule' },
      );
    }
    return settingsError(defenderSettings(rule, defaults).problems);
  },
  render: (r, rule, _options, defaults) => {
    const settings = defenderSettings(rule, defaults).settings;
    const { tactics, techniques } = attackInfo(rule.tags);
    const meta = metaOf(r);
    const correlation = meta.correlation !== undefined;
    const cols: ReadonlySet<string> = correlation
      ? new Set(meta.columns ?? [])
      : new Set(tableColumns(tableOf(r), 'defender')!.keys());
    const assets = defenderImpactedAssets(cols);
    // A correlation also returns its window and group-by columns (what the alert is about).
    const extra = correlation ? (meta.columns ?? []).filter((c) => !DEFENDER_REQUIRED.includes(c)) : ['DeviceName'];
    const returned = [...new Set([...DEFENDER_REQUIRED, ...impactedAssetColumns(assets), ...extra])].filter((c) =>
      cols.has(c),
    );
    // A correlation's window end is reported by the one run whose own period holds it.
    const recent = correlation ? `\n| where Timestamp > ago(${settings.frequencyHours}h)` : '';
    const queryText = `${r.queries.join('\n')}${recent}\n| project ${returned.map(kqlName).join(', ')}`;
    const body = {
      displayName: rule.title ?? '',
      isEnabled: settings.enabled,
      queryCondition: { queryText },
      schedule: { frequency: DEFENDER_FREQUENCY[settings.frequencyHours] },
      detectionAction: {
        alertTemplate: {
          title: rule.title ?? '',
          description: rule.description ?? '',
          severity: settings.severity ?? GRAPH_SEVERITY[rule.level ?? 'medium'] ?? 'medium',
          category: tactics[0] ?? 'SuspiciousActivity',
          recommendedActions: null,
          mitreTechniques: techniques,
          impactedAssets: assets,
        },
        organizationalScopes: null,
        responseActions: [],
      },
    };
    return { text: JSON.stringify(body, null, 2) + '\n', extension: '.json' };
  },
};

export const KQL_FORMATS: OutputFormat[] = [query, sentinelYaml, sentinelArm, defenderDetection];
