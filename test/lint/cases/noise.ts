/** Valid and invalid rules for the noise checks, with the expected finding locations. */
import { rule, type CheckCase } from '../helpers.js';

export const NOISE_CASES: CheckCase[] = [
  {
    code: 'N001',
    valid: [rule()],
    invalid: [
      {
        input: rule({
          detection: "detection:\n    selection:\n        Image|endswith: '\\powershell.exe'\n    condition: selection",
        }),
        at: ['rule0.yml:16:5'],
      },
      {
        input: rule({
          logsource: 'logsource:\n    product: windows\n    service: sysmon',
          detection: 'detection:\n    selection:\n        EventID: 20\n    condition: selection',
        }),
        at: ['rule0.yml:16:5'],
      },
    ],
  },
];
