/** Valid and invalid rules for the remaining pySigma-validators-sigmahq checks (D018–D022). */
import { rule, type CheckCase } from '../helpers.js';

const det = (body: string): string => `detection:\n${body}`;

// Line numbers refer to the rule built by `rule()` (see helpers.ts): logsource 12, detection 15.
export const SIGMAHQ_MORE_CASES: CheckCase[] = [
  {
    code: 'D018',
    valid: [
      rule({
        detection: det(
          "    selection_img:\n        Image|endswith: '\\certutil.exe'\n    selection_cli:\n        CommandLine|contains: '-decode'\n    condition: all of selection_*",
        ),
      }),
      rule({
        detection: det(
          "    selection:\n        Image|endswith: '\\certutil.exe'\n    filter:\n        CommandLine|contains: '-x'\n    condition: 1 of them",
        ),
      }),
    ],
    invalid: [
      {
        input: rule({
          detection: det("    selection:\n        Image|endswith: '\\certutil.exe'\n    condition: all of selection"),
        }),
        at: ['rule0.yml:18:16'],
      },
      {
        input: rule({
          detection: det(
            "    selection:\n        Image|endswith: '\\certutil.exe'\n    filter:\n        CommandLine|contains: '-x'\n    condition: 1 of selection and not (1 of filter)",
          ),
        }),
        at: ['rule0.yml:20:16', 'rule0.yml:20:40'],
      },
    ],
  },
  {
    code: 'D019',
    valid: [
      rule(),
      rule({
        detection: det(
          "    selection:\n        Provider_Name: 'Microsoft-Windows-Kernel-General'\n    condition: selection",
        ),
      }),
    ],
    invalid: [
      {
        input: rule({
          detection: det(
            "    selection:\n        Image|endswith: '\\certutil.exe'\n        Provider Name|contains: 'Kernel'\n    condition: selection",
          ),
        }),
        at: ['rule0.yml:18:9'],
      },
    ],
  },
  {
    code: 'D020',
    valid: [
      rule({
        detection: det(
          "    selection:\n        Image|endswith:\n            - '\\rundll32.exe'\n            - '\\regsvr32.exe'\n    condition: selection",
        ),
      }),
      // Case-sensitive modifiers keep values that differ in case apart.
      rule({
        detection: det(
          "    selection:\n        CommandLine|re:\n            - 'Invoke-A'\n            - 'invoke-a'\n        Image|cased|endswith:\n            - 'X.exe'\n            - 'x.exe'\n    condition: selection",
        ),
      }),
      // Keyword lists have no field: not checked.
      rule({ detection: det("    keywords:\n        - 'evil'\n        - 'EVIL'\n    condition: keywords") }),
    ],
    invalid: [
      {
        input: rule({
          detection: det(
            "    selection:\n        Image|endswith:\n            - '\\rundll32.exe'\n            - '\\regsvr32.exe'\n            - '\\Rundll32.exe'\n            - '\\RUNDLL32.exe'\n    condition: selection",
          ),
        }),
        at: ['rule0.yml:20:15'],
      },
      {
        input: rule({
          detection: det(
            "    selection:\n        CommandLine|base64offset|contains:\n            - 'IEX'\n            - 'IEX'\n    condition: selection",
          ),
        }),
        at: ['rule0.yml:19:15'],
      },
    ],
  },
  {
    code: 'D021',
    valid: [
      rule({
        detection: det(
          "    selection:\n        User|contains:\n            - 'AUTHORI'\n            - 'AUTORI'\n    condition: selection",
        ),
      }),
      rule({ detection: det("    selection:\n        Image|contains: 'AUTHORITY'\n    condition: selection") }),
    ],
    invalid: [
      {
        input: rule({
          detection: det("    selection:\n        User: 'NT AUTHORITY\\SYSTEM'\n    condition: selection"),
        }),
        at: ['rule0.yml:17:15'],
      },
      {
        input: rule({
          detection: det(
            "    selection:\n        SubjectUserName|contains:\n            - 'AUTORI'\n    condition: selection",
          ),
        }),
        at: ['rule0.yml:18:15'],
      },
    ],
  },
  {
    code: 'D022',
    valid: [
      rule(),
      rule({
        logsource: 'logsource:\n    product: windows\n    service: ntlm',
        detection: det(
          "    selection:\n        WorkstationName: 'EVIL-PC'\n        EventID: 8001\n    condition: selection",
        ),
      }),
      // windows/security lists only the common Windows fields: SigmaHQ's data has no field list for it.
      rule({
        logsource: 'logsource:\n    product: windows\n    service: security',
        detection: det("    selection:\n        TargetUserName: 'admin'\n    condition: selection"),
      }),
      // No taxonomy entry: nothing to check against.
      rule({
        logsource: 'logsource:\n    product: acme\n    service: audit',
        detection: det("    selection:\n        anything: 'x'\n    condition: selection"),
      }),
    ],
    invalid: [
      {
        input: rule({
          logsource: 'logsource:\n    product: windows\n    service: ntlm',
          detection: det("    selection:\n        WorkstationNam: 'EVIL-PC'\n    condition: selection"),
        }),
        at: ['rule0.yml:17:9'],
      },
      {
        input: rule({
          detection: det(
            "    selection:\n        Image|endswith: '\\certutil.exe'\n        Commandline|contains: '-decode'\n    filter:\n        Commandline: 'x'\n    condition: selection and not filter",
          ),
        }),
        at: ['rule0.yml:18:9', 'rule0.yml:20:9'],
      },
    ],
  },
];
