/**
 * The Splunk SPL backend (`-t splunk`). Pipelines: splunk-windows (default), splunk-cim.
 * Formats: the plain search, savedsearches.conf stanzas, ESCU detection YAML.
 * Documented in docs/backends/splunk.md.
 */
import type { Backend } from '../types.js';
import { SPLUNK_STATE } from './contract.js';
import { convertRule } from './convert.js';
import { convertCorrelation } from './correlation.js';
import { escuFormat, plainFormat, savedSearchesFormat } from './formats.js';

export const splunkBackend: Backend = {
  name: 'splunk',
  description: 'Splunk SPL searches (Windows event logs by source, or CIM data models via tstats)',
  defaultPipelines: ['splunk-windows'],
  formats: [plainFormat, savedSearchesFormat, escuFormat],
  state: SPLUNK_STATE,
  options: {
    index: 'index= term that starts every search (default: the pipeline state, else none)',
    source_convention:
      'source= naming of Windows event logs: classic (WinEventLog:<channel>), xml (XmlWinEventLog:<channel>) or legacy',
  },
  convert: convertRule,
  convertCorrelation,
};
