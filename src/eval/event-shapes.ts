/**
 * Event shapes → Sigma field names. Pipeline data shared with the backends: the table says
 * where each Sigma field of a Windows event lives in an EVTX record rendered to JSON
 * (`{"Event": {"System": {...}, "EventData": {...}}}`, as in SigmaHQ's regression_data).
 * Exports of log shippers are read too: the flat objects of nxlog `im_msvistalog` (OTRF
 * Security-Datasets), and Winlogbeat's `event_data`/`winlog` objects. Their header fields get
 * the names SigmaHQ's tooling gives the EVTX header (`Provider_Name`, `Computer`,
 * `EventRecordID` …, as evtx_dump-based converters flatten `System`), so that one rule reads all
 * of them alike. Other flat JSON objects are taken as they are.
 */

export type EventObject = Record<string, unknown>;

/**
 * Sigma field name → path under `Event.System` (the last step may be an XML attribute,
 * stored by EVTX-to-JSON renderers under `#attributes`).
 */
const EVTX_SYSTEM_FIELDS: readonly { field: string; path: readonly string[] }[] = [
  { field: 'EventID', path: ['EventID'] },
  { field: 'Provider_Name', path: ['Provider', '#attributes', 'Name'] },
  { field: 'Provider_Guid', path: ['Provider', '#attributes', 'Guid'] },
  { field: 'Channel', path: ['Channel'] },
  { field: 'Computer', path: ['Computer'] },
  { field: 'Level', path: ['Level'] },
  { field: 'Task', path: ['Task'] },
  { field: 'Opcode', path: ['Opcode'] },
  { field: 'Version', path: ['Version'] },
  { field: 'Keywords', path: ['Keywords'] },
  { field: 'EventRecordID', path: ['EventRecordID'] },
  { field: 'Execution_ProcessID', path: ['Execution', '#attributes', 'ProcessID'] },
  { field: 'Execution_ThreadID', path: ['Execution', '#attributes', 'ThreadID'] },
  { field: 'Security_UserID', path: ['Security', '#attributes', 'UserID'] },
  { field: 'TimeCreated', path: ['TimeCreated', '#attributes', 'SystemTime'] },
];

/** Sections whose children become fields: `EventData.Image` → `Image`; `UserData.<Element>.X` → `X`. */
const EVTX_DATA_SECTIONS = ['EventData', 'UserData'] as const;

const isObject = (v: unknown): v is EventObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** An event's own key only: `constructor` or `__proto__` are fields only when the event has them. */
export function ownValue(obj: EventObject, key: string): unknown {
  return Object.hasOwn(obj, key) ? obj[key] : undefined;
}

/** An XML element rendered as `{"#attributes": …, "#text": v}` stands for its text. */
function elementValue(v: unknown): unknown {
  if (isObject(v) && Object.hasOwn(v, '#text')) return v['#text'];
  return v;
}

function at(obj: unknown, path: readonly string[]): unknown {
  let cur: unknown = obj;
  for (const step of path) {
    if (!isObject(cur)) return undefined;
    cur = ownValue(cur, step);
  }
  return elementValue(cur);
}

/**
 * A name with spaces (Defender's `Threat Name`) is also reachable without them (`ThreatName`, as
 * Sigma rules and SigmaHQ's regression tooling name it), unless the event has that field itself.
 */
function addJoinedNames(out: EventObject): void {
  for (const name of Object.keys(out)) {
    if (!name.includes(' ')) continue;
    const joined = name.replace(/ /g, '');
    if (!Object.hasOwn(out, joined)) out[joined] = out[name];
  }
}

function addDataChildren(section: EventObject, out: EventObject): void {
  for (const [key, value] of Object.entries(section)) {
    if (key === '#attributes') continue;
    if (key === 'Data' && Array.isArray(value)) {
      // <Data Name="X">v</Data> elements rendered as a list.
      for (const d of value) {
        if (isObject(d) && isObject(d['#attributes']) && typeof ownValue(d['#attributes'], 'Name') === 'string')
          out[d['#attributes']['Name'] as string] = elementValue(d) ?? null;
      }
      continue;
    }
    out[key] = elementValue(value);
  }
}

/**
 * nxlog `im_msvistalog` header fields (OTRF Security-Datasets) → the names of the EVTX header.
 * The original names stay as well (a rule written against nxlog output keeps working).
 */
const NXLOG_HEADER: readonly (readonly [string, string])[] = [
  ['SourceName', 'Provider_Name'],
  ['ProviderGuid', 'Provider_Guid'],
  ['Hostname', 'Computer'],
  ['RecordNumber', 'EventRecordID'],
  ['ExecutionProcessID', 'Execution_ProcessID'],
];

/** Winlogbeat 6 top-level fields (and Winlogbeat 7+'s under `winlog`) → EVTX header names. */
const WINLOGBEAT_HEADER: readonly (readonly [string, string])[] = [
  ['log_name', 'Channel'],
  ['channel', 'Channel'],
  ['event_id', 'EventID'],
  ['computer_name', 'Computer'],
  ['source_name', 'Provider_Name'],
  ['provider_name', 'Provider_Name'],
  ['provider_guid', 'Provider_Guid'],
  ['record_number', 'EventRecordID'],
  ['record_id', 'EventRecordID'],
  ['task', 'Task'],
  ['opcode', 'Opcode'],
  ['version', 'Version'],
];

/** Values nxlog's event-log reader leaves XML-escaped (`&lt;unknown process&gt;`). */
const XML_ENTITY = /&(lt|gt|amp|quot|apos);/g;
const ENTITY_TEXT: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function unescapeXml(v: unknown): unknown {
  return typeof v === 'string' && v.includes('&') ? v.replace(XML_ENTITY, (_, e: string) => ENTITY_TEXT[e]!) : v;
}

/** nxlog's own record types, which overwrite Sysmon's `EventType` (CreateKey, SetValue …) in some exports. */
const NXLOG_EVENT_TYPES = new Set([
  'INFO',
  'AUDIT_SUCCESS',
  'AUDIT_FAILURE',
  'VERBOSE',
  'WARNING',
  'ERROR',
  'CRITICAL',
]);
const SYSMON_CHANNEL = 'microsoft-windows-sysmon/operational';

/** A flat nxlog object: Windows header and payload side by side at the top level. */
function isNxlogFlat(raw: EventObject): boolean {
  return (
    Object.hasOwn(raw, 'Channel') &&
    Object.hasOwn(raw, 'EventID') &&
    (Object.hasOwn(raw, 'SourceName') || Object.hasOwn(raw, 'SourceModuleType') || Object.hasOwn(raw, 'Hostname'))
  );
}

function normalizeNxlog(raw: EventObject): EventObject {
  const out: EventObject = Object.create(null) as EventObject;
  for (const key in raw) {
    if (!Object.hasOwn(raw, key)) continue;
    out[key] = key === 'Message' ? raw[key] : unescapeXml(raw[key]);
  }
  for (const [from, to] of NXLOG_HEADER) if (Object.hasOwn(raw, from) && !Object.hasOwn(raw, to)) out[to] = raw[from];
  const channel = raw['Channel'];
  const eventType = raw['EventType'];
  if (
    typeof channel === 'string' &&
    channel.toLowerCase() === SYSMON_CHANNEL &&
    typeof eventType === 'string' &&
    NXLOG_EVENT_TYPES.has(eventType)
  ) {
    // Sysmon's own EventType was overwritten by nxlog's record type: the rendered message keeps it.
    const message = raw['Message'];
    const m = typeof message === 'string' ? /(?:^|\n)EventType: ([A-Za-z]+)/.exec(message) : null;
    if (m) out['EventType'] = m[1];
    else delete out['EventType'];
  }
  if (
    typeof channel === 'string' &&
    channel.toLowerCase() === SYSMON_CHANNEL &&
    !Object.hasOwn(raw, 'ProcessId') &&
    typeof raw['Message'] === 'string'
  ) {
    // Sysmon's EventData ProcessId collides with the header's ProcessID in nxlog and is dropped;
    // the rendered message still has it.
    const m = /(?:^|\n)ProcessId: (\d+)/.exec(raw['Message']);
    if (m) out['ProcessId'] = m[1];
  }
  return out;
}

/** Winlogbeat: `event_data`/`user_data` payload, header fields at the top (6.x) or under `winlog` (7.x+). */
function normalizeWinlogbeat(raw: EventObject, header: EventObject): EventObject {
  const out: EventObject = Object.create(null) as EventObject;
  for (const key in raw) if (Object.hasOwn(raw, key)) out[key] = raw[key];
  for (const [from, to] of WINLOGBEAT_HEADER) {
    const v = ownValue(header, from);
    if (v !== undefined && !Object.hasOwn(out, to)) out[to] = v;
  }
  for (const name of ['event_data', 'user_data']) {
    const section = ownValue(header, name) ?? ownValue(raw, name);
    if (!isObject(section)) continue;
    for (const [key, value] of Object.entries(section)) if (!Object.hasOwn(out, key)) out[key] = value;
  }
  return out;
}

/**
 * Normalises one raw event into the flat object rules are evaluated against. An EVTX
 * record gives its System fields (EVTX_SYSTEM_FIELDS) and every EventData/UserData child;
 * nxlog and Winlogbeat objects get the EVTX header names; any other object is returned
 * unchanged (nested objects stay reachable by dotted names).
 */
export function normalizeEvent(raw: unknown): EventObject {
  if (!isObject(raw)) return {};
  const event = ownValue(raw, 'Event');
  const root = isObject(event) ? event : raw;
  const system = ownValue(root, 'System');
  if (!isObject(system)) {
    if (isNxlogFlat(raw)) return normalizeNxlog(raw);
    const winlog = ownValue(raw, 'winlog');
    if (isObject(winlog) && (Object.hasOwn(winlog, 'channel') || Object.hasOwn(winlog, 'event_id')))
      return normalizeWinlogbeat(raw, winlog);
    if (Object.hasOwn(raw, 'log_name') && Object.hasOwn(raw, 'event_id')) return normalizeWinlogbeat(raw, raw);
    return raw;
  }
  // No prototype: any name (`__proto__`, `constructor`) is an ordinary field.
  const out: EventObject = Object.create(null) as EventObject;
  for (const { field, path } of EVTX_SYSTEM_FIELDS) {
    const v = at(system, path);
    if (v !== undefined) out[field] = v;
  }
  for (const name of EVTX_DATA_SECTIONS) {
    const section = ownValue(root, name);
    if (!isObject(section)) continue;
    if (name === 'UserData') {
      // UserData holds one provider-defined element; its children are the fields.
      for (const [key, child] of Object.entries(section)) {
        if (key === '#attributes') continue;
        if (isObject(child)) addDataChildren(child, out);
        else out[key] = child;
      }
    } else addDataChildren(section, out);
  }
  addJoinedNames(out);
  return out;
}
