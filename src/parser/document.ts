/**
 * One YAML document → one Sigma AST document (rule, correlation or filter), with
 * diagnostics gathered rather than thrown.
 */
import type {
  Condition,
  Correlation,
  CorrelationCondition,
  CorrelationRule,
  CorrelationType,
  Detection,
  DetectionNode,
  FieldMatch,
  FilterRule,
  JsonValue,
  Loc,
  LogSource,
  Metadata,
  RelatedRule,
  SigmaDocument,
  SigmaRule,
  Value,
  ComparisonOp,
} from '../ast/types.js';
import { makeDiagnostic, type Diagnostic, type ParseCode, type Severity } from '../diagnostics.js';
import { parseCondition } from './condition/index.js';
import { parseCidr } from './cidr.js';
import { checkModifiers, type ValueKind } from './modifiers.js';
import { parseSigmaString, hasWildcards } from './strings.js';
import { compileSigmaRegex } from './regex.js';
import { BudgetExceeded, LIMITS, toPlain, type LineIndex, type YMap, type YNode, type YScalar } from './yaml-tree.js';
import { closest, truncate } from '../util/text.js';

export interface BuildContext {
  lines: LineIndex;
  text: string;
  diagnostics: Diagnostic[];
  budget: { left: number };
}

const METADATA_KEYS = new Set([
  'title',
  'id',
  'name',
  'related',
  'taxonomy',
  'status',
  'description',
  'license',
  'author',
  'references',
  'date',
  'modified',
  'tags',
  'falsepositives',
  'level',
  'fields',
  'scope',
]);
const STRING_LIST_KEYS = new Set(['references', 'tags', 'falsepositives', 'fields', 'scope']);
/** Value ranges of the time modifiers (sigma-appendix-modifiers.md, "Time Modifiers"). */
const TIME_PART_RANGE = { minute: [0, 59], hour: [0, 23], day: [1, 31], week: [1, 52], month: [1, 12] } as const;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function locOf(ctx: BuildContext, node: YNode): Loc {
  return ctx.lines.loc(node.start);
}

function report(
  ctx: BuildContext,
  code: ParseCode,
  message: string,
  node: YNode | Loc | undefined,
  hint?: string,
  severity?: Severity,
): void {
  const at = node === undefined ? undefined : 'kind' in node ? locOf(ctx, node) : node;
  ctx.diagnostics.push(makeDiagnostic(code, message, at, hint, severity));
}

/** Sets a key from the document as an own property: `__proto__` must not replace the prototype. */
function setOwn<T>(obj: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__')
    Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

function plain(ctx: BuildContext, node: YNode): JsonValue {
  return toPlain(node, ctx.budget) as JsonValue;
}

function describe(node: YNode): string {
  if (node.kind === 'map') return 'a mapping';
  if (node.kind === 'seq') return 'a list';
  if (node.value === null) return 'null';
  return `a ${typeof node.value}`;
}

function keyText(node: YNode): string | null {
  return node.kind === 'scalar' ? node.text : null;
}

/** Reads a scalar as text; numbers and booleans are accepted as their text (YAML wrote them unquoted). */
function scalarString(ctx: BuildContext, key: string, node: YNode): string | undefined {
  if (node.kind === 'scalar' && node.value !== null) return node.text;
  report(ctx, 'P006', `'${key}' must be a string, not ${describe(node)}.`, node, `Write '${key}: some text'.`);
  return undefined;
}

function stringList(ctx: BuildContext, key: string, node: YNode): string[] | undefined {
  if (node.kind === 'scalar' && node.value !== null) {
    report(
      ctx,
      'P006',
      `'${key}' should be a list, not a single string.`,
      node,
      `Write it as a list:\n${key}:\n    - ${truncate(node.text)}`,
      'warning',
    );
    return [node.text];
  }
  if (node.kind !== 'seq') {
    report(
      ctx,
      'P006',
      `'${key}' must be a list of strings, not ${describe(node)}.`,
      node,
      `Write:\n${key}:\n    - item`,
    );
    return undefined;
  }
  const out: string[] = [];
  for (const item of node.items) {
    if (item.kind === 'scalar' && item.value !== null) out.push(item.text);
    else
      report(
        ctx,
        'P006',
        `Each entry of '${key}' must be a string, not ${describe(item)}.`,
        item,
        'Quote the entry or remove it.',
      );
  }
  return out;
}

function checkDate(ctx: BuildContext, key: string, value: string, node: YNode): void {
  const m = DATE_RE.exec(value);
  if (!m) {
    report(
      ctx,
      'P030',
      `'${key}: ${truncate(value)}' is not a date in the form YYYY-MM-DD.`,
      node,
      `Write '${key}: 2024-05-17'.`,
    );
    return;
  }
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const dt = new Date(Date.UTC(y, mo - 1, d));
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== mo - 1 || dt.getUTCDate() !== d) {
    report(ctx, 'P030', `'${key}: ${value}' is not a calendar date.`, node, 'Check the month and day.');
  }
}

function readMetadata(ctx: BuildContext, map: YMap, structural: ReadonlySet<string>): Metadata {
  const meta: Metadata = { custom: {}, keyOrder: [], locs: {} };
  for (const { key, value } of map.entries) {
    const k = keyText(key);
    if (k === null) {
      report(ctx, 'P006', 'Keys must be plain strings.', key);
      continue;
    }
    meta.keyOrder.push(k);
    setOwn(meta.locs, k, locOf(ctx, value));
    if (structural.has(k)) continue;
    if (!METADATA_KEYS.has(k)) {
      setOwn(meta.custom, k, plain(ctx, value));
      continue;
    }
    if (k === 'related') {
      meta.related = readRelated(ctx, value);
    } else if (STRING_LIST_KEYS.has(k)) {
      const list = stringList(ctx, k, value);
      if (list) (meta as unknown as Record<string, unknown>)[k] = list;
    } else {
      const s = scalarString(ctx, k, value);
      if (s === undefined) continue;
      (meta as unknown as Record<string, unknown>)[k] = s;
      if (k === 'date' || k === 'modified') checkDate(ctx, k, s, value);
    }
  }
  return meta;
}

function readRelated(ctx: BuildContext, node: YNode): RelatedRule[] | undefined {
  if (node.kind !== 'seq') {
    report(
      ctx,
      'P006',
      `'related' must be a list of {id, type}, not ${describe(node)}.`,
      node,
      'Write:\nrelated:\n    - id: <uuid>\n      type: derived',
    );
    return undefined;
  }
  const out: RelatedRule[] = [];
  for (const item of node.items) {
    if (item.kind !== 'map') {
      report(
        ctx,
        'P006',
        `Each 'related' entry must be a mapping with id and type, not ${describe(item)}.`,
        item,
        'Write: - id: <uuid>\n  type: derived',
      );
      continue;
    }
    const id = item.entries.find((e) => keyText(e.key) === 'id')?.value;
    const type = item.entries.find((e) => keyText(e.key) === 'type')?.value;
    if (!id || !type || id.kind !== 'scalar' || type.kind !== 'scalar') {
      report(
        ctx,
        'P007',
        "A 'related' entry needs both 'id' and 'type'.",
        item,
        'Write: - id: <uuid>\n  type: derived',
      );
      continue;
    }
    out.push({ id: id.text, type: type.text });
  }
  return out;
}

function readLogsource(ctx: BuildContext, node: YNode | undefined, owner: YMap): LogSource {
  if (!node) {
    report(
      ctx,
      'P007',
      "The rule has no 'logsource'.",
      owner,
      'Add e.g.\nlogsource:\n    category: process_creation\n    product: windows',
    );
    return {};
  }
  if (node.kind !== 'map') {
    report(
      ctx,
      'P006',
      `'logsource' must be a mapping, not ${describe(node)}.`,
      node,
      'Write:\nlogsource:\n    product: windows\n    service: security',
    );
    return { loc: locOf(ctx, node) };
  }
  const ls: LogSource = { loc: locOf(ctx, node) };
  for (const { key, value } of node.entries) {
    const k = keyText(key);
    if (k === null) continue;
    if (k === 'category' || k === 'product' || k === 'service' || k === 'definition') {
      const s = scalarString(ctx, `logsource.${k}`, value);
      if (s !== undefined) ls[k] = s;
    } else {
      setOwn((ls.custom ??= {}), k, plain(ctx, value));
    }
  }
  return ls;
}

// ---------------------------------------------------------------------------
// Detection

/** Builds a detection from a mapping of search identifiers plus `condition`. */
export function readDetection(ctx: BuildContext, node: YNode | undefined, owner: YMap, section: string): Detection {
  const empty: Detection = { identifiers: [], conditions: [], conditionText: [] };
  if (!node) {
    report(
      ctx,
      'P007',
      `The document has no '${section}'.`,
      owner,
      `Add a '${section}' with at least one search identifier and a 'condition'.`,
    );
    return empty;
  }
  if (node.kind !== 'map') {
    report(
      ctx,
      'P006',
      `'${section}' must be a mapping of search identifiers and a condition, not ${describe(node)}.`,
      node,
      'Write:\ndetection:\n    selection:\n        Field: value\n    condition: selection',
    );
    return empty;
  }
  const det: Detection = { ...empty, loc: locOf(ctx, node) };
  // Identifiers whose body was reported as invalid: the condition may still name them
  // without a second, misleading "not defined" diagnostic.
  const invalid: string[] = [];
  let conditionNode: YNode | undefined;
  for (const { key, value } of node.entries) {
    const name = keyText(key);
    if (name === null) {
      report(ctx, 'P006', 'Search identifiers must be plain names.', key);
      continue;
    }
    if (name === 'condition') {
      conditionNode = value;
      continue;
    }
    if (name === 'timeframe') {
      det.timeframe = value.kind === 'scalar' ? value.text : undefined;
      report(
        ctx,
        'P035',
        "'timeframe' in a detection is a Sigma 1 construct.",
        key,
        'Express time windows with a correlation rule (timespan).',
        'warning',
      );
      continue;
    }
    if (name.includes('|')) {
      report(
        ctx,
        'P017',
        `Search identifier '${truncate(name)}' contains '|': modifiers on an identifier are ignored.`,
        key,
        `Put the modifier on the field inside the selection (e.g. 'Image|endswith:'), and name the identifier '${truncate(name.split('|')[0]!)}'.`,
        'warning',
      );
    } else if (!/^[A-Za-z0-9_.\-]+$/.test(name)) {
      report(
        ctx,
        'P017',
        `Search identifier '${truncate(name)}' has characters a condition cannot name.`,
        key,
        'Use letters, digits and underscores (e.g. selection_img).',
        'warning',
      );
    }
    const body = readIdentifierBody(ctx, value, name);
    if (body) det.identifiers.push({ name, node: body, loc: locOf(ctx, key) });
    else invalid.push(name);
  }
  if (!conditionNode) {
    report(
      ctx,
      'P010',
      `'${section}' has no 'condition'.`,
      node,
      `Add e.g. 'condition: ${det.identifiers[0]?.name ?? 'selection'}'.`,
    );
    return det;
  }
  const texts: { text: string; node: YScalar }[] = [];
  if (conditionNode.kind === 'scalar' && conditionNode.value !== null)
    texts.push({ text: conditionNode.text, node: conditionNode });
  else if (conditionNode.kind === 'seq') {
    for (const item of conditionNode.items) {
      if (item.kind === 'scalar' && item.value !== null) texts.push({ text: item.text, node: item });
      else report(ctx, 'P006', 'Each condition of a condition list must be a string.', item);
    }
    if (conditionNode.items.length === 0)
      report(ctx, 'P010', 'The condition list is empty.', conditionNode, 'Add a condition such as "selection".');
  } else
    report(
      ctx,
      'P006',
      `'condition' must be a string or a list of strings, not ${describe(conditionNode)}.`,
      conditionNode,
      "Write 'condition: selection and not filter'.",
    );

  const names = [...det.identifiers.map((i) => i.name), ...invalid];
  const used = new Set<string>();
  for (const { text, node: scalar } of texts) {
    const position = conditionPositionMapper(ctx, scalar);
    const res = parseCondition(text, names, position);
    ctx.diagnostics.push(...res.diagnostics);
    det.conditionText.push(text);
    if (res.condition) {
      det.conditions.push(res.condition);
      collectUsed(res.condition, used);
    }
  }
  if (texts.length > 0 && det.conditions.length === texts.length) {
    for (const id of det.identifiers) {
      if (!used.has(id.name)) {
        report(
          ctx,
          'P012',
          `Search identifier '${id.name}' is never used in the condition.`,
          id.loc,
          `Use it in the condition or remove it (condition: ${det.conditionText[0] ?? ''}).`,
        );
      }
    }
  }
  return det;
}

function collectUsed(c: Condition, used: Set<string>): void {
  switch (c.type) {
    case 'and':
    case 'or':
      for (const i of c.items) collectUsed(i, used);
      break;
    case 'not':
      collectUsed(c.item, used);
      break;
    case 'ref':
      used.add(c.name);
      break;
    case 'of':
      for (const n of c.names) used.add(n);
      break;
  }
}

/** Maps a character index of a condition string to its file position (exact for single-line scalars). */
function conditionPositionMapper(ctx: BuildContext, scalar: YScalar): (index: number) => Loc {
  const quote = scalar.style === 2 || scalar.style === 3 ? 1 : 0;
  const contentStart = scalar.start + quote;
  const exact = ctx.text.slice(contentStart, contentStart + scalar.text.length) === scalar.text;
  // Folded, block or escaped scalars do not map character for character: point at where their text starts.
  let first = scalar.start;
  while (!exact && (ctx.text[first] === ' ' || ctx.text[first] === '\t')) first++;
  return (index: number) =>
    ctx.lines.loc(exact ? contentStart + Math.max(0, Math.min(index, scalar.text.length)) : first);
}

function readIdentifierBody(ctx: BuildContext, node: YNode, name: string): DetectionNode | undefined {
  if (node.kind === 'map') {
    if (node.entries.length === 0) {
      report(ctx, 'P016', `Search identifier '${name}' is empty.`, node, 'Add at least one field: value pair.');
      return undefined;
    }
    return readMap(ctx, node);
  }
  if (node.kind === 'seq') {
    if (node.items.length === 0) {
      report(
        ctx,
        'P016',
        `Search identifier '${name}' is an empty list.`,
        node,
        'Add values or field maps, or remove the identifier.',
      );
      return undefined;
    }
    const allScalars = node.items.every((i) => i.kind === 'scalar');
    if (allScalars) return readMatch(ctx, null, [], node, node);
    const items: DetectionNode[] = [];
    for (const item of node.items) {
      if (item.kind === 'map') {
        if (item.entries.length === 0)
          report(
            ctx,
            'P016',
            `An entry of '${name}' is an empty mapping.`,
            item,
            'Remove it or add field: value pairs.',
          );
        else items.push(readMap(ctx, item));
      } else if (item.kind === 'scalar') {
        const m = readMatch(ctx, null, [], item, item);
        if (m) items.push(m);
      } else
        report(
          ctx,
          'P017',
          `A list inside the list of '${name}' is not valid Sigma.`,
          item,
          'Flatten the list, or use a list of maps.',
        );
    }
    return { type: 'anyOf', items, loc: locOf(ctx, node) };
  }
  if (node.value === null) {
    report(
      ctx,
      'P016',
      `Search identifier '${name}' has no value.`,
      node,
      'Give it a map of field: value pairs, or a list of keywords.',
    );
    return undefined;
  }
  return readMatch(ctx, null, [], node, node);
}

function readMap(ctx: BuildContext, node: YMap): DetectionNode {
  const items: DetectionNode[] = [];
  for (const { key, value } of node.entries) {
    const k = keyText(key);
    if (k === null) {
      report(ctx, 'P017', 'Field names must be plain strings.', key);
      continue;
    }
    if (k === '<<') {
      report(
        ctx,
        'P017',
        "YAML merge keys ('<<') are not part of Sigma's YAML.",
        key,
        'Write the fields out in the selection.',
      );
      continue;
    }
    const pieces = k.split('|');
    const field = pieces[0]!;
    const m = readMatch(ctx, field === '' ? null : field, pieces.slice(1), value, key);
    if (m) items.push(m);
  }
  return { type: 'allOf', items, loc: locOf(ctx, node) };
}

/** Where the `index`-th modifier of a `field|mod1|mod2` key starts (the key's start when the key is not written literally). */
function modifierLoc(ctx: BuildContext, key: YNode, index: number): Loc {
  if (key.kind !== 'scalar') return locOf(ctx, key);
  const quote = key.style === 2 || key.style === 3 ? 1 : 0;
  const contentStart = key.start + quote;
  if (ctx.text.slice(contentStart, contentStart + key.text.length) !== key.text) return locOf(ctx, key);
  let at = -1;
  for (let i = 0; i <= index; i++) {
    at = key.text.indexOf('|', at + 1);
    if (at === -1) return locOf(ctx, key);
  }
  return ctx.lines.loc(contentStart + at + 1);
}

/** Reads `field|mods: value(s)` (field null: keywords). */
function readMatch(
  ctx: BuildContext,
  field: string | null,
  modNames: string[],
  valueNode: YNode,
  keyNode: YNode,
): FieldMatch | undefined {
  const analysis = checkModifiers(modNames, field === null);
  for (const p of analysis.problems)
    report(ctx, p.code, p.message, p.index === undefined ? keyNode : modifierLoc(ctx, keyNode, p.index), p.hint);
  const mods = analysis.modifiers;
  const match: FieldMatch = {
    type: 'match',
    field,
    modifiers: mods,
    values: [],
    list: valueNode.kind === 'seq',
    loc: locOf(ctx, keyNode),
  };
  let scalars: YNode[];
  if (valueNode.kind === 'seq') {
    scalars = valueNode.items;
    if (scalars.length === 0) {
      report(
        ctx,
        'P016',
        `'${field ?? 'keywords'}' has an empty list of values.`,
        valueNode,
        'Give at least one value.',
      );
      return undefined;
    }
  } else if (valueNode.kind === 'map') {
    report(
      ctx,
      'P017',
      `The value of '${field ?? '|' + modNames.join('|')}' is a mapping; Sigma expects a value or a list of values.`,
      valueNode,
      'Put nested fields in their own selection, or flatten with dots (Parent.child).',
    );
    return undefined;
  } else scalars = [valueNode];

  const kind = analysis.kind;
  const expand = mods.includes('expand');
  const stringMods = mods.some(
    (m) =>
      m === 'contains' ||
      m === 'startswith' ||
      m === 'endswith' ||
      m === 'windash' ||
      m === 'base64' ||
      m === 'base64offset' ||
      m === 'utf16le' ||
      m === 'utf16be' ||
      m === 'utf16' ||
      m === 'wide' ||
      m === 'cased' ||
      m === 'expand',
  );
  for (const v of scalars) {
    if (v.kind !== 'scalar') {
      report(
        ctx,
        'P017',
        `A value of '${field ?? 'keywords'}' is ${describe(v)}; values must be strings, numbers, booleans or null.`,
        v,
        'Flatten nested lists.',
      );
      continue;
    }
    const value = readValue(ctx, v, kind, mods, expand, stringMods, field);
    if (value) match.values.push(value);
  }
  if (scalars.length > 1 && match.values.some((x) => x.type === 'null')) {
    report(
      ctx,
      'P027',
      `'null' cannot be one of a list of values (field '${field ?? 'keywords'}').`,
      valueNode,
      "Put 'Field: null' in a selection of its own and combine the selections in the condition.",
    );
  }
  if (mods.includes('all') && scalars.length === 1) {
    report(
      ctx,
      'P023',
      `'all' on the single value of '${field ?? 'keywords'}' has no effect.`,
      keyNode,
      "Remove '|all', or list the values that must all match.",
    );
  }
  if (kind === 'exists' && scalars.length !== 1)
    report(ctx, 'P028', "'exists' takes exactly one value: true or false.", valueNode, "Write 'Field|exists: true'.");
  return match;
}

function readValue(
  ctx: BuildContext,
  v: YScalar,
  kind: ValueKind,
  mods: readonly string[],
  expand: boolean,
  stringMods: boolean,
  field: string | null,
): Value | undefined {
  const loc = locOf(ctx, v);
  const fieldName = field ?? 'keywords';
  switch (kind) {
    case 'exists':
      if (typeof v.value !== 'boolean') {
        report(
          ctx,
          'P028',
          `'exists' takes true or false, not '${truncate(v.text)}'.`,
          v,
          `Write '${fieldName}|exists: true'.`,
        );
        return undefined;
      }
      return { type: 'boolean', value: v.value, loc };
    case 'regex': {
      if (typeof v.value !== 'string' && typeof v.value !== 'number') {
        report(
          ctx,
          'P022',
          `'re' takes a string pattern, not ${describe(v)}.`,
          v,
          "Quote the pattern: 'Field|re: ^abc$'.",
        );
        return undefined;
      }
      const flags = ['i', 'm', 's'].filter((f) => mods.includes(f)).join('');
      const err = compileSigmaRegex(v.text, flags);
      if (typeof err === 'string')
        report(
          ctx,
          'P024',
          `Invalid regular expression for '${fieldName}': ${err}.`,
          v,
          "Check brackets and escapes; Sigma's regex flavour is a PCRE subset (see the modifiers appendix).",
        );
      return { type: 'regex', pattern: v.text, flags, loc };
    }
    case 'cidr': {
      if (typeof v.value !== 'string') {
        report(
          ctx,
          'P025',
          `'cidr' takes a network like 10.0.0.0/8, not ${describe(v)}.`,
          v,
          "Write 'Field|cidr: 10.0.0.0/8'.",
        );
        return undefined;
      }
      const c = parseCidr(v.text.trim());
      if (typeof c === 'string') {
        report(
          ctx,
          'P025',
          `Invalid CIDR '${truncate(v.text)}': ${c}.`,
          v,
          'Write an IPv4 network like 192.168.0.0/16 or an IPv6 one like fe80::/10.',
        );
        return undefined;
      }
      return { type: 'cidr', raw: v.text, version: c.version, network: c.network, prefix: c.prefix, loc };
    }
    case 'fieldref':
      if (typeof v.value !== 'string' || !v.text) {
        report(
          ctx,
          'P029',
          `'fieldref' takes a field name, not ${describe(v)}.`,
          v,
          "Write 'TargetField|fieldref: SourceField'.",
        );
        return undefined;
      }
      return { type: 'fieldref', field: v.text, loc };
    case 'number': {
      let n: number | null = typeof v.value === 'number' ? v.value : null;
      if (n === null && typeof v.value === 'string' && /^[-+]?\d+(\.\d+)?$/.test(v.text.trim()))
        n = Number(v.text.trim());
      if (n === null || !Number.isFinite(n)) {
        report(
          ctx,
          'P022',
          `'${mods.filter((m) => m !== 'all' && m !== 'neq').join('|')}' compares numbers; '${truncate(v.text)}' is not a number.`,
          v,
          `Write '${fieldName}|${mods[0]}: 10'.`,
        );
        return undefined;
      }
      const part = mods.find((m): m is keyof typeof TIME_PART_RANGE => m in TIME_PART_RANGE);
      const range = part ? TIME_PART_RANGE[part] : undefined;
      if (part && range && (!Number.isInteger(n) || n < range[0] || n > range[1])) {
        report(
          ctx,
          'P022',
          `'${part}' is a whole number from ${range[0]} to ${range[1]}; ${truncate(v.text)} is not.`,
          v,
          `Write e.g. '${fieldName}|${part}: ${range[0]}'.`,
        );
        return undefined;
      }
      if (mods.includes('year') && !Number.isInteger(n)) {
        report(
          ctx,
          'P022',
          `'year' is a whole number; ${truncate(v.text)} is not.`,
          v,
          `Write e.g. '${fieldName}|year: 2024'.`,
        );
        return undefined;
      }
      return { type: 'number', value: n, raw: v.text, loc };
    }
    default:
      break;
  }
  // Plain and string-modified values.
  if (v.value === null) {
    if (stringMods) {
      report(
        ctx,
        'P022',
        `'${mods.join('|')}' cannot apply to null.`,
        v,
        `To test that '${fieldName}' is empty or missing, write '${fieldName}: null' without modifiers.`,
      );
      return undefined;
    }
    if (field === null) {
      report(ctx, 'P017', 'A keyword search cannot be null.', v, 'Remove the null entry.');
      return undefined;
    }
    return { type: 'null', loc };
  }
  if (typeof v.value === 'boolean') {
    if (stringMods) {
      report(
        ctx,
        'P022',
        `'${mods.join('|')}' applies to strings, not to the boolean ${v.text}.`,
        v,
        `Quote it ('${v.text}') if the text is meant.`,
      );
      return undefined;
    }
    return { type: 'boolean', value: v.value, loc };
  }
  // Non-finite numbers (.inf, .nan) have no JSON form: such a value is matched as its text.
  if (typeof v.value === 'number' && !stringMods && Number.isFinite(v.value)) {
    return { type: 'number', value: v.value, raw: v.text, loc };
  }
  const parts = parseSigmaString(v.text, expand);
  if (hasWildcards(parts) && mods.some((m) => m === 'base64' || m === 'base64offset')) {
    report(
      ctx,
      'P026',
      `'${mods.find((m) => m.startsWith('base64'))}' cannot encode wildcards in '${truncate(v.text)}'.`,
      v,
      'Base64 of a wildcard is not a wildcard: encode a literal value, and use |base64offset|contains to find it inside a longer string.',
    );
  }
  if (expand && !parts.some((p) => typeof p !== 'string' && 'placeholder' in p)) {
    report(
      ctx,
      'P029',
      `'expand' is used but '${truncate(v.text)}' has no %placeholder%.`,
      v,
      "Write a placeholder like '%Administrators%', or remove '|expand'.",
      'warning',
    );
  }
  return { type: 'string', parts, raw: v.text, loc };
}

// ---------------------------------------------------------------------------
// Documents

const RULE_STRUCTURAL = new Set(['logsource', 'detection']);
const CORRELATION_STRUCTURAL = new Set(['correlation']);
const FILTER_STRUCTURAL = new Set(['logsource', 'filter']);

export function buildDocument(ctx: BuildContext, map: YMap): SigmaDocument | undefined {
  try {
    const hasKey = (k: string): YNode | undefined => map.entries.find((e) => keyText(e.key) === k)?.value;
    const corr = hasKey('correlation');
    const filter = hasKey('filter');
    if (corr) return buildCorrelation(ctx, map, corr);
    if (filter && !hasKey('detection')) return buildFilter(ctx, map, filter);
    return buildRule(ctx, map, hasKey);
  } catch (e) {
    if (e instanceof BudgetExceeded) {
      report(
        ctx,
        'P004',
        `The document expands to more than ${LIMITS.maxNodeVisits} YAML nodes (alias expansion).`,
        map,
        'Remove the YAML aliases (*name): Sigma rules do not need them.',
      );
      return undefined;
    }
    throw e;
  }
}

function buildRule(ctx: BuildContext, map: YMap, get: (k: string) => YNode | undefined): SigmaRule {
  const meta = readMetadata(ctx, map, RULE_STRUCTURAL);
  if (meta.title === undefined && !('title' in meta.locs))
    report(ctx, 'P007', "The rule has no 'title'.", map, "Add 'title: <what the rule detects>'.");
  const logsource = readLogsource(ctx, get('logsource'), map);
  const detection = readDetection(ctx, get('detection'), map, 'detection');
  return { kind: 'rule', ...meta, logsource, detection };
}

function buildFilter(ctx: BuildContext, map: YMap, node: YNode): FilterRule {
  const meta = readMetadata(ctx, map, FILTER_STRUCTURAL);
  const logsource = readLogsource(ctx, map.entries.find((e) => keyText(e.key) === 'logsource')?.value, map);
  const out: FilterRule = {
    kind: 'filter',
    ...meta,
    logsource,
    filter: { rules: [], detection: { identifiers: [], conditions: [], conditionText: [] } },
  };
  if (node.kind !== 'map') {
    report(
      ctx,
      'P033',
      `'filter' must be a mapping with 'rules', search identifiers and a 'condition', not ${describe(node)}.`,
      node,
      'See the Sigma filters specification.',
    );
    return out;
  }
  out.filter.loc = locOf(ctx, node);
  const rulesNode = node.entries.find((e) => keyText(e.key) === 'rules')?.value;
  if (!rulesNode)
    report(
      ctx,
      'P033',
      "The filter has no 'rules' list.",
      node,
      'List the ids or names of the rules the filter applies to.',
    );
  else {
    out.filter.rules = stringList(ctx, 'filter.rules', rulesNode) ?? [];
    if (rulesNode.kind === 'seq' && rulesNode.items.length === 0)
      report(
        ctx,
        'P033',
        "The filter's 'rules' list is empty.",
        rulesNode,
        'List the ids or names of the rules the filter applies to.',
      );
  }
  const rest: YMap = { ...node, entries: node.entries.filter((e) => keyText(e.key) !== 'rules') };
  out.filter.detection = readDetection(ctx, rest, map, 'filter');
  return out;
}

const CORRELATION_TYPES: readonly CorrelationType[] = [
  'event_count',
  'value_count',
  'temporal',
  'temporal_ordered',
  'value_sum',
  'value_avg',
  'value_percentile',
];
const TIMESPAN_RE = /^(\d+)([smhdwMy])$/;
const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800, M: 2592000, y: 31536000 };
const COMPARISON_OPS: readonly ComparisonOp[] = ['gt', 'gte', 'lt', 'lte', 'eq', 'neq'];

function buildCorrelation(ctx: BuildContext, map: YMap, node: YNode): CorrelationRule {
  const meta = readMetadata(ctx, map, CORRELATION_STRUCTURAL);
  const correlation: Correlation = {
    type: 'event_count',
    rules: [],
    aliases: {},
    groupBy: [],
    timespan: { raw: '', seconds: 0 },
    generate: false,
    loc: locOf(ctx, node),
  };
  const out: CorrelationRule = { kind: 'correlation', ...meta, correlation };
  if (node.kind !== 'map') {
    report(
      ctx,
      'P031',
      `'correlation' must be a mapping, not ${describe(node)}.`,
      node,
      'See the Sigma correlation rules specification.',
    );
    return out;
  }
  const get = (k: string): YNode | undefined => node.entries.find((e) => keyText(e.key) === k)?.value;
  const typeNode = get('type');
  if (!typeNode || typeNode.kind !== 'scalar' || !CORRELATION_TYPES.includes(typeNode.text as CorrelationType)) {
    report(
      ctx,
      'P031',
      typeNode
        ? `Unknown correlation type '${typeNode.kind === 'scalar' ? truncate(typeNode.text) : describe(typeNode)}'.`
        : "The correlation has no 'type'.",
      typeNode ?? node,
      `Use one of: ${CORRELATION_TYPES.join(', ')}.`,
    );
  } else correlation.type = typeNode.text as CorrelationType;

  const rulesNode = get('rules');
  if (!rulesNode)
    report(ctx, 'P031', "The correlation has no 'rules'.", node, 'List the ids or names of the correlated rules.');
  else {
    correlation.rules = stringList(ctx, 'correlation.rules', rulesNode) ?? [];
    if (rulesNode.kind === 'seq' && rulesNode.items.length === 0)
      report(
        ctx,
        'P031',
        "The correlation's 'rules' list is empty.",
        rulesNode,
        'List the ids or names of the correlated rules.',
      );
  }

  const gb = get('group-by');
  if (gb) correlation.groupBy = stringList(ctx, 'correlation.group-by', gb) ?? [];

  const ts = get('timespan') ?? get('timeframe');
  if (!ts) report(ctx, 'P031', "The correlation has no 'timespan'.", node, "Add e.g. 'timespan: 5m' (s, m, h, d).");
  else if (ts.kind !== 'scalar' || !TIMESPAN_RE.test(ts.text)) {
    report(
      ctx,
      'P031',
      `Invalid timespan '${ts.kind === 'scalar' ? truncate(ts.text) : describe(ts)}'.`,
      ts,
      'Write a number and a unit: 30s, 5m, 1h, 7d.',
    );
  } else {
    const m = TIMESPAN_RE.exec(ts.text)!;
    correlation.timespan = { raw: ts.text, seconds: Number(m[1]) * UNIT_SECONDS[m[2]!]! };
    if (correlation.timespan.seconds === 0)
      report(ctx, 'P031', `The timespan '${ts.text}' is empty.`, ts, 'Give a positive time window, e.g. 5m.');
    if (get('timeframe') && !get('timespan'))
      report(ctx, 'P035', "'timeframe' is the old name of 'timespan'.", ts, "Rename it to 'timespan'.", 'warning');
  }

  const gen = get('generate');
  if (gen) {
    if (gen.kind === 'scalar' && typeof gen.value === 'boolean') correlation.generate = gen.value;
    else report(ctx, 'P031', "'generate' must be true or false.", gen, "Write 'generate: true'.");
  }

  const aliases = get('aliases');
  if (aliases) {
    if (aliases.kind !== 'map')
      report(
        ctx,
        'P031',
        "'aliases' must map alias names to {rule: field} mappings.",
        aliases,
        'See "Field Name Aliases" in the correlation specification.',
      );
    else
      for (const { key, value } of aliases.entries) {
        const alias = keyText(key);
        if (alias === null) continue;
        if (value.kind !== 'map') {
          report(
            ctx,
            'P031',
            `Alias '${alias}' must map each rule to its field name.`,
            value,
            `Write:\n  ${alias}:\n    rule_a: FieldA\n    rule_b: FieldB`,
          );
          continue;
        }
        const m: Record<string, string> = {};
        for (const e of value.entries) {
          const r = keyText(e.key);
          if (r !== null && e.value.kind === 'scalar') setOwn(m, r, e.value.text);
          else report(ctx, 'P031', `Alias '${alias}': each entry maps a rule to a field name.`, e.value);
        }
        setOwn(correlation.aliases, alias, m);
      }
  }

  const cond = get('condition');
  const type = correlation.type;
  const temporal = type === 'temporal' || type === 'temporal_ordered';
  const needsField =
    type === 'value_count' || type === 'value_sum' || type === 'value_avg' || type === 'value_percentile';
  if (!cond) {
    if (!temporal)
      report(ctx, 'P031', `A ${type} correlation needs a 'condition'.`, node, 'Write e.g.\ncondition:\n    gte: 10');
  } else correlation.condition = readCorrelationCondition(ctx, cond, needsField, type);
  if (!gb) {
    // The specification lists group-by as mandatory for every type; backends can do without it.
    report(
      ctx,
      'P031',
      `A ${type} correlation needs 'group-by'.`,
      node,
      'List the fields that scope the correlation (e.g. User, Computer).',
      'warning',
    );
  }
  // Alias entries name the rules whose events carry the field: each must be a correlated rule.
  const aliasesNode = get('aliases');
  if (aliasesNode?.kind === 'map' && rulesNode) {
    for (const { key, value } of aliasesNode.entries) {
      if (value.kind !== 'map') continue;
      for (const e of value.entries) {
        const r = keyText(e.key);
        if (r !== null && !correlation.rules.includes(r)) {
          report(
            ctx,
            'P031',
            `Alias '${keyText(key) ?? '?'}' maps rule '${truncate(r)}', which is not in this correlation's 'rules'.`,
            e.key,
            `Use one of: ${correlation.rules.join(', ')}.`,
          );
        }
      }
    }
  }
  if (temporal && correlation.rules.length < 2 && rulesNode)
    report(
      ctx,
      'P031',
      `A ${type} correlation needs at least two rules.`,
      rulesNode,
      'List the rules whose events must occur together.',
    );
  return out;
}

function readCorrelationCondition(
  ctx: BuildContext,
  node: YNode,
  needsField: boolean,
  type: CorrelationType,
): CorrelationCondition | undefined {
  if (node.kind !== 'map') {
    report(
      ctx,
      'P031',
      `The correlation condition must be a mapping like {gte: 10}, not ${describe(node)}.`,
      node,
      'Write:\ncondition:\n    gte: 10',
    );
    return undefined;
  }
  const out: CorrelationCondition = { comparisons: [] };
  let comparisonKeys = 0;
  let fieldKey = false;
  for (const { key, value } of node.entries) {
    const k = keyText(key);
    if (k === 'field') {
      fieldKey = true;
      if (value.kind === 'scalar' && typeof value.value === 'string') out.field = value.text;
      else if (value.kind === 'seq' && value.items.length === 1 && value.items[0]!.kind === 'scalar')
        out.field = (value.items[0] as YScalar).text;
      else report(ctx, 'P031', "'field' must name one field.", value);
      continue;
    }
    if (k === 'percentile') {
      if (value.kind === 'scalar' && typeof value.value === 'number') out.percentile = value.value;
      else report(ctx, 'P031', "'percentile' must be a number.", value);
      continue;
    }
    if (k !== null && (COMPARISON_OPS as readonly string[]).includes(k)) {
      comparisonKeys++;
      if (value.kind === 'scalar' && typeof value.value === 'number' && Number.isFinite(value.value))
        out.comparisons.push({ op: k as ComparisonOp, value: value.value });
      else
        report(
          ctx,
          'P031',
          `'${k}' must be compared with a number, not ${describe(value)}.`,
          value,
          `Write '${k}: 10'.`,
        );
      continue;
    }
    const guess = k ? closest(k, [...COMPARISON_OPS, 'field'], Math.max(2, Math.floor(k.length / 3))) : undefined;
    report(
      ctx,
      'P031',
      `Unknown key '${k ?? '?'}' in the correlation condition.`,
      key,
      guess ? `Did you mean '${guess}'?` : 'Use gt, gte, lt, lte, eq, neq and (for value_* types) field.',
    );
  }
  // (A comparison or field that was present but invalid has been reported above.)
  if (comparisonKeys === 0)
    report(ctx, 'P031', 'The correlation condition has no comparison.', node, 'Add e.g. gte: 10.');
  if (needsField && !fieldKey)
    report(
      ctx,
      'P031',
      `A ${type} correlation condition needs 'field'.`,
      node,
      "Add 'field: TargetUserName' (the field whose values are counted or aggregated).",
    );
  return out;
}
