/**
 * The transformations of a pipeline (types.ts) applied to a lowered detection: each maps the
 * predicate's leaves, and records what it did (field map, added conditions, state, warnings)
 * in the `ProcessedRule` being built. A step that cannot express a leaf throws `StepError`,
 * which the engine turns into a per-rule error.
 */
import { PlaceholderLimitError, substitutePlaceholders } from '../ast/placeholders.js';
import { and, not, or, patternToRegex, predicateFields, type PatternPart, type Predicate } from '../ast/semantics.js';
import { conversionError, conversionWarning } from '../backends/diagnostics.js';
import type { ConversionError } from '../backends/types.js';
import { conditionMapToPredicate } from './conditions.js';
import type { ConditionMap, PipelineSpec, PrefixReplacement, ProcessedRule, Scalar, Transformation } from './types.js';
import { mergeAdjacentText } from '../ast/pattern.js';
import { forEachLeaf } from '../ast/fold.js';
import { ruleEventIds } from './routes.js';

/** Maps every leaf; a leaf may become `true` (dropped) or stay a predicate. */
export type Tri = Predicate | boolean;

/**
 * Not a fold (ast/fold.ts): an and/or stops at the first item that decides it, and the items
 * after it are not mapped, so their leaves neither fail a step nor count as dropped.
 */
function mapTri(p: Predicate, f: (leaf: Predicate) => Tri): Tri {
  switch (p.kind) {
    case 'and': {
      const items: Predicate[] = [];
      for (const i of p.items) {
        const r = mapTri(i, f);
        if (r === false) return false;
        if (r !== true) items.push(r);
      }
      return items.length === 0 ? true : and(items);
    }
    case 'or': {
      const items: Predicate[] = [];
      for (const i of p.items) {
        const r = mapTri(i, f);
        if (r === true) return true;
        if (r !== false) items.push(r);
      }
      return items.length === 0 ? false : or(items);
    }
    case 'not': {
      const r = mapTri(p.item, f);
      return typeof r === 'boolean' ? !r : not(r);
    }
    default:
      return f(p);
  }
}

/** A transformation step's failure inside a leaf mapping (caught by the engine, per rule). */
export class StepError extends Error {
  constructor(readonly error: ConversionError) {
    super(error.message);
  }
}

function renameLeaf(p: Predicate, map: Record<string, string | string[]>, record: Record<string, string[]>): Predicate {
  const targets = (f: string): string[] => {
    // Own keys only: a field named `constructor` must not find Object.prototype's.
    const t = Object.hasOwn(map, f) ? map[f] : undefined;
    if (t === undefined) return [f];
    const list = Array.isArray(t) ? t : [t];
    const prev = Object.hasOwn(record, f) ? record[f]! : undefined;
    if (prev === undefined) record[f] = [...new Set(list)];
    else if (list.some((x) => !prev.includes(x))) record[f] = [...new Set([...prev, ...list])];
    return list;
  };
  if (p.kind === 'and' || p.kind === 'or' || p.kind === 'not') return p;
  if (p.kind === 'fieldref') {
    const out: Predicate[] = [];
    for (const f of targets(p.field)) for (const r of targets(p.ref)) out.push({ ...p, field: f, ref: r });
    return or(out);
  }
  if (p.field === null) return p;
  // An unmapped field stays as it is (no copy: most leaves pass most field maps untouched).
  if (!Object.hasOwn(map, p.field)) return p;
  const list = targets(p.field);
  // "Field is absent" over several columns holds only if every column is absent.
  const combine = p.kind === 'null' || (p.kind === 'exists' && !p.value) ? and : or;
  return combine(list.map((f) => ({ ...p, field: f }) as Predicate));
}

const isMultiWildcard = (x: PatternPart | undefined): boolean =>
  x !== undefined && typeof x !== 'string' && 'wildcard' in x && x.wildcard === 'multi';

/** The replacements of the longest prefix `text` starts with (several: alternatives). */
export function prefixReplacements(text: string, reps: readonly PrefixReplacement[]): PrefixReplacement[] {
  const lower = text.toLowerCase();
  const hits = reps.filter((r) => lower.startsWith(r.prefix.toLowerCase()));
  const longest = Math.max(0, ...hits.map((r) => r.prefix.length));
  return hits.filter((r) => r.prefix.length === longest);
}

/**
 * A replacement that only puts text before the prefix (`\` → `\Device\NamedPipe\`) keeps the
 * prefix in the target's value, so a value that is not anchored at the start still finds it.
 */
export const keepsPrefix = (r: PrefixReplacement): boolean => r.with.toLowerCase().endsWith(r.prefix.toLowerCase());

/**
 * Rewrites a field's abbreviated prefix. Only a value anchored at the start of the field (its
 * pattern begins with text: equals, startswith) names the field's start. A value after a
 * leading `*` (contains, endswith) may find its text anywhere, the start included: it stays, and
 * where the replacement changes the prefix, the start-anchored rewrite is added as an
 * alternative (`contains 'HKU\x'` → contains it, or starts with `HKEY_USERS\x`).
 */
function replacePrefixLeaf(
  leaf: Extract<Predicate, { kind: 'string' }>,
  reps: readonly PrefixReplacement[],
): Predicate {
  const [first, second] = leaf.pattern;
  const rewrite = (text: string, rest: readonly PatternPart[], r: PrefixReplacement): Predicate => ({
    ...leaf,
    pattern: [r.with + text.slice(r.prefix.length), ...rest],
  });
  if (typeof first === 'string') {
    const hits = prefixReplacements(first, reps);
    return hits.length ? or(hits.map((r) => rewrite(first, leaf.pattern.slice(1), r))) : leaf;
  }
  if (isMultiWildcard(first) && typeof second === 'string') {
    const inside = reps.find((r) => keepsPrefix(r) && mayMatchInAddedText(r, second));
    if (inside)
      throw new StepError(
        conversionError(
          'C024',
          `${leaf.field}: '${second}' may match inside the '${inside.with}' the target writes before every value`,
          {
            field: leaf.field ?? undefined,
            hint: `the target's values start with '${inside.with}'; anchor the value at the start of the field or make it start with '${inside.prefix}'`,
          },
        ),
      );
    const hits = prefixReplacements(second, reps).filter((r) => !keepsPrefix(r));
    return hits.length ? or([leaf, ...hits.map((r) => rewrite(second, leaf.pattern.slice(2), r))]) : leaf;
  }
  return leaf;
}

/**
 * With a replacement that adds text before the prefix (`\` → `\Device\NamedPipe\`), the
 * target's value is that text followed by the Sigma value. An unanchored value finds the same
 * places in both unless it can begin inside the added text: it is, or starts with, a tail of the
 * added text, followed by what can begin a Sigma value (the prefix).
 */
function mayMatchInAddedText(r: PrefixReplacement, text: string): boolean {
  const added = r.with.slice(0, r.with.length - r.prefix.length).toLowerCase();
  const t = text.toLowerCase();
  const prefix = r.prefix.toLowerCase();
  if (added.includes(t)) return true;
  for (let k = 1; k <= Math.min(added.length, t.length); k++) {
    if (!t.startsWith(added.slice(-k))) continue;
    const rest = t.slice(k);
    if (rest.startsWith(prefix) || prefix.startsWith(rest)) return true;
  }
  return false;
}

const HASH_RE = /^([A-Za-z0-9]+)=([0-9A-Fa-f]+)$/;
const HASH_LENGTHS: Record<string, number> = { MD5: 32, SHA1: 40, SHA256: 64, IMPHASH: 32 };

function textShape(
  pattern: PatternPart[],
): { op: 'eq' | 'contains' | 'startswith' | 'endswith'; text: string } | undefined {
  const multi = (x: PatternPart | undefined): boolean =>
    x !== undefined && typeof x !== 'string' && 'wildcard' in x && x.wildcard === 'multi';
  const n = pattern.length;
  const lead = multi(pattern[0]);
  const trail = n > 1 && multi(pattern[n - 1]);
  const inner = pattern.slice(lead ? 1 : 0, trail ? n - 1 : n);
  if (inner.length !== 1 || typeof inner[0] !== 'string') return undefined;
  return { op: lead && trail ? 'contains' : lead ? 'endswith' : trail ? 'startswith' : 'eq', text: inner[0] };
}

function lit(
  field: string,
  text: string,
  op: 'eq' | 'contains' | 'startswith' | 'endswith',
  cased: boolean,
): Predicate {
  const pattern: PatternPart[] = [];
  if (op === 'contains' || op === 'endswith') pattern.push({ wildcard: 'multi' });
  if (text) pattern.push(text);
  if (op === 'contains' || op === 'startswith') pattern.push({ wildcard: 'multi' });
  return { kind: 'string', field, pattern, cased };
}

function splitHashesLeaf(p: Predicate, field: string, columns: Record<string, string>): Predicate {
  if (!('field' in p) || p.field !== field) return p;
  const fail = (why: string): never => {
    throw new StepError(
      conversionError('C007', `${field}: ${why}`, {
        field,
        hint: `the target stores hashes in separate columns (${Object.keys(columns).join(', ')})`,
      }),
    );
  };
  if (p.kind !== 'string') return fail(`a ${p.kind} condition cannot be split into hash columns`);
  const shape = textShape(p.pattern);
  if (!shape) return fail('only literal `ALGO=hex` values can be split into hash columns');
  const m = HASH_RE.exec(shape.text);
  if (!m) return fail(`'${shape.text}' is not of the form ALGO=hex`);
  const algo = m[1]!.toUpperCase();
  const hex = m[2]!;
  const column = columns[algo];
  if (!column) return fail(`the target has no column for ${algo} hashes`);
  // Sysmon writes `ALGO=hex` entries separated by commas: "contains ALGO=hex" means the
  // ALGO hash starts with hex (equals it when hex has the full length). Other positions
  // depend on Sysmon's hash order, which the split columns cannot express.
  if (shape.op !== 'contains')
    return fail(`'${shape.op}' on ${field} depends on the order of hashes; only contains is expressible`);
  const full = HASH_LENGTHS[algo] === hex.length;
  return lit(column, hex, full ? 'eq' : 'startswith', false);
}

function splitDomainLeaf(p: Predicate, field: string, domainCol: string, userCol: string): Predicate {
  if (!('field' in p) || p.field !== field) return p;
  const fail = (why: string): never => {
    throw new StepError(
      conversionError('C007', `${field}: ${why}`, {
        field,
        hint: `the target stores DOMAIN\\user as ${domainCol} and ${userCol}`,
      }),
    );
  };
  if (p.kind === 'exists')
    return and([
      { ...p, field: domainCol },
      { ...p, field: userCol },
    ]);
  if (p.kind !== 'string') return fail(`a ${p.kind} condition cannot be split into ${domainCol} and ${userCol}`);
  const shape = textShape(p.pattern);
  if (!shape) return fail('a value with inner wildcards cannot be split into domain and account');
  const { op, text } = shape;
  const c = p.cased;
  const parts = text.split('\\');
  if (parts.length > 2) return fail(`'${text}' has more than one backslash`);
  if (parts.length === 2) {
    const [d, u] = parts as [string, string];
    // DOMAIN\user  matched as eq / startswith / endswith / contains, split at the backslash.
    const domOp = op === 'eq' || op === 'startswith' ? 'eq' : 'endswith';
    const userOp = op === 'eq' || op === 'endswith' ? 'eq' : 'startswith';
    const items: Predicate[] = [];
    if (!(domOp === 'endswith' && d === '')) items.push(lit(domainCol, d, domOp, c));
    if (!(userOp === 'startswith' && u === '')) items.push(lit(userCol, u, userOp, c));
    return items.length ? and(items) : { kind: 'exists', field: userCol, value: true };
  }
  switch (op) {
    case 'contains':
      return or([lit(domainCol, text, 'contains', c), lit(userCol, text, 'contains', c)]);
    case 'startswith':
      return lit(domainCol, text, 'startswith', c);
    case 'endswith':
      return lit(userCol, text, 'endswith', c);
    case 'eq':
      return fail(`'${text}' has no DOMAIN\\ part, but the field always holds DOMAIN\\user`);
  }
}

/**
 * A path field read from a file-name column: only a value that ends the path with a whole file
 * name (`\\x.exe`, `/x`) or with a piece of one (`x.exe`, no separator) says something about
 * the name alone.
 */
function pathToNameLeaf(p: Predicate, field: string, column: string): Predicate {
  if (!('field' in p) || p.field !== field) return p;
  const fail = (why: string): never => {
    throw new StepError(
      conversionError('C022', `${field}: ${why}`, {
        field,
        hint: `the target records only the file name (${column}); write the condition as ${field}|endswith: '\\name.exe'`,
      }),
    );
  };
  if (p.kind !== 'string') return fail(`a ${p.kind} condition on a path cannot be read from a file name`);
  const shape = textShape(p.pattern);
  if (!shape || shape.op !== 'endswith')
    return fail(
      `only an endswith value can be read from the file name, not ${shape ? shape.op : 'a wildcard pattern'}`,
    );
  const text = shape.text;
  const sep = /[\\/]/;
  if (sep.test(text.slice(1)) || text.length <= 1)
    return fail(`'${text}' names directories; the target records only the file name`);
  return sep.test(text[0]!) ? lit(column, text.slice(1), 'eq', p.cased) : lit(column, text, 'endswith', p.cased);
}

function valueMapLeaf(
  p: Predicate,
  field: string,
  column: string,
  values: Record<string, Scalar[] | ConditionMap>,
): Predicate {
  if (!('field' in p) || p.field !== field) return p;
  const fail = (why: string): never => {
    throw new StepError(
      conversionError('C007', `${field}: ${why}`, {
        field,
        hint: `the target expresses ${field} through ${column}; known values: ${Object.keys(values).join(', ')}`,
      }),
    );
  };
  let text: string | undefined;
  if (p.kind === 'string') {
    const shape = textShape(p.pattern);
    if (!shape || shape.op !== 'eq') return fail('only exact values can be mapped');
    text = shape.text;
  } else if (p.kind === 'boolean') text = String(p.value);
  else if (p.kind === 'number' && p.op === 'eq') text = p.raw;
  else return fail(`a ${p.kind} condition cannot be mapped`);
  const key = Object.keys(values).find((k) => k.toLowerCase() === text!.toLowerCase());
  if (key === undefined) return fail(`no mapping for the value '${text}'`);
  const mapped = values[key]!;
  return conditionMapToPredicate(Array.isArray(mapped) ? { [column]: mapped } : mapped);
}

function expandLeaf(p: Predicate, vars: Record<string, string[]>): Predicate {
  if (p.kind !== 'string' || !p.pattern.some((x) => typeof x !== 'string' && 'placeholder' in x)) return p;
  let alts: PatternPart[][];
  try {
    // A placeholder without a value stays, for a later pipeline (else C005 after the last).
    alts = substitutePlaceholders(p.pattern, (name) => (Object.hasOwn(vars, name) ? vars[name] : undefined));
  } catch (e) {
    if (!(e instanceof PlaceholderLimitError)) throw e;
    throw new StepError(
      conversionError('C016', `${p.field ?? 'keywords'}: ${e.message}`, {
        ...(p.field !== null ? { field: p.field } : {}),
        hint: 'give the placeholders of one value fewer values, or split the value',
      }),
    );
  }
  return or(alts.map((pattern) => ({ ...p, pattern: mergeAdjacentText(pattern) })));
}

/**
 * The fields among `fields` with a string or regex condition that one of `values` satisfies
 * (Sigma's case rules): `IpAddress: '-'`, but also `IpAddress|contains: '-'`, whose meaning for
 * that value differs just as much in a target that stores it otherwise.
 */
function comparedWith(p: Predicate, fields: ReadonlySet<string>, values: readonly string[]): Set<string> {
  const out = new Set<string>();
  mapTri(p, (leaf) => {
    if ((leaf.kind === 'string' || leaf.kind === 'regex') && leaf.field !== null && fields.has(leaf.field)) {
      let re: RegExp | undefined;
      try {
        re =
          leaf.kind === 'regex'
            ? new RegExp(leaf.pattern, leaf.flags.replace(/[gy]/g, ''))
            : new RegExp(patternToRegex(leaf.pattern), leaf.cased ? 's' : 'is');
      } catch {
        // A placeholder or a pattern JavaScript cannot compile: it may match the value.
      }
      if (!re || values.some((v) => re.test(v))) out.add(leaf.field);
    }
    return leaf;
  });
  return out;
}

/** Whether a transformation with `fields` / `except` applies to a field. */
export function inScope(t: { fields?: string[]; except?: string[] }, field: string): boolean {
  return t.fields ? t.fields.includes(field) : !(t.except ?? []).includes(field);
}

/** A field's names after a `field_rename` (one name, or several for a list-valued prefix). */
export function renamedField(t: Extract<Transformation, { type: 'field_rename' }>, field: string): string[] {
  let names = [field];
  if (t.prefixes) {
    const key = Object.keys(t.prefixes).find((k) => field.startsWith(k));
    if (key !== undefined) {
      const dest = t.prefixes[key]!;
      names = (Array.isArray(dest) ? dest : [dest]).map((d) => d + field.slice(key.length));
    }
  }
  return names.map((n) => (t.prefix ?? '') + n + (t.suffix ?? ''));
}

/** The string parts after a `replace_regex`; throws StepError when the value cannot be rewritten exactly. */
export function replacedParts(
  t: Extract<Transformation, { type: 'replace_regex' }>,
  pattern: readonly PatternPart[],
  field: string,
): PatternPart[] {
  const re = new RegExp(t.regex, 'g' + (t.flags ?? ''));
  if (t.scope === 'literal')
    return pattern.map((p) => (typeof p === 'string' ? p.replace(re, t.replacement) : p)).filter((p) => p !== '');
  // The value as Sigma text (pySigma's str(): wildcards `*` `?`, literal `*` `?` escaped), rewritten,
  // then read back as Sigma text: `\` before `*` or `?` escapes it, any other `\` is literal.
  const refuse = (why: string): never => {
    throw new StepError(
      conversionError('C029', `${field}: ${why}`, {
        field,
        hint: 'rewrite only the literal text (pySigma: skip_special: true), or write the value without it',
      }),
    );
  };
  let text = '';
  for (const p of pattern) {
    if (typeof p === 'string') text += p.replace(/[*?]/g, (c) => '\\' + c);
    else if ('wildcard' in p) {
      if (text.endsWith('\\'))
        refuse(
          "a backslash before a wildcard: in the value's text form it reads as an escaped (literal) * or ?, so the rewrite would change the wildcard",
        );
      text += p.wildcard === 'multi' ? '*' : '?';
    } else
      refuse(
        `a value with ${'anyOf' in p ? 'character classes (windash)' : 'placeholders'} cannot be rewritten as text`,
      );
  }
  const out = text.replace(re, t.replacement);
  const parts: PatternPart[] = [];
  for (let i = 0; i < out.length; i++) {
    const c = out[i]!;
    if (c === '\\' && (out[i + 1] === '*' || out[i + 1] === '?')) parts.push(out[++i]!);
    else if (c === '*') parts.push({ wildcard: 'multi' });
    else if (c === '?') parts.push({ wildcard: 'single' });
    else parts.push(c);
  }
  return mergeAdjacentText(parts);
}

export function applyTransformation(t: Transformation, p: Tri, result: ProcessedRule, spec: PipelineSpec): Tri {
  if (typeof p === 'boolean') return p;
  switch (t.type) {
    case 'field_map':
      return mapTri(p, (leaf) => renameLeaf(leaf, t.map, result.fieldMap));
    case 'field_template': {
      const except = new Set(t.except ?? []);
      const mapped = new Set(Object.values(result.fieldMap).flat());
      return mapTri(p, (leaf) => {
        const map: Record<string, string> = {};
        for (const f of predicateFields(leaf))
          if (!except.has(f) && !mapped.has(f)) map[f] = t.template.replace('{field}', f);
        return renameLeaf(leaf, map, result.fieldMap);
      });
    }
    case 'field_rename':
      return mapTri(p, (leaf) => {
        const map: Record<string, string[]> = {};
        for (const f of predicateFields(leaf)) if (inScope(t, f)) map[f] = renamedField(t, f);
        return renameLeaf(leaf, map, result.fieldMap);
      });
    case 'replace_regex':
      return mapTri(p, (leaf) =>
        leaf.kind === 'string' && leaf.field !== null && inScope(t, leaf.field)
          ? { ...leaf, pattern: mergeAdjacentText(replacedParts(t, leaf.pattern, leaf.field)) }
          : leaf,
      );
    case 'add_condition':
      result.filters.push(conditionMapToPredicate(t.conditions, t.ignore_case !== true));
      return p;
    case 'replace_prefix': {
      const fields = new Set(t.fields);
      return mapTri(p, (leaf) =>
        leaf.kind === 'string' && leaf.field !== null && fields.has(leaf.field)
          ? replacePrefixLeaf(leaf, t.replacements)
          : leaf,
      );
    }
    case 'split_hashes':
      return mapTri(p, (leaf) => splitHashesLeaf(leaf, t.field, t.columns));
    case 'split_domain_user':
      return mapTri(p, (leaf) => splitDomainLeaf(leaf, t.field, t.domain, t.user));
    case 'path_to_name':
      return mapTri(p, (leaf) => pathToNameLeaf(leaf, t.field, t.column));
    case 'value_map':
      return mapTri(p, (leaf) => valueMapLeaf(leaf, t.field, t.column, t.values));
    case 'expand_placeholders': {
      const vars = { ...(spec.vars ?? {}), ...(t.vars ?? {}) };
      return mapTri(p, (leaf) => expandLeaf(leaf, vars));
    }
    case 'drop_fields': {
      const fields = new Set(t.fields);
      const dropped = new Set<string>();
      const r = mapTri(p, (leaf) => {
        const fs = [...predicateFields(leaf)];
        if (fs.some((f) => fields.has(f))) {
          fs.forEach((f) => fields.has(f) && dropped.add(f));
          return true;
        }
        return leaf;
      });
      if (dropped.size)
        result.warnings.push(
          conversionWarning('C101', `${spec.name}: conditions on ${[...dropped].join(', ')} are ignored`),
        );
      return r;
    }
    case 'fail': {
      // Read on the rule as written: a value map may already have turned EventID into a column.
      if (t.eventIdRequired) {
        if (ruleEventIds(result.rule) === undefined)
          throw new StepError(
            conversionError('C004', `${spec.name}: the detection does not restrict EventID: ${t.reason}`, {
              field: 'EventID',
            }),
          );
        if (!t.fields && !t.except && !t.keywords) return p;
      }
      if (t.keywords) {
        let keyword = false;
        forEachLeaf(p, (leaf) => {
          if (leaf.field === null) keyword = true;
        });
        if (keyword) throw new StepError(conversionError('C004', `${spec.name}: keyword search: ${t.reason}`));
        if (!t.fields && !t.except) return p;
      }
      if (t.except) {
        const allowed = new Set(t.except);
        const hit = [...predicateFields(p)].find((f) => !allowed.has(f));
        if (hit)
          throw new StepError(conversionError('C004', `${spec.name}: field ${hit}: ${t.reason}`, { field: hit }));
        if (!t.fields) return p;
      }
      if (!t.fields) throw new StepError(conversionError('C004', `${spec.name}: ${t.reason}`));
      const used = t.values ? comparedWith(p, new Set(t.fields), t.values) : predicateFields(p);
      const hit = t.fields.find((f) => used.has(f));
      if (hit) throw new StepError(conversionError('C004', `${spec.name}: field ${hit}: ${t.reason}`, { field: hit }));
      return p;
    }
    case 'set_state':
      Object.assign(result.state, t.state);
      return p;
  }
}
