/**
 * Enterprise Security risk objects and threat objects for a converted search: the JSON list of
 * `action.risk.param._risk` (the shape splunk/contentctl's savedsearches template writes from its
 * `rba` model: `{risk_object_field, risk_object_type, risk_score}` and
 * `{threat_object_field, threat_object_type}`; types as contentctl's RiskObjectType and
 * ThreatObjectType enumerations).
 *
 * A risk or threat object must be a field the search's results carry. A search that ends in a
 * transforming command (`stats`, `tstats`: correlations and splunk-cim) keeps only the fields it
 * names after `by`, so only those are used. A raw event search carries the event's fields:
 * the fields the rule reads, Splunk's default `host`, and for Windows event logs the CIM
 * fields `dest` and `user` that the Splunk Add-on for Microsoft Windows (and the Splunk Add-on
 * for Sysmon) extract from every event.
 */

export interface RiskEntry {
  risk_object_field?: string;
  risk_object_type?: 'system' | 'user' | 'other';
  risk_score?: number;
  threat_object_field?: string;
  threat_object_type?: string;
}

/** The field name without a data model dataset prefix (`Processes.dest` → `dest`). */
const bare = (field: string): string => field.slice(field.lastIndexOf('.') + 1);

const SYSTEM_FIELD = /^(dest|host|hostname|computer|computername|workstationname|dvc|dest_host|src_host)$/i;
const USER_FIELD =
  /^(user|username|user_name|subjectusername|targetusername|accountname|samaccountname|userprincipalname|arn|alternateid|actor|src_user)$/i;

/** Sigma / add-on field names → contentctl ThreatObjectType. */
const THREAT_TYPES: Record<string, string> = {
  commandline: 'command',
  process: 'process',
  image: 'process',
  process_path: 'process',
  parentimage: 'parent_process',
  parent_process_path: 'parent_process',
  parentcommandline: 'parent_process',
  parent_process: 'parent_process',
  targetfilename: 'file_path',
  file_path: 'file_path',
  imageloaded: 'file_path',
  targetobject: 'registry_path',
  registry_path: 'registry_path',
  destinationip: 'ip_address',
  sourceip: 'ip_address',
  dest_ip: 'ip_address',
  src_ip: 'ip_address',
  sourceipaddress: 'ip_address',
  ipaddress: 'ip_address',
  clientip: 'ip_address',
  queryname: 'domain',
  query: 'domain',
  destinationhostname: 'domain',
  'c-uri': 'url',
  url: 'url',
  'c-useragent': 'http_user_agent',
  'cs-user-agent': 'http_user_agent',
  http_user_agent: 'http_user_agent',
  useragent: 'http_user_agent',
  hashes: 'file_hash',
  servicename: 'service',
  signature: 'signature',
};

/** The top-level commands of a query, split at pipes outside double quotes and backquotes. */
function commands(query: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quote: string | null = null;
  for (let i = 0; i < query.length; i++) {
    const c = query[i]!;
    if (quote) {
      cur += c;
      if (c === '\\' && quote === '"') cur += query[++i] ?? '';
      else if (c === quote) quote = null;
    } else if (c === '"' || c === '`') {
      quote = c;
      cur += c;
    } else if (c === '|') {
      out.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  out.push(cur.trim());
  return out;
}

/**
 * The fields the results of `query` are limited to, when its last transforming command limits
 * them (`stats … by a, b`, `tstats … by a b`); undefined for a search that returns events.
 */
function carriedFields(query: string): string[] | undefined {
  const cmds = commands(query);
  let limited: string[] | undefined;
  for (const c of cmds) {
    if (/^(stats|tstats|chart|timechart)\b/.test(c)) {
      const by = / by (.*)$/.exec(c);
      limited = by
        ? by[1]!
            .split(/[\s,]+/)
            .filter((f) => f && f !== '_time')
            .map((f) => f.replace(/^"(.*)"$/, '$1'))
        : [];
    }
  }
  return limited;
}

/**
 * The risk and threat objects for a search: `fields` are the target fields the query reads,
 * `routing` the pipeline's Splunk routing. Empty when the results carry no entity field.
 */
export function riskEntries(
  query: string,
  fields: readonly string[],
  routing: string | null,
  score: number,
): RiskEntry[] {
  const carried = carriedFields(query);
  const available = carried ?? [...fields, ...(routing === 'windows' ? ['dest', 'user'] : ['host'])];
  const risk: RiskEntry[] = [];
  const threats: RiskEntry[] = [];
  const seen = new Set<string>();
  for (const field of available) {
    if (seen.has(field)) continue;
    seen.add(field);
    const name = bare(field);
    if (SYSTEM_FIELD.test(name)) risk.push({ risk_object_field: field, risk_object_type: 'system', risk_score: score });
    else if (USER_FIELD.test(name))
      risk.push({ risk_object_field: field, risk_object_type: 'user', risk_score: score });
    else {
      const t = THREAT_TYPES[name.toLowerCase()];
      if (t) threats.push({ threat_object_field: field, threat_object_type: t });
    }
  }
  // A transforming search that keeps no entity field: its first group-by field is the risk object.
  if (risk.length === 0 && carried && carried.length > 0)
    risk.push({ risk_object_field: carried[0]!, risk_object_type: 'other', risk_score: score });
  return risk.length ? [...risk, ...threats] : [];
}
