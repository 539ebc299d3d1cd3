/** Valid and invalid rules for the logsource checks, with the expected finding locations. */
import { rule, type CheckCase } from '../helpers.js';

const ls = (body: string): Record<string, string> => ({ logsource: 'logsource:\n' + body });
const det = (body: string): Record<string, string> => ({ detection: 'detection:\n' + body });

export const LOGSOURCE_CASES: CheckCase[] = [
  {
    code: 'L001',
    valid: [rule(), rule(ls('    product: aws\n    service: cloudtrail'))],
    invalid: [{ input: rule(ls('    category: process_creations\n    product: windows')), at: ['rule0.yml:13:5'] }],
  },
  {
    code: 'L002',
    valid: [
      rule(),
      rule({
        ...ls('    product: windows\n    service: security'),
        ...det('    selection:\n        EventID: 4624\n    condition: selection'),
      }),
    ],
    invalid: [
      {
        input: rule({
          ...ls('    product: windows\n    service: sysmon'),
          ...det('    selection:\n        EventID: 1\n        Image|endswith: x.exe\n    condition: selection'),
        }),
        at: ['rule0.yml:17:18'],
      },
    ],
  },
  {
    code: 'L003',
    valid: [
      rule({
        ...ls('    product: windows\n    service: sysmon'),
        ...det('    selection:\n        EventID: 255\n    condition: selection'),
      }),
    ],
    invalid: [
      {
        input: rule({
          ...ls('    product: windows\n    service: sysmon'),
          ...det('    selection:\n        RuleName: technique_id=T1055\n    condition: selection'),
        }),
        at: ['rule0.yml:13:5'],
      },
    ],
  },
  {
    code: 'L004',
    valid: [
      rule(
        ls('    category: process_creation\n    product: windows\n    definition: Sysmon config with process creation'),
      ),
    ],
    invalid: [{ input: rule(ls('    product: windows\n    categroy: process_creation')), at: ['rule0.yml:13:5'] }],
  },
  {
    code: 'L005',
    valid: [
      rule(),
      rule({
        ...ls('    product: windows\n    service: security'),
        ...det('    selection:\n        EventID: 4688\n    condition: selection'),
      }),
    ],
    invalid: [
      {
        input: rule(
          det("    selection:\n        EventID: 1\n        Image|endswith: '\\certutil.exe'\n    condition: selection"),
        ),
        at: ['rule0.yml:17:9'],
      },
    ],
  },
];
