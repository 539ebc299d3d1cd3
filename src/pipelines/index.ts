/**
 * The pipeline engine: runs pipelines (data, see types.ts) in order on a rule's lowered
 * detection and logsource, giving a `ProcessedRule` for a backend. Never throws for a rule:
 * what a pipeline cannot express becomes a per-rule `ConversionError`.
 */
import type { SigmaRule } from '../ast/types.js';
import {
  LoweringError,
  and,
  lowerDetection,
  not,
  or,
  predicateFields,
  type PatternPart,
  type Predicate,
} from '../ast/semantics.js';
import { conversionError, conversionWarning } from '../backends/diagnostics.js';
import type { ConversionError } from '../backends/types.js';
import type { ConditionMap, PipelineSpec, ProcessedRule, Scalar, Transformation } from './types.js';
import { BUILTIN_PIPELINES } from './builtin/index.js';
import { logsourceMatches, whenHolds } from './match.js';

export { logsourceMatches, whenHolds } from './match.js';

export type * from './types.js';
export { applyPipelineToRule } from './ast-transform.js';
export { loadPipelineSpec, validatePipelineSpec } from './load.js';

// ---------------------------------------------------------------------------
// Registry

const registry = new Map<string, PipelineSpec>();
let generation = 0;

export function registerPipeline(spec: PipelineSpec): void {
  registry.set(spec.name, spec);
  generation++;
}

export function getPipeline(name: string): PipelineSpec | undefined {
  return registry.get(name);
}

export function listPipelines(): PipelineSpec[] {
  return [...registry.values()];
}

/** Bumped on every registration (lets derived tables such as field-tables.ts cache safely). */
export function registryGeneration(): number {
  return generation;
}

for (const p of BUILTIN_PIPELINES) registerPipeline(p);

// ---------------------------------------------------------------------------
// Added conditions

const CONDITION_MODIFIERS = new Set(['contains', 'startswith', 'endswith', 'cased']);

/**
 * Lowers a condition map (`{ "Field|mod": value(s) }`) to a predicate. Pipeline values are
 * vendor constants (ActionType names, channel names): they compare exactly (case-sensitive).
 */
export function conditionMapToPredicate(map: ConditionMap): Predicate {
  const items: Predicate[] = [];
  for (const [key, raw] of Object.entries(map)) {
    const [field, ...mods] = key.split('|');
    for (const m of mods)
      if (!CONDITION_MODIFIERS.has(m)) throw new Error(`pipeline condition '${key}': modifier '${m}' is not allowed`);
    const values: Scalar[] = Array.isArray(raw) ? raw : [raw];
    const cased = true;
    const alts = values.map((v): Predicate => {
      if (typeof v === 'number') return { kind: 'number', field: field!, op: 'eq', value: v, raw: String(v) };
      if (typeof v === 'boolean') return { kind: 'boolean', field: field!, value: v };
      const pattern: PatternPart[] = [];
      if (mods.includes('contains') || mods.includes('endswith')) pattern.push({ wildcard: 'multi' });
      if (v !== '') pattern.push(v);
      if (mods.includes('contains') || mods.includes('startswith')) pattern.push({ wildcard: 'multi' });
      return { kind: 'string', field: field!, pattern, cased };
    });
    items.push(or(alts));
  }
  return and(items);
}

// ---------------------------------------------------------------------------
// Transformations on predicates

/** Maps every leaf; a leaf may become `true` (dropped) or stay a predicate. */
type Tri = Predicate | boolean;

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
class StepError extends Error {
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

function replacePrefixes(pattern: PatternPart[], reps: { prefix: string; with: string }[]): PatternPart[] {
  return pattern.map((part, i) => {
    if (typeof part !== 'string') return part;
    const prev = i === 0 ? undefined : pattern[i - 1];
    const atStart =
      i === 0 || (prev !== undefined && typeof prev !== 'string' && 'wildcard' in prev && prev.wildcard === 'multi');
    if (!atStart) return part;
    for (const r of reps)
      if (part.toLowerCase().startsWith(r.prefix.toLowerCase())) return r.with + part.slice(r.prefix.length);
    return part;
  });
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

function valueMapLeaf(p: Predicate, field: string, column: string, values: Record<string, Scalar[]>): Predicate {
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
  return conditionMapToPredicate({ [column]: values[key]! });
}

function expandLeaf(p: Predicate, vars: Record<string, string[]>): Predicate {
  if (p.kind !== 'string' || !p.pattern.some((x) => typeof x !== 'string' && 'placeholder' in x)) return p;
  let alts: PatternPart[][] = [[]];
  for (const part of p.pattern) {
    if (typeof part !== 'string' && 'placeholder' in part) {
      const values = Object.hasOwn(vars, part.placeholder) ? vars[part.placeholder] : undefined;
      if (!values) {
        alts = alts.map((a) => [...a, part]);
        continue;
      }
      alts = alts.flatMap((a) => values.map((v) => [...a, v]));
    } else alts = alts.map((a) => [...a, part]);
  }
  return or(alts.map((pattern) => ({ ...p, pattern: mergeParts(pattern) })));
}

function mergeParts(parts: PatternPart[]): PatternPart[] {
  const out: PatternPart[] = [];
  for (const x of parts) {
    const last = out[out.length - 1];
    if (typeof x === 'string') {
      if (!x) continue;
      if (typeof last === 'string') out[out.length - 1] = last + x;
      else out.push(x);
    } else out.push(x);
  }
  return out;
}

function placeholdersIn(p: Predicate, out: Set<string> = new Set()): Set<string> {
  switch (p.kind) {
    case 'and':
    case 'or':
      for (const i of p.items) placeholdersIn(i, out);
      break;
    case 'not':
      placeholdersIn(p.item, out);
      break;
    case 'string':
      for (const x of p.pattern) if (typeof x !== 'string' && 'placeholder' in x) out.add(x.placeholder);
      break;
    default:
  }
  return out;
}

// ---------------------------------------------------------------------------
// The engine

/** Resolves pipeline names to specs; unknown names are returned separately. */
export function resolvePipelines(names: readonly (string | PipelineSpec)[]): {
  specs: PipelineSpec[];
  unknown: string[];
} {
  const specs: PipelineSpec[] = [];
  const unknown: string[] = [];
  for (const n of names) {
    if (typeof n !== 'string') specs.push(n);
    else {
      const s = registry.get(n);
      if (s) specs.push(s);
      else unknown.push(n);
    }
  }
  return { specs, unknown };
}

/** Runs the pipelines in order on a rule. */
export function processRule(rule: SigmaRule, pipelines: readonly PipelineSpec[]): ProcessedRule {
  const result: ProcessedRule = {
    rule,
    predicate: { kind: 'and', items: [] },
    filters: [],
    extend: {},
    fieldMap: {},
    state: {},
    pipelines: pipelines.map((p) => p.name),
    errors: [],
    warnings: [],
  };
  const at = rule.detection.loc ? { loc: rule.detection.loc } : {};
  let pred: Predicate;
  try {
    pred = lowerDetection(rule.detection);
  } catch (e) {
    if (!(e instanceof LoweringError)) throw e;
    result.errors.push(conversionError('C006', e.message, at));
    return result;
  }
  const ls = rule.logsource;
  let detection: Tri = pred;
  for (const spec of pipelines) {
    if (result.table === undefined && spec.routes) {
      const route = spec.routes.find((r) => logsourceMatches(r.logsource, ls));
      if (route) {
        result.table = route.table;
        if (route.conditions) result.filters.push(conditionMapToPredicate(route.conditions));
        if (route.extend) Object.assign(result.extend, route.extend);
        if (route.unverified) result.warnings.push(conversionWarning('C103', `${route.table}: ${route.unverified}`));
      }
    }
    for (const t of spec.transformations) {
      if (!whenHolds(t.when, ls, result.table)) continue;
      try {
        detection = applyTransformation(t, detection, result, spec);
        // Added conditions and route filters go through later renames and rewrites too.
        if (t.type !== 'add_condition' && t.type !== 'fail' && t.type !== 'set_state' && t.type !== 'field_template') {
          result.filters = result.filters.map((f) => {
            const r = applyTransformation(t, f, result, spec);
            return typeof r === 'boolean' ? f : r;
          });
        }
      } catch (e) {
        if (!(e instanceof StepError)) throw e;
        result.errors.push({ ...e.error, ...(at.loc && !e.error.loc ? at : {}) });
      }
    }
  }
  if (detection === false) {
    result.errors.push(conversionError('C008', 'after dropping fields, the detection can never match', at));
  } else {
    result.predicate = detection === true ? { kind: 'and', items: [] } : detection;
  }
  const unresolved = [...placeholdersIn(result.predicate)];
  for (const name of unresolved) {
    result.errors.push(
      conversionError(
        'C005',
        `placeholder %${name}% has no value in the pipelines (${result.pipelines.join(', ') || 'none'})`,
        { ...at, hint: `define it under 'vars:' in a pipeline, e.g. vars: { ${name}: [value1, value2] }` },
      ),
    );
  }
  return result;
}

function applyTransformation(t: Transformation, p: Tri, result: ProcessedRule, spec: PipelineSpec): Tri {
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
    case 'add_condition':
      result.filters.push(conditionMapToPredicate(t.conditions));
      return p;
    case 'replace_prefix': {
      const fields = new Set(t.fields);
      return mapTri(p, (leaf) =>
        leaf.kind === 'string' && leaf.field !== null && fields.has(leaf.field)
          ? { ...leaf, pattern: replacePrefixes(leaf.pattern, t.replacements) }
          : leaf,
      );
    }
    case 'split_hashes':
      return mapTri(p, (leaf) => splitHashesLeaf(leaf, t.field, t.columns));
    case 'split_domain_user':
      return mapTri(p, (leaf) => splitDomainLeaf(leaf, t.field, t.domain, t.user));
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
      if (!t.fields) throw new StepError(conversionError('C004', `${spec.name}: ${t.reason}`));
      const used = predicateFields(p);
      const hit = t.fields.find((f) => used.has(f));
      if (hit) throw new StepError(conversionError('C004', `${spec.name}: field ${hit}: ${t.reason}`, { field: hit }));
      return p;
    }
    case 'set_state':
      Object.assign(result.state, t.state);
      return p;
  }
}
