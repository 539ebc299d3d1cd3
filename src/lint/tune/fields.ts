/**
 * Which event fields `sigil tune` may propose filters on, and which values are identities.
 *
 * Behaviour fields describe what ran and what it touched (a program, its parent, a command
 * line, a file, registry or pipe path, a service, a logon type): a filter on them carries over
 * to other environments. Identity fields (host and user names, SIDs, GUIDs, process and logon
 * ids, addresses) describe one environment: a filter on them is proposed only with
 * `--identity`, and marked environment-specific. Values that embed an identity (a SID, a GUID,
 * an IP address, a user's profile folder) count as identity values whatever the field.
 */

/** How a field's values may be filtered. */
export type FieldKind =
  /** A file path: whole values, and directory prefixes outside user-writable folders. */
  | 'path'
  /** A registry key path: whole values, and key prefixes under HKLM. */
  | 'registry'
  /** Free text (command lines): whole values only. */
  | 'text'
  /** A name or code (original file name, pipe, service, logon type): whole values only. */
  | 'name'
  /** PowerShell's ContextInfo: the `Host Application = …` line, as a fragment. */
  | 'context';

/** Behaviour fields in order of preference (earlier wins a tie in hits removed). */
export const BEHAVIOUR_FIELDS: ReadonlyMap<string, FieldKind> = new Map<string, FieldKind>([
  ['ParentImage', 'path'],
  ['Image', 'path'],
  ['ParentCommandLine', 'text'],
  ['CommandLine', 'text'],
  ['OriginalFileName', 'name'],
  ['SourceImage', 'path'],
  ['TargetImage', 'path'],
  ['ParentProcessName', 'path'],
  ['NewProcessName', 'path'],
  ['ProcessName', 'path'],
  ['CallerProcessName', 'path'],
  ['Application', 'path'],
  ['TargetFilename', 'path'],
  ['ImageLoaded', 'path'],
  ['TargetObject', 'registry'],
  ['ObjectName', 'path'],
  ['PipeName', 'name'],
  ['ServiceName', 'name'],
  ['ServiceFileName', 'path'],
  ['ImagePath', 'path'],
  ['HostApplication', 'text'],
  ['ContextInfo', 'context'],
  ['LogonType', 'name'],
  ['LogonProcessName', 'name'],
  ['AuthenticationPackageName', 'name'],
  ['ShareName', 'name'],
  ['QueryName', 'name'],
]);
// Not Company, Product, Signature or Description: `Company: Microsoft Corporation` names every
// program Windows ships, so a filter on it would exclude far more than the hits it was seen on.

/** Fields that name the program an event is about (what the rule's own values may name). */
export const PROGRAM_FIELDS: ReadonlySet<string> = new Set([
  'Image',
  'OriginalFileName',
  'SourceImage',
  'TargetImage',
  'NewProcessName',
  'ProcessName',
  'CallerProcessName',
  'Application',
  'ImageLoaded',
  'ServiceFileName',
  'ImagePath',
]);

/** Identity fields: proposed only with --identity (kind: whole values). */
export const IDENTITY_FIELDS: readonly string[] = [
  'Computer',
  'Hostname',
  'WorkstationName',
  'User',
  'SubjectUserName',
  'SubjectDomainName',
  'SubjectUserSid',
  'SubjectLogonId',
  'TargetUserName',
  'TargetDomainName',
  'TargetUserSid',
  'TargetLogonId',
  'LogonId',
  'ProcessId',
  'ParentProcessId',
  'ProcessGuid',
  'ParentProcessGuid',
  'SourceProcessGUID',
  'TargetProcessGUID',
  'IpAddress',
  'SourceIp',
  'DestinationIp',
  'SourceHostname',
  'DestinationHostname',
];

/** Values that name one machine, account or object wherever they appear. */
const IDENTITY_VALUE = [
  /S-1-5-21-\d+-\d+-\d+/i, // a domain or machine account SID
  /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/i, // a GUID
  /(^|[^\d.])(\d{1,3}\.){3}\d{1,3}([^\d.]|$)/, // an IPv4 address
  /\\users\\(?!public\\|default\\|all users\\)[^\\]+\\/i, // a user's profile folder
];

export const isIdentityValue = (value: string): boolean => IDENTITY_VALUE.some((re) => re.test(value));

/**
 * Folders anyone can write to (or that hold per-user data): a prefix filter there would let an
 * attacker drop a file into the excluded folder, so no prefix inside them is proposed.
 */
const WRITABLE_SEGMENT =
  /\\(users|temp|tmp|appdata|downloads|programdata|perflogs|\$recycle\.bin|tasks|tracing|debug|spool|inetpub|windows\\installer)\\/i;

/**
 * Whether a path lies in a folder anyone can write to: a program there is not known by its
 * path (anyone can put a file of that name there), so such a value fits one machine at most.
 */
export const inWritableFolder = (value: string): boolean => WRITABLE_SEGMENT.test(value);

/** Prefixes too broad to exclude (every program of the system lives under them). */
const BROAD_PREFIX = new Set([
  'c:\\windows\\',
  'c:\\windows\\system32\\',
  'c:\\windows\\syswow64\\',
  'c:\\windows\\winsxs\\',
  'c:\\program files\\',
  'c:\\program files (x86)\\',
  'c:\\program files\\common files\\',
  'c:\\program files (x86)\\common files\\',
  'c:\\windows\\microsoft.net\\',
]);

/**
 * The directory prefixes of a file path that a `startswith` filter may use: at least three
 * levels deep (`C:\Program Files\Vendor\`), not a system-wide folder, and never inside a
 * user-writable one.
 */
export function safePathPrefixes(value: string): string[] {
  if (!/^[a-z]:\\/i.test(value)) return [];
  const parts = value.split('\\');
  const out: string[] = [];
  for (let depth = 3; depth < parts.length; depth++) {
    const prefix = parts.slice(0, depth).join('\\') + '\\';
    if (parts.slice(0, depth).some((p) => p === '')) break;
    if (WRITABLE_SEGMENT.test(prefix)) break;
    if (BROAD_PREFIX.has(prefix.toLowerCase())) continue;
    out.push(prefix);
  }
  return out;
}

/**
 * The key prefixes of a registry path a `startswith` filter may use: under HKLM only (HKU/HKCU
 * keys are writable by their user), at least six levels deep.
 */
export function safeRegistryPrefixes(value: string): string[] {
  if (!/^(HKLM|HKEY_LOCAL_MACHINE)\\/i.test(value)) return [];
  const parts = value.split('\\');
  const out: string[] = [];
  for (let depth = 6; depth < parts.length; depth++) {
    if (parts.slice(0, depth).some((p) => p === '')) break;
    out.push(parts.slice(0, depth).join('\\') + '\\');
  }
  return out;
}

/**
 * The host program of a PowerShell ContextInfo (`Host Application = C:\…\x.exe …`), as a
 * fragment to match: up to the program's `.exe` when the line starts with one (its arguments
 * vary from run to run), else the whole line.
 */
export function contextFragments(value: string): string[] {
  const m = /Host Application = ([^\r\n]+)/.exec(value);
  if (!m) return [];
  const line = m[1]!.trimEnd();
  const exe = /^"?[^"\r\n]*?\.exe\b/i.exec(line);
  return [`Host Application = ${exe ? exe[0] : line}`];
}

/** Whether a value lies in the operating system's own folders (SigmaHQ's `filter_main_*`). */
export function shippedWithWindows(value: string): boolean {
  return /^(c:\\windows\\|%systemroot%|c:\\program files( \(x86\))?\\windows defender\\|hklm\\(software|system)\\(microsoft\\windows|.*\\services\\))/i.test(
    value,
  );
}
