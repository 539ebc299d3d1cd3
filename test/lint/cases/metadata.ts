/** Valid and invalid rules for the metadata checks, with the expected finding locations. */
import { rule, type CheckCase } from '../helpers.js';

// Line numbers refer to the rule built by `rule()` (see helpers.ts): title 1, id 2, status 3,
// description 4, references 5, author 7, date 8, tags 9, logsource 12, detection 15, falsepositives 20, level 22.
export const METADATA_CASES: CheckCase[] = [
  { code: 'M001', valid: [rule()], invalid: [{ input: rule({ id: null }), at: ['rule0.yml:1:1'] }] },
  { code: 'M002', valid: [rule()], invalid: [{ input: rule({ id: 'id: certutil-decode-1' }), at: ['rule0.yml:2:5'] }] },
  {
    code: 'M003',
    valid: [rule({ title: `title: ${'A'.repeat(120)}` })],
    invalid: [{ input: rule({ title: `title: ${'Abc '.repeat(40)}End` }), at: ['rule0.yml:1:8'] }],
  },
  {
    code: 'M004',
    valid: [rule({ title: 'title: Detection Of Certutil Decode' })],
    invalid: [{ input: rule({ title: 'title: Detects Certutil Decode' }), at: ['rule0.yml:1:8'] }],
  },
  {
    code: 'M005',
    valid: [rule({ title: 'title: Certutil Decode Via cmd.exe' })],
    invalid: [{ input: rule({ title: 'title: Certutil Decode.' }), at: ['rule0.yml:1:8'] }],
  },
  {
    code: 'M006',
    valid: [rule({ title: 'title: Decode Of a File via Certutil.exe With /urlcache 2nd Stage' })],
    invalid: [{ input: rule({ title: 'title: Suspicious certutil Decode' }), at: ['rule0.yml:1:8'] }],
  },
  { code: 'M007', valid: [rule()], invalid: [{ input: rule({ date: null }), at: ['rule0.yml:1:1'] }] },
  {
    code: 'M008',
    valid: [rule({ date: 'date: 2024-05-17\nmodified: 2024-06-01' })],
    invalid: [{ input: rule({ date: 'date: 2024-05-17\nmodified: 2023-06-01' }), at: ['rule0.yml:9:11'] }],
  },
  {
    code: 'M009',
    valid: [rule({ date: 'date: 2024-05-17\nmodified: 2024-06-01' })],
    invalid: [{ input: rule({ date: 'modified: 2024-06-01' }), at: ['rule0.yml:8:11'] }],
  },
  {
    code: 'M010',
    valid: [rule({ date: 'date: 2024-05-17\nmodified: 2024-06-01' })],
    invalid: [{ input: rule({ date: 'date: 2024-05-17\nmodified: 2024-05-17' }), at: ['rule0.yml:9:11'] }],
  },
  { code: 'M011', valid: [rule()], invalid: [{ input: rule({ status: null }), at: ['rule0.yml:1:1'] }] },
  {
    code: 'M012',
    valid: [rule({ status: 'status: experimental' })],
    invalid: [{ input: rule({ status: 'status: Testing' }), at: ['rule0.yml:3:9'] }],
  },
  {
    code: 'M013',
    valid: [rule({ status: 'status: stable' })],
    invalid: [{ input: rule({ status: 'status: deprecated' }), at: ['rule0.yml:3:9'] }],
  },
  { code: 'M014', valid: [rule()], invalid: [{ input: rule({ level: null }), at: ['rule0.yml:1:1'] }] },
  {
    code: 'M015',
    valid: [rule({ level: 'level: informational' })],
    invalid: [{ input: rule({ level: 'level: severe' }), at: ['rule0.yml:22:8'] }],
  },
  { code: 'M016', valid: [rule()], invalid: [{ input: rule({ description: null }), at: ['rule0.yml:1:1'] }] },
  {
    code: 'M017',
    valid: [rule({ description: 'description: Certutil decoding.' })],
    invalid: [{ input: rule({ description: 'description: Certutil' }), at: ['rule0.yml:4:14'] }],
  },
  {
    code: 'M018',
    valid: [rule({ description: 'description: See https://example.org/post for details.' })],
    invalid: [
      {
        input: rule({ description: 'description: See https://example.org/post for details.', references: null }),
        at: ['rule0.yml:4:14'],
      },
    ],
  },
  {
    code: 'M019',
    valid: [rule()],
    invalid: [
      {
        input: rule({ references: 'references:\n    - https://a.example/x\n    - https://a.example/x' }),
        at: ['rule0.yml:6:5'],
      },
    ],
  },
  {
    code: 'M020',
    valid: [
      rule({
        references:
          'references:\n    - https://github.com/SigmaHQ/sigma/blob/bd2a4c37efde5f69f87040173e990f1f6ff9e234/README.md\n    - https://github.com/SigmaHQ/sigma',
      }),
    ],
    invalid: [
      {
        input: rule({ references: 'references:\n    - https://github.com/SigmaHQ/sigma/blob/master/README.md' }),
        at: ['rule0.yml:6:5'],
      },
    ],
  },
  {
    code: 'M021',
    valid: [rule()],
    invalid: [
      {
        input: rule({ references: 'references:\n    - https://attack.mitre.org/techniques/T1140/' }),
        at: ['rule0.yml:6:5'],
      },
    ],
  },
  { code: 'M022', valid: [rule()], invalid: [{ input: rule({ author: null }), at: ['rule0.yml:1:1'] }] },
  {
    code: 'M023',
    valid: [rule({ falsepositives: 'falsepositives:\n    - Legitimate admin scripts\n    - 3rd party tools' })],
    invalid: [
      { input: rule({ falsepositives: 'falsepositives:\n    - legitimate admin scripts' }), at: ['rule0.yml:21:5'] },
    ],
  },
  {
    code: 'M024',
    valid: [
      rule({ falsepositives: 'falsepositives:\n    - Unknown\n    - Nonexistent tools' }),
      rule({ falsepositives: 'falsepositives:\n    - constructor __proto__ toString hasOwnProperty' }),
    ],
    invalid: [
      {
        input: rule({ falsepositives: 'falsepositives:\n    - None\n    - Unkown admin tools' }),
        at: ['rule0.yml:21:5', 'rule0.yml:21:5'],
      },
    ],
  },
  {
    code: 'M025',
    valid: [rule()],
    invalid: [{ input: rule({ references: 'reference:\n    - https://example.org/a' }), at: ['rule0.yml:6:5'] }],
  },
  {
    code: 'M026',
    valid: [rule({ level: 'level: medium\nsigil:\n    disable: [D009]' })],
    invalid: [{ input: rule({ level: 'level: medium\nseverity: high' }), at: ['rule0.yml:23:11'] }],
  },
];
