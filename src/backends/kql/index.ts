/** The KQL backend: Microsoft Defender XDR advanced hunting and Microsoft Sentinel. */
import { conversionWarning } from '../diagnostics.js';
import { failure, type Backend, type ConversionResult, type ConvertContext, type ProcessedRule } from '../types.js';
import { convertCorrelation } from './correlation.js';
import { Inexpressible } from './expression.js';
import { KQL_STATE } from './contract.js';
import { KQL_FORMATS, type KqlMeta } from './formats.js';
import { buildQuery } from './query.js';

function convertKql(rule: ProcessedRule, ctx: ConvertContext): ConversionResult {
  try {
    const q = buildQuery(rule);
    return {
      ok: true,
      queries: [q.text],
      tables: q.tables,
      fields: q.columns,
      warnings: q.presenceLoss.length
        ? [
            conversionWarning(
              'C118',
              `${q.presenceLoss.join(', ')}: ${q.table} reads an absent field and an empty value the same, so exists, null and '' on ${q.presenceLoss.length > 1 ? 'them' : 'it'} cannot tell them apart`,
              'docs/backends/kql.md#presence-and-emptiness',
            ),
          ]
        : [],
      meta: {
        product: q.product,
        timeColumn: q.timeColumn,
        table: q.table,
        pipelines: ctx.pipelines,
      } satisfies KqlMeta,
    };
  } catch (e) {
    if (e instanceof Inexpressible)
      return failure([
        { ...e.error, ...(rule.rule.detection.loc && !e.error.loc ? { loc: rule.rule.detection.loc } : {}) },
      ]);
    throw e;
  }
}

export const kqlBackend: Backend = {
  name: 'kql',
  description: 'Kusto Query Language for Microsoft Defender XDR advanced hunting and Microsoft Sentinel',
  defaultPipelines: ['defender-xdr'],
  formats: KQL_FORMATS,
  state: KQL_STATE,
  convert: convertKql,
  convertCorrelation,
};
