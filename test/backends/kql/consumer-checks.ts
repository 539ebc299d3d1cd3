/**
 * The checks the consumers of the KQL artifacts apply, re-implemented from their published
 * source (facts, not code), so that a corpus test can hold every written artifact to them:
 *
 * - Azure-Sentinel's detection template validation, repository Azure/Azure-Sentinel, path
 *   .script/tests/detectionTemplateSchemaValidation/ at commit
 *   022d95dfa703f4f4f38e53792dca6eab02b33dc4 (DetectionTemplateSchemaValidationTests.cs:
 *   structure and NoSameTemplateIdTwice; Models/ScheduledTemplateInternalModel.cs,
 *   AnalyticsTemplateInternalModelBase.cs, EntityMappingIdentifiers.cs,
 *   ModelValidationAttributes/ValidEntityMappingsAttribute.cs, PeriodGreaterThanOrEqualFrequency,
 *   FrequencyLimitationForLongPeriodQuery, NoTechniquesWithoutMatchingTactics).
 * - The alert-rule API (Microsoft.SecurityInsights/alertRules, kind Scheduled, 2023-02-01):
 *   queryFrequency/queryPeriod PT5M … P14D, suppressionDuration ≤ PT24H, query ≤ 10,000
 *   characters, and Sentinel's rule that analytics queries use no `search *` / `union *`.
 * - Microsoft Graph's security detectionRule (v1.0 resource reference): ruleSchedule.frequency,
 *   impactedDeviceAsset / impactedUserAsset identifiers (deviceAssetIdentifier,
 *   userAssetIdentifier), alertTemplate severity, and the columns Defender requires a custom
 *   detection's query to return (Timestamp, ReportId, DeviceId).
 */
import techniqueTactics from '../../../src/data/technique-tactics.json' with { type: 'json' };
import { SENTINEL_IDENTIFIERS, type SentinelEntityType } from '../../../src/backends/kql/entities.js';
import { parseDuration } from '../../../src/backends/settings.js';

/** Azure-Sentinel's tactic enumeration (the template model's AttackTactic). */
export const SENTINEL_TACTICS: ReadonlySet<string> = new Set([
  'Reconnaissance',
  'ResourceDevelopment',
  'InitialAccess',
  'Execution',
  'Persistence',
  'PrivilegeEscalation',
  'DefenseEvasion',
  'CredentialAccess',
  'Discovery',
  'LateralMovement',
  'Collection',
  'CommandAndControl',
  'Exfiltration',
  'Impact',
  'ImpairProcessControl',
  'InhibitResponseFunction',
  'PreAttack',
]);
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const COLUMN = /^[a-zA-Z_]+\w*$/;

/** Sentinel's analytics rules may not search or union every table. */
export function forbiddenSearch(query: string): string | undefined {
  const m = /\b(search|union)\s+\*/.exec(query.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|@"[^"]*"|@'[^']*'/g, '""'));
  return m ? `the query uses '${m[0]}'` : undefined;
}

/** Columns a query returns: after a summarize, its aggregate and by-columns; else undefined (the table's). */
export function summarizedColumns(query: string): Set<string> | undefined {
  const lines = query.split('\n');
  const s = lines.filter((l) => l.startsWith('| summarize ')).pop();
  if (!s) return undefined;
  const m = /^\| summarize (\w+) = .* by bin\((\w+), [^)]*\)(?:, (.*))?$/.exec(s);
  if (!m) return new Set();
  return new Set([m[1]!, m[2]!, ...(m[3] ? m[3].split(', ') : [])]);
}

const TACTIC_NAME = (shortname: string): string =>
  shortname === 'stealth' || shortname === 'defense-impairment'
    ? 'DefenseEvasion'
    : shortname
        .split('-')
        .map((w) => w[0]!.toUpperCase() + w.slice(1))
        .join('');

type EntityMapping = { entityType: string; fieldMappings: { identifier: string; columnName: string }[] };

function entityProblems(mappings: unknown, returned: (c: string) => boolean): string[] {
  if (mappings === undefined || mappings === null) return [];
  if (!Array.isArray(mappings)) return ['entityMappings is not a list'];
  const out: string[] = [];
  if (mappings.length < 1 || mappings.length > 5) out.push(`${mappings.length} entity mappings (1 … 5)`);
  for (const e of mappings as EntityMapping[]) {
    const spec = SENTINEL_IDENTIFIERS[e.entityType as SentinelEntityType];
    if (!spec) {
      out.push(`unknown entity type ${e.entityType}`);
      continue;
    }
    const n = e.fieldMappings.length;
    if (n < 1 || n > 3) out.push(`${e.entityType}: ${n} field mappings (1 … 3)`);
    const used = new Set<string>();
    for (const f of e.fieldMappings) {
      if (!spec.valid.includes(f.identifier)) out.push(`${e.entityType}: invalid identifier ${f.identifier}`);
      if (used.has(f.identifier)) out.push(`${e.entityType}: identifier ${f.identifier} twice`);
      used.add(f.identifier);
      if (!COLUMN.test(f.columnName) || f.columnName.length > 500)
        out.push(`${e.entityType}: invalid column name ${f.columnName}`);
      if (!returned(f.columnName)) out.push(`${e.entityType}: column ${f.columnName} is not in the results`);
    }
    if (!spec.required.some((set) => set.every((i) => used.has(i))))
      out.push(`${e.entityType}: none of the required identifiers`);
  }
  return out;
}

function tacticProblems(tactics: string[], techniques: string[]): string[] {
  const out: string[] = [];
  for (const t of tactics) if (!SENTINEL_TACTICS.has(t)) out.push(`unknown tactic ${t}`);
  const table = techniqueTactics as Record<string, string[]>;
  for (const t of techniques) {
    const own = table[t] ?? table[t.split('.')[0]!];
    // A technique outside the snapshot cannot be checked here (nor, likely, by Microsoft's table).
    if (own && !own.map(TACTIC_NAME).some((x) => tactics.includes(x)))
      out.push(`technique ${t} has none of its tactics (${own.join(', ')})`);
  }
  return out;
}

/**
 * Azure-Sentinel's template model for a scheduled rule (YAML): the problems, empty when it passes.
 * `returned` says whether the results carry a column.
 */
export function sentinelTemplateProblems(doc: Record<string, unknown>, returned: (c: string) => boolean): string[] {
  const out: string[] = [];
  for (const k of [
    'id',
    'kind',
    'name',
    'description',
    'requiredDataConnectors',
    'severity',
    'query',
    'queryFrequency',
    'queryPeriod',
    'triggerOperator',
    'triggerThreshold',
  ])
    if (doc[k] === undefined || doc[k] === null) out.push(`missing ${k}`);
  if (typeof doc['id'] !== 'string' || !GUID.test(doc['id'])) out.push(`id ${String(doc['id'])} is not a GUID`);
  if (doc['kind'] !== 'Scheduled') out.push(`kind ${String(doc['kind'])}`);
  if (String(doc['name'] ?? '').length > 256) out.push('name over 256 characters');
  if (String(doc['description'] ?? '').length > 5000) out.push('description over 5,000 characters');
  if (!['Informational', 'Low', 'Medium', 'High'].includes(String(doc['severity'])))
    out.push(`severity ${String(doc['severity'])}`);
  const q = String(doc['query'] ?? '');
  if (q.length < 1 || q.length > 10_000) out.push(`query of ${q.length} characters (1 … 10,000)`);
  const forbidden = forbiddenSearch(q);
  if (forbidden) out.push(forbidden);
  // The template's time spans: TimeSpan text or <n><m|h|d>, 5 minutes … 14 days.
  const span = (k: string): number | undefined => {
    const v = String(doc[k] ?? '');
    const m = /^(\d+)([mhd])$/.exec(v);
    const minutes = m ? Number(m[1]) * { m: 1, h: 60, d: 1440 }[m[2] as 'm' | 'h' | 'd'] : undefined;
    if (minutes === undefined || minutes < 5 || minutes > 14 * 1440) out.push(`${k} ${v} (5m … 14d)`);
    return minutes;
  };
  const f = span('queryFrequency');
  const p = span('queryPeriod');
  if (f !== undefined && p !== undefined) {
    if (p < f) out.push('queryPeriod shorter than queryFrequency');
    if (p >= 2 * 1440 && f < 60) out.push('queryPeriod ≥ 2 days needs queryFrequency ≥ 1 hour');
  }
  if (!['gt', 'lt', 'eq', 'ne'].includes(String(doc['triggerOperator'])))
    out.push(`triggerOperator ${String(doc['triggerOperator'])}`);
  const t = doc['triggerThreshold'];
  if (typeof t !== 'number' || !Number.isInteger(t) || t < 0 || t > 10_000) out.push(`triggerThreshold ${String(t)}`);
  const rdc = doc['requiredDataConnectors'];
  if (
    !Array.isArray(rdc) ||
    !rdc.every(
      (c: { connectorId?: unknown; dataTypes?: unknown }) =>
        typeof c.connectorId === 'string' &&
        Array.isArray(c.dataTypes) &&
        c.dataTypes.every((d) => typeof d === 'string'),
    )
  )
    out.push('requiredDataConnectors is not a list of {connectorId, dataTypes}');
  out.push(...tacticProblems((doc['tactics'] as string[]) ?? [], (doc['relevantTechniques'] as string[]) ?? []));
  for (const t of (doc['relevantTechniques'] as string[]) ?? [])
    if (!/^T\d{4}(\.\d{3})?$/.test(t)) out.push(`technique ${t}`);
  out.push(...entityProblems(doc['entityMappings'], returned));
  const cd = doc['customDetails'] as Record<string, string> | undefined;
  if (cd) {
    if (Object.keys(cd).length > 20) out.push('more than 20 custom details');
    for (const [k, v] of Object.entries(cd)) {
      if (!/^[a-zA-Z]+\w*$/.test(k) || k.length > 20) out.push(`custom detail key ${k}`);
      if (!COLUMN.test(v) || !returned(v)) out.push(`custom detail ${k}: column ${v}`);
    }
  }
  return out;
}

/** The alert-rule API's view of the ARM template's resource. */
export function armProblems(template: Record<string, unknown>, returned: (c: string) => boolean): string[] {
  const out: string[] = [];
  const resources = template['resources'] as { name: string; kind: string; properties: Record<string, unknown> }[];
  if (!Array.isArray(resources) || resources.length !== 1) return ['not one resource'];
  const r = resources[0]!;
  const id = /\/Microsoft\.SecurityInsights\/([^')]+)'\)\]$/.exec(r.name)?.[1];
  if (!id || !GUID.test(id)) out.push(`resource name ${r.name} does not end in a GUID`);
  const p = r.properties;
  if (r.kind !== 'Scheduled') out.push(`kind ${r.kind}`);
  const iso = (k: string, max: number): number | undefined => {
    const v = String(p[k] ?? '');
    const m = parseDuration(v);
    if (!v.startsWith('P') || m === undefined || m < 5 || m > max) out.push(`${k} ${v}`);
    return m;
  };
  const f = iso('queryFrequency', 14 * 1440);
  const per = iso('queryPeriod', 14 * 1440);
  if (f !== undefined && per !== undefined && per < f) out.push('queryPeriod shorter than queryFrequency');
  iso('suppressionDuration', 1440);
  if (typeof p['suppressionEnabled'] !== 'boolean') out.push('suppressionEnabled');
  if (typeof p['enabled'] !== 'boolean') out.push('enabled');
  if (!['GreaterThan', 'LessThan', 'Equal', 'NotEqual'].includes(String(p['triggerOperator'])))
    out.push(`triggerOperator ${String(p['triggerOperator'])}`);
  const q = String(p['query'] ?? '');
  if (q.length < 1 || q.length > 10_000) out.push(`query of ${q.length} characters`);
  const forbidden = forbiddenSearch(q);
  if (forbidden) out.push(forbidden);
  if (String(p['displayName'] ?? '').length < 1 || String(p['displayName']).length > 256) out.push('displayName');
  for (const t of (p['techniques'] as string[]) ?? []) if (!/^T\d{4}$/.test(t)) out.push(`technique ${t}`);
  for (const t of (p['subTechniques'] as string[]) ?? []) if (!/^T\d{4}\.\d{3}$/.test(t)) out.push(`subTechnique ${t}`);
  for (const t of (p['tactics'] as string[]) ?? []) if (!SENTINEL_TACTICS.has(t)) out.push(`tactic ${t}`);
  out.push(...entityProblems(p['entityMappings'], returned));
  return out;
}

const DEVICE_IDENTIFIERS = ['deviceId', 'deviceName', 'remoteDeviceName', 'targetDeviceName', 'destinationDeviceName'];
const USER_IDENTIFIERS = [
  'accountObjectId',
  'accountSid',
  'accountUpn',
  'accountName',
  'accountDomain',
  'accountId',
  'requestAccountSid',
  'requestAccountName',
  'requestAccountDomain',
  'recipientObjectId',
  'processAccountObjectId',
  'initiatingAccountSid',
  'initiatingProcessAccountUpn',
  'initiatingAccountName',
  'initiatingAccountDomain',
  'servicePrincipalId',
  'servicePrincipalName',
  'targetAccountUpn',
];

/** Graph's detectionRule (and Defender's rule that the query returns Timestamp, ReportId, DeviceId). */
export function defenderProblems(body: Record<string, unknown>): string[] {
  const out: string[] = [];
  const q = String((body['queryCondition'] as { queryText?: string } | undefined)?.queryText ?? '');
  const projected = /\n\| project ([^\n]+)$/.exec(q)?.[1]?.split(', ') ?? [];
  for (const c of ['Timestamp', 'ReportId', 'DeviceId'])
    if (!projected.includes(c)) out.push(`the query does not return ${c}`);
  const forbidden = forbiddenSearch(q);
  if (forbidden) out.push(forbidden);
  const schedule = body['schedule'] as { frequency?: string } | undefined;
  if (!['PT0S', 'PT1H', 'PT3H', 'PT12H', 'P1D'].includes(String(schedule?.frequency)))
    out.push(`schedule.frequency ${String(schedule?.frequency)}`);
  if (typeof body['displayName'] !== 'string' || body['displayName'] === '') out.push('displayName');
  if (typeof body['isEnabled'] !== 'boolean') out.push('isEnabled');
  const alert = (body['detectionAction'] as { alertTemplate?: Record<string, unknown> } | undefined)?.alertTemplate;
  if (!alert) return [...out, 'no alertTemplate'];
  if (!['informational', 'low', 'medium', 'high'].includes(String(alert['severity'])))
    out.push(`severity ${String(alert['severity'])}`);
  for (const t of (alert['mitreTechniques'] as string[]) ?? [])
    if (!/^T\d{4}(\.\d{3})?$/.test(t)) out.push(`technique ${t}`);
  for (const a of (alert['impactedAssets'] as { '@odata.type': string; identifier: string }[]) ?? []) {
    const allowed =
      a['@odata.type'] === '#microsoft.graph.security.impactedDeviceAsset'
        ? DEVICE_IDENTIFIERS
        : a['@odata.type'] === '#microsoft.graph.security.impactedUserAsset'
          ? USER_IDENTIFIERS
          : undefined;
    if (!allowed?.includes(a.identifier)) out.push(`impacted asset ${a['@odata.type']} ${a.identifier}`);
    else if (!projected.includes(a.identifier[0]!.toUpperCase() + a.identifier.slice(1)))
      out.push(`impacted asset ${a.identifier}: the query does not return its column`);
  }
  if (!((alert['impactedAssets'] as unknown[]) ?? []).length) out.push('no impacted asset');
  return out;
}
