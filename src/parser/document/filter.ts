/** A filter document (Sigma filters specification): metadata, logsource, `filter.rules` and a detection. */
import type { FilterRule } from '../../ast/types.js';
import type { YMap, YNode } from '../yaml-tree.js';
import { describe, keyText, locOf, report, stringList, type BuildContext } from './context.js';
import { readDetection } from './detection.js';
import { readLogsource, readMetadata } from './metadata.js';

const FILTER_STRUCTURAL = new Set(['logsource', 'filter']);

export function buildFilter(ctx: BuildContext, map: YMap, node: YNode): FilterRule {
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
