/**
 * Offline MITRE ATT&CK (+ D3FEND) reference data: the snapshot shipped in src/data/attack
 * (ATT&CK v18.1, built by scripts/build-attack-data.mjs), or a newer STIX bundle
 * (enterprise-attack.json) the CLI reads and passes in parsed.
 */
import snapshot from '../data/attack/attack.json' with { type: 'json' };

interface TechniqueInfo {
  name: string;
  tactics: string[];
  revoked?: boolean;
  deprecated?: boolean;
  replacedBy?: string;
  /** D3FEND class lineage paths (labels), e.g. [["Event Triggered Execution", "Persistence Technique", …]]. */
  d3fend?: string[][];
  /** D3FEND defensive technique ids that counter it. */
  defenses?: string[];
}

export type NamedEntry =
  string | { name: string; revoked?: boolean; deprecated?: boolean; replaced_by?: string | null };

export interface AttackData {
  /** Shown in findings about unknown ids, e.g. `v18.1`. */
  version: string;
  /** Tactic shortname (`persistence`) → id and name. */
  tactics: Record<string, { id: string; name: string }>;
  /** Technique id (`T1546.003`) → info. */
  techniques: Record<string, TechniqueInfo>;
  groups: Record<string, NamedEntry>;
  software: Record<string, NamedEntry>;
  campaigns: Record<string, NamedEntry>;
  mitigations: Record<string, NamedEntry>;
  d3fend: { tags: string[]; techniques: Record<string, string> };
}

export const BUILTIN_ATTACK: AttackData = snapshot as AttackData;

export function entryName(e: NamedEntry): string {
  return typeof e === 'string' ? e : e.name;
}

interface StixObject {
  type: string;
  id: string;
  name?: string;
  revoked?: boolean;
  x_mitre_deprecated?: boolean;
  x_mitre_shortname?: string;
  x_mitre_version?: string;
  relationship_type?: string;
  source_ref?: string;
  target_ref?: string;
  kill_chain_phases?: { kill_chain_name: string; phase_name: string }[];
  external_references?: { source_name: string; external_id?: string }[];
}

/**
 * Reads a STIX 2.x bundle in MITRE's enterprise-attack.json format. D3FEND lineage is not in
 * ATT&CK bundles: it is kept from the built-in snapshot for techniques it knows.
 * Returns an error message for input that is not such a bundle.
 */
export function attackDataFromStix(bundle: unknown, base: AttackData = BUILTIN_ATTACK): AttackData | string {
  const objects = (bundle as { objects?: unknown })?.objects;
  if (!Array.isArray(objects)) return 'not a STIX bundle (no "objects" array)';
  const byRef = new Map<string, StixObject>();
  const mitreId = (o: StixObject): string | undefined =>
    o.external_references?.find((r) => r.source_name === 'mitre-attack')?.external_id;
  for (const o of objects as StixObject[]) if (o && typeof o.id === 'string') byRef.set(o.id, o);
  const revokedBy = new Map<string, string>();
  for (const o of byRef.values())
    if (o.type === 'relationship' && o.relationship_type === 'revoked-by' && o.source_ref && o.target_ref)
      revokedBy.set(o.source_ref, o.target_ref);
  const finalTarget = (ref: string): string | undefined => {
    let cur = ref;
    for (let i = 0; i < 20 && revokedBy.has(cur); i++) cur = revokedBy.get(cur)!;
    return cur === ref ? undefined : cur;
  };
  const data: AttackData = {
    version: 'custom',
    tactics: {},
    techniques: {},
    groups: {},
    software: {},
    campaigns: {},
    mitigations: {},
    d3fend: base.d3fend,
  };
  let version: string | undefined;
  for (const o of byRef.values()) {
    const id = mitreId(o);
    if (o.type === 'x-mitre-collection' && o.x_mitre_version) version = o.x_mitre_version;
    if (!id || !o.name) continue;
    const retired = (): NamedEntry => {
      if (!o.revoked && !o.x_mitre_deprecated) return o.name!;
      const t = o.revoked ? finalTarget(o.id) : undefined;
      const rid = t ? mitreId(byRef.get(t)!) : undefined;
      return { name: o.name!, revoked: !!o.revoked, deprecated: !!o.x_mitre_deprecated, replaced_by: rid ?? null };
    };
    switch (o.type) {
      case 'x-mitre-tactic':
        if (o.x_mitre_shortname) data.tactics[o.x_mitre_shortname] = { id, name: o.name };
        break;
      case 'attack-pattern': {
        const info: TechniqueInfo = {
          name: o.name,
          tactics: (o.kill_chain_phases ?? [])
            .filter((k) => k.kill_chain_name === 'mitre-attack')
            .map((k) => k.phase_name),
        };
        if (o.revoked) info.revoked = true;
        if (o.x_mitre_deprecated) info.deprecated = true;
        if (o.revoked) {
          const t = finalTarget(o.id);
          const rid = t ? mitreId(byRef.get(t)!) : undefined;
          if (rid) info.replacedBy = rid;
        }
        const known = base.techniques[id];
        if (known?.d3fend) info.d3fend = known.d3fend;
        if (known?.defenses) info.defenses = known.defenses;
        data.techniques[id] = info;
        break;
      }
      case 'intrusion-set':
        data.groups[id] = retired();
        break;
      case 'malware':
      case 'tool':
        data.software[id] = retired();
        break;
      case 'campaign':
        data.campaigns[id] = retired();
        break;
      case 'course-of-action':
        if (/^M\d{4}$/.test(id)) data.mitigations[id] = retired();
        break;
    }
  }
  if (Object.keys(data.techniques).length === 0) return 'the bundle has no ATT&CK techniques (attack-pattern objects)';
  data.version = version ? `v${version}` : 'custom';
  return data;
}
