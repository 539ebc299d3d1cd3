/**
 * The linter's contract: a check is one module exporting `meta` and `check(ctx)` (ESLint's
 * rule modules, Ruff's codes). Checks read the AST only, never YAML.
 */
import type { Loc, SigmaDocument } from '../ast/types.js';
import type { Severity } from '../diagnostics.js';
import type { AttackData } from './attack.js';
import type { Taxonomy } from './taxonomy.js';
import type { NoiseResult } from './noise/score.js';

/** Check families and their code prefixes (stable; documented in docs/lint/index.md). */
export type Family = 'metadata' | 'tags' | 'logsource' | 'detection' | 'cross-file' | 'noise';
export const FAMILY_PREFIX: Record<Family, string> = {
  metadata: 'M',
  tags: 'T',
  logsource: 'L',
  detection: 'D',
  'cross-file': 'X',
  noise: 'N',
};

interface CheckMeta {
  /** Stable code, e.g. `D004`. Never renumbered or reused. */
  code: string;
  /** kebab-case name, usable instead of the code in configuration. */
  name: string;
  family: Family;
  defaultSeverity: Severity;
  /** One line: what the check finds. */
  summary: string;
  /** Why it matters. */
  why: string;
  /** A rule (YAML) the check reports, and the fixed version. */
  bad: string;
  good: string;
  /** The pySigma / pySigma-validators-sigmahq validator identifier(s) this check corresponds to. */
  pysigma?: string[];
  /** The check attaches an `edit` to the findings it can fix unambiguously (`sigil lint --fix`). */
  fixable?: boolean;
}

/**
 * A fix, as data: a change to one value of the rule's YAML document, addressed by its path of
 * keys and list indexes (`['tags', 2]`). `from` is the value the check saw: an edit whose value
 * has changed since is stale and not applied. Applied by src/lint/fix.ts, comments kept.
 */
export type FixEdit =
  | { op: 'set'; path: (string | number)[]; from: string; value: string }
  | { op: 'delete'; path: (string | number)[]; from: string }
  /** Renames the key `from` of the mapping at `path` to `value` and sets its values (a scalar, or a list in order). */
  | {
      op: 'set-key';
      path: (string | number)[];
      from: string;
      value: string;
      values: { from: string; value: string }[];
    };

export interface ReportInput {
  message: string;
  loc?: Loc | undefined;
  hint?: string;
  /** A replacement text the user could apply (shown, never applied automatically). */
  fix?: string;
  /** The unambiguous fix `sigil lint --fix` applies (checks whose meta says `fixable`). */
  edit?: FixEdit;
}

/** One document with everything a check may read. */
export interface DocumentInfo {
  document: SigmaDocument;
  file?: string;
  /** Location of the document's start (for findings about the whole document). */
  loc: Loc;
}

export interface CheckContext extends DocumentInfo {
  attack: AttackData;
  taxonomy: Taxonomy;
  /** The rule's noise score, when noise scoring is on. */
  noise?: NoiseResult;
  report(r: ReportInput): void;
}

interface CrossFileContext {
  attack: AttackData;
  /** Reports against one of the collected documents. */
  report(doc: DocumentInfo, r: ReportInput): void;
}

export interface Check {
  meta: CheckMeta;
  /** Per-document check. */
  check?(ctx: CheckContext): void;
  /** Cross-file checks: a fresh state, filled by `collect` for each document, read by `finish`. */
  crossFile?: {
    create(): unknown;
    collect(state: unknown, doc: DocumentInfo): void;
    finish(state: unknown, ctx: CrossFileContext): void;
  };
}

export interface Finding {
  code: string;
  name: string;
  severity: Severity;
  message: string;
  hint?: string;
  fix?: string;
  edit?: FixEdit;
  file?: string;
  line: number;
  column: number;
}
