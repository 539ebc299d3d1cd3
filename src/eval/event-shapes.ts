/**
 * Event shapes → Sigma field names. Pipeline data shared with the backends: the table says
 * where each Sigma field of a Windows event lives in an EVTX record rendered to JSON
 * (`{"Event": {"System": {...}, "EventData": {...}}}`, as in SigmaHQ's regression_data).
 * Flat JSON objects are taken as they are.
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
 * Normalises one raw event into the flat object rules are evaluated against. An EVTX
 * record gives its System fields (EVTX_SYSTEM_FIELDS) and every EventData/UserData child;
 * any other object is returned unchanged (nested objects stay reachable by dotted names).
 */
export function normalizeEvent(raw: unknown): EventObject {
  if (!isObject(raw)) return {};
  const event = ownValue(raw, 'Event');
  const root = isObject(event) ? event : raw;
  const system = ownValue(root, 'System');
  if (!isObject(system)) return raw;
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
