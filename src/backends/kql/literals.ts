/**
 * KQL string literals. Escaping is security: every value must reach Kusto as exactly itself.
 * Plain `"…"` literals escape `\`, `"` and every control / format / unpaired-surrogate
 * character (`\n`, `\r`, `\t`, else `\uXXXX`); values with backslashes and nothing else
 * special use the verbatim form `@"…"` (only `"` is doubled), which reads like a Windows path.
 * Verified by a fast-check property through Microsoft's parser (test/backends/kql/escaping.test.ts).
 */

// Control, format, surrogate, private-use and unassigned code points, plus line/paragraph
// separators: never emitted raw.
const SPECIAL = /[\p{C}\u2028\u2029]/u;

export function kqlString(value: string): string {
  if (isPrintableAscii(value) || (!SPECIAL.test(value) && !hasLoneSurrogate(value))) {
    if (value.includes('\\')) return '@"' + value.replace(/"/g, '""') + '"';
    return '"' + value.replace(/"/g, '\\"') + '"';
  }
  let out = '"';
  // Iterate by code point: paired surrogates (emoji) stay readable, lone ones are escaped.
  for (const c of value) {
    if (c === '\\') out += '\\\\';
    else if (c === '"') out += '\\"';
    else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else if (c === '\t') out += '\\t';
    else if (SPECIAL.test(c))
      for (let i = 0; i < c.length; i++) out += '\\u' + c.charCodeAt(i).toString(16).padStart(4, '0');
    else out += c;
  }
  return out + '"';
}

/** Printable ASCII (U+0020–U+007E) holds no character SPECIAL matches: most values, checked cheaply. */
function isPrintableAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

function hasLoneSurrogate(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const n = s.charCodeAt(i + 1);
      if (n >= 0xdc00 && n <= 0xdfff) {
        i++;
        continue;
      }
      return true;
    }
    if (c >= 0xdc00 && c <= 0xdfff) return true;
  }
  return false;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Words Kusto reserves: such column names are bracketed. */
const RESERVED = new Set([
  'and',
  'or',
  'not',
  'in',
  'has',
  'contains',
  'where',
  'let',
  'true',
  'false',
  'null',
  'by',
  'on',
  'with',
  'of',
  'to',
  'as',
  'between',
  'matches',
  'regex',
  'startswith',
  'endswith',
  'typeof',
  'dynamic',
]);

/**
 * Kusto keywords that Microsoft's parser refuses as a bare name after `.` (`EventData.title`):
 * the identifier-shaped keywords of Kusto.Language's SyntaxFacts that fail to bind as a dynamic
 * member (test/backends/kql/keywords.test.ts recomputes the list from the parser). Names are
 * case-sensitive in Kusto, so the check is too.
 */
const KEYWORDS = new Set([
  '__contextual_datatable',
  '__crossCluster',
  '__crossDB',
  '__executeAndCache',
  '__id',
  '__isFuzzy',
  '__noWithSource',
  '__packedColumn',
  '__projectAway',
  '__sourceColumnIndex',
  'accumulate',
  'and',
  'anomalychart',
  'areachart',
  'as',
  'asc',
  'bagexpansion',
  'barchart',
  'between',
  'boolean',
  'by',
  'byte',
  'cachingpolicy',
  'callout',
  'cancel',
  'card',
  'char',
  'columnchart',
  'contains',
  'contains_cs',
  'containscs',
  'cycles',
  'dataexport',
  'datascope',
  'datatable',
  'date',
  'datetime',
  'decimal',
  'decodeblocks',
  'desc',
  'double',
  'dynamic',
  'earliest',
  'encodingpolicy',
  'endswith',
  'endswith_cs',
  'expandoutput',
  'extent_tags_retention',
  'external_data',
  'externaldata',
  'find',
  'first',
  'flags',
  'float',
  'force_remote',
  'harddelete',
  'hardretention',
  'has',
  'has_all',
  'has_any',
  'has_cs',
  'hasprefix',
  'hasprefix_cs',
  'hassuffix',
  'hassuffix_cs',
  'hotcache',
  'in',
  'int',
  'int16',
  'int32',
  'int64',
  'int8',
  'invoke',
  'isfuzzy',
  'journal',
  'ladderchart',
  'last',
  'latest',
  'like',
  'likecs',
  'linechart',
  'long',
  'materialize',
  'mdm',
  'missing',
  'nooptimization',
  'notcontains',
  'notcontainscs',
  'notlike',
  'notlikecs',
  'of',
  'or',
  'others',
  'pathformat',
  'piechart',
  'pivotchart',
  'print',
  'project',
  'queries',
  'query_results',
  'real',
  'relaxed',
  'restricted_view_access',
  'row_level_security',
  'rowstore',
  'rowstore_references',
  'rowstore_sealinfo',
  'rowstorepolicy',
  'rowstores',
  'sample',
  'scatterchart',
  'seal',
  'seals',
  'search',
  'set',
  'shards',
  'simple',
  'softdelete',
  'softretention',
  'sql',
  'stackedareachart',
  'startswith',
  'startswith_cs',
  'statistics',
  'storedqueryresultcontainers',
  'string',
  'tablepurge',
  'time',
  'timechart',
  'timeline',
  'timepivot',
  'timespan',
  'title',
  'to',
  'toscalar',
  'totable',
  'treemap',
  'uint',
  'uint16',
  'uint32',
  'uint64',
  'uint8',
  'ulong',
  'union',
  'uniqueid',
  'unrestrictedviewers',
  'verbose',
  'viewers',
  'views',
  'where',
  'with_itemindex',
  'with_match_id',
  'with_step_name',
  'writeaheadlog',
]);

/** A column reference: bare when it is a plain identifier, else `['name']`. */
export function kqlName(name: string): string {
  return IDENT.test(name) && !RESERVED.has(name.toLowerCase()) && !KEYWORDS.has(name) ? name : `[${kqlString(name)}]`;
}

/** A member of a dynamic value: `.name` when Kusto reads it bare, else `['name']`. */
export function kqlMember(name: string): string {
  return IDENT.test(name) && !KEYWORDS.has(name) ? `.${name}` : `[${kqlString(name)}]`;
}

/** Whether a name is one of the keywords in KEYWORDS (for the test that recomputes them). */
export function isBracketedKeyword(name: string): boolean {
  return KEYWORDS.has(name);
}
