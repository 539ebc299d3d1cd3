/**
 * Compiles a rule once into a tree of closures over an EventView. The meaning of every
 * modifier comes from `lowerDetection` (src/ast/semantics.ts); this module only encodes
 * the resulting Predicates. Case-insensitive comparison = comparing lower-cased strings.
 */
import { RE2JS } from 're2js';
import {
  LoweringError,
  lowerDetection,
  lowerMatch,
  patternShape,
  type PatternPart,
  type Predicate,
} from '../ast/semantics.js';
import type { DetectionNode, FieldMatch, SigmaRule, Value } from '../ast/types.js';
import { PlaceholderLimitError, substitutePlaceholders } from '../ast/placeholders.js';
import type { Diagnostic } from '../diagnostics.js';
import { cidrContains, parseCidr } from '../parser/cidr.js';
import { splitInlineFlags } from '../parser/regex.js';
import { evalDiagnostic } from './codes.js';
import { normalizeEvent, type EventObject } from './event-shapes.js';
import { EventView } from './event-view.js';
import { compilePatterns, lowerPattern, type StringTest } from './glob.js';
import { bestLiteral } from './regex-literals.js';
import { pushAll } from '../util/array.js';

export type EventTest = (ev: EventView) => boolean;

export interface CompileOptions {
  /** Values for `expand` placeholders (`%name%` → one alternative per value), from a pipeline. */
  placeholders?: Readonly<Record<string, readonly string[]>>;
}

/** Raised inside compilation; compileRule turns it into a diagnostic. */
class CompileError extends Error {
  constructor(
    readonly code: 'E001' | 'E002',
    message: string,
  ) {
    super(message);
  }
}

// ---------------------------------------------------------------------------
// Value helpers shared with the index

const NUMERIC_TEXT = /^\s*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\s*$|^\s*0[xX][0-9a-fA-F]+\s*$/;

/** A number, or a string whose text is a (decimal or 0x-hex) number, as a number. */
export function numericValue(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && NUMERIC_TEXT.test(v)) return Number(v.trim());
  return undefined;
}

function scalars(v: unknown): unknown[] {
  if (Array.isArray(v)) return v.flatMap(scalars);
  return [v];
}

/** A timestamp (ISO text, or epoch seconds/milliseconds) as a Date; local times are UTC. */
export function toDate(v: unknown): Date | undefined {
  if (typeof v === 'number') return new Date(v < 1e11 ? v * 1000 : v);
  if (typeof v !== 'string') return undefined;
  let s = v.trim();
  if (/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?$/.test(s)) s = s.replace(' ', 'T') + 'Z';
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : new Date(t);
}

function isoWeek(d: Date): number {
  const t = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  const day = t.getUTCDay() || 7;
  t.setUTCDate(t.getUTCDate() + 4 - day);
  const yearStart = Date.UTC(t.getUTCFullYear(), 0, 1);
  return Math.ceil(((t.getTime() - yearStart) / 86400000 + 1) / 7);
}

const TIME_PART: Record<string, (d: Date) => number> = {
  minute: (d) => d.getUTCMinutes(),
  hour: (d) => d.getUTCHours(),
  day: (d) => d.getUTCDate(),
  week: isoWeek,
  month: (d) => d.getUTCMonth() + 1,
  year: (d) => d.getUTCFullYear(),
};

const COMPARE: Record<string, (a: number, b: number) => boolean> = {
  eq: (a, b) => a === b,
  lt: (a, b) => a < b,
  lte: (a, b) => a <= b,
  gt: (a, b) => a > b,
  gte: (a, b) => a >= b,
};

/** Replaces `expand` placeholders by each of their values (the cross product of alternatives). */
function expandPlaceholders(pattern: readonly PatternPart[], options: CompileOptions): PatternPart[][] {
  try {
    return substitutePlaceholders(pattern, (name) => {
      // Own keys only: a placeholder named %constructor% has no values unless given some.
      const values =
        options.placeholders && Object.hasOwn(options.placeholders, name) ? options.placeholders[name] : undefined;
      if (!values)
        throw new CompileError(
          'E001',
          `the placeholder %${name}% has no values (give them with a pipeline's placeholder values)`,
        );
      return values;
    });
  } catch (e) {
    if (e instanceof PlaceholderLimitError) throw new CompileError('E001', e.message);
    throw e;
  }
}

function anyString(values: readonly string[], test: StringTest): boolean {
  for (let i = 0; i < values.length; i++) if (test(values[i]!)) return true;
  return false;
}

interface CompiledRegex {
  test: StringTest;
  insensitive: boolean;
  /** Text every match contains (see regex-literals.ts), as written. */
  literal: string | null;
}

/** Compiles a regex for RE2 (linear time). Sigma regexes search (unanchored). */
function compileRegex(pattern: string, flags: string): CompiledRegex {
  const inline = splitInlineFlags(pattern);
  const all = flags + inline.flags;
  let f = 0;
  if (all.includes('i')) f |= RE2JS.CASE_INSENSITIVE;
  if (all.includes('m')) f |= RE2JS.MULTILINE;
  if (all.includes('s')) f |= RE2JS.DOTALL;
  let re: RE2JS;
  try {
    re = RE2JS.compile(inline.source, f);
  } catch (e) {
    throw new CompileError(
      'E002',
      `the regular expression /${pattern}/ cannot run on the linear-time engine: ${(e as Error).message}`,
    );
  }
  return { test: (s) => re.test(s), insensitive: all.includes('i'), literal: bestLiteral(inline.source) };
}

const ASCII = /^[\x00-\x7f]*$/;

/**
 * A regex over a list of values, with its required literal as a prefilter: exact `includes`
 * for a case-sensitive regex; for a case-insensitive one (ASCII literal only), `includes` on
 * the lower-cased value — except where the value holds U+017F (ſ), which RE2 folds to `s`.
 */
function regexTest(rx: CompiledRegex): (raw: readonly string[], lower: () => readonly string[]) => boolean {
  const { test, literal } = rx;
  if (literal && !rx.insensitive) {
    return (raw) => {
      for (let k = 0; k < raw.length; k++) if (raw[k]!.includes(literal) && test(raw[k]!)) return true;
      return false;
    };
  }
  if (literal && ASCII.test(literal)) {
    const low = literal.toLowerCase();
    return (raw, lower) => {
      if (raw.length === 0) return false;
      const lo = lower();
      for (let k = 0; k < raw.length; k++)
        if ((lo[k]!.includes(low) || raw[k]!.includes('\u017f')) && test(raw[k]!)) return true;
      return false;
    };
  }
  return (raw) => anyString(raw, test);
}

// ---------------------------------------------------------------------------
// Predicate → closure

/** Some string form of the field (any value of the event for a keyword) matches one of the patterns. */
function stringTest(field: string | null, cased: boolean, patterns: readonly PatternPart[][]): EventTest {
  const test = compilePatterns(cased ? patterns : patterns.map(lowerPattern));
  // Keywords that are plain substrings (no NUL): one scan over all values joined by NUL.
  if (
    field === null &&
    !cased &&
    patterns.every((p) => {
      const sh = patternShape(p);
      return sh.op === 'contains' && !sh.text.includes('\u0000');
    })
  ) {
    return (ev) => test(ev.allLoweredJoined());
  }
  if (field === null)
    return cased ? (ev) => anyString(ev.allStrings(), test) : (ev) => anyString(ev.allLowered(), test);
  return cased ? (ev) => anyString(ev.strings(field), test) : (ev) => anyString(ev.lowered(field), test);
}

export function compilePredicate(p: Predicate, options: CompileOptions = {}): EventTest {
  switch (p.kind) {
    case 'and': {
      const items = p.items.map((i) => compilePredicate(i, options));
      return (ev) => {
        for (let i = 0; i < items.length; i++) if (!items[i]!(ev)) return false;
        return true;
      };
    }
    case 'or': {
      // String predicates on the same field are tested together: one field lookup, one scan.
      const groups = new Map<string, { field: string | null; cased: boolean; patterns: PatternPart[][] }>();
      const rest: Predicate[] = [];
      for (const i of p.items) {
        if (i.kind !== 'string') {
          rest.push(i);
          continue;
        }
        const key = `${i.cased ? 'c' : 'i'}\u0000${i.field ?? '\u0000'}`;
        let g = groups.get(key);
        if (!g) groups.set(key, (g = { field: i.field, cased: i.cased, patterns: [] }));
        pushAll(g.patterns, expandPlaceholders(i.pattern, options));
      }
      const items = [
        ...[...groups.values()].map((g) => stringTest(g.field, g.cased, g.patterns)),
        ...rest.map((i) => compilePredicate(i, options)),
      ];
      if (items.length === 1) return items[0]!;
      return (ev) => {
        for (let i = 0; i < items.length; i++) if (items[i]!(ev)) return true;
        return false;
      };
    }
    case 'not': {
      const item = compilePredicate(p.item, options);
      return (ev) => !item(ev);
    }
    case 'string':
      return stringTest(p.field, p.cased, expandPlaceholders(p.pattern, options));
    case 'regex': {
      const test = regexTest(compileRegex(p.pattern, p.flags));
      const field = p.field;
      if (field === null) return (ev) => test(ev.allStrings(), () => ev.allLowered());
      return (ev) => test(ev.strings(field), () => ev.lowered(field));
    }
    case 'number': {
      const { field, raw, value } = p;
      const cmp = COMPARE[p.op]!;
      const part = p.timePart ? TIME_PART[p.timePart]! : null;
      return (ev) => {
        const v = ev.value(field);
        if (v === undefined || v === null) return false;
        for (const x of scalars(v)) {
          if (part) {
            const d = toDate(x);
            if (d && cmp(part(d), value)) return true;
            continue;
          }
          if (p.op === 'eq' && typeof x === 'string' && x === raw) return true;
          const n = numericValue(x);
          if (n !== undefined && cmp(n, value)) return true;
        }
        return false;
      };
    }
    case 'boolean': {
      const { field, value } = p;
      const text = value ? 'true' : 'false';
      return (ev) => {
        const v = ev.value(field);
        if (v === undefined || v === null) return false;
        return scalars(v).some((x) => x === value || (typeof x === 'string' && x.toLowerCase() === text));
      };
    }
    case 'null': {
      const field = p.field;
      return (ev) => {
        const v = ev.value(field);
        return v === undefined || v === null;
      };
    }
    case 'exists': {
      const { field, value } = p;
      return (ev) => (ev.value(field) !== undefined) === value;
    }
    case 'cidr': {
      const parsed = parseCidr(p.cidr.raw);
      if (typeof parsed === 'string') throw new CompileError('E001', `invalid CIDR ${p.cidr.raw}: ${parsed}`);
      const field = p.field;
      return (ev) => anyString(ev.strings(field), (s) => cidrContains(parsed, s.trim()));
    }
    case 'fieldref': {
      const { field, ref, position, cased } = p;
      const rel: (a: string, b: string) => boolean =
        position === 'eq'
          ? (a, b) => a === b
          : position === 'contains'
            ? (a, b) => a.includes(b)
            : position === 'startswith'
              ? (a, b) => a.startsWith(b)
              : (a, b) => a.endsWith(b);
      return (ev) => {
        const a = cased ? ev.strings(field) : ev.lowered(field);
        const b = cased ? ev.strings(ref) : ev.lowered(ref);
        for (const x of a) for (const y of b) if (rel(x, y)) return true;
        return false;
      };
    }
  }
}

// ---------------------------------------------------------------------------
// Rules

interface FieldResult {
  /** The field (null for a keyword search). */
  field: string | null;
  modifiers: string[];
  /** The values as written in the rule. */
  expected: string[];
  matched: boolean;
  /** The event's values for the field (string forms, shortened), or null when absent. */
  actual: string[] | null;
}

export interface IdentifierResult {
  identifier: string;
  matched: boolean;
  /** The field matches inside the identifier, each evaluated on its own. */
  fields: FieldResult[];
  /** Why the identifier could not be evaluated, if it could not. */
  error?: string;
}

export interface RuleMatcher {
  rule: SigmaRule;
  /** False when the rule cannot be evaluated (see diagnostics); `matches` is then always false. */
  ok: boolean;
  diagnostics: Diagnostic[];
  /** The lowered detection (when it lowers). */
  predicate?: Predicate;
  /** Matches a raw or normalised event (EVTX JSON is normalised first). */
  matches(event: EventObject | EventView): boolean;
  /** Each search identifier evaluated on its own, with per-field results. */
  explain(event: EventObject | EventView): IdentifierResult[];
  /** The compiled test over a view (used by the engine). */
  test: EventTest;
}

export function toView(event: EventObject | EventView): EventView {
  return event instanceof EventView ? event : new EventView(normalizeEvent(event));
}

function valueText(v: Value): string {
  switch (v.type) {
    case 'string':
      return v.raw;
    case 'number':
      return v.raw;
    case 'boolean':
      return String(v.value);
    case 'null':
      return 'null';
    case 'regex':
      return `/${v.pattern}/${v.flags}`;
    case 'cidr':
      return v.raw;
    case 'fieldref':
      return v.field;
  }
}

function leaves(node: DetectionNode, out: FieldMatch[] = []): FieldMatch[] {
  if (node.type === 'match') out.push(node);
  else for (const i of node.items) leaves(i, out);
  return out;
}

const short = (s: string): string => (s.length > 200 ? s.slice(0, 197) + '...' : s);

export function compileRule(rule: SigmaRule, options: CompileOptions = {}): RuleMatcher {
  const diagnostics: Diagnostic[] = [];
  let predicate: Predicate | undefined;
  let test: EventTest = () => false;
  const at = rule.locs['detection'] ?? rule.detection.loc;
  try {
    predicate = lowerDetection(rule.detection);
    test = compilePredicate(predicate, options);
  } catch (e) {
    if (e instanceof CompileError) {
      diagnostics.push(
        evalDiagnostic(
          e.code,
          `The rule cannot be evaluated: ${e.message}.`,
          at,
          e.code === 'E002'
            ? 'Rewrite the regex without lookaround or backreferences (Sigma regexes are a PCRE subset).'
            : undefined,
        ),
      );
    } else if (e instanceof LoweringError) {
      diagnostics.push(evalDiagnostic('E001', `The rule cannot be evaluated: ${e.message}.`, at));
    } else throw e;
    test = () => false;
  }
  const ok = diagnostics.length === 0;
  const explain = (event: EventObject | EventView): IdentifierResult[] => {
    const ev = toView(event);
    return rule.detection.identifiers.map((ident) => {
      const fields: FieldResult[] = [];
      let matched = false;
      let error: string | undefined;
      try {
        matched = compilePredicate(
          lowerDetection({ ...rule.detection, conditions: [{ type: 'ref', name: ident.name }] }),
          options,
        )(ev);
        for (const m of leaves(ident.node)) {
          const actual = m.field === null ? null : ev.strings(m.field);
          fields.push({
            field: m.field,
            modifiers: [...m.modifiers],
            expected: m.values.map(valueText),
            matched: compilePredicate(lowerMatch(m), options)(ev),
            actual:
              actual === null || (actual.length === 0 && ev.value(m.field!) === undefined) ? null : actual.map(short),
          });
        }
      } catch (e) {
        error = (e as Error).message;
      }
      const r: IdentifierResult = { identifier: ident.name, matched, fields };
      if (error !== undefined) r.error = error;
      return r;
    });
  };
  return {
    rule,
    ok,
    diagnostics,
    ...(predicate ? { predicate } : {}),
    test,
    matches: (event) => test(toView(event)),
    explain,
  };
}
