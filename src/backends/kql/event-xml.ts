/**
 * Windows events whose event data is the agent's XML in a string column (Sentinel's `Event` table,
 * pipeline state `eventDataXml`): `<DataItem …><EventData xmlns=…><Data Name="Image">…</Data>…`.
 * As Azure-Sentinel's own Sysmon parser does, the query reads `parse_xml(EventData)`'s
 * `DataItem.EventData.Data` items by `@Name`, but only the names the rule reads, into one bag
 * (`mv-apply` … `make_bag`), and only on rows that passed the header conditions and the `has`
 * terms the rule implies on the raw XML (computed here, see `impliedTerms`).
 */
import { type PatternPart, type Predicate } from '../../ast/semantics.js';
import { kqlName, kqlString } from './literals.js';

/** The bag holding the rule's Data items by name, and the column holding the parsed items. */
const XML_FIELDS = 'EventDataFields';
const XML_ITEMS = 'EventDataItems';
const XML_ITEM = 'EventDataItem';

/** The KQL reading Data item `name` (always a string: the item's text, "" when absent or empty). */
export function xmlFieldExpr(name: string): string {
  return `tostring(${XML_FIELDS}[${kqlString(name)}])`;
}

/**
 * The operators that parse `column`'s XML and gather the Data items named `names` into
 * `EventDataFields`. A single Data item parses to a bag rather than an array: `iff` makes it one.
 */
export function xmlParseLines(column: string, names: readonly string[]): string[] {
  const sorted = [...names].sort();
  const name = `tostring(${XML_ITEM}["@Name"])`;
  return [
    `| extend ${XML_ITEMS} = parse_xml(${kqlName(column)}).DataItem.EventData.Data`,
    `| mv-apply ${XML_ITEM} = iff(gettype(${XML_ITEMS}) == "array", ${XML_ITEMS}, pack_array(${XML_ITEMS})) on (`,
    `    where ${name} in (${sorted.map(kqlString).join(', ')})`,
    `    | summarize ${XML_FIELDS} = make_bag(bag_pack(${name}, ${XML_ITEM}["#text"]))`,
    `    )`,
    `| project-away ${XML_ITEMS}`,
  ];
}

// ---------------------------------------------------------------------------
// `has` terms implied by a rule on the raw XML

const isAlnum = (c: string): boolean => /^[A-Za-z0-9]$/.test(c);
/**
 * A character Kusto certainly treats as a term boundary: ASCII, neither a letter, a digit nor `_`.
 * (Non-ASCII characters and `_` are not relied on either way.)
 */
const isSeparator = (c: string): boolean => /^[\t\n\r\x20-\x2f\x3a-\x40\x5b-\x5e\x60\x7b-\x7e]$/.test(c);
/** Shorter terms are not worth a clause (Kusto indexes terms of three characters and more). */
const MIN_TERM = 3;

/**
 * The longest run of ASCII letters and digits in `text` that is certainly a whole term of the raw
 * XML wherever the value holds `text`: on each side the neighbouring character is a separator, or
 * the value's edge (where the XML has `>` or `<`). Letters and digits read the same escaped or not.
 */
function longestTerm(text: string, atStart: boolean, atEnd: boolean): string | undefined {
  let best: string | undefined;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    if (!isAlnum(text[i]!)) continue;
    if (i === 0 ? !atStart : !isSeparator(text[i - 1]!)) continue;
    // One term: a run of letters and digits (Kusto's documented unit of `has`), not a phrase.
    let end = i;
    while (end < n && isAlnum(text[end]!)) end++;
    if (end === n ? !atEnd : !isSeparator(text[end]!)) continue;
    if (end - i >= MIN_TERM && (best === undefined || end - i > best.length)) best = text.slice(i, end);
  }
  return best;
}

/** The best term a string pattern implies (its literal runs, with what is known of their edges). */
function patternTerm(pattern: readonly PatternPart[]): string | undefined {
  let best: string | undefined;
  pattern.forEach((part, i) => {
    if (typeof part !== 'string') return;
    // A run's edge is the value's edge only at the pattern's ends; next to a wildcard, a class
    // or a placeholder the neighbouring character is unknown.
    const t = longestTerm(part, i === 0, i === pattern.length - 1);
    if (t !== undefined && (best === undefined || t.length > best.length)) best = t;
  });
  return best;
}

/** At least one of these terms is in the raw XML of every row the rule matches. */
type Disjunction = string[];

function requirements(p: Predicate, isXmlField: (field: string) => boolean): Disjunction[] {
  switch (p.kind) {
    case 'and':
      return p.items.flatMap((i) => requirements(i, isXmlField));
    case 'or': {
      const alternatives: string[] = [];
      for (const item of p.items) {
        const r = requirements(item, isXmlField);
        if (!r.length) return [];
        alternatives.push(...best(r));
      }
      return [[...new Set(alternatives.map((t) => t.toLowerCase()))]];
    }
    case 'string': {
      if (p.field === null || !isXmlField(p.field)) return [];
      const t = patternTerm(p.pattern);
      return t === undefined ? [] : [[t]];
    }
    // not(): nothing is implied. Numbers ("05" equals 5), regexes, null/exists, field refs: no
    // literal text is certain.
    default:
      return [];
  }
}

/** The strongest requirement: fewest alternatives, then longest shortest term. */
function best(reqs: Disjunction[]): Disjunction {
  return [...reqs].sort(
    (a, b) => a.length - b.length || Math.min(...b.map((t) => t.length)) - Math.min(...a.map((t) => t.length)),
  )[0]!;
}

/** At most this many prefilter clauses, each with at most this many terms (queries stay short). */
const MAX_CLAUSES = 2;
const MAX_ALTERNATIVES = 16;

/**
 * `where` clauses on the raw XML column that every row the predicates (AND-ed) match passes:
 * `has` / `has_any` of terms the rule's values imply. Never drops a matching row; only trims
 * the rows that are parsed.
 */
export function xmlPrefilter(
  column: string,
  predicates: readonly Predicate[],
  isXmlField: (f: string) => boolean,
): string[] {
  const reqs = predicates
    .flatMap((p) => requirements(p, isXmlField))
    .filter((d) => d.length <= MAX_ALTERNATIVES)
    .map((d) => [...new Set(d.map((t) => t.toLowerCase()))]);
  const unique = new Map(reqs.map((d) => [JSON.stringify([...d].sort()), d]));
  const chosen: Disjunction[] = [];
  const pool = [...unique.values()];
  while (chosen.length < MAX_CLAUSES && pool.length) {
    const d = best(pool);
    pool.splice(pool.indexOf(d), 1);
    chosen.push(d);
  }
  return chosen.map((d) =>
    d.length === 1
      ? `${kqlName(column)} has ${kqlString(d[0]!)}`
      : `${kqlName(column)} has_any (${d.map(kqlString).join(', ')})`,
  );
}
