/**
 * What pipelines written for the Splunk backend share with it: the backend state they may set
 * (`set_state`, checked when a pipeline loads; see ../state.ts) and the names a route's `table`
 * may take. The pipelines (src/pipelines/builtin/splunk-*.ts) import these; the backend reads
 * them without importing any pipeline.
 */

export type SourceConvention = 'classic' | 'xml' | 'legacy';
export const SOURCE_CONVENTIONS: readonly SourceConvention[] = ['classic', 'xml', 'legacy'];

export const SPLUNK_STATE = {
  splunk_routing: {
    values: ['windows', 'cim', 'macro'],
    description:
      'how a route table is searched: Windows event log channels, CIM data model datasets (tstats), or the name of a search macro that scopes the log source',
  },
  macro_definition: {
    type: 'string',
    description:
      "the default definition of the route's search macro (splunk_routing: macro), written to macros.conf by --format macros / app",
  },
  index: { type: 'string', description: 'the index searched (`index=<value>`); the backend option `index` wins' },
  source_convention: {
    values: SOURCE_CONVENTIONS,
    description: 'how a Windows channel is named in source / sourcetype; the backend option wins',
  },
} as const;

/** The route table of "any Windows channel" (`source="WinEventLog:*"`). */
export const ANY_CHANNEL = '*';

/** The macro of "any Linux log" (`product: linux` alone): refused for a Linux category or service no route knows. */
export const ANY_LINUX_MACRO = 'sigma_linux';

/** CIM data model datasets, the route tables of `splunk-cim` (searched with `tstats`). */
export const CIM_DATASETS = {
  processes: 'Endpoint.Processes',
  registry: 'Endpoint.Registry',
  filesystem: 'Endpoint.Filesystem',
  traffic: 'Network_Traffic.All_Traffic',
  dns: 'Network_Resolution.DNS',
  web: 'Web.Web',
} as const;

/** Fields every row is grouped by (identity of the host and user), per dataset object. */
export const CIM_GROUP_FIELDS: Record<string, string[]> = {
  [CIM_DATASETS.processes]: ['Processes.dest', 'Processes.user'],
  [CIM_DATASETS.registry]: ['Registry.dest', 'Registry.user'],
  [CIM_DATASETS.filesystem]: ['Filesystem.dest', 'Filesystem.user'],
  [CIM_DATASETS.traffic]: ['All_Traffic.src', 'All_Traffic.dest'],
  [CIM_DATASETS.dns]: ['DNS.src', 'DNS.dest'],
  [CIM_DATASETS.web]: ['Web.src', 'Web.dest'],
};

/**
 * A search macro name as macros.conf takes it (macros.conf.spec: the stanza name of a macro
 * without arguments; Splunk's UI allows letters, digits, `_` and `-`, starting with a letter or `_`).
 */
export const MACRO_NAME = /^[A-Za-z_][A-Za-z0-9_-]{0,99}$/;
