/** The metadata keys shared by every document type, and the rule and filter `logsource`. */
import type { Loc, LogSource, Metadata, RelatedRule } from '../../ast/types.js';
import { slashDateToIso, truncate } from '../../util/text.js';
import type { YMap, YNode } from '../yaml-tree.js';
import {
  describe,
  keyText,
  locOf,
  plain,
  report,
  scalarString,
  setOwn,
  stringList,
  type BuildContext,
} from './context.js';

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
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Checks a date; returns it as YYYY-MM-DD (an older YYYY/MM/DD date is accepted with P036). */
function checkDate(ctx: BuildContext, key: string, value: string, node: YNode): string {
  // The form older SigmaHQ rules (deprecated/, unsupported/) and other repositories still use.
  const iso = slashDateToIso(value);
  if (iso) {
    report(
      ctx,
      'P036',
      `'${key}: ${value}' uses the older YYYY/MM/DD form.`,
      node,
      `sigil fmt rewrites it as '${key}: ${iso}'.`,
    );
    value = iso;
  }
  const m = DATE_RE.exec(value);
  if (!m) {
    report(
      ctx,
      'P030',
      `'${key}: ${truncate(value)}' is not a date in the form YYYY-MM-DD.`,
      node,
      `Write '${key}: 2024-05-17'.`,
    );
    return value;
  }
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const dt = new Date(Date.UTC(y, mo - 1, d));
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== mo - 1 || dt.getUTCDate() !== d) {
    report(ctx, 'P030', `'${key}: ${value}' is not a calendar date.`, node, 'Check the month and day.');
  }
  return value;
}

export function readMetadata(ctx: BuildContext, map: YMap, structural: ReadonlySet<string>): Metadata {
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
      if (k === 'sigil') locateNested(ctx, meta.locs, k, value);
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
      (meta as unknown as Record<string, unknown>)[k] =
        k === 'date' || k === 'modified' ? checkDate(ctx, k, s, value) : s;
    }
  }
  return meta;
}

/**
 * Positions of the values inside Sigil's own `sigil:` attribute, under dotted keys
 * (`sigil.artifacts.sentinel-rule.queryPeriod`): what checks its settings downstream reads from
 * the AST to point at the value, without the YAML.
 */
function locateNested(ctx: BuildContext, locs: Record<string, Loc>, path: string, node: YNode): void {
  if (node.kind !== 'map') return;
  for (const { key, value } of node.entries) {
    const k = keyText(key);
    if (k === null) continue;
    const at = `${path}.${k}`;
    setOwn(locs, at, locOf(ctx, value));
    locateNested(ctx, locs, at, value);
  }
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

export function readLogsource(ctx: BuildContext, node: YNode | undefined, owner: YMap): LogSource {
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
