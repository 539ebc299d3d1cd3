/**
 * The Sigma emitter: AST → spec-clean Sigma YAML in SigmaHQ's layout (key order of the
 * rule convention, 4-space indentation, block lists, `|` for multi-line text).
 *
 * A printer of its own (./yaml-print.ts) rather than prettier or the `yaml` package's
 * stringifier: prettier keeps the quoting and indentation of its input instead of producing a
 * convention from data, and building `yaml` Documents cost ~1 ms per rule — most of the
 * corpus-wide budget. Quoting follows YAML 1.2's core schema, the one Sigil's parser resolves
 * with: plain unless YAML needs quotes, then single quotes, double quotes only for control
 * characters.
 */
import { map, numberNode, pair, scalar, seq, text, printYaml, type Node as YamlNode } from './yaml-print.js';
import type {
  Condition,
  CorrelationRule,
  Detection,
  DetectionNode,
  FieldMatch,
  FilterRule,
  JsonValue,
  LogSource,
  Modifier,
  SigmaDocument,
  SigmaRule,
  StringPart,
  Value,
} from '../../ast/types.js';
import { parseSigmaString, printSigmaString } from '../../parser/strings.js';
import { printCondition } from '../../parser/condition-print.js';

/**
 * Top-level key order (sigmahq-rule-convention.md "Structure"; keys the convention does not
 * list — name, taxonomy, license, correlation, filter, scope — are placed where the
 * specification's examples put them). Keys not in this list (custom fields) follow, in
 * document order.
 */
export const CANONICAL_KEY_ORDER: readonly string[] = [
  'title',
  'id',
  'name',
  'related',
  'taxonomy',
  'status',
  'description',
  'license',
  'references',
  'author',
  'date',
  'modified',
  'tags',
  'logsource',
  'detection',
  'correlation',
  'filter',
  'fields',
  'falsepositives',
  'level',
  'scope',
];

/** Modifier spellings the emitter normalises: aliases become the specification's main name. */
export const MODIFIER_ALIASES: Readonly<Partial<Record<Modifier, Modifier>>> = { wide: 'utf16le' };

/** Options for the `yaml` package's printer (used by `sigil fmt`, which edits documents). */
export const YAML_PRINT_OPTIONS = {
  indent: 4,
  indentSeq: true,
  lineWidth: 0,
  singleQuote: true,
  defaultStringType: 'PLAIN',
  defaultKeyType: 'PLAIN',
} as const;

export interface EmitOptions {
  /** Print conditions with `printCondition` (canonical) instead of the text as written. */
  canonicalConditions?: boolean;
}

/** Emits one or more documents; several are separated by `---` lines. */
export function emitSigma(docs: SigmaDocument | readonly SigmaDocument[], options: EmitOptions = {}): string {
  const list = Array.isArray(docs) ? docs : [docs as SigmaDocument];
  return list.map((d) => emitDocument(d, options)).join('---\n');
}

export function emitDocument(doc: SigmaDocument, options: EmitOptions = {}): string {
  return printYaml(documentNode(doc, options));
}

function documentNode(doc: SigmaDocument, options: EmitOptions): YamlNode {
  const entries = new Map<string, YamlNode>();
  const put = (k: string, v: YamlNode | undefined): void => {
    if (v !== undefined) entries.set(k, v);
  };
  const str = (s: string | undefined): YamlNode | undefined => (s === undefined ? undefined : text(s));
  const list = (l: string[] | undefined): YamlNode | undefined => (l === undefined ? undefined : seq(l.map(text)));
  put('title', str(doc.title));
  put('id', str(doc.id));
  put('name', str(doc.name));
  if (doc.related)
    put('related', seq(doc.related.map((r) => map([pair('id', text(r.id)), pair('type', text(r.type))]))));
  put('taxonomy', str(doc.taxonomy));
  put('status', str(doc.status));
  put('description', str(doc.description));
  put('license', str(doc.license));
  put('references', list(doc.references));
  put('author', str(doc.author));
  put('date', str(doc.date));
  put('modified', str(doc.modified));
  put('tags', list(doc.tags));
  if (doc.kind === 'rule') {
    put('logsource', logsourceNode(doc.logsource));
    put('detection', detectionNode((doc as SigmaRule).detection, options));
  } else if (doc.kind === 'correlation') {
    put('correlation', correlationNode(doc));
  } else {
    if (hasLogsource(doc.logsource)) put('logsource', logsourceNode(doc.logsource));
    put('filter', filterNode(doc, options));
  }
  put('fields', list(doc.fields));
  put('falsepositives', list(doc.falsepositives));
  put('level', str(doc.level));
  put('scope', list(doc.scope));
  const root: [string, YamlNode][] = [];
  for (const k of CANONICAL_KEY_ORDER) {
    const v = entries.get(k);
    if (v !== undefined) root.push(pair(k, v));
  }
  for (const [k, v] of Object.entries(doc.custom)) root.push(pair(k, jsonNode(v)));
  return map(root);
}

/** Custom fields: plain JSON data. */
function jsonNode(v: JsonValue): YamlNode {
  if (v === null || typeof v === 'boolean') return scalar(v);
  if (typeof v === 'number') return numberNode(String(v), v);
  if (typeof v === 'string') return text(v);
  if (Array.isArray(v)) return seq(v.map(jsonNode));
  return map(Object.entries(v).map(([k, x]) => pair(k, jsonNode(x))));
}

function hasLogsource(ls: LogSource): boolean {
  return (
    ls.category !== undefined ||
    ls.product !== undefined ||
    ls.service !== undefined ||
    ls.definition !== undefined ||
    ls.custom !== undefined
  );
}

function logsourceNode(ls: LogSource): YamlNode {
  const m: [string, YamlNode][] = [];
  for (const k of ['category', 'product', 'service', 'definition'] as const) {
    const v = ls[k];
    if (v !== undefined) m.push(pair(k, text(v)));
  }
  for (const [k, v] of Object.entries(ls.custom ?? {})) m.push(pair(k, jsonNode(v)));
  return map(m);
}

function detectionNode(det: Detection, options: EmitOptions, m: [string, YamlNode][] = []): YamlNode {
  for (const id of det.identifiers) m.push(pair(id.name, identifierBody(id.node)));
  if (det.timeframe !== undefined) m.push(pair('timeframe', text(det.timeframe)));
  m.push(pair('condition', conditionNode(det, options)));
  return map(m);
}

function filterNode(doc: FilterRule, options: EmitOptions): YamlNode {
  return detectionNode(doc.filter.detection, options, [pair('rules', seq(doc.filter.rules.map(text)))]);
}

/** Key order of the correlation specification's examples. */
function correlationNode(doc: CorrelationRule): YamlNode {
  const c = doc.correlation;
  const m: [string, YamlNode][] = [pair('type', text(c.type)), pair('rules', seq(c.rules.map(text)))];
  if (Object.keys(c.aliases).length) {
    m.push(
      pair(
        'aliases',
        map(
          Object.entries(c.aliases).map(([alias, byRule]) =>
            pair(alias, map(Object.entries(byRule).map(([r, f]) => pair(r, text(f))))),
          ),
        ),
      ),
    );
  }
  if (c.groupBy.length) m.push(pair('group-by', seq(c.groupBy.map(text))));
  if (c.timespan.raw) m.push(pair('timespan', text(c.timespan.raw)));
  if (c.condition) {
    const cond: [string, YamlNode][] = c.condition.comparisons.map((cmp) =>
      pair(cmp.op, numberNode(String(cmp.value), cmp.value)),
    );
    if (c.condition.field !== undefined) cond.push(pair('field', text(c.condition.field)));
    if (c.condition.percentile !== undefined)
      cond.push(pair('percentile', numberNode(String(c.condition.percentile), c.condition.percentile)));
    m.push(pair('condition', map(cond)));
  }
  if (c.generate) m.push(pair('generate', scalar(true)));
  return map(m);
}

function conditionNode(det: Detection, options: EmitOptions): YamlNode {
  // The text as written is kept when it still stands for the conditions (it always does for
  // a parsed rule): authors' parentheses and `any of` spelling are a readability choice.
  const useWritten =
    !options.canonicalConditions && det.conditionText.length === det.conditions.length && det.conditions.length > 0;
  const texts = useWritten ? det.conditionText : det.conditions.map((c: Condition) => printCondition(c));
  return texts.length === 1 ? text(texts[0]!) : seq(texts.map(text));
}

/** A search identifier's body: a map, a list of maps/keywords, or keywords. */
function identifierBody(node: DetectionNode): YamlNode {
  switch (node.type) {
    case 'allOf':
      return matchMap(node.items);
    case 'anyOf':
      return seq(
        node.items.map((item) => {
          if (
            item.type === 'match' &&
            item.field === null &&
            item.modifiers.length === 0 &&
            !item.list &&
            item.values.length === 1
          )
            return valueNode(item.values[0]!, item);
          if (item.type === 'allOf') return matchMap(item.items);
          if (item.type === 'match') return matchMap([item]);
          // A list inside a list has no Sigma spelling; its items are OR-ed like the outer list's.
          return identifierBody(item);
        }),
      );
    case 'match':
      if (node.field === null && node.modifiers.length === 0) return valuesNode(node);
      return matchMap([node]);
  }
}

function matchMap(items: readonly DetectionNode[]): YamlNode {
  const m: [string, YamlNode][] = [];
  for (const item of items) {
    if (item.type !== 'match') {
      // Nested and/or groups inside a map do not come out of the parser; a map cannot hold them.
      m.push(pair('|', identifierBody(item)));
      continue;
    }
    m.push(pair(matchKey(item), valuesNode(item)));
  }
  return map(m);
}

function matchKey(m: FieldMatch): string {
  const mods = m.modifiers.map((x) => MODIFIER_ALIASES[x] ?? x);
  return [m.field ?? '', ...mods].join('|');
}

function valuesNode(m: FieldMatch): YamlNode {
  if (!m.list && m.values.length === 1) return valueNode(m.values[0]!, m);
  return seq(m.values.map((v) => valueNode(v, m)));
}

function valueNode(v: Value, m: FieldMatch): YamlNode {
  switch (v.type) {
    case 'string':
      return text(sigmaStringText(v.parts, v.raw, m.modifiers.includes('expand')));
    case 'number':
      return numberNode(v.raw, v.value);
    case 'boolean':
      return scalar(v.value);
    case 'null':
      return scalar(null);
    case 'regex':
      return text(v.pattern);
    case 'cidr':
      return text(v.raw);
    case 'fieldref':
      return text(v.field);
  }
}

/** The escaped Sigma text of a value: as written when it still denotes the same parts. */
function sigmaStringText(parts: readonly StringPart[], raw: string | undefined, expand: boolean): string {
  // Fast path: text without escapes or wildcards is its own single literal part.
  if (raw !== undefined && !/[\\*?%]/.test(raw)) {
    if (raw === '' ? parts.length === 0 : parts.length === 1 && parts[0] === raw) return raw;
  }
  if (raw !== undefined && samePartList(parseSigmaString(raw, expand), parts)) return raw;
  return printSigmaString(parts, expand);
}

function samePartList(a: readonly StringPart[], b: readonly StringPart[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (typeof x === 'string' || typeof y === 'string') {
      if (x !== y) return false;
    } else if ('wildcard' in x) {
      if (!('wildcard' in y) || x.wildcard !== y.wildcard) return false;
    } else if (!('placeholder' in y) || x.placeholder !== y.placeholder) return false;
  }
  return true;
}
