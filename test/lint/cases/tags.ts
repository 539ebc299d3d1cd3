/** Valid and invalid rules for the tags checks, with the expected finding locations. */
import { rule, type CheckCase } from '../helpers.js';

const tags = (...t: string[]): Record<string, string> => ({ tags: 'tags:\n' + t.map((x) => `    - ${x}`).join('\n') });

export const TAG_CASES: CheckCase[] = [
  {
    code: 'T001',
    valid: [rule(tags('attack.t1059.001', 'cve.2021-44228', 'attack.defense-evasion'))],
    invalid: [{ input: rule(tags('attack.T1059.001', 'attack execution')), at: ['rule0.yml:10:5', 'rule0.yml:10:5'] }],
  },
  {
    code: 'T002',
    valid: [rule(tags('attack.execution', 'car.2016-04-005', 'tlp.clear', 'stp.2a', 'detection.dfir', 'd3fend.d3-pa'))],
    invalid: [{ input: rule(tags('mitre.t1059', 'attack.execution')), at: ['rule0.yml:10:5'] }],
  },
  {
    code: 'T003',
    valid: [rule()],
    invalid: [{ input: rule(tags('attack.execution', 'attack.execution')), at: ['rule0.yml:10:5'] }],
  },
  {
    code: 'T004',
    // Mistakes: malformed ids, a near-miss of a tactic, an id inside the snapshot's range that
    // ATT&CK never had. Ids shaped like a newer release's (stealth, T1685) are T010, not T004.
    valid: [
      rule(tags('attack.persistence', 'attack.t1546.003', 'attack.g0016', 'attack.s0002', 'attack.c0001')),
      rule(tags('attack.stealth', 'attack.t1685', 'attack.t1059.099', 'attack.g9999')),
    ],
    invalid: [
      {
        input: rule(tags('attack.persistance', 'attack.t1059.0001', 'attack.t1000', 'attack.g0002x')),
        at: ['rule0.yml:10:5', 'rule0.yml:10:5', 'rule0.yml:10:5', 'rule0.yml:10:5'],
      },
    ],
  },
  {
    code: 'T010',
    valid: [rule(tags('attack.persistence', 'attack.t1546.003', 'attack.persistance', 'attack.t1000'))],
    // v19 ids unknown to the v18.1 snapshot: notes naming the version.
    invalid: [
      {
        input: rule(
          tags('attack.stealth', 'attack.defense-impairment', 'attack.t1685', 'attack.t1059.099', 'attack.g9999'),
        ),
        at: ['rule0.yml:10:5', 'rule0.yml:10:5', 'rule0.yml:10:5', 'rule0.yml:10:5', 'rule0.yml:10:5'],
      },
    ],
  },
  {
    code: 'T005',
    valid: [rule(tags('attack.persistence', 'attack.t1546.003'))],
    invalid: [{ input: rule(tags('attack.persistence', 'attack.t1084')), at: ['rule0.yml:10:5'] }],
  },
  {
    code: 'T006',
    valid: [rule(tags('attack.persistence', 'attack.t1546.003')), rule(tags('attack.stealth', 'attack.t1027'))],
    invalid: [{ input: rule(tags('attack.execution', 'attack.t1546.003')), at: ['rule0.yml:10:5'] }],
  },
  {
    code: 'T007',
    valid: [rule(tags('attack.execution', 'd3fend.d3-pa'))],
    invalid: [{ input: rule(tags('d3fend.d3-nope')), at: ['rule0.yml:10:5'] }],
  },
  {
    code: 'T008',
    valid: [rule(tags('tlp.amber-strict', 'tlp.white'))],
    invalid: [{ input: rule(tags('tlp.yellow')), at: ['rule0.yml:10:5'] }],
  },
  {
    code: 'T009',
    valid: [rule(tags('car.2016-04-005', 'cve.2021-44228', 'detection.threat-hunting', 'stp.1'))],
    invalid: [
      {
        input: rule(tags('cve.CVE-2021-44228', 'detection.hunting', 'stp.9', 'car.2016-4-5')),
        at: ['rule0.yml:10:5', 'rule0.yml:10:5', 'rule0.yml:10:5', 'rule0.yml:10:5'],
      },
    ],
  },
];
