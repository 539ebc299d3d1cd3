/**
 * Field tables derived from the pipelines' own mapping data (one source of truth): which
 * vendor field stands for which Sigma (Sysmon) field. The linter's noise index uses
 * `canonicalField` to treat FolderPath, TargetProcessName, process_path … as `Image`.
 * Covers every registered pipeline (built-in ones and those other backends register).
 */
import type { LogsourceMatch, PipelineSpec } from './types.js';
import { listPipelines, getPipeline, registryGeneration } from './registry.js';

export interface FieldTableEntry {
  /** The Sigma field name (Sysmon / Windows event log naming). */
  sigma: string;
  /** The vendor field(s) it maps to. */
  target: string[];
  /** Where the mapping applies (absent: everywhere in the pipeline). */
  tables?: string[];
  logsources?: LogsourceMatch[];
  /** How the field is mapped: a rename, a value map, a split into several columns. */
  via: 'field_map' | 'split_hashes' | 'split_domain_user' | 'value_map' | 'path_to_name';
}

/**
 * The field table of one pipeline, in declaration order.
 * @public (read by scripts/gen-pipeline-docs.mjs from dist/)
 */
export function fieldTable(spec: PipelineSpec): FieldTableEntry[] {
  const out: FieldTableEntry[] = [];
  for (const t of spec.transformations) {
    const scope: Pick<FieldTableEntry, 'tables' | 'logsources'> = {};
    if (t.when?.table !== undefined) scope.tables = Array.isArray(t.when.table) ? t.when.table : [t.when.table];
    if (t.when?.logsource !== undefined)
      scope.logsources = Array.isArray(t.when.logsource) ? t.when.logsource : [t.when.logsource];
    switch (t.type) {
      case 'field_map':
        for (const [sigma, target] of Object.entries(t.map))
          out.push({ sigma, target: Array.isArray(target) ? target : [target], ...scope, via: 'field_map' });
        break;
      case 'split_hashes':
        out.push({ sigma: t.field, target: Object.values(t.columns), ...scope, via: 'split_hashes' });
        break;
      case 'split_domain_user':
        out.push({ sigma: t.field, target: [t.domain, t.user], ...scope, via: 'split_domain_user' });
        break;
      case 'value_map':
        out.push({ sigma: t.field, target: [t.column], ...scope, via: 'value_map' });
        break;
      case 'path_to_name':
        out.push({ sigma: t.field, target: [t.column], ...scope, via: 'path_to_name' });
        break;
      default:
    }
  }
  return out;
}

/** The field table of a registered pipeline by name (undefined: no such pipeline). */
export function fieldTablesFor(pipelineName: string): FieldTableEntry[] | undefined {
  const spec = getPipeline(pipelineName);
  return spec ? fieldTable(spec) : undefined;
}

let cache: { generation: number; index: Map<string, string[]> } | undefined;

/** Changes whenever canonicalField's answers may change (a pipeline was registered): key memos of them on it. */
export function fieldTablesGeneration(): number {
  return registryGeneration();
}

/** Lower-cased vendor name → Sigma names, first declaration first. */
function index(): Map<string, string[]> {
  if (cache && cache.generation === registryGeneration()) return cache.index;
  const idx = new Map<string, string[]>();
  // Canonical names are Sysmon / Windows event log names: a mapping for another log source
  // (CloudTrail's eventName → EventName, DNS server logs' query → Name) renames that source's
  // own field, and does not make its column a synonym of a Windows field.
  const windowsTables = new Set(
    listPipelines().flatMap((spec) =>
      (spec.routes ?? []).filter((r) => r.logsource.product?.toLowerCase() === 'windows').map((r) => r.table),
    ),
  );
  const forWindows = (e: FieldTableEntry): boolean =>
    (e.logsources === undefined || e.logsources.some((l) => l.product?.toLowerCase() === 'windows')) &&
    (e.tables === undefined || e.tables.some((t) => windowsTables.has(t)));
  for (const spec of listPipelines()) {
    const entries = fieldTable(spec);
    // A column that elsewhere holds one half of a DOMAIN\user split (Linux `User` → AccountName,
    // Windows `User` → AccountDomain + AccountName) is no synonym of the field either.
    const splitColumns = new Set(
      entries.filter((e) => e.via === 'split_domain_user').flatMap((e) => e.target.map((t) => t.toLowerCase())),
    );
    for (const e of entries) {
      if (!forWindows(e)) continue;
      // Value maps (Initiated → ActionType) and splits into columns that also hold other
      // data (AccountName) do not make the column a synonym of the Sigma field.
      if (e.via === 'value_map') continue;
      if (e.via === 'split_domain_user') continue;
      // A file-name column is not a synonym of a path field.
      if (e.via === 'path_to_name') continue;
      for (const t of e.target) {
        const k = t.toLowerCase();
        if (k === e.sigma.toLowerCase() || splitColumns.has(k)) continue;
        const list = idx.get(k) ?? [];
        if (!list.includes(e.sigma)) list.push(e.sigma);
        idx.set(k, list);
      }
    }
  }
  cache = { generation: registryGeneration(), index: idx };
  return idx;
}

/**
 * The Sigma/Sysmon name of a vendor field (`FolderPath` → `Image`, `ProcessCommandLine` →
 * `CommandLine`); a name no pipeline maps to is returned unchanged. Where a vendor column
 * stands for several Sigma fields (Defender `FolderPath` is `Image` in process events and
 * `TargetFilename` in file events), the first declared mapping wins — see `canonicalFields`.
 */
export function canonicalField(name: string): string {
  return index().get(name.toLowerCase())?.[0] ?? fromTemplate(name) ?? name;
}

/** Fields mapped by a `field_template` (`EventData.{field}`) read back through the template. */
function fromTemplate(name: string): string | undefined {
  for (const spec of listPipelines()) {
    for (const t of spec.transformations) {
      if (t.type !== 'field_template') continue;
      const [pre, post] = t.template.split('{field}') as [string, string];
      if (name.length > pre.length + post.length && name.startsWith(pre) && name.endsWith(post))
        return name.slice(pre.length, name.length - post.length);
    }
  }
  return undefined;
}

/** Every Sigma field a vendor field stands for, first declared first. */
export function canonicalFields(name: string): string[] {
  const t = fromTemplate(name);
  return index().get(name.toLowerCase()) ?? [t ?? name];
}
