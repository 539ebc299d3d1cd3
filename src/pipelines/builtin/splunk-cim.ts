/**
 * `splunk-cim`: Splunk's Common Information Model data models, searched with `tstats`.
 * A route's `table` is the data model dataset (`Endpoint.Processes`, `Network_Traffic.All_Traffic`,
 * …); fields map to the dataset's CIM fields (`Processes.process_path`). A rule that uses a
 * field without a CIM counterpart is reported by the Splunk backend (C002), never narrowed.
 *
 * Field choices follow the CIM field reference for each dataset and pySigma's Splunk data
 * model mapping (Processes, Registry, Filesystem).
 */
import { CIM_DATASETS } from '../../backends/splunk/contract.js';
import type { PipelineSpec, Route, Transformation } from '../types.js';

const PROCESS_FIELDS: Record<string, string> = {
  CommandLine: 'Processes.process',
  Computer: 'Processes.dest',
  CurrentDirectory: 'Processes.process_current_directory',
  Image: 'Processes.process_path',
  IntegrityLevel: 'Processes.process_integrity_level',
  OriginalFileName: 'Processes.original_file_name',
  ParentCommandLine: 'Processes.parent_process',
  ParentImage: 'Processes.parent_process_path',
  ParentProcessGuid: 'Processes.parent_process_guid',
  ParentProcessId: 'Processes.parent_process_id',
  ProcessGuid: 'Processes.process_guid',
  ProcessId: 'Processes.process_id',
  User: 'Processes.user',
};

const REGISTRY_FIELDS: Record<string, string> = {
  Computer: 'Registry.dest',
  Details: 'Registry.registry_value_data',
  Image: 'Registry.process_path',
  ProcessGuid: 'Registry.process_guid',
  ProcessId: 'Registry.process_id',
  TargetObject: 'Registry.registry_path',
  User: 'Registry.user',
};

const FILESYSTEM_FIELDS: Record<string, string> = {
  Computer: 'Filesystem.dest',
  CreationUtcTime: 'Filesystem.file_create_time',
  Image: 'Filesystem.process_path',
  ProcessGuid: 'Filesystem.process_guid',
  ProcessId: 'Filesystem.process_id',
  TargetFilename: 'Filesystem.file_path',
  User: 'Filesystem.user',
};

const TRAFFIC_FIELDS: Record<string, string> = {
  DestinationIp: 'All_Traffic.dest_ip',
  DestinationPort: 'All_Traffic.dest_port',
  SourceIp: 'All_Traffic.src_ip',
  SourcePort: 'All_Traffic.src_port',
  Protocol: 'All_Traffic.transport',
  User: 'All_Traffic.user',
  dst_ip: 'All_Traffic.dest_ip',
  dst_port: 'All_Traffic.dest_port',
  src_ip: 'All_Traffic.src_ip',
  src_port: 'All_Traffic.src_port',
  action: 'All_Traffic.action',
};

const DNS_FIELDS: Record<string, string> = {
  QueryName: 'DNS.query',
  query: 'DNS.query',
  QueryResults: 'DNS.answer',
  answer: 'DNS.answer',
  record_type: 'DNS.record_type',
};

const WEB_FIELDS: Record<string, string> = {
  'c-uri': 'Web.url',
  'c-uri-query': 'Web.uri_query',
  'c-uri-stem': 'Web.uri_path',
  'cs-uri-query': 'Web.uri_query',
  'cs-uri-stem': 'Web.uri_path',
  'cs-method': 'Web.http_method',
  'c-useragent': 'Web.http_user_agent',
  'cs-user-agent': 'Web.http_user_agent',
  'cs-referrer': 'Web.http_referrer',
  'cs-host': 'Web.url_domain',
  'sc-status': 'Web.status',
  'c-ip': 'Web.src',
  'cs-username': 'Web.user',
};

const routes: Route[] = [
  ...['windows', 'linux', 'macos'].map((product): Route => ({
    logsource: { product, category: 'process_creation' },
    table: CIM_DATASETS.processes,
  })),
  ...['registry_add', 'registry_delete', 'registry_event', 'registry_set'].map((category): Route => ({
    logsource: { product: 'windows', category },
    table: CIM_DATASETS.registry,
  })),
  ...['windows', 'linux', 'macos'].map((product): Route => ({
    logsource: { product, category: 'file_event' },
    table: CIM_DATASETS.filesystem,
  })),
  { logsource: { category: 'network_connection' }, table: CIM_DATASETS.traffic },
  { logsource: { category: 'firewall' }, table: CIM_DATASETS.traffic },
  { logsource: { category: 'dns_query' }, table: CIM_DATASETS.dns },
  { logsource: { category: 'dns' }, table: CIM_DATASETS.dns },
  { logsource: { category: 'proxy' }, table: CIM_DATASETS.web },
  { logsource: { category: 'webserver' }, table: CIM_DATASETS.web },
];

const byTable = (table: string, map: Record<string, string>): Transformation => ({
  type: 'field_map',
  when: { table },
  map,
});

export const splunkCim: PipelineSpec = {
  name: 'splunk-cim',
  description:
    'Splunk CIM data models via tstats (Endpoint.Processes/Registry/Filesystem, Network_Traffic, Network_Resolution, Web)',
  targets: ['splunk'],
  routes,
  transformations: [
    { type: 'set_state', state: { splunk_routing: 'cim' } },
    byTable(CIM_DATASETS.processes, PROCESS_FIELDS),
    byTable(CIM_DATASETS.registry, REGISTRY_FIELDS),
    byTable(CIM_DATASETS.filesystem, FILESYSTEM_FIELDS),
    byTable(CIM_DATASETS.traffic, TRAFFIC_FIELDS),
    byTable(CIM_DATASETS.dns, DNS_FIELDS),
    byTable(CIM_DATASETS.web, WEB_FIELDS),
  ],
};
