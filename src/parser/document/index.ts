/**
 * One YAML document → one Sigma AST document (rule, correlation or filter), with
 * diagnostics gathered rather than thrown.
 */
import type { SigmaDocument, SigmaRule } from '../../ast/types.js';
import { BudgetExceeded, LIMITS, type YMap, type YNode } from '../yaml-tree.js';
import { keyText, report, type BuildContext } from './context.js';
import { buildCorrelation } from './correlation.js';
import { readDetection } from './detection.js';
import { buildFilter } from './filter.js';
import { readLogsource, readMetadata } from './metadata.js';

export type { BuildContext } from './context.js';

const RULE_STRUCTURAL = new Set(['logsource', 'detection']);

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
