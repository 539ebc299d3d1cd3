/**
 * ATT&CK tags (`attack.persistence`, `attack.t1546.003`) → tactics and techniques, for rule formats
 * (Sentinel's `tactics`/`relevantTechniques`, Defender's category). Consumers reject a technique
 * none of whose tactics the rule names (Azure-Sentinel's NoTechniquesWithoutMatchingTactics), so
 * such a technique brings its tactics from the ATT&CK data.
 */
import techniqueTactics from '../data/technique-tactics.json' with { type: 'json' };

/** Technique id → ATT&CK tactic shortnames (`defense-evasion`), from the bundled snapshot. */
const TECHNIQUE_TACTICS: Readonly<Record<string, readonly string[]>> = techniqueTactics;

/** Sigma tactic tag → ATT&CK tactic name as Microsoft Sentinel writes it (CamelCase). */
const TACTICS: Record<string, string> = {
  reconnaissance: 'Reconnaissance',
  resource_development: 'ResourceDevelopment',
  initial_access: 'InitialAccess',
  execution: 'Execution',
  persistence: 'Persistence',
  privilege_escalation: 'PrivilegeEscalation',
  defense_evasion: 'DefenseEvasion',
  credential_access: 'CredentialAccess',
  discovery: 'Discovery',
  lateral_movement: 'LateralMovement',
  collection: 'Collection',
  command_and_control: 'CommandAndControl',
  exfiltration: 'Exfiltration',
  impact: 'Impact',
  // ATT&CK v19 split Defense Evasion into Stealth and Defense Impairment; Sentinel's and Defender's
  // tactic lists do not have them yet, so both are written as Defense Evasion, where v18 had them.
  stealth: 'DefenseEvasion',
  defense_impairment: 'DefenseEvasion',
};

export interface AttackInfo {
  tactics: string[];
  techniques: string[];
}

export function attackInfo(tags: readonly string[] | undefined): AttackInfo {
  const tactics: string[] = [];
  const techniques: string[] = [];
  for (const raw of tags ?? []) {
    const tag = raw.toLowerCase();
    if (!tag.startsWith('attack.')) continue;
    const rest = tag.slice(7);
    const t = /^t(\d{4})(?:\.(\d{3}))?$/.exec(rest);
    if (t) {
      const id = `T${t[1]}${t[2] ? '.' + t[2] : ''}`;
      if (!techniques.includes(id)) techniques.push(id);
      continue;
    }
    const tactic = TACTICS[rest.replace(/-/g, '_')];
    if (tactic && !tactics.includes(tactic)) tactics.push(tactic);
  }
  for (const id of techniques) {
    const own = TECHNIQUE_TACTICS[id] ?? TECHNIQUE_TACTICS[id.split('.')[0]!] ?? [];
    const names = own.map((t) => TACTICS[t.replace(/-/g, '_')]).filter((t): t is string => t !== undefined);
    if (names.some((t) => tactics.includes(t))) continue;
    for (const t of names) if (!tactics.includes(t)) tactics.push(t);
  }
  return { tactics, techniques };
}
