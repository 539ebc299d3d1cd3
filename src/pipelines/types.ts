/**
 * Processing pipelines are data: a built-in pipeline is a module exporting a plain
 * `PipelineSpec`; a user pipeline is a YAML file with the same shape (validated against
 * src/pipelines/pipeline-schema.json). The engine (src/pipelines/engine.ts) runs them, in
 * order, on a rule's lowered Predicate tree and logsource.
 */
import type { BackendState } from '../backends/state.js';

/** What the engine produces for a backend; part of the backend contract (src/backends/types.ts). */
export type { ProcessedRule } from '../backends/types.js';

export type Scalar = string | number | boolean;

/** Matches a rule's logsource: every key given must be equal (case-insensitive). */
export interface LogsourceMatch {
  category?: string;
  product?: string;
  service?: string;
}

/** When a transformation applies: every key given must hold. */
export interface When {
  /** Any of these logsources. */
  logsource?: LogsourceMatch | LogsourceMatch[];
  /** The table the rule was routed to is one of these. */
  table?: string | string[];
  /**
   * The rule's detection matches only events with these EventIDs (every alternative requires an
   * exact EventID from the list, as a route's `eventIds` reads it): for the fields of some of the
   * events a route by event ID takes, when another route shares its table and logsource.
   */
  eventIds?: number[];
}

/**
 * Conditions written like a Sigma detection map: `{ "Field": value, "Field|startswith": [a, b] }`.
 * Keys are AND-ed, list values OR-ed. Modifiers allowed: contains, startswith, endswith, cased.
 * Strings are literal (no wildcards); numbers compare numerically.
 */
export type ConditionMap = Record<string, Scalar | Scalar[]>;

/** Logsource → table routing. The first matching route of the first pipeline that has one wins. */
export interface Route {
  logsource: LogsourceMatch;
  /**
   * Takes a rule only when its detection can match only events with one of these EventIDs
   * (an exact EventID condition in every alternative); other rules of the logsource go on to the
   * next route (src/pipelines/routes.ts).
   */
  eventIds?: number[];
  table: string;
  /** Conditions the table needs to hold only this logsource's events (EventID, ActionType…). */
  conditions?: ConditionMap;
  /** Shown in docs; with `unverified`, also as a C103 warning on each converted rule. */
  note?: string;
  /** Set when a vendor name used here is not in the vendor's public documentation. */
  unverified?: string;
  /**
   * Computed columns defined before filtering, in the target's syntax (KQL `extend`):
   * name → expression. Used where the target stores a Sigma field in pieces.
   */
  extend?: Record<string, string>;
  /**
   * KQL: further tables holding the same events, read together with `table` (`union`). A column
   * the rule reads must be in every one of them; one that is `dynamic` in `table` and `string`
   * (serialized JSON) in another is parsed there, any other type difference fails the rule.
   */
  union?: string[];
}

/** One rewrite of `replace_prefix`: the longest matching prefix wins. */
export interface PrefixReplacement {
  prefix: string;
  with: string;
}

export type Transformation =
  /** Renames Sigma fields; a list maps one field to several columns (any may match). */
  | { type: 'field_map'; when?: When; map: Record<string, string | string[]> }
  /**
   * Maps every field not mapped yet and not in `except` through a template: `EventData.{field}`
   * reads Sysmon's `Image` from the dynamic EventData column of WindowsEvent.
   */
  | { type: 'field_template'; when?: When; template: string; except?: string[] }
  /** Adds conditions (AND) to the rule; exact, or with `ignore_case` case-insensitive as Sigma strings. */
  | { type: 'add_condition'; when?: When; conditions: ConditionMap; ignore_case?: boolean }
  /**
   * Rewrites an abbreviated prefix at the start of a field's values, case-insensitively:
   * `HKLM\` → `HKEY_LOCAL_MACHINE\`. Only values anchored at the start (equals, startswith) are
   * rewritten; a contains/endswith value keeps its text and gains the start-anchored rewrite as an
   * alternative. Several replacements of one prefix are alternatives (any may match).
   */
  | { type: 'replace_prefix'; when?: When; fields: string[]; replacements: PrefixReplacement[] }
  /** `Hashes` (`ALGO=hex,…`) → one column per algorithm; algorithms not listed fail the rule. */
  | { type: 'split_hashes'; when?: When; field: string; columns: Record<string, string> }
  /** `DOMAIN\user` in one Sigma field → a domain column and an account column. */
  | { type: 'split_domain_user'; when?: When; field: string; domain: string; user: string }
  /**
   * Maps literal values of a field to values of a target column (case-insensitive):
   * `Initiated: 'true'` → `ActionType in (…)`. A value may instead map to conditions (a
   * condition map, modifiers allowed) when the target spells it as a pattern: Defender's ASR
   * block event 1121 is every `ActionType` `Asr…Blocked`. Other values or operators fail the rule (C007).
   */
  | {
      type: 'value_map';
      when?: When;
      field: string;
      column: string;
      values: Record<string, Scalar[] | ConditionMap>;
    }
  /**
   * Renames the fields in scope (`fields`, else every field but `except`): the first `prefixes`
   * key a name starts with is replaced (a list: several columns, any may match; no key matches:
   * unchanged), then `prefix` and `suffix` are added. Unlike `field_template`, it also renames
   * fields an earlier transformation mapped (pySigma's field_name_prefix / _suffix / _prefix_mapping).
   */
  | {
      type: 'field_rename';
      when?: When;
      prefixes?: Record<string, string | string[]>;
      prefix?: string;
      suffix?: string;
      fields?: string[];
      except?: string[];
    }
  /**
   * Rewrites string values of the fields in scope with a regular expression (JavaScript syntax,
   * every match, `$1` in the replacement): in each literal run of the value (`scope: literal`;
   * wildcards untouched), or in the whole value (`scope: value`; a value with wildcards or
   * placeholders then fails the rule, C029).
   */
  | {
      type: 'replace_regex';
      when?: When;
      regex: string;
      flags?: string;
      replacement: string;
      scope: 'literal' | 'value';
      fields?: string[];
      except?: string[];
    }
  /** Resolves `%name%` placeholders from `vars` (this transformation's, then the pipeline's). */
  | { type: 'expand_placeholders'; when?: When; vars?: Record<string, string[]> }
  /** Removes conditions on these fields (they count as true); warns C101. */
  | { type: 'drop_fields'; when?: When; fields: string[] }
  /**
   * A full path in one Sigma field → a column that holds only the file name: `endswith '\\x.exe'`
   * (or '/x') becomes `column == 'x.exe'`, `endswith 'x.exe'` (no separator) `column endswith`.
   * Other conditions on the field fail the rule (C022).
   */
  | { type: 'path_to_name'; when?: When; field: string; column: string }
  /**
   * Fails the rule (C004) if it uses one of `fields` (with `values`: has a string or regex
   * condition on one of them that one of these values satisfies), or a field not in `except` (a
   * route whose events have only these fields in the target: any other field of the rule would
   * silently read a table column of the same name), with `keywords` if it has a keyword search (a
   * value matched against the whole event), with `eventIdRequired` if its detection does not
   * restrict EventID to exact values as a route's `eventIds` reads it (a route taking a log's
   * rules for some of its events only), or — without any of them — if `when` holds.
   */
  | {
      type: 'fail';
      when?: When;
      fields?: string[];
      values?: string[];
      except?: string[];
      keywords?: boolean;
      eventIdRequired?: boolean;
      reason: string;
    }
  /** Sets backend state (e.g. the time column): keys and values a backend declares (src/backends/state.ts). */
  | { type: 'set_state'; when?: When; state: BackendState };

export interface PipelineSpec {
  name: string;
  description: string;
  /** Backends the pipeline is written for (informational; `sigil list pipelines`). */
  targets?: string[];
  /** Values for `expand` placeholders. */
  vars?: Record<string, string[]>;
  routes?: Route[];
  transformations: Transformation[];
}
