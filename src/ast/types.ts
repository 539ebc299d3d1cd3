/**
 * Sigil's AST: the contract between the parser and everything downstream
 * (pipelines, backends, linter, evaluator). Plain, JSON-serialisable data.
 * Nodes that came from a file carry `loc` (1-based line and column, 0-based offset).
 * Documented in docs/ast.md.
 */

export interface Loc {
  line: number;
  column: number;
  offset: number;
}

// ---------------------------------------------------------------------------
// Values

/** A run of literal text, a wildcard, or an `expand` placeholder inside a Sigma string. */
export type StringPart = string | WildcardPart | PlaceholderPart;
export interface WildcardPart {
  /** `*` = any number of characters (`multi`), `?` = exactly one character (`single`). */
  wildcard: 'multi' | 'single';
}
export interface PlaceholderPart {
  /** `%name%` in a value with the `expand` modifier. */
  placeholder: string;
}

/**
 * A string value with Sigma's wildcard and escape rules already applied:
 * `parts` holds literal text (unescaped) and wildcards. `raw` is the YAML scalar as decoded.
 */
export interface StringValue {
  type: 'string';
  parts: StringPart[];
  raw: string;
  loc?: Loc;
}
export interface NumberValue {
  type: 'number';
  value: number;
  /** The scalar's text (keeps `0x10`, `1.0`). */
  raw: string;
  loc?: Loc;
}
export interface BooleanValue {
  type: 'boolean';
  value: boolean;
  loc?: Loc;
}
export interface NullValue {
  type: 'null';
  loc?: Loc;
}
/** A value under the `re` modifier. `flags` is a subset of "ims" in that order. */
export interface RegexValue {
  type: 'regex';
  pattern: string;
  flags: string;
  loc?: Loc;
}
/** A value under the `cidr` modifier, validated and normalised. */
export interface CidrValue {
  type: 'cidr';
  /** As written, e.g. `10.0.0.0/8`. */
  raw: string;
  version: 4 | 6;
  /** Network address in canonical text form (IPv6 fully expanded, lower case). */
  network: string;
  prefix: number;
  loc?: Loc;
}
/** A value under the `fieldref` modifier: the name of another field of the same event. */
export interface FieldRefValue {
  type: 'fieldref';
  field: string;
  loc?: Loc;
}

export type Value = StringValue | NumberValue | BooleanValue | NullValue | RegexValue | CidrValue | FieldRefValue;

// ---------------------------------------------------------------------------
// Modifiers

export const MODIFIERS = [
  'contains',
  'startswith',
  'endswith',
  'all',
  'exists',
  'cased',
  'neq',
  'windash',
  're',
  'i',
  'm',
  's',
  'base64',
  'base64offset',
  'utf16le',
  'utf16be',
  'utf16',
  'wide',
  'lt',
  'lte',
  'gt',
  'gte',
  'minute',
  'hour',
  'day',
  'week',
  'month',
  'year',
  'cidr',
  'expand',
  'fieldref',
] as const;
export type Modifier = (typeof MODIFIERS)[number];

// ---------------------------------------------------------------------------
// Detection

/**
 * One `field|mod1|mod2: values` entry of a map, or a keyword search (field `null`),
 * which is a plain list of values or a `'|mod': values` key.
 * Values are OR-ed unless `all` is among the modifiers.
 */
export interface FieldMatch {
  type: 'match';
  field: string | null;
  modifiers: Modifier[];
  values: Value[];
  /** The value was written as a YAML list (keeps `- x` vs `x` apart for round trips). */
  list: boolean;
  loc?: Loc;
}
/** A map: every entry must match. */
export interface MatchAll {
  type: 'allOf';
  items: DetectionNode[];
  loc?: Loc;
}
/** A list of maps (or of keywords and maps): any entry may match. */
export interface MatchAny {
  type: 'anyOf';
  items: DetectionNode[];
  loc?: Loc;
}
export type DetectionNode = FieldMatch | MatchAll | MatchAny;

export interface SearchIdentifier {
  name: string;
  node: DetectionNode;
  loc?: Loc;
}

// ---------------------------------------------------------------------------
// Conditions

export interface ConditionAnd {
  type: 'and';
  items: Condition[];
  loc?: Loc;
}
export interface ConditionOr {
  type: 'or';
  items: Condition[];
  loc?: Loc;
}
export interface ConditionNot {
  type: 'not';
  item: Condition;
  loc?: Loc;
}
export interface ConditionRef {
  type: 'ref';
  name: string;
  loc?: Loc;
}
/**
 * `1 of X` / `any of X` (quantifier `any`) or `all of X`. `pattern` is `them` or an
 * identifier pattern with `*` wildcards; `names` are the identifiers it resolved to,
 * in definition order (`them` excludes names starting with `_`).
 */
export interface ConditionOf {
  type: 'of';
  quantifier: 'any' | 'all';
  pattern: string;
  names: string[];
  loc?: Loc;
}
export type Condition = ConditionAnd | ConditionOr | ConditionNot | ConditionRef | ConditionOf;

export interface Detection {
  identifiers: SearchIdentifier[];
  /** One entry per condition of the list (OR-ed); a single condition string gives one. */
  conditions: Condition[];
  /** The condition texts as written. */
  conditionText: string[];
  /** The deprecated Sigma 1 `timeframe` key, when present. */
  timeframe?: string;
  loc?: Loc;
}

// ---------------------------------------------------------------------------
// Documents

export interface LogSource {
  category?: string;
  product?: string;
  service?: string;
  definition?: string;
  /** Further keys (Sigma allows custom logsource attributes). */
  custom?: Record<string, JsonValue>;
  loc?: Loc;
}

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface RelatedRule {
  id: string;
  type: string;
}

/** Metadata shared by rules, correlations and filters. Unknown keys are kept in `custom`. */
export interface Metadata {
  title?: string;
  id?: string;
  name?: string;
  related?: RelatedRule[];
  taxonomy?: string;
  status?: string;
  description?: string;
  license?: string;
  author?: string;
  references?: string[];
  date?: string;
  modified?: string;
  tags?: string[];
  falsepositives?: string[];
  level?: string;
  fields?: string[];
  scope?: string[];
  /** Keys the specification does not define, in document order, as plain JSON. */
  custom: Record<string, JsonValue>;
  /** Top-level keys in document order (for the emitter and for convention checks). */
  keyOrder: string[];
  /** Location of each top-level key's value (key `title` → where the title is). */
  locs: Record<string, Loc>;
}

export interface SigmaRule extends Metadata {
  kind: 'rule';
  logsource: LogSource;
  detection: Detection;
}

export type CorrelationType =
  'event_count' | 'value_count' | 'temporal' | 'temporal_ordered' | 'value_sum' | 'value_avg' | 'value_percentile';

export type ComparisonOp = 'gt' | 'gte' | 'lt' | 'lte' | 'eq' | 'neq';

export interface CorrelationCondition {
  /** One or two comparisons that all must hold (`gt: 100, lte: 200`). */
  comparisons: { op: ComparisonOp; value: number }[];
  /** value_count / value_sum / value_avg / value_percentile: the field aggregated. */
  field?: string;
  /** value_percentile: the percentile (when given as `percentile:`). */
  percentile?: number;
}

export interface Correlation {
  type: CorrelationType;
  /** Referenced rules as written (ids or names). */
  rules: string[];
  /** Alias name → (rule reference → field name in that rule's events). */
  aliases: Record<string, Record<string, string>>;
  groupBy: string[];
  /** As written (`5m`) and in seconds. */
  timespan: { raw: string; seconds: number };
  condition?: CorrelationCondition;
  generate: boolean;
  loc?: Loc;
}

export interface CorrelationRule extends Metadata {
  kind: 'correlation';
  correlation: Correlation;
}

export interface FilterRule extends Metadata {
  kind: 'filter';
  logsource: LogSource;
  filter: {
    /** Rule references (ids or names) the filter applies to. */
    rules: string[];
    detection: Detection;
    loc?: Loc;
  };
}

export type SigmaDocument = SigmaRule | CorrelationRule | FilterRule;
