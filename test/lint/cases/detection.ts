/** Valid and invalid rules for the detection checks, with the expected finding locations. */
import { rule, type CheckCase } from '../helpers.js';

const det = (body: string): Record<string, string> => ({ detection: 'detection:\n' + body });

// The detection starts on line 15; its first identifier's first field is on line 17, column 9.
export const DETECTION_CASES: CheckCase[] = [
  {
    code: 'D001',
    valid: [
      rule(
        det(
          "    selection:\n        Image|endswith: '\\a.exe'\n    selection2:\n        Image|endswith: '\\b.exe'\n    condition: 1 of them",
        ),
      ),
    ],
    invalid: [
      {
        input: rule(det("    selection:\n        Image|endswith: '\\a.exe'\n    condition: 1 of them")),
        at: ['rule0.yml:16:5'],
      },
    ],
  },
  {
    code: 'D002',
    valid: [
      rule(
        det(
          "    selection_a:\n        Image|endswith: '\\a.exe'\n    selection_b:\n        CommandLine|contains: x\n    condition: all of selection_*",
        ),
      ),
    ],
    invalid: [
      {
        input: rule(
          det(
            "    selection_a:\n        Image|endswith: '\\a.exe'\n    selection_b:\n        CommandLine|contains: x\n    condition: all of them",
          ),
        ),
        at: ['rule0.yml:20:16'],
      },
    ],
  },
  {
    code: 'D003',
    valid: [
      rule(
        det(
          "    selection:\n        CommandLine|contains|all:\n            - '-decode'\n            - '.txt'\n    condition: selection",
        ),
      ),
      rule(
        det(
          "    selection:\n        CommandLine|startswith|all:\n            - 'a'\n            - 'ab'\n    condition: selection",
        ),
      ),
    ],
    invalid: [
      {
        input: rule(
          det(
            "    selection:\n        CommandLine|all:\n            - '-decode'\n            - '.txt'\n    condition: selection",
          ),
        ),
        at: ['rule0.yml:17:9'],
      },
    ],
  },
  {
    code: 'D004',
    valid: [
      rule(det('    selection:\n        CommandLine|base64offset|contains: Invoke-Mimikatz\n    condition: selection')),
    ],
    invalid: [
      {
        input: rule(det('    selection:\n        CommandLine|base64offset: Invoke-Mimikatz\n    condition: selection')),
        at: ['rule0.yml:17:9'],
      },
    ],
  },
  {
    code: 'D005',
    valid: [rule(det("    selection:\n        CommandLine|windash|contains: ' -enc '\n    condition: selection"))],
    invalid: [
      {
        input: rule(
          det(
            "    selection:\n        CommandLine|windash|contains|all:\n            - ' -enc '\n            - ' -nop '\n    condition: selection",
          ),
        ),
        at: ['rule0.yml:17:9'],
      },
    ],
  },
  {
    code: 'D006',
    valid: [rule(det('    selection:\n        CommandLine|exists: true\n    condition: selection'))],
    invalid: [
      {
        input: rule(
          det("    selection:\n        Image|endswith: '\\a.exe'\n        CommandLine: '*'\n    condition: selection"),
        ),
        at: ['rule0.yml:18:22'],
      },
    ],
  },
  {
    code: 'D007',
    valid: [rule()],
    invalid: [
      {
        input: rule(det("    selection:\n        CommandLine: '*certutil**decode*'\n    condition: selection")),
        at: ['rule0.yml:17:22'],
      },
    ],
  },
  {
    code: 'D008',
    valid: [rule(), rule(det("    selection:\n        CommandLine: '*a*b*'\n    condition: selection"))],
    invalid: [
      {
        input: rule(det("    selection:\n        Image: '*\\certutil.exe'\n    condition: selection")),
        at: ['rule0.yml:17:9'],
      },
      {
        input: rule(
          det(
            "    selection:\n        CommandLine:\n            - '*decode*'\n            - '*urlcache*'\n    condition: selection",
          ),
        ),
        at: ['rule0.yml:17:9'],
      },
      {
        input: rule(det("    selection:\n        Image: 'C:\\Windows\\\\*'\n    condition: selection")),
        at: ['rule0.yml:17:9'],
      },
    ],
  },
  {
    code: 'D009',
    valid: [rule()],
    invalid: [
      {
        input: rule(
          det("    selection:\n        TargetFilename|startswith: 'C:\\Users\\*\\AppData'\n    condition: selection"),
        ),
        at: ['rule0.yml:17:36'],
      },
    ],
  },
  {
    code: 'D010',
    valid: [
      rule(
        det('    selection:\n        EventID: 4688\n        CommandLine|contains: "1234"\n    condition: selection'),
      ),
    ],
    invalid: [
      {
        input: rule(det("    selection:\n        EventID: '4688'\n    condition: selection")),
        at: ['rule0.yml:17:18'],
      },
    ],
  },
  {
    code: 'D011',
    valid: [rule(det("    selection:\n        Image|startswith: 'C:\\temp\\'\n    condition: selection"))],
    invalid: [
      {
        input: rule(det('    selection:\n        Image|startswith: "C:\\temp\\\\"\n    condition: selection')),
        at: ['rule0.yml:17:27'],
      },
    ],
  },
  {
    code: 'D012',
    valid: [rule(det("    selection:\n        CommandLine|re: 'powershell.*-enc'\n    condition: selection"))],
    invalid: [
      {
        input: rule(
          det("    selection:\n        CommandLine|re: 'powershell(?!.*-NoProfile)'\n    condition: selection"),
        ),
        at: ['rule0.yml:17:25'],
      },
    ],
  },
  {
    code: 'D013',
    valid: [
      rule(),
      rule({
        logsource: 'logsource:\n    product: windows\n    service: security',
        ...det('    selection:\n        EventID: 4624\n        LogonType: 10\n    condition: selection'),
      }),
    ],
    invalid: [
      {
        input: rule(
          det(
            "    selection:\n        Commandline|contains: '-decode'\n        FolderPath|endswith: x.exe\n    condition: selection",
          ),
        ),
        at: ['rule0.yml:17:9', 'rule0.yml:18:9'],
      },
    ],
  },
];
