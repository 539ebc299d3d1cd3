/**
 * pySigma processing pipelines (`name`, `priority`, `vars`, `transformations:` with `type`,
 * `rule_conditions`, `field_name_conditions`…) read into a Sigil `PipelineSpec`, for teams that
 * already have them. The commonly used transformations and conditions are imported with
 * pySigma's meaning (sigma/processing/transformations/*.py, conditions/*.py); anything else is
 * an error naming it at its file:line:col (C030 transformation, C031 condition or option), never
 * dropped. Transformations that only edit a rule's `fields:` list are ignored with a warning
 * (C111): the queries do not depend on them. The supported subset: docs/pipelines/pysigma.md.
 */
import { isMap, isNode, isSeq, type Document, type LineCounter } from 'yaml';
import type { Diagnostic } from '../diagnostics.js';
import { stateProblems } from '../backends/state.js';
import type { ConditionMap, LogsourceMatch, PipelineSpec, Scalar, Transformation, When } from './types.js';

/** Keys only a pySigma pipeline has (Sigil's own format has none of them). */
const PYSIGMA_TOP = ['priority', 'postprocessing', 'finalizers', 'allowed_backends'];
const PYSIGMA_ITEM = [
  'id',
  'rule_conditions',
  'rule_cond_op',
  'rule_cond_not',
  'rule_cond_expr',
  'detection_item_conditions',
  'detection_item_cond_op',
  'detection_item_cond_not',
  'field_name_conditions',
  'field_name_cond_op',
  'field_name_cond_not',
];
/** Transformation types of pySigma that Sigil's format does not use (add_condition and set_state are in both). */
const PYSIGMA_TYPES = new Set([
  'field_name_mapping',
  'field_name_prefix_mapping',
  'field_name_transform',
  'drop_detection_item',
  'hashes_fields',
  'field_name_suffix',
  'field_name_prefix',
  'wildcard_placeholders',
  'value_placeholders',
  'query_expression_placeholders',
  'change_logsource',
  'add_field',
  'remove_field',
  'set_field',
  'replace_string',
  'map_string',
  'regex',
  'set_value',
  'convert_type',
  'rule_failure',
  'detection_item_failure',
  'strict_field_mapping_failure',
  'set_custom_attribute',
  'nest',
  'case',
]);

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);

/** Whether parsed pipeline YAML is in pySigma's format. */
export function isPySigmaPipeline(data: unknown): boolean {
  if (!isObj(data)) return false;
  if (PYSIGMA_TOP.some((k) => Object.hasOwn(data, k))) return true;
  const items = Array.isArray(data['transformations']) ? (data['transformations'] as unknown[]) : [];
  return items.some(
    (t) =>
      isObj(t) &&
      ((typeof t['type'] === 'string' && PYSIGMA_TYPES.has(t['type'])) ||
        PYSIGMA_ITEM.some((k) => Object.hasOwn(t, k)) ||
        (t['type'] === 'set_state' && Object.hasOwn(t, 'key'))),
  );
}

class ImportError extends Error {
  constructor(
    readonly code: 'C030' | 'C031',
    message: string,
    readonly path: (string | number)[],
    readonly hint?: string,
  ) {
    super(message);
  }
}

const fail = (code: 'C030' | 'C031', message: string, path: (string | number)[], hint?: string): never => {
  throw new ImportError(code, message, path, hint);
};

function stringList(x: unknown, path: (string | number)[], what: string): string[] {
  const list = Array.isArray(x) ? x : [x];
  if (!list.length || list.some((v) => typeof v !== 'string'))
    fail('C031', `${what} must be a string or a list of strings`, path);
  return list as string[];
}

/** `rule_conditions` (logsource only) → `when.logsource`. */
/**
 * `when` of the imported rule-level items (add_condition, set_state, rule_failure) by id: such an
 * item applies exactly when its rule conditions hold, so `processing_item_applied` naming it
 * stands for those conditions.
 */
type Applied = Map<string, LogsourceMatch | undefined>;

function ruleWhen(t: Obj, path: (string | number)[], applied: Applied): When | undefined {
  if (t['rule_cond_not'] === true) fail('C031', 'rule_cond_not is not supported', [...path, 'rule_cond_not']);
  if (Object.hasOwn(t, 'rule_cond_expr'))
    fail(
      'C031',
      'rule_cond_expr is not supported',
      [...path, 'rule_cond_expr'],
      'list the conditions with rule_cond_op',
    );
  const op = t['rule_cond_op'] ?? 'and';
  if (op !== 'and' && op !== 'or')
    fail('C031', `rule_cond_op must be and or or, not ${JSON.stringify(op)}`, [...path, 'rule_cond_op']);
  const raw = t['rule_conditions'];
  if (raw === undefined) return undefined;
  if (!Array.isArray(raw)) fail('C031', 'rule_conditions must be a list', [...path, 'rule_conditions']);
  const matches: LogsourceMatch[] = (raw as unknown[]).map((c, i) => {
    const at = [...path, 'rule_conditions', i];
    if (!isObj(c)) return fail('C031', 'a rule condition must be a map', at);
    if (c['type'] === 'processing_item_applied') {
      const id = c['processing_item_id'];
      if (op !== 'and') fail('C031', 'processing_item_applied is supported with rule_cond_op and only', at);
      if (typeof id !== 'string' || !applied.has(id))
        fail(
          'C031',
          `processing_item_applied: '${String(id)}' is not an earlier add_condition, set_state or rule_failure item`,
          [...at, 'processing_item_id'],
          'Sigil follows rule-level items only (they apply exactly when their rule conditions hold)',
        );
      return applied.get(id as string) ?? {};
    }
    if (c['type'] !== 'logsource')
      return fail(
        'C031',
        `rule condition type '${String(c['type'])}' is not supported (only logsource)`,
        [...at, 'type'],
        'Sigil imports logsource rule conditions; express the others with a Sigil pipeline (docs/pipelines/README.md)',
      );
    const m: LogsourceMatch = {};
    for (const [k, v] of Object.entries(c)) {
      if (k === 'type') continue;
      if (k !== 'category' && k !== 'product' && k !== 'service')
        fail('C031', `logsource condition key '${k}' is not supported`, [...at, k]);
      if (typeof v !== 'string') fail('C031', `logsource condition ${k} must be a string`, [...at, k]);
      m[k as keyof LogsourceMatch] = v as string;
    }
    return m;
  });
  if (!matches.length) return undefined;
  if (op === 'or') return { logsource: matches };
  // and: one logsource that has every key given (conflicting values never match).
  const merged: LogsourceMatch = {};
  matches.forEach((m, i) => {
    for (const [k, v] of Object.entries(m) as [keyof LogsourceMatch, string][]) {
      if (merged[k] !== undefined && merged[k] !== v)
        fail('C031', `rule conditions AND-ed with different ${k} values can never hold`, [
          ...path,
          'rule_conditions',
          i,
          k,
        ]);
      merged[k] = v;
    }
  });
  return { logsource: merged };
}

/** `field_name_conditions` → the fields in scope (include / exclude, plain names). */
function fieldScope(t: Obj, path: (string | number)[]): { fields?: string[]; except?: string[] } {
  if (t['field_name_cond_not'] === true)
    fail('C031', 'field_name_cond_not is not supported', [...path, 'field_name_cond_not']);
  const raw = t['field_name_conditions'];
  if (raw === undefined) return {};
  if (!Array.isArray(raw) || raw.length !== 1)
    return fail('C031', 'only one field name condition per transformation is supported', [
      ...path,
      'field_name_conditions',
    ]);
  const c: unknown = raw[0];
  const at = [...path, 'field_name_conditions', 0];
  if (!isObj(c)) return fail('C031', 'a field name condition must be a map', at);
  const kind = c['type'];
  if (kind !== 'include_fields' && kind !== 'exclude_fields')
    return fail(
      'C031',
      `field name condition type '${String(kind)}' is not supported (include_fields, exclude_fields)`,
      [...at, 'type'],
    );
  for (const k of Object.keys(c))
    if (k !== 'type' && k !== 'fields') fail('C031', `field name condition option '${k}' is not supported`, [...at, k]);
  const fields = stringList(c['fields'], [...at, 'fields'], 'fields');
  return kind === 'include_fields' ? { fields } : { except: fields };
}

/** Python `re.sub` replacement → JavaScript's (`\1`, `\g<1>`, `\g<name>`; `$` literal). */
function jsReplacement(py: string, path: (string | number)[]): string {
  return py.replace(/\$|\\(g<(\w+)>|\d{1,2}|\\|.)/gs, (m, esc: string | undefined, name: string | undefined) => {
    if (m === '$') return '$$';
    if (name !== undefined) return /^\d+$/.test(name) ? `$${name}` : `$<${name}>`;
    if (esc !== undefined && /^\d+$/.test(esc)) return `$${esc}`;
    if (esc === '\\') return '\\';
    const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r' };
    if (esc !== undefined && Object.hasOwn(simple, esc)) return simple[esc]!;
    return fail('C031', `replacement escape ${m} is not supported`, [...path, 'replacement']);
  });
}

/** Python regex → JavaScript regex source and flags, refusing syntax whose meaning differs. */
function jsRegex(py: string, path: (string | number)[]): { source: string; flags: string } {
  let source = py;
  let flags = '';
  const lead = /^\(\?([aiLmsux]+)\)/.exec(source);
  if (lead) {
    for (const f of lead[1]!) {
      if (f === 'i' || f === 'm' || f === 's') flags += f;
      else fail('C031', `regex flag (?${f}) is not supported`, [...path, 'regex']);
    }
    source = source.slice(lead[0].length);
  }
  if (/\(\?P|\(\?#|\\[AZz]|\(\?[aiLmsux-]+[:)]/.test(source))
    fail(
      'C031',
      `regex ${JSON.stringify(py)} uses Python-only syntax`,
      [...path, 'regex'],
      'write it without (?P…), \\A, \\Z or inline flags after the start',
    );
  try {
    new RegExp(source, flags + 'u');
  } catch (e) {
    fail('C031', `regex ${JSON.stringify(py)} is not valid: ${(e as Error).message}`, [...path, 'regex']);
  }
  return { source, flags };
}

function rejectDetectionItemConditions(t: Obj, path: (string | number)[]): void {
  for (const k of ['detection_item_conditions', 'detection_item_cond_not', 'detection_item_cond_op'])
    if (Object.hasOwn(t, k)) fail('C031', `${k} is not supported`, [...path, k]);
}

function scalarConditions(raw: unknown, path: (string | number)[]): ConditionMap {
  if (!isObj(raw)) return fail('C031', 'conditions must be a map of field → value(s)', path);
  const out: ConditionMap = {};
  for (const [k, v] of Object.entries(raw)) {
    const [field, ...mods] = k.split('|');
    if (mods.some((m) => !['contains', 'startswith', 'endswith'].includes(m)))
      fail('C031', `condition ${k}: only the contains, startswith and endswith modifiers are supported`, [...path, k]);
    const values = Array.isArray(v) ? (v as unknown[]) : [v];
    // pySigma reads string values as Sigma strings: a leading / trailing `*` is a wildcard.
    const shapes = new Set<string>();
    const plain: Scalar[] = values.map((x) => {
      if (typeof x !== 'string' && typeof x !== 'number' && typeof x !== 'boolean')
        return fail('C031', `condition ${k}: only strings, numbers and booleans are supported`, [...path, k]);
      if (typeof x !== 'string') return x;
      if (/\\[\\*?]|\?|.\*./s.test(x) || (mods.length && /\*/.test(x)))
        fail(
          'C031',
          `condition ${k}: the value ${JSON.stringify(x)} has wildcards or escapes inside it`,
          [...path, k],
          'Sigil imports condition values with at most a leading or trailing * (no ?, no escapes)',
        );
      if (x === '*') fail('C031', `condition ${k}: a bare * is not supported`, [...path, k]);
      const lead = x.startsWith('*');
      const trail = x.length > 1 && x.endsWith('*');
      shapes.add(lead && trail ? 'contains' : lead ? 'endswith' : trail ? 'startswith' : '');
      return x.slice(lead ? 1 : 0, trail ? -1 : undefined);
    });
    if (shapes.size > 1)
      fail('C031', `condition ${k}: values with different wildcard positions are not supported`, [...path, k]);
    const shape = [...shapes][0] ?? '';
    const key = [field!, ...mods, ...(shape ? [shape] : [])].join('|');
    out[key] = Array.isArray(v) ? plain : plain[0]!;
  }
  return out;
}

/** One pySigma transformation → Sigil transformations (none: ignored, with a warning). */
function importTransformation(
  t: Obj,
  path: (string | number)[],
  applied: Applied,
  warn: (m: string, p: (string | number)[]) => void,
): Transformation[] {
  const type = t['type'];
  if (typeof type !== 'string') return fail('C031', 'a transformation needs a type', path);
  const when = ruleWhen(t, path, applied);
  // A rule-level item: later items may name it in processing_item_applied.
  if (typeof t['id'] === 'string' && ['add_condition', 'set_state', 'rule_failure'].includes(type)) {
    const ls = when?.logsource;
    if (!Array.isArray(ls)) applied.set(t['id'], ls);
  }
  const w = when ? { when } : {};
  const at = (k: string): (string | number)[] => [...path, k];
  const known = new Set([
    'id',
    'type',
    'rule_conditions',
    'rule_cond_op',
    'rule_cond_not',
    'field_name_conditions',
    'field_name_cond_not',
  ]);
  const only = (...keys: string[]): void => {
    for (const k of Object.keys(t))
      if (!known.has(k) && !keys.includes(k)) fail('C031', `${type}: option '${k}' is not supported`, at(k));
  };
  switch (type) {
    case 'field_name_mapping': {
      rejectDetectionItemConditions(t, path);
      only('mapping');
      const mapping = t['mapping'];
      if (!isObj(mapping)) return fail('C031', 'field_name_mapping needs a mapping', at('mapping'));
      const scope = fieldScope(t, path);
      const map: Record<string, string | string[]> = {};
      for (const [k, v] of Object.entries(mapping)) {
        const list = stringList(v, [...at('mapping'), k], `mapping of ${k}`);
        if (scope.fields && !scope.fields.includes(k)) continue;
        if (scope.except?.includes(k)) continue;
        map[k] = list.length === 1 ? list[0]! : list;
      }
      return [{ type: 'field_map', ...w, map }];
    }
    case 'field_name_prefix_mapping':
    case 'field_name_prefix':
    case 'field_name_suffix': {
      rejectDetectionItemConditions(t, path);
      const scope = fieldScope(t, path);
      const s = {
        ...(scope.fields ? { fields: scope.fields } : {}),
        ...(scope.except ? { except: scope.except } : {}),
      };
      if (type === 'field_name_prefix_mapping') {
        only('mapping');
        const mapping = t['mapping'];
        if (!isObj(mapping)) return fail('C031', 'field_name_prefix_mapping needs a mapping', at('mapping'));
        const prefixes: Record<string, string | string[]> = {};
        for (const [k, v] of Object.entries(mapping)) {
          const list = stringList(v, [...at('mapping'), k], `mapping of ${k}`);
          prefixes[k] = list.length === 1 ? list[0]! : list;
        }
        return [{ type: 'field_rename', ...w, prefixes, ...s }];
      }
      const key = type === 'field_name_prefix' ? 'prefix' : 'suffix';
      only(key);
      if (typeof t[key] !== 'string') return fail('C031', `${type} needs a ${key}`, at(key));
      return [{ type: 'field_rename', ...w, [key]: t[key], ...s }];
    }
    case 'drop_detection_item': {
      rejectDetectionItemConditions(t, path);
      only();
      const scope = fieldScope(t, path);
      if (!scope.fields)
        return fail(
          'C031',
          'drop_detection_item is imported with an include_fields condition (plain names) only',
          at('field_name_conditions'),
        );
      return [{ type: 'drop_fields', ...w, fields: scope.fields }];
    }
    case 'add_condition': {
      only('conditions', 'template', 'negated', 'name');
      if (t['template'] === true) fail('C031', 'add_condition: template is not supported', at('template'));
      if (t['negated'] === true) fail('C031', 'add_condition: negated is not supported', at('negated'));
      // pySigma reads the values as Sigma strings: compared case-insensitively.
      return [
        {
          type: 'add_condition',
          ...w,
          conditions: scalarConditions(t['conditions'], at('conditions')),
          ignore_case: true,
        },
      ];
    }
    case 'replace_string': {
      rejectDetectionItemConditions(t, path);
      only('regex', 'replacement', 'skip_special', 'interpret_special');
      if (t['interpret_special'] === true)
        fail('C031', 'replace_string: interpret_special is not supported', at('interpret_special'));
      if (typeof t['regex'] !== 'string') return fail('C031', 'replace_string needs a regex', at('regex'));
      if (typeof t['replacement'] !== 'string')
        return fail('C031', 'replace_string needs a replacement', at('replacement'));
      const scope = fieldScope(t, path);
      const re = jsRegex(t['regex'], path);
      return [
        {
          type: 'replace_regex',
          ...w,
          regex: re.source,
          ...(re.flags ? { flags: re.flags } : {}),
          replacement: jsReplacement(t['replacement'], path),
          scope: t['skip_special'] === true ? 'literal' : 'value',
          ...(scope.fields ? { fields: scope.fields } : {}),
          ...(scope.except ? { except: scope.except } : {}),
        },
      ];
    }
    case 'value_placeholders': {
      rejectDetectionItemConditions(t, path);
      only();
      if (Object.hasOwn(t, 'field_name_conditions'))
        fail('C031', 'value_placeholders: field name conditions are not supported', at('field_name_conditions'));
      return [{ type: 'expand_placeholders', ...w }];
    }
    case 'set_state': {
      only('key', 'val');
      if (typeof t['key'] !== 'string') return fail('C031', 'set_state needs a key', at('key'));
      const state = { [t['key']]: t['val'] };
      const problem = stateProblems(state)[0];
      if (problem)
        fail(
          'C031',
          `set_state: ${problem.message}`,
          at(problem.unknownKey ? 'key' : 'val'),
          'Sigil backends declare the state they read (docs/pipelines/README.md)',
        );
      return [{ type: 'set_state', ...w, state } as Transformation];
    }
    case 'rule_failure': {
      only('message');
      if (Object.hasOwn(t, 'field_name_conditions'))
        fail('C031', 'rule_failure: field name conditions are not supported', at('field_name_conditions'));
      rejectDetectionItemConditions(t, path);
      return [{ type: 'fail', ...w, reason: typeof t['message'] === 'string' ? t['message'] : 'rule_failure' }];
    }
    case 'detection_item_failure': {
      rejectDetectionItemConditions(t, path);
      only('message');
      const scope = fieldScope(t, path);
      if (!scope.fields && scope.except)
        fail(
          'C031',
          'detection_item_failure is imported with an include_fields condition (plain names) or none',
          at('field_name_conditions'),
        );
      const reason = typeof t['message'] === 'string' ? t['message'] : 'detection_item_failure';
      return [{ type: 'fail', ...w, reason, ...(scope.fields ? { fields: scope.fields } : {}) }];
    }
    case 'add_field':
    case 'remove_field':
    case 'set_field':
      warn(`${type} only edits the rule's fields: list, which Sigil's queries do not use; ignored`, path);
      return [];
    default:
      return fail(
        'C030',
        `pySigma transformation '${type}' is not supported`,
        at('type'),
        'see docs/pipelines/pysigma.md for the transformations Sigil imports; rewrite this one as a Sigil pipeline (docs/pipelines/README.md)',
      );
  }
}

/** Reads a pySigma pipeline (already parsed YAML) into a Sigil spec, or located diagnostics. */
export function importPySigmaPipeline(
  doc: Document.Parsed,
  data: unknown,
  lineCounter: LineCounter,
  file?: string,
): { spec?: PipelineSpec; diagnostics: Diagnostic[] } {
  const locate = (path: (string | number)[]): { line: number; column: number } => {
    // The deepest node of the path that exists.
    for (let n = path.length; n >= 0; n--) {
      const node = doc.getIn(path.slice(0, n), true);
      const key = n > 0 && isMap(doc.getIn(path.slice(0, n - 1), true)) ? findKey(doc, path.slice(0, n)) : undefined;
      const target = key ?? node;
      if (isNode(target) && target.range) {
        const p = lineCounter.linePos(target.range[0]);
        return { line: p.line, column: p.col };
      }
    }
    return { line: 1, column: 1 };
  };
  const diagnostic = (
    code: 'C030' | 'C031' | 'C111',
    message: string,
    path: (string | number)[],
    hint?: string,
  ): Diagnostic => {
    const d: Diagnostic = { code, severity: code === 'C111' ? 'warning' : 'error', message, ...locate(path) };
    if (file !== undefined) d.file = file;
    if (hint) d.hint = hint;
    return d;
  };
  const diagnostics: Diagnostic[] = [];
  if (!isObj(data)) return { diagnostics: [diagnostic('C031', 'a pySigma pipeline is a map', [])] };
  for (const k of ['postprocessing', 'finalizers'])
    if (Object.hasOwn(data, k))
      diagnostics.push(
        diagnostic(
          'C031',
          `pySigma ${k} are not supported (they change the query text after conversion)`,
          [k],
          'remove them; Sigil formats its outputs itself (--format)',
        ),
      );
  for (const k of Object.keys(data))
    if (
      !['name', 'priority', 'vars', 'transformations', 'postprocessing', 'finalizers', 'allowed_backends'].includes(k)
    )
      diagnostics.push(diagnostic('C031', `pySigma pipeline key '${k}' is not supported`, [k]));
  const vars: Record<string, string[]> = {};
  if (data['vars'] !== undefined) {
    if (!isObj(data['vars'])) diagnostics.push(diagnostic('C031', 'vars must be a map', ['vars']));
    else
      for (const [k, v] of Object.entries(data['vars'])) {
        const list = Array.isArray(v) ? v : [v];
        if (list.some((x) => typeof x !== 'string' && typeof x !== 'number'))
          diagnostics.push(diagnostic('C031', `vars ${k}: only strings and numbers are supported`, ['vars', k]));
        else vars[k] = list.map(String);
      }
  }
  const transformations: Transformation[] = [];
  const applied: Applied = new Map();
  const items = data['transformations'] ?? [];
  if (!Array.isArray(items))
    diagnostics.push(diagnostic('C031', 'transformations must be a list', ['transformations']));
  else
    items.forEach((t, i) => {
      const path = ['transformations', i];
      try {
        if (!isObj(t)) fail('C031', 'a transformation must be a map', path);
        transformations.push(
          ...importTransformation(t as Obj, path, applied, (m, p) =>
            diagnostics.push(diagnostic('C111', m, [...p, 'type'])),
          ),
        );
      } catch (e) {
        if (!(e instanceof ImportError)) throw e;
        diagnostics.push(
          diagnostic(
            e.code,
            `transformation ${i + 1}${isObj(t) && typeof t['id'] === 'string' ? ` (${t['id']})` : ''}: ${e.message}`,
            e.path,
            e.hint,
          ),
        );
      }
    });
  if (diagnostics.some((d) => d.severity === 'error')) return { diagnostics };
  const name = typeof data['name'] === 'string' && data['name'] ? data['name'] : (file ?? 'pysigma-pipeline');
  const spec: PipelineSpec = {
    name,
    description: `pySigma pipeline ${name}${file ? ` (${file})` : ''}, imported`,
    ...(Object.keys(vars).length ? { vars } : {}),
    transformations,
  };
  return { spec, diagnostics };
}

/** The key node of a map entry at `path` (to point at `type:` rather than its value). */
function findKey(doc: Document.Parsed, path: (string | number)[]): unknown {
  const parent = doc.getIn(path.slice(0, -1), true);
  const last = path[path.length - 1];
  if (!isMap(parent)) return isSeq(parent) ? parent.items[last as number] : undefined;
  const pair = parent.items.find((p) => isNode(p.key) && (p.key as { value?: unknown }).value === last);
  return pair?.key;
}
