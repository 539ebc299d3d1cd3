/** ATT&CK tags (`attack.persistence`, `attack.t1546.003`) → tactics and techniques, for rule formats. */

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
  return { tactics, techniques };
}
