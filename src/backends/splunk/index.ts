/**
 * The Splunk SPL backend (`-t splunk`). Pipelines: splunk (default), splunk-windows, splunk-cim.
 * Formats: the plain search, savedsearches.conf stanzas, macros.conf, an installable app (.tgz).
 * Documented in docs/backends/splunk.md.
 */
import type { Backend, ConversionResult } from '../types.js';
import { SPLUNK_STATE } from './contract.js';
import { convertRule } from './convert.js';
import { convertCorrelation } from './correlation.js';
import { appFormat, macrosFormat, plainFormat, savedSearchesFormat } from './formats.js';

export const splunkBackend: Backend = {
  name: 'splunk',
  description: 'Splunk SPL searches (Windows event logs by source, or CIM data models via tstats)',
  defaultPipelines: ['splunk'],
  formats: [plainFormat, savedSearchesFormat, macrosFormat, appFormat],
  state: SPLUNK_STATE,
  options: {
    index: 'index= term that starts every search (default: the pipeline state, else none)',
    unscoped:
      'true: a rule whose log source no route covers gets a query without a scope, marked with an SPL comment and warning C109 (default: a per-rule error C001)',
    source_convention:
      'source= naming of Windows event logs: classic (WinEventLog:<channel>), xml (XmlWinEventLog:<channel>) or legacy',
  },
  convert: convertRule,
  // The correlation's query uses its base rules' log-source macros: macros.conf and the app need their definitions.
  convertCorrelation: (corr, referenced, ctx): ConversionResult => {
    const r = convertCorrelation(corr, referenced, ctx);
    if (!r.ok) return r;
    const macros: Record<string, string> = {};
    for (const b of referenced)
      if (b.state.splunk_routing === 'macro' && b.table !== undefined) macros[b.table] = b.state.macro_definition ?? '';
    return { ...r, meta: { ...r.meta, macros, routing: referenced[0]?.state.splunk_routing ?? null } };
  },
};
