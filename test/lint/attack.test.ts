import { describe, expect, it } from 'vitest';
import { attackDataFromStix, BUILTIN_ATTACK } from '../../src/lint/attack.js';
import { findingsOf, lintTexts, rule } from './helpers.js';

const ext = (id: string) => [{ source_name: 'mitre-attack', external_id: id }];
/** A minimal enterprise-attack.json-style bundle of a newer release (v19-like ids). */
const bundle = {
  type: 'bundle',
  objects: [
    { type: 'x-mitre-collection', id: 'x-mitre-collection--1', name: 'Enterprise ATT&CK', x_mitre_version: '19.0' },
    {
      type: 'x-mitre-tactic',
      id: 'x-mitre-tactic--1',
      name: 'Stealth',
      x_mitre_shortname: 'stealth',
      external_references: ext('TA0112'),
    },
    {
      type: 'x-mitre-tactic',
      id: 'x-mitre-tactic--2',
      name: 'Persistence',
      x_mitre_shortname: 'persistence',
      external_references: ext('TA0003'),
    },
    {
      type: 'attack-pattern',
      id: 'attack-pattern--new',
      name: 'New Technique',
      kill_chain_phases: [{ kill_chain_name: 'mitre-attack', phase_name: 'stealth' }],
      external_references: ext('T1685'),
    },
    {
      type: 'attack-pattern',
      id: 'attack-pattern--wmi',
      name: 'WMI Event Subscription',
      kill_chain_phases: [{ kill_chain_name: 'mitre-attack', phase_name: 'persistence' }],
      external_references: ext('T1546.003'),
    },
    {
      type: 'attack-pattern',
      id: 'attack-pattern--old',
      name: 'Old WMI',
      revoked: true,
      external_references: ext('T1084'),
    },
    {
      type: 'attack-pattern',
      id: 'attack-pattern--older',
      name: 'Older WMI',
      revoked: true,
      external_references: ext('T1000'),
    },
    {
      type: 'relationship',
      id: 'relationship--1',
      relationship_type: 'revoked-by',
      source_ref: 'attack-pattern--older',
      target_ref: 'attack-pattern--old',
    },
    {
      type: 'relationship',
      id: 'relationship--2',
      relationship_type: 'revoked-by',
      source_ref: 'attack-pattern--old',
      target_ref: 'attack-pattern--wmi',
    },
    { type: 'intrusion-set', id: 'intrusion-set--1', name: 'APT Test', external_references: ext('G0001') },
    { type: 'malware', id: 'malware--1', name: 'Evil', external_references: ext('S0001') },
    { type: 'tool', id: 'tool--1', name: 'Tool', x_mitre_deprecated: true, external_references: ext('S0002') },
    { type: 'campaign', id: 'campaign--1', name: 'Op', external_references: ext('C0001') },
  ],
};

describe('ATT&CK data', () => {
  it('the built-in snapshot is ATT&CK v18.1 Enterprise with D3FEND lineage', () => {
    expect(BUILTIN_ATTACK.version).toBe('v18.1');
    expect(BUILTIN_ATTACK.techniques['T1084']).toMatchObject({ revoked: true, replacedBy: 'T1546.003' });
    expect(BUILTIN_ATTACK.techniques['T1546.003']!.d3fend!.length).toBe(2);
    expect(Object.keys(BUILTIN_ATTACK.tactics)).toHaveLength(14);
    expect(BUILTIN_ATTACK.techniques['T1685']).toBeUndefined();
  });

  it('reads a STIX bundle: tactics, techniques, revoked-by chains to the final target, groups, software, campaigns', () => {
    const data = attackDataFromStix(bundle);
    if (typeof data === 'string') throw new Error(data);
    expect(data.version).toBe('v19.0');
    expect(data.tactics['stealth']).toEqual({ id: 'TA0112', name: 'Stealth' });
    expect(data.techniques['T1685']!.tactics).toEqual(['stealth']);
    expect(data.techniques['T1000']!.replacedBy).toBe('T1546.003');
    expect(data.techniques['T1546.003']!.d3fend).toEqual(BUILTIN_ATTACK.techniques['T1546.003']!.d3fend);
    expect(data.groups['G0001']).toBe('APT Test');
    expect(data.software['S0002']).toMatchObject({ deprecated: true });
    expect(data.campaigns['C0001']).toBe('Op');
    expect(attackDataFromStix({ nope: 1 })).toContain('not a STIX bundle');
    expect(attackDataFromStix({ objects: [] })).toContain('no ATT&CK techniques');
  });

  it('v19 tags are notes (T010, possibly newer) against the built-in snapshot and pass with --attack-data of the newer release', () => {
    const text = rule({ tags: 'tags:\n    - attack.stealth\n    - attack.t1685' });
    const r = lintTexts([text]);
    expect(findingsOf(r, 'T004')).toEqual([]);
    expect(findingsOf(r, 'T010')).toHaveLength(2);
    const note = r.documents[0]!.findings.find((f) => f.code === 'T010')!;
    expect(note.severity).toBe('info');
    expect(note.message).toContain('ATT&CK v18.1');
    const data = attackDataFromStix(bundle);
    if (typeof data === 'string') throw new Error(data);
    expect(findingsOf(lintTexts([text], { attack: data }), 'T010')).toEqual([]);
  });

  it('a near-miss of a tactic is a warning with the fix (T004)', () => {
    const r = lintTexts([rule({ tags: 'tags:\n    - attack.persistance' })]);
    const f = r.documents[0]!.findings.find((x) => x.code === 'T004')!;
    expect(f.severity).toBe('warning');
    expect(f.fix).toBe('attack.persistence');
  });

  it('revoked techniques are reported with their replacement', () => {
    const r = lintTexts([rule({ tags: 'tags:\n    - attack.persistence\n    - attack.t1084' })]);
    const f = r.documents[0]!.findings.find((x) => x.code === 'T005')!;
    expect(f.message).toContain('use attack.t1546.003');
    expect(f.fix).toBe('attack.t1546.003');
  });
});
