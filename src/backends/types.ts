/**
 * The backend contract. A backend is one module: a name, the pipelines it ships, its output
 * formats, and a pure function from a rule (after its pipelines ran) to query text plus
 * metadata. A rule the target cannot express yields a `ConversionFailure` naming the reason;
 * backends never throw for a rule (an exception is a bug).
 */
import type { CorrelationRule, JsonValue, Loc, SigmaRule } from '../ast/types.js';
import type { Predicate } from '../ast/predicate.js';
import type { BackendState, StateSchema } from './state.js';

/** Why a rule cannot be converted (codes catalogued in src/backends/diagnostics.ts). */
export interface ConversionError {
  code: string;
  message: string;
  /** Short machine-friendly reason, used to group failures in summaries ("field not in table"). */
  reason: string;
  /** The Sigma field (or target column) the error is about, when there is one. */
  field?: string;
  hint?: string;
  loc?: Loc;
}

/** A remark about a conversion that still succeeded (e.g. fixed vs sliding windows). */
export interface ConversionWarning {
  code: string;
  message: string;
  hint?: string;
  loc?: Loc;
}

/**
 * A rule after its pipelines ran: what a backend's `convert` receives. Declared here, with the
 * rest of the backend contract, so that backends need nothing from src/pipelines (which
 * produces it) and src/pipelines needs only this contract from src/backends.
 */
export interface ProcessedRule {
  /** The rule as parsed (untouched). */
  rule: SigmaRule;
  /** The detection, lowered and transformed (field names are target names now). */
  predicate: Predicate;
  /** Conditions from routing and `add_condition`, in order (AND-ed with the detection). */
  filters: Predicate[];
  /** The table / index / function the route chose (absent: no pipeline routed the rule). */
  table?: string;
  /** Further tables the route reads together with `table` (Route.union). */
  union?: string[];
  /** Computed columns the route defines (name → target expression). */
  extend: Record<string, string>;
  /** Sigma field → target field(s), as mapped (for docs, `fields:` lists, metadata). */
  fieldMap: Record<string, string[]>;
  /** Backend settings the pipelines set (`set_state`), by declared key (state.ts). */
  state: BackendState;
  pipelines: string[];
  /** Non-empty: the rule cannot be expressed; backends return these as the failure. */
  errors: ConversionError[];
  warnings: ConversionWarning[];
  /** The rule's AST after the same pipelines: set for backends that ask (`needsRewrittenRule`). */
  rewritten?: RewrittenRule;
  /**
   * A correlation's base rule: each name the correlation groups by or aggregates (a field or an
   * alias) → the target field it reads in this rule's events, through the same pipelines.
   */
  correlationFields?: Record<string, string>;
}

/**
 * A rule with the pipelines applied to its AST rather than to its lowered predicate: field
 * names mapped, values rewritten, routing conditions added as a `_pipeline` selection. What a
 * backend that prints Sigma renders.
 */
export interface RewrittenRule {
  rule: SigmaRule;
  /** The table the routing chose, if any. */
  table?: string;
  errors: ConversionError[];
  /** Transformations that have no Sigma form and were left out. */
  notes: ConversionWarning[];
}

export interface ConversionSuccess {
  ok: true;
  /** One or more query texts (one per condition set the target cannot combine). */
  queries: string[];
  /** Tables / indexes / functions the queries read. */
  tables: string[];
  /** Target fields (columns) the queries read. */
  fields: string[];
  warnings: ConversionWarning[];
  /** Backend-specific extra data formats may use (e.g. the time column). Plain JSON. */
  meta: Record<string, JsonValue>;
}

export interface ConversionFailure {
  ok: false;
  errors: ConversionError[];
  warnings: ConversionWarning[];
}

export type ConversionResult = ConversionSuccess | ConversionFailure;

/** Options from the command line or API (`--format`, backend flags). */
export type BackendOptions = Record<string, string | number | boolean | undefined>;

export interface ConvertContext {
  /** Names of the pipelines that ran, in order (for metadata and messages). */
  pipelines: string[];
  options: BackendOptions;
}

export interface RenderedOutput {
  text: string;
  /** File extension including the dot (`.kql`, `.yaml`, `.json`). */
  extension: string;
  /** Named pieces a format's `combine` assembles into one artifact (e.g. a Splunk app's .conf files). */
  parts?: Record<string, string>;
}

/** One artifact made from every rendered rule of a run (`OutputFormat.combine`). */
export type CombinedOutput =
  | {
      /** Text or bytes (an archive). */
      data: string | Uint8Array;
      /** The file name used when the output is a directory. */
      fileName: string;
    }
  | { error: string };

/**
 * Deployment settings of the formats, by format name: the `artifacts:` mapping of `.sigil.yml`
 * (validated when it was read). A rule's own settings are in its AST (`custom.sigil.artifacts`).
 */
export type ArtifactDefaults = Readonly<Record<string, JsonValue>>;

export interface OutputFormat {
  name: string;
  description: string;
  /** Whether the format can hold this result (e.g. a Defender detection needs a Device* table). */
  check?(
    result: ConversionSuccess,
    rule: SigmaRule | CorrelationRule,
    defaults?: ArtifactDefaults,
  ): ConversionError | undefined;
  render(
    result: ConversionSuccess,
    rule: SigmaRule | CorrelationRule,
    options: BackendOptions,
    defaults?: ArtifactDefaults,
  ): RenderedOutput;
  /**
   * A comment line holding `text` (a rule's title and id), put before each output when several
   * share one stream. Metadata is data: the line must not end early or run on (src/util/inert-text.ts).
   */
  comment?(text: string): string;
  /** Options the format reads (`--set name=value`), with what each does. */
  options?: Readonly<Record<string, string>>;
  /**
   * Set by a format whose artifact is one file for the whole run (macros.conf, a Splunk app):
   * the CLI passes every rendered output, in order, instead of writing one file per rule.
   */
  combine?(outputs: readonly RenderedOutput[], options: BackendOptions): CombinedOutput;
}

export interface Backend {
  name: string;
  description: string;
  /** Pipelines applied when the user names none (e.g. `['defender-xdr']`). */
  defaultPipelines?: string[];
  /** The first format is the default. */
  formats: OutputFormat[];
  /** Options the backend reads for every format (`--set name=value`), with what each does. */
  options?: Readonly<Record<string, string>>;
  /** The state keys the backend reads (pipelines set them with `set_state`; checked when a pipeline loads). */
  state?: StateSchema;
  /**
   * Set by a backend that prints the rule itself (Sigma): the conversion then also applies the
   * pipelines to the rule's AST and passes the result as `ProcessedRule.rewritten`.
   */
  needsRewrittenRule?: boolean;
  convert(rule: ProcessedRule, ctx: ConvertContext): ConversionResult;
  /**
   * A correlation over already processed base rules (in the order the correlation names them).
   * Backends without correlation support omit this; callers then report C010.
   */
  convertCorrelation?(corr: CorrelationRule, referenced: ProcessedRule[], ctx: ConvertContext): ConversionResult;
}

export function failure(errors: ConversionError[], warnings: ConversionWarning[] = []): ConversionFailure {
  return { ok: false, errors, warnings };
}
