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
import type { ConversionError, ConversionSuccess, OutputFormat } from '../types.js';
import { kqlName } from './literals.js';
import { tableColumns, type KqlProduct } from './schema.js';

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

/**
 * What the KQL backend records in a result's `meta` for its formats (a correlation: no table, but
 * the product and the columns of its result).
 */
export type KqlMeta = {
  product?: KqlProduct;
  timeColumn: string;
  table?: string;
  correlation?: string;
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

/** Entity columns present in the table, by entity type, first match wins. */
const ENTITY_CANDIDATES: { entityType: string; identifier: string; columns: string[] }[] = [
  { entityType: 'Host', identifier: 'HostName', columns: ['DeviceName', 'Computer', 'DvcHostname'] },
  {
    entityType: 'Account',
    identifier: 'Name',
    columns: ['AccountName', 'InitiatingProcessAccountName', 'SubjectUserName', 'TargetUserName', 'ActorUsername'],
  },
  {
    entityType: 'Process',
    identifier: 'CommandLine',
    columns: [
      'ProcessCommandLine',
      'InitiatingProcessCommandLine',
      'CommandLine',
      'TargetProcessCommandLine',
      'ActingProcessCommandLine',
    ],
  },
];

function entityMappings(
  r: ConversionSuccess,
): { entityType: string; fieldMappings: { identifier: string; columnName: string }[] }[] {
  const meta = metaOf(r);
  // A correlation returns its own columns (the group-by names among them), not its tables'.
  const cols: { has(c: string): boolean } | undefined =
    meta.correlation !== undefined
      ? new Set(meta.columns ?? [])
      : r.tables.length === 1
        ? tableColumns(tableOf(r), productOf(r))
        : undefined;
  if (!cols) return [];
  const out = [];
  for (const e of ENTITY_CANDIDATES) {
    const col = e.columns.find((c) => cols.has(c));
    if (col) out.push({ entityType: e.entityType, fieldMappings: [{ identifier: e.identifier, columnName: col }] });
  }
  return out;
}

const CONNECTORS: Record<string, { connectorId: string; dataTypes: string[] }> = {
  SecurityEvent: { connectorId: 'SecurityEvents', dataTypes: ['SecurityEvent'] },
  WindowsEvent: { connectorId: 'WindowsForwardedEvents', dataTypes: ['WindowsEvent'] },
  Event: { connectorId: 'WindowsSecurityEvents', dataTypes: ['Event'] },
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

function sentinelRule(r: ConversionSuccess, rule: Doc): Record<string, unknown> {
  const { tactics, techniques } = attackInfo(rule.tags);
  const description = [
    rule.description ?? rule.title ?? '',
    rule.references?.length ? `References: ${rule.references.join(' ')}` : '',
  ]
    .filter(Boolean)
    .join('\n');
  return {
    id: rule.id ?? '',
    name: rule.title ?? rule.name ?? '',
    description,
    severity: SENTINEL_SEVERITY[rule.level ?? 'medium'] ?? 'Medium',
    requiredDataConnectors: requiredDataConnectors(r),
    queryFrequency: '1h',
    queryPeriod: correlationPeriod(r, rule) ?? '1h',
    triggerOperator: 'gt',
    triggerThreshold: 0,
    tactics,
    relevantTechniques: techniques,
    query: scheduledQuery(r, rule, '1h'),
    entityMappings: entityMappings(r),
    version: '1.0.0',
    kind: 'Scheduled',
  };
}

/** ISO 8601 durations for ARM (`1h` → PT1H, `2d` → P2D). */
const iso = (short: string): string => (short.endsWith('d') ? `P${short.toUpperCase()}` : `PT${short.toUpperCase()}`);

/** Sentinel's longest query period. */
const SENTINEL_MAX_PERIOD_MINUTES = 14 * 24 * 60;

/**
 * A correlation's window may start before the run's hour: a scheduled correlation reads its
 * frequency plus its timespan (`1h` + `30m` → `90m`), whole minutes rounded up.
 */
function correlationPeriodMinutes(rule: Doc): number | undefined {
  if (rule.kind !== 'correlation') return undefined;
  return 60 + Math.ceil(rule.correlation.timespan.seconds / 60);
}
function correlationPeriod(_r: ConversionSuccess, rule: Doc): string | undefined {
  const m = correlationPeriodMinutes(rule);
  if (m === undefined) return undefined;
  return m % 1440 === 0 ? `${m / 1440}d` : m % 60 === 0 ? `${m / 60}h` : `${m}m`;
}

/**
 * The query of a scheduled rule. A correlation reads an overlapping period, so a window seen by
 * two runs would alert twice: only results whose latest event falls in the run's own
 * frequency are kept (each window end is reported by exactly one run).
 */
function scheduledQuery(r: ConversionSuccess, rule: Doc, frequency: string): string {
  const meta = metaOf(r);
  const text = r.queries.join('\n');
  if (rule.kind !== 'correlation') return text + '\n';
  return `${text}\n| where ${kqlName(meta.timeColumn)} > ago(${frequency})\n`;
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

function sentinelQueryTooLong(r: ConversionSuccess, rule?: Doc): ConversionError | undefined {
  const period = rule ? correlationPeriodMinutes(rule) : undefined;
  if (period !== undefined && period > SENTINEL_MAX_PERIOD_MINUTES)
    return conversionError(
      'C036',
      `the correlation's timespan needs a query period of ${period} minutes; a Sentinel scheduled rule reads at most 14 days`,
      { hint: 'shorten the timespan to at most 14 days minus the hourly frequency' },
    );
  const length = r.queries.join('\n').length + 1;
  if (length <= SENTINEL_MAX_QUERY) return undefined;
  return conversionError(
    'C018',
    `the query has ${length.toLocaleString('en-US')} characters; a Sentinel scheduled rule's query may have at most ${SENTINEL_MAX_QUERY.toLocaleString('en-US')}`,
    {
      hint: 'split the rule, or move part of the query into a saved function (a KQL function in the workspace) and call it',
    },
  );
}

const sentinelYaml: OutputFormat = {
  name: 'sentinel-rule',
  description: 'Microsoft Sentinel scheduled analytics rule, Azure-Sentinel repository YAML',
  check: sentinelQueryTooLong,
  render: (r, rule) => ({
    text: YAML.stringify(sentinelRule(r, rule), { lineWidth: 0, blockQuote: 'literal' }),
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

const sentinelArm: OutputFormat = {
  name: 'sentinel-arm',
  description: 'Microsoft Sentinel scheduled analytics rule as an ARM template (alertRules, kind Scheduled)',
  // The id becomes part of the resource's name and of two template expressions: only a UUID
  // (what Sentinel expects of a rule id anyway) can stand there without changing either.
  check: (r, rule) =>
    rule.id && isUuid(rule.id)
      ? sentinelQueryTooLong(r, rule)
      : conversionError(
          'C015',
          `an ARM template needs the rule's id as a UUID, not ${JSON.stringify(rule.id ?? null)}`,
          {
            hint: 'give the rule a UUID id (sigil fmt does not invent one), or use --format sentinel-rule',
          },
        ),
  render: (r, rule) => {
    const s = sentinelRule(r, rule);
    const template = {
      $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
      contentVersion: '1.0.0.0',
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
            enabled: true,
            query: s['query'],
            queryFrequency: iso(String(s['queryFrequency'])),
            queryPeriod: iso(String(s['queryPeriod'])),
            triggerOperator: 'GreaterThan',
            triggerThreshold: 0,
            suppressionDuration: 'PT5H',
            suppressionEnabled: false,
            tactics: s['tactics'],
            techniques: (s['relevantTechniques'] as string[]).map((t) => t.split('.')[0]),
            subTechniques: (s['relevantTechniques'] as string[]).filter((t) => t.includes('.')),
            entityMappings: s['entityMappings'],
          }),
        },
      ],
    };
    return { text: JSON.stringify(template, null, 2) + '\n', extension: '.json' };
  },
};

/** Columns a Defender custom detection must return, plus an entity column. */
const DEFENDER_REQUIRED = ['Timestamp', 'ReportId', 'DeviceId'];

/**
 * How often a Defender custom detection runs, and how far back each run reads (Microsoft's
 * documented pairs: every hour → 4 hours, 3 hours → 12 hours, 12 hours → 48 hours, 24 hours → 30
 * days). A correlation takes the most frequent schedule whose lookback still holds a whole
 * window after the run's own period.
 */
const DEFENDER_SCHEDULES: { period: string; hours: number; lookbackHours: number }[] = [
  { period: '1H', hours: 1, lookbackHours: 4 },
  { period: '3H', hours: 3, lookbackHours: 12 },
  { period: '12H', hours: 12, lookbackHours: 48 },
  { period: '24H', hours: 24, lookbackHours: 30 * 24 },
];

function defenderSchedule(rule: Doc): (typeof DEFENDER_SCHEDULES)[number] | undefined {
  if (rule.kind !== 'correlation') return DEFENDER_SCHEDULES[0];
  const spanHours = rule.correlation.timespan.seconds / 3600;
  return DEFENDER_SCHEDULES.find((s) => s.hours + spanHours <= s.lookbackHours);
}

const defenderDetection: OutputFormat = {
  name: 'defender-detection',
  description: 'Microsoft Defender XDR custom detection rule (Graph security detectionRule JSON)',
  check: (r, rule) => {
    const meta = metaOf(r);
    if (meta.correlation !== undefined) {
      const missing = DEFENDER_REQUIRED.filter((c) => !meta.columns?.includes(c));
      if (productOf(r) !== 'defender' || missing.length)
        return conversionError(
          'C036',
          `a Defender custom detection must return ${DEFENDER_REQUIRED.join(', ')}: the correlation over ${r.tables.join(', ')} (${productOf(r)}) returns no ${missing.join(', ')}`,
          { hint: 'use -p defender-xdr with base rules on Device* tables, or --format query (a hunting query)' },
        );
      if (!defenderSchedule(rule))
        return conversionError(
          'C036',
          `the correlation's timespan ${rule.kind === 'correlation' ? rule.correlation.timespan.raw : ''} does not fit the 30-day lookback of a daily Defender custom detection`,
          { hint: 'shorten the timespan' },
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
    return undefined;
  },
  render: (r, rule) => {
    const { tactics, techniques } = attackInfo(rule.tags);
    const meta = metaOf(r);
    const schedule = defenderSchedule(rule) ?? DEFENDER_SCHEDULES[DEFENDER_SCHEDULES.length - 1]!;
    let queryText: string;
    if (meta.correlation !== undefined) {
      // Each window end is reported by the one run whose own period holds it.
      const extra = (meta.columns ?? []).filter((c) => !DEFENDER_REQUIRED.includes(c));
      queryText = `${r.queries.join('\n')}\n| where Timestamp > ago(${schedule.hours}h)\n| project ${[...DEFENDER_REQUIRED, ...extra].map(kqlName).join(', ')}`;
    } else {
      const cols = tableColumns(tableOf(r), 'defender')!;
      const entity = ['DeviceName', 'AccountName', 'InitiatingProcessAccountName'].filter((c) => cols.has(c));
      queryText = `${r.queries.join('\n')}\n| project ${[...DEFENDER_REQUIRED, ...entity].map(kqlName).join(', ')}`;
    }
    const body = {
      displayName: rule.title ?? '',
      isEnabled: true,
      queryCondition: { queryText },
      schedule: { period: schedule.period },
      detectionAction: {
        alertTemplate: {
          title: rule.title ?? '',
          description: rule.description ?? '',
          severity: GRAPH_SEVERITY[rule.level ?? 'medium'] ?? 'medium',
          category: tactics[0] ?? 'SuspiciousActivity',
          recommendedActions: null,
          mitreTechniques: techniques,
          impactedAssets: [{ '@odata.type': '#microsoft.graph.security.impactedDeviceAsset', identifier: 'deviceId' }],
        },
        organizationalScopes: null,
        responseActions: [],
      },
    };
    return { text: JSON.stringify(body, null, 2) + '\n', extension: '.json' };
  },
};

export const KQL_FORMATS: OutputFormat[] = [query, sentinelYaml, sentinelArm, defenderDetection];
