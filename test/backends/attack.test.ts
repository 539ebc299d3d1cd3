/**
 * ATT&CK tags for rule formats: v19 tactics become Defense Evasion (Sentinel and Defender have no
 * Stealth yet), and a technique none of whose tactics the rule names brings its own, so that
 * Azure-Sentinel's template validation (NoTechniquesWithoutMatchingTactics) accepts every rule.
 */
import { describe, expect, it } from 'vitest';
import attack from '../../src/data/attack/attack.json' with { type: 'json' };
import { attackInfo } from '../../src/backends/attack.js';
import { parsedCorpus, RULE_DIRS } from '../helpers/corpus.js';

const SENTINEL: Record<string, string> = {
  'privilege-escalation': 'PrivilegeEscalation',
  persistence: 'Persistence',
  'defense-evasion': 'DefenseEvasion',
};

describe('attackInfo', () => {
  it('writes the v19 tactics as Defense Evasion', () => {
    expect(attackInfo(['attack.stealth', 'attack.t1564.004'])).toEqual({
      tactics: ['DefenseEvasion'],
      techniques: ['T1564.004'],
    });
    expect(attackInfo(['attack.defense-impairment']).tactics).toEqual(['DefenseEvasion']);
  });

  it('adds the tactics of a technique whose tactics the rule does not name', () => {
    const own = attack.techniques['T1546.003'].tactics.map((t) => SENTINEL[t]);
    expect(attackInfo(['attack.t1546.003']).tactics).toEqual(own);
    expect(attackInfo(['attack.execution', 'attack.t1546.003']).tactics).toEqual(['Execution', ...own]);
    expect(attackInfo(['attack.persistence', 'attack.t1546.003']).tactics).toEqual(['Persistence']);
  });

  it('leaves a technique the ATT&CK data does not know as it is', () => {
    expect(attackInfo(['attack.t1685'])).toEqual({ tactics: [], techniques: ['T1685'] });
  });

  it('over SigmaHQ: every known technique has one of its tactics among the rule’s', () => {
    const techniques: Record<string, { tactics: string[] }> = attack.techniques;
    let checked = 0;
    const missing: string[] = [];
    for (const { file, result } of parsedCorpus(RULE_DIRS, { schema: false }))
      for (const d of result.documents) {
        if (!d.document) continue;
        const info = attackInfo(d.document.tags);
        for (const id of info.techniques) {
          const own = (techniques[id] ?? techniques[id.split('.')[0]!])?.tactics;
          if (!own) continue;
          checked++;
          const names = own.map((t) => t.replace(/(^|-)([a-z])/g, (_, _d: string, c: string) => c.toUpperCase()));
          if (!names.some((n) => info.tactics.includes(n))) missing.push(`${file}: ${id}`);
        }
      }
    expect(checked).toBeGreaterThan(3000);
    expect(missing).toEqual([]);
  });
});
