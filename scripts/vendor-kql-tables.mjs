#!/usr/bin/env node
// Vendors the KQL table schemas into src/data/kql/kql-tables.json: the shared Defender XDR /
// Sentinel table file (../shared/schemas/kql-tables.json, from Microsoft's table references)
// plus the ASIM parser columns used by the sentinel-asim pipeline (from Microsoft's ASIM
// schema references, learn.microsoft.com/azure/sentinel/normalization-schema-*; only the
// columns the pipeline maps, plus the common ones). Run: node scripts/vendor-kql-tables.mjs [SRC]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const src = process.argv[2] ?? path.resolve(root, '../shared/schemas/kql-tables.json');
const data = JSON.parse(fs.readFileSync(src, 'utf8'));

const common = {
  TimeGenerated: 'datetime',
  EventType: 'string',
  EventResult: 'string',
  EventProduct: 'string',
  EventVendor: 'string',
  EventCount: 'int',
  EventStartTime: 'datetime',
  EventEndTime: 'datetime',
  Dvc: 'string',
  DvcHostname: 'string',
  DvcId: 'string',
  DvcIpAddr: 'string',
  DvcOs: 'string',
  Type: 'string',
};
const actor = {
  ActorUsername: 'string',
  ActorUserId: 'string',
  ActorUsernameType: 'string',
  ActingProcessName: 'string',
  ActingProcessCommandLine: 'string',
  ActingProcessId: 'string',
  ActingProcessGuid: 'string',
};
const asim = {
  imProcessCreate: {
    ...common,
    ...actor,
    TargetProcessName: 'string',
    TargetProcessCommandLine: 'string',
    TargetProcessId: 'string',
    TargetProcessGuid: 'string',
    TargetProcessFileCompany: 'string',
    TargetProcessFileDescription: 'string',
    TargetProcessFileProduct: 'string',
    TargetProcessFileVersion: 'string',
    TargetProcessFileOriginalName: 'string',
    TargetProcessMD5: 'string',
    TargetProcessSHA1: 'string',
    TargetProcessSHA256: 'string',
    TargetProcessIMPHASH: 'string',
    TargetProcessIntegrityLevel: 'string',
    TargetProcessCurrentDirectory: 'string',
    TargetUsername: 'string',
    ParentProcessName: 'string',
    ParentProcessId: 'string',
    CommandLine: 'string',
    Process: 'string',
    User: 'string',
    Hash: 'string',
    HashType: 'string',
  },
  imFileEvent: {
    ...common,
    ...actor,
    TargetFilePath: 'string',
    TargetFileName: 'string',
    TargetFileMD5: 'string',
    TargetFileSHA1: 'string',
    TargetFileSHA256: 'string',
    SrcFilePath: 'string',
    SrcFileName: 'string',
    FilePath: 'string',
    User: 'string',
    Process: 'string',
  },
  imRegistry: {
    ...common,
    ...actor,
    RegistryKey: 'string',
    RegistryValue: 'string',
    RegistryValueData: 'string',
    RegistryValueType: 'string',
    RegistryPreviousKey: 'string',
    RegistryPreviousValue: 'string',
    RegistryPreviousValueData: 'string',
    User: 'string',
    Process: 'string',
  },
  imNetworkSession: {
    ...common,
    SrcIpAddr: 'string',
    SrcPortNumber: 'int',
    SrcHostname: 'string',
    DstIpAddr: 'string',
    DstPortNumber: 'int',
    DstHostname: 'string',
    NetworkProtocol: 'string',
    NetworkDirection: 'string',
    SrcProcessName: 'string',
    SrcProcessId: 'string',
    SrcUsername: 'string',
    DstProcessName: 'string',
    SrcIpAddr_: 'string',
  },
  imDns: {
    ...common,
    DnsQuery: 'string',
    DnsQueryTypeName: 'string',
    DnsResponseName: 'string',
    DnsResponseCodeName: 'string',
    SrcIpAddr: 'string',
    SrcProcessName: 'string',
    SrcProcessId: 'string',
    SrcUsername: 'string',
  },
};
delete asim.imNetworkSession.SrcIpAddr_;

// The shared file's ASIM functions (Azure-Sentinel's vim*Empty.yaml output columns plus the
// ASim*Logs table columns): every output column of the parsers the pipeline routes to is
// added. Columns above that the shared file lacks (imNetworkSession's SrcProcessName…, from
// Microsoft's schema pages) are kept.
const ASIM_FUNCTIONS = [
  'imProcessCreate',
  'imFileEvent',
  'imRegistry',
  'imNetworkSession',
  'imDns',
  'imWebSession',
  'imAuthentication',
  'imAuditEvent',
];
for (const name of ASIM_FUNCTIONS) {
  const fn = (data.functions ?? []).find((f) => f.name === name);
  const list = fn && /datatable\(([^)]*)\)\s*\[/.exec(fn.body);
  if (!list) throw new Error(`${src}: no datatable output for the ASIM function ${name}`);
  const columns = Object.fromEntries(list[1].split(',').map((c) => c.trim().split(':')));
  asim[name] = { ...columns, ...asim[name] };
}
const out = {
  _meta: {
    ...data._meta,
    vendoredFrom: path.relative(root, src),
    asim: "ASIM parser columns: the output columns of the shared file's ASIM functions (Azure-Sentinel vim*Empty.yaml + ASim*Logs), plus columns from learn.microsoft.com/azure/sentinel/normalization-schema-{process-event,file-event,registry-event,network,dns} the shared file lacks",
  },
  tables: data.tables,
  asim,
};
const dest = path.join(root, 'src/data/kql/kql-tables.json');
fs.writeFileSync(dest, JSON.stringify(out, null, 1) + '\n');
console.log(
  `wrote ${path.relative(root, dest)}: ${Object.keys(out.tables).length} tables, ${Object.keys(asim).length} ASIM parsers`,
);
