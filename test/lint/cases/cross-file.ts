/** Valid and invalid rules for the cross-file checks, with the expected finding locations. */
import { rule, type CheckCase } from '../helpers.js';

const other = { id: 'id: 9b0e61a2-54f5-4c6f-bd9e-7d8d5c4b3a21', title: 'title: Certutil URL Cache Download' };
const otherDetection = {
  ...other,
  detection:
    "detection:\n    selection:\n        Image|endswith: '\\certutil.exe'\n        CommandLine|contains: '-urlcache'\n    condition: selection",
};

export const CROSS_FILE_CASES: CheckCase[] = [
  {
    code: 'X001',
    valid: [
      [
        { file: 'a.yml', text: rule() },
        { file: 'b.yml', text: rule(otherDetection) },
      ],
    ],
    invalid: [
      {
        input: [
          { file: 'a.yml', text: rule() },
          { file: 'b.yml', text: rule({ title: other.title, detection: otherDetection.detection }) },
        ],
        at: ['a.yml:2:5', 'b.yml:2:5'],
      },
    ],
  },
  {
    code: 'X002',
    valid: [
      [
        { file: 'a.yml', text: rule() },
        { file: 'b.yml', text: rule(otherDetection) },
      ],
    ],
    invalid: [
      {
        input: [
          { file: 'a.yml', text: rule() },
          { file: 'b.yml', text: rule({ id: other.id, detection: otherDetection.detection }) },
        ],
        at: ['a.yml:1:8', 'b.yml:1:8'],
      },
    ],
  },
  {
    code: 'X003',
    valid: [
      [
        { file: 'a.yml', text: rule() },
        { file: 'b.yml', text: rule(otherDetection) },
      ],
    ],
    // Same logic written differently (order of fields, list vs value, case): still a duplicate.
    invalid: [
      {
        input: [
          { file: 'a.yml', text: rule() },
          {
            file: 'b.yml',
            text: rule({
              ...other,
              detection:
                "detection:\n    sel:\n        CommandLine|contains:\n            - '-DECODE'\n        Image|endswith: '\\certutil.exe'\n    condition: sel",
            }),
          },
        ],
        at: ['a.yml:16:5', 'b.yml:16:5'],
      },
    ],
  },
  {
    code: 'X004',
    valid: [
      [
        { file: 'rules/a.yml', text: rule() },
        { file: 'rules/b.yml', text: rule(otherDetection) },
      ],
    ],
    invalid: [
      {
        input: [
          { file: 'rules/a.yml', text: rule() },
          { file: 'hunting/a.yml', text: rule(otherDetection) },
        ],
        at: ['rules/a.yml:1:1', 'hunting/a.yml:1:1'],
      },
    ],
  },
];
