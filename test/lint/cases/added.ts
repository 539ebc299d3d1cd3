/** Valid and invalid rules for the checks that complete pySigma / SigmaHQ parity (M027–M030, D014–D017, L006, X005). */
import { rule, type CheckCase } from '../helpers.js';

/** A date `days` before today (UTC), as YYYY-MM-DD. */
function daysAgo(days: number): string {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - days * 86_400_000)
    .toISOString()
    .slice(0, 10);
}

const det = (body: string): string => `detection:\n${body}`;
const winLog = (category: string): string => `logsource:\n    category: ${category}\n    product: windows`;
const CORRELATION =
  'title: Many Certutil Decodes\nid: 0b5f3f3e-1c9a-4f8e-9a7b-2d4c6e8f0a1b\nstatus: test\ncorrelation:\n    type: event_count\n    rules:\n        - 3c1b2f0e-8a4d-4e5b-9c6d-7e8f9a0b1c2d\n    group-by:\n        - User\n    timespan: 1h\n    condition:\n        gte: 5\nlevel: high\n';

// Line numbers refer to the rule built by `rule()` (see helpers.ts): status 3, logsource 12, detection 15.
export const ADDED_CASES: CheckCase[] = [
  {
    code: 'M027',
    valid: [
      rule({ status: 'status: experimental', date: `date: ${daysAgo(3)}` }),
      rule({ status: 'status: test', date: `date: ${daysAgo(61)}` }),
      rule({
        status: 'status: stable',
        date: `date: ${daysAgo(3)}\nregression_tests_path: regression_data/rules/x/info.yml`,
      }),
    ],
    invalid: [
      { input: rule({ status: 'status: test', date: `date: ${daysAgo(60)}` }), at: ['rule0.yml:3:9'] },
      { input: rule({ status: 'status: stable', date: `date: ${daysAgo(0)}` }), at: ['rule0.yml:3:9'] },
    ],
  },
  {
    code: 'M028',
    valid: [
      [{ file: 'rules/windows/proc_creation_win_certutil_decode.yml', text: rule() }],
      [{ file: 'rules/abcdef.yml', text: rule() }],
    ],
    invalid: [
      { input: [{ file: 'rules/a_b.yml', text: rule() }], at: ['rules/a_b.yml:1:1'] },
      { input: [{ file: `rules/${'x'.repeat(87)}.yml`, text: rule() }], at: [`rules/${'x'.repeat(87)}.yml:1:1`] },
    ],
  },
  {
    code: 'M029',
    valid: [[{ file: 'C:\\sigma\\rules\\proc_creation_win_certutil.yml', text: rule() }]],
    invalid: [
      { input: [{ file: 'rules/Certutil-Decode.yml', text: rule() }], at: ['rules/Certutil-Decode.yml:1:1'] },
      { input: [{ file: 'rules/certutildecode.yml', text: rule() }], at: ['rules/certutildecode.yml:1:1'] },
      {
        input: [{ file: 'rules/proc_creation_win_certutil.yaml', text: rule() }],
        at: ['rules/proc_creation_win_certutil.yaml:1:1'],
      },
    ],
  },
  {
    code: 'M030',
    valid: [
      [{ file: 'rules/correlation_certutil_many.yml', text: CORRELATION }],
      [{ file: 'rules/proc_creation_win_x.yml', text: rule() }],
    ],
    invalid: [{ input: [{ file: 'rules/certutil_many.yml', text: CORRELATION }], at: ['rules/certutil_many.yml:1:1'] }],
  },
  {
    code: 'X005',
    valid: [
      [{ file: 'rules/proc_creation_win_certutil_decode.yml', text: rule() }],
      // Unknown logsource: no convention to check.
      [
        {
          file: 'rules/whatever_name.yml',
          text: rule({ logsource: 'logsource:\n    product: acme\n    service: audit' }),
        },
      ],
      // Product fallback: any aws logsource starts with 'aws'.
      [
        {
          file: 'rules/aws_cloudtrail_x.yml',
          text: rule({ logsource: 'logsource:\n    product: aws\n    service: cloudtrail' }),
        },
      ],
      // A rule combined with its correlation in one file is exempt.
      [{ file: 'rules/correlation_certutil.yml', text: `${rule()}---\n${CORRELATION}` }],
    ],
    invalid: [
      { input: [{ file: 'rules/certutil_decode.yml', text: rule() }], at: ['rules/certutil_decode.yml:1:1'] },
      {
        input: [
          {
            file: 'rules/x/lnx_cron_job.yml',
            text: rule({ logsource: 'logsource:\n    product: linux\n    service: auditd' }),
          },
        ],
        at: ['rules/x/lnx_cron_job.yml:1:1'],
      },
    ],
  },
  {
    code: 'D014',
    valid: [
      rule({
        detection: det(
          "    sel_img:\n        Image|endswith: '\\certutil.exe'\n    sel_cli:\n        CommandLine|contains: '-decode'\n    condition: all of sel_*",
        ),
      }),
      rule({
        detection: det(
          "    selection_img:\n        Image|endswith: '\\certutil.exe'\n    filter_main_x:\n        CommandLine|contains: '-x'\n    condition: 1 of selection_* and not 1 of filter_main_*",
        ),
      }),
    ],
    invalid: [
      {
        input: rule({
          detection: det("    sel_img:\n        Image|endswith: '\\certutil.exe'\n    condition: 1 of sel_*"),
        }),
        at: ['rule0.yml:18:16'],
      },
      {
        input: rule({
          detection: det(
            "    selection:\n        Image|endswith: '\\certutil.exe'\n    flt_a:\n        CommandLine|contains: '-x'\n    condition: selection and not all of flt_*",
          ),
        }),
        at: ['rule0.yml:20:34'],
      },
    ],
  },
  {
    code: 'D015',
    valid: [
      rule(),
      rule({
        logsource: 'logsource:\n    product: acme\n    service: audit',
        detection: det('    selection:\n        commandline: x\n    condition: selection'),
      }),
    ],
    invalid: [
      {
        input: rule({
          detection: det(
            "    selection:\n        commandline|contains: '-decode'\n        IMAGE: x\n    condition: selection",
          ),
        }),
        at: ['rule0.yml:17:9', 'rule0.yml:18:9'],
      },
    ],
  },
  {
    code: 'D016',
    valid: [
      rule({
        logsource: winLog('image_load'),
        detection: det(
          `    selection:\n        Hashes|contains:\n            - 'IMPHASH=${'a'.repeat(32)}'\n            - 'SHA256=${'F'.repeat(64)}'\n        Hash: 'MD5=${'0'.repeat(32)}'\n    condition: selection`,
        ),
      }),
      rule({ detection: det("    selection:\n        Hashes2: 'IMPHASH='\n    condition: selection") }),
    ],
    invalid: [
      {
        input: rule({
          logsource: winLog('image_load'),
          detection: det(
            `    selection:\n        Hashes|contains:\n            - 'IMPHASH='\n            - 'SHA512=${'a'.repeat(32)}'\n            - '${'a'.repeat(32)}'\n            - 'SHA1=${'a'.repeat(39)}'\n    condition: selection`,
          ),
        }),
        at: ['rule0.yml:18:15', 'rule0.yml:19:15', 'rule0.yml:20:15', 'rule0.yml:21:15'],
      },
      {
        input: rule({
          logsource: winLog('driver_load'),
          detection: det('    selection:\n        Hashes: 42\n    condition: selection'),
        }),
        at: ['rule0.yml:17:17'],
      },
    ],
  },
  {
    code: 'D017',
    valid: [
      rule({
        logsource: winLog('registry_event'),
        detection: det("    selection:\n        TargetObject|endswith: '\\Run\\evil'\n    condition: selection"),
      }),
      rule({
        logsource: 'logsource:\n    product: windows\n    service: sysmon',
        detection: det('    selection:\n        EventID: 13\n    condition: selection'),
      }),
    ],
    invalid: [
      {
        input: rule({
          logsource: winLog('registry_event'),
          detection: det(
            "    selection:\n        EventID: 13\n        TargetObject|endswith: '\\Run\\evil'\n    condition: selection",
          ),
        }),
        at: ['rule0.yml:17:9'],
      },
      {
        input: rule({
          logsource: winLog('wmi_event'),
          detection: det(
            '    selection:\n        EventID:\n            - 19\n            - 20\n    condition: selection',
          ),
        }),
        at: ['rule0.yml:17:9'],
      },
    ],
  },
  {
    code: 'L006',
    valid: [
      rule({
        detection: det("    selection:\n        Provider_Name: 'Microsoft-Windows-Foo'\n    condition: selection"),
      }),
      rule({
        logsource: 'logsource:\n    product: windows\n    service: system',
        detection: det("    selection:\n        Provider_Name: 'Microsoft-Windows-Sysmon'\n    condition: selection"),
      }),
    ],
    invalid: [
      {
        input: rule({
          detection: det(
            "    selection:\n        Provider_Name:\n            - 'Microsoft-Windows-Foo'\n            - 'Microsoft-Windows-Security-Auditing'\n        Image|endswith: '\\certutil.exe'\n    condition: selection",
          ),
        }),
        at: ['rule0.yml:19:15'],
      },
      {
        input: rule({
          logsource: winLog('ps_script'),
          detection: det(
            "    selection:\n        Provider_Name: 'Microsoft-Windows-PowerShell'\n    condition: selection",
          ),
        }),
        at: ['rule0.yml:17:24'],
      },
    ],
  },
];
