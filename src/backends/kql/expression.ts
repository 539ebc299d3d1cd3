/**
 * Predicate → KQL expression. Target choices (operators, literals) come from the tables in
 * operators.ts and literals.ts; this module decides the leaves' structure and types, and the
 * shared boolean printer (../boolean-printer.ts) writes and / or / not from KQL_BOOLEAN.
 * Errors are values: a leaf the target cannot express throws `Inexpressible`, caught per rule.
 */
import { RE2JS } from 're2js';
import { expandClasses } from '../../ast/pattern.js';
import {
  patternShape,
  patternToRegex,
  type LeafPredicate,
  type PatternPart,
  type Predicate,
} from '../../ast/semantics.js';
import { booleanPrinter, type Printed } from '../boolean-printer.js';
import { conversionError } from '../diagnostics.js';
import type { ConversionError } from '../types.js';
import { kqlMember, kqlName, kqlString } from './literals.js';
import { KQL_BOOLEAN, KQL_OPERATORS as OP, KQL_TIME_PARTS, MAX_WINDASH_EXPANSION } from './operators.js';

export class Inexpressible extends Error {
  readonly error: ConversionError;
  constructor(error: ConversionError) {
    // A per-rule outcome, always caught by the backend: capturing a stack trace for each of the
    // ~1,400 corpus rules Defender cannot express would cost more than building their queries.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(error.message);
    Error.stackTraceLimit = limit;
    this.error = error;
  }
}

export interface ColumnRef {
  /** KQL text that reads the value (`FolderPath`, `tostring(AdditionalFields.PipeName)`). */
  expr: string;
  /** KQL scalar type of `expr`. */
  type: string;
  /**
   * For a key inside a dynamic column (`EventData.Image`): the column and the key path, so that
   * presence is tested on the key itself — `tostring()` reads an absent key, a JSON null and ""
   * alike, where Sigma tells them apart (exists / null / '').
   */
  bag?: { column: string; path: string[] };
}

export interface ExprContext {
  /** Resolves a target field name to a column (or throws Inexpressible C002). */
  column(field: string): ColumnRef;
  /** Columns read, for metadata. */
  used: Set<string>;
  /** Under an odd number of not()s (see `twoValued`). */
  negated?: boolean;
  /**
   * Fields compared on presence or emptiness (`exists`, `null`, `''`, `*`) whose column is a
   * typed string: there an absent field reads as "" (Kusto strings are never null), so the
   * query cannot tell absent from empty. The backend says so per rule (C118).
   */
  presenceLoss?: Set<string>;
}

const isString = (c: ColumnRef): boolean => c.type === 'string';
const NUMERIC = new Set(['int', 'long', 'real', 'decimal', 'double']);

/** A string view of any column: string columns as is, others through tostring(). */
function asString(c: ColumnRef): string {
  return isString(c) ? c.expr : `tostring(${c.expr})`;
}

/** The dynamic value itself (no tostring), for a key of a dynamic column. */
function bagValue(bag: NonNullable<ColumnRef['bag']>): string {
  return bag.path.reduce((acc, seg) => acc + kqlMember(seg), kqlName(bag.column));
}

/** `bag_has_key(Col, "$['a']['b']")`: the key is present, whatever its value (null and "" included). */
function bagHasKey(bag: NonNullable<ColumnRef['bag']>, field: string): string {
  if (bag.path.some((seg) => /['\\\]]/.test(seg)))
    fail('C003', `${field}: a key name with a quote, backslash or ']' cannot be tested for presence`, field);
  return `bag_has_key(${kqlName(bag.column)}, ${kqlString(`$${bag.path.map((seg) => `['${seg}']`).join('')}`)})`;
}

/**
 * Presence and emptiness, per Sigma: `exists: true` holds for a present field "be it empty or
 * null" (modifiers appendix); `null` for an absent or null field (as Sigil's evaluator and pySigma
 * read it); `''` for a present, empty string; `*` for any present string value, "" included.
 * A dynamic key tells these apart; a typed column cannot (records the loss for C118).
 */
function presence(
  test: 'exists' | 'absent' | 'null' | 'empty' | 'anyString',
  col: ColumnRef,
  field: string,
  ctx: ExprContext,
): string {
  if (col.bag) {
    const v = bagValue(col.bag);
    switch (test) {
      case 'exists':
        return bagHasKey(col.bag, field);
      case 'absent':
        return `not(${bagHasKey(col.bag, field)})`;
      case 'null':
        return `isnull(${v})`;
      case 'empty':
        return `isnotnull(${v}) and tostring(${v}) == ""`;
      case 'anyString':
        return `isnotnull(${v})`;
    }
  }
  if (isString(col)) {
    ctx.presenceLoss?.add(field);
    return test === 'exists' || test === 'anyString' ? `isnotempty(${col.expr})` : `isempty(${col.expr})`;
  }
  // A typed non-string column holds no empty string: null stands for absent and for empty.
  if (test === 'empty') ctx.presenceLoss?.add(field);
  return test === 'exists' || test === 'anyString' ? `isnotnull(${col.expr})` : `isnull(${col.expr})`;
}

function fail(code: 'C003' | 'C002' | 'C023', message: string, field?: string): never {
  throw new Inexpressible(conversionError(code, message, field ? { field } : {}));
}

/** Sigma regex (i/m/s flags) → RE2 source with inline flags, or an error when RE2 rejects it. */
function kqlRegex(pattern: string, flags: string, field: string | null): string {
  const src = (flags ? `(?${flags})` : '') + pattern;
  try {
    RE2JS.compile(src);
  } catch (e) {
    fail(
      'C003',
      `regular expression ${JSON.stringify(pattern)} is not valid RE2 (Kusto's regex engine): ${(e as Error).message}`,
      field ?? undefined,
    );
  }
  return src;
}

/** Sigma wildcard pattern → anchored RE2 source: `*` and `?` match any character, newlines included. */
function wildcardRegex(pattern: readonly PatternPart[], cased: boolean): string {
  // `matches regex` searches: a leading `^.*` / trailing `.*$` adds nothing, so it is dropped.
  const re = patternToRegex(pattern)
    .replace(/^\^\.\*/, '')
    .replace(/\.\*\$$/, '');
  return (cased ? '(?s)' : '(?is)') + re;
}

/** Concrete strings of a pattern whose only non-text parts are char classes and edge `*`. */
function expandWindash(pattern: readonly PatternPart[]): PatternPart[][] | undefined {
  const isMulti = (p: PatternPart): boolean => typeof p !== 'string' && 'wildcard' in p && p.wildcard === 'multi';
  if (pattern.some((p) => typeof p !== 'string' && !('anyOf' in p) && !isMulti(p))) return undefined;
  // Inner `*` would still need a regex: only edges are allowed.
  const inner = pattern.slice(1, -1);
  if (inner.some((p) => typeof p !== 'string' && 'wildcard' in p)) return undefined;
  const alternatives = expandClasses(pattern, MAX_WINDASH_EXPANSION);
  return alternatives?.length === 1 ? undefined : alternatives;
}

/**
 * A leaf that Kusto evaluates to null on missing or unparsable input (`null < 3`,
 * `todouble("x") < 3`, `ipv4_is_in_range("fe80::1", …)`). `where` drops a null row, which under
 * an even number of not()s is what Sigma's "false" does too; under an odd number,
 * `not(null)` stays null where Sigma's `not false` is true, so the leaf is made two-valued.
 */
function twoValued(text: string, ctx: ExprContext): string {
  return ctx.negated ? `coalesce(${text}, false)` : text;
}

function stringLeaf(p: Extract<Predicate, { kind: 'string' }>, ctx: ExprContext): string | Printed {
  const cs = p.cased ? 'cs' : 'ci';
  if (p.field === null) {
    // Keyword: found in any column of the row.
    const shape = patternShape(p.pattern);
    if (shape.op === 'contains') return `* ${OP.contains[cs]} ${kqlString(shape.text)}`;
    const expanded = expandWindash(p.pattern);
    if (expanded)
      return kqlPrinter.print({ kind: 'or', items: expanded.map((pattern): Predicate => ({ ...p, pattern })) }, ctx);
    if (shape.op === 'any') return 'true';
    return `* ${OP.regex} ${kqlString(unanchoredKeyword(p.pattern, p.cased))}`;
  }
  const col = ctx.column(p.field);
  const shape = patternShape(p.pattern);
  if (shape.op === 'any') return presence('anyString', col, p.field, ctx);
  if (shape.op === 'complex') {
    const expanded = expandWindash(p.pattern);
    if (expanded)
      return kqlPrinter.print({ kind: 'or', items: expanded.map((pattern): Predicate => ({ ...p, pattern })) }, ctx);
    return `${asString(col)} ${OP.regex} ${kqlString(wildcardRegex(p.pattern, p.cased))}`;
  }
  if (shape.op === 'eq') {
    if (shape.text === '') return presence('empty', col, p.field, ctx);
    if (NUMERIC.has(col.type)) {
      // Windows writes numbers such as logon ids in hex ('0x3e7'); a numeric column holds the number.
      const n = numberText(shape.text);
      if (n === undefined)
        fail('C023', `${p.field}: '${shape.text}' is not a number, and ${col.expr} is a ${col.type} column`, p.field);
      return `${col.expr} == ${n}`;
    }
    return `${asString(col)} ${OP.eq[cs]} ${kqlString(shape.text)}`;
  }
  return `${asString(col)} ${OP[shape.op][cs]} ${kqlString(shape.text)}`;
}

/** A decimal or `0x` hex number as KQL number text; undefined when the text is not one. */
function numberText(text: string): string | undefined {
  if (/^-?\d+(\.\d+)?$/.test(text)) return text;
  if (/^0x[0-9a-f]{1,16}$/i.test(text)) return BigInt(text).toString();
  return undefined;
}

/** A keyword pattern is "found anywhere" (the lowering wrapped it in `*`). */
function unanchoredKeyword(pattern: readonly PatternPart[], cased: boolean): string {
  return wildcardRegex(pattern, cased);
}

function leaf(p: LeafPredicate, ctx: ExprContext): string | Printed {
  switch (p.kind) {
    case 'string':
      return stringLeaf(p, ctx);
    case 'regex': {
      const src = kqlRegex(p.pattern, p.flags, p.field);
      if (p.field === null) return `* ${OP.regex} ${kqlString(src)}`;
      return `${asString(ctx.column(p.field))} ${OP.regex} ${kqlString(src)}`;
    }
    case 'number': {
      const col = ctx.column(p.field);
      if (p.timePart) {
        if (col.type !== 'datetime')
          fail('C003', `${p.field}: the ${p.timePart} modifier needs a datetime column (${col.type})`, p.field);
        return twoValued(
          `datetime_part(${kqlString(KQL_TIME_PARTS[p.timePart])}, ${col.expr}) ${OP.compare[p.op]} ${p.value}`,
          ctx,
        );
      }
      // `null == 5` is false in Kusto (not null): only ordering comparisons need twoValued.
      if (NUMERIC.has(col.type))
        return p.op === 'eq'
          ? `${col.expr} == ${p.value}`
          : twoValued(`${col.expr} ${OP.compare[p.op]} ${p.value}`, ctx);
      if (p.op === 'eq' && isString(col)) {
        // Sigma compares numbers as numbers: "05" and "5.0" equal 5 (todouble(non-number) == 5 is false).
        const numeric = `todouble(${col.expr}) == ${p.value}`;
        return /^-?\d+(\.\d+)?$/.test(p.raw)
          ? numeric
          : { text: `${col.expr} == ${kqlString(p.raw)} or ${numeric}`, precedence: KQL_BOOLEAN.or.precedence };
      }
      if (p.op === 'eq') return `${asString(col)} == ${kqlString(p.raw)}`;
      if (isString(col)) return twoValued(`todouble(${col.expr}) ${OP.compare[p.op]} ${p.value}`, ctx);
      return fail('C003', `${p.field}: numeric comparison on a ${col.type} column`, p.field);
    }
    case 'boolean': {
      const col = ctx.column(p.field);
      if (col.type === 'bool') return `${col.expr} == ${p.value}`;
      return `${asString(col)} =~ ${kqlString(String(p.value))}`;
    }
    case 'null':
      return presence('null', ctx.column(p.field), p.field, ctx);
    case 'exists':
      return presence(p.value ? 'exists' : 'absent', ctx.column(p.field), p.field, ctx);
    case 'cidr': {
      const col = ctx.column(p.field);
      const fn = p.cidr.version === 4 ? 'ipv4_is_in_range' : 'ipv6_is_in_range';
      // As written (validated by the parser); Kusto masks host bits itself.
      return twoValued(`${fn}(${asString(col)}, ${kqlString(p.cidr.raw)})`, ctx);
    }
    case 'fieldref': {
      const a = ctx.column(p.field);
      const b = ctx.column(p.ref);
      const cs = p.cased ? 'cs' : 'ci';
      // Sigma compares two present values; Kusto reads an absent string column as "", and "" ==
      // "" (or contains "") holds: both fields must be present (C118 where a typed string column
      // cannot tell absent from empty).
      const present = `${presence('exists', a, p.field, ctx)} and ${presence('exists', b, p.ref, ctx)}`;
      return `${present} and ${asString(a)} ${OP[p.position][cs]} ${asString(b)}`;
    }
  }
}

/**
 * An or's operands: `col =~ a or col =~ b` grouped into `col in~ (a, b)` (same column, same
 * case rule), at the place of the group's first item; other items as printed.
 */
function groupEquals(
  items: readonly Predicate[],
  print: (item: Predicate) => Printed,
  ctx: ExprContext,
): (string | Printed)[] {
  const out: (string | Printed)[] = [];
  const groups = new Map<string, { col: ColumnRef; values: string[]; op: string; index: number }>();
  // A group's key where the group goes, else the item as printed.
  const slots: (Printed | string)[] = [];
  for (const p of items) {
    let key: string | undefined;
    let value: string | undefined;
    let col: ColumnRef | undefined;
    let op: string | undefined;
    if (p.kind === 'string' && p.field !== null) {
      const shape = patternShape(p.pattern);
      if (shape.op === 'eq' && shape.text !== '') {
        col = ctx.column(p.field);
        if (isString(col)) {
          op = OP.in[p.cased ? 'cs' : 'ci'];
          key = `${col.expr}\u0000${op}`;
          value = kqlString(shape.text);
        }
      }
    } else if (p.kind === 'number' && !p.timePart && p.op === 'eq') {
      col = ctx.column(p.field);
      if (NUMERIC.has(col.type)) {
        op = 'in';
        key = `${col.expr}\u0000in#`;
        value = String(p.value);
      }
    }
    if (key && col && op && value !== undefined) {
      const g = groups.get(key);
      if (g) g.values.push(value);
      else {
        groups.set(key, { col, values: [value], op, index: slots.length });
        slots.push(key);
      }
    } else slots.push(print(p));
  }
  for (const s of slots) {
    if (typeof s !== 'string') {
      out.push(s);
      continue;
    }
    const g = groups.get(s)!;
    const uniq = [...new Set(g.values)];
    if (uniq.length === 1)
      out.push(`${g.col.expr} ${g.op === 'in' ? '==' : g.op === 'in~' ? OP.eq.ci : OP.eq.cs} ${uniq[0]}`);
    else out.push(`${g.col.expr} ${g.op} (${uniq.join(', ')})`);
  }
  return out;
}

const kqlPrinter = booleanPrinter<ExprContext>({
  syntax: KQL_BOOLEAN,
  leaf,
  negate: (ctx) => ({ ...ctx, negated: !ctx.negated }),
  orOperands: groupEquals,
});

/** The predicate as a list of `where` clauses (top-level AND items become separate lines). */
export function whereClauses(p: Predicate, ctx: ExprContext): string[] {
  if (p.kind === 'and') return p.items.map((i) => kqlPrinter.print(i, ctx).text);
  const r = kqlPrinter.print(p, ctx);
  return r.text === 'true' ? [] : [r.text];
}
