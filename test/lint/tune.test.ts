/**
 * `sigil tune`'s proposals (src/lint/tune/): which values become filters, the guards (the
 * rule's own cases, the program the rule is about, identity values, safe prefixes), the counts,
 * and the YAML — `sigil fmt` leaves it unchanged and it means exactly "the rule and no filter"
 * (a fast-check property, checked with the evaluator on the YAML parsed back).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SigmaRule } from '../../src/ast/types.js';
import { formatSigmaText } from '../../src/backends/sigma/format.js';
import { compileRule, toView } from '../../src/eval/compile.js';
import type { EventObject } from '../../src/eval/event-shapes.js';
import { HitCollector } from '../../src/lint/tune/collect.js';
import { contextFragments, safePathPrefixes, safeRegistryPrefixes } from '../../src/lint/tune/fields.js';
import { filterTest, proposeFilters, type GuardCase } from '../../src/lint/tune/propose.js';
import { filterDocumentYaml, tunedRuleYaml, verifyTuned } from '../../src/lint/tune/yaml.js';
import { applyFilters } from '../../src/pipelines/filters.js';
import { parse } from '../../src/parser/index.js';
import { runs } from '../helpers/property.js';

const RULE_TEXT = `title: Whoami Execution
id: 0b1e5b0c-7f5c-4c62-9c61-2f0c8f2b1a01
status: test
description: Test rule.
author: Sigil tests
date: 2026-12-04
logsource:
    category: process_creation
    product: windows
detection:
    selection:
        Image|endswith: '\\whoami.exe'
    condition: selection
level: low
`;

function ruleOf(text: string): SigmaRule {
  const d = parse(text, { file: 'rule.yml', schema: false }).documents[0]?.document;
  if (d?.kind !== 'rule') throw new Error('not a rule');
  return d;
}

const RULE = ruleOf(RULE_TEXT);
const WHOAMI = 'C:\\Windows\\System32\\whoami.exe';
const hit = (fields: Record<string, string>): EventObject => ({ Image: WHOAMI, ...fields });
const times = (n: number, e: EventObject): EventObject[] => Array.from({ length: n }, () => e);

const HITS: EventObject[] = [
  ...times(6, hit({ ParentImage: 'C:\\Windows\\System32\\cmd.exe', Computer: 'HOST-A' })),
  ...times(4, hit({ ParentImage: 'C:\\Program Files\\Vendor\\Agent\\agent.exe', Computer: 'HOST-B' })),
  ...times(3, hit({ ParentImage: 'C:\\Program Files\\Vendor\\Agent\\updater.exe', Computer: 'HOST-B' })),
  ...times(3, hit({ ParentImage: 'C:\\Windows\\System32\\svchost.exe', Computer: 'HOST-C' })),
  ...times(2, hit({ ParentImage: 'C:\\Users\\bob\\AppData\\Local\\Temp\\setup.exe', Computer: 'HOST-A' })),
];
const SHELL_CASE: GuardCase = {
  name: 'whoami from a shell',
  source: 'rule.tests.yml',
  events: [hit({ ParentImage: 'C:\\Windows\\System32\\cmd.exe' })],
};

describe('proposeFilters', () => {
  it('takes the commonest behaviour values first, with safe prefixes, and counts what each removes', () => {
    const r = proposeFilters(RULE, HITS, HITS.length, []);
    expect(r.proposals.map((p) => [p.identifier, p.field, p.modifier, p.value, p.removes, p.remaining])).toEqual([
      ['filter_optional_parent_agent', 'ParentImage', 'startswith', 'C:\\Program Files\\Vendor\\Agent\\', 7, 11],
      ['filter_main_parent_cmd', 'ParentImage', null, 'C:\\Windows\\System32\\cmd.exe', 6, 5],
      ['filter_main_parent_svchost', 'ParentImage', null, 'C:\\Windows\\System32\\svchost.exe', 3, 2],
    ]);
    // The setup.exe in a user's temp folder is not a behaviour: only with --identity.
    expect(r.remaining).toBe(2);
    expect(r.proposals.every((p) => !p.environmentSpecific)).toBe(true);
  });

  it("never proposes a filter that stops one of the rule's own cases from matching", () => {
    const r = proposeFilters(RULE, HITS, HITS.length, [SHELL_CASE]);
    expect(r.proposals.map((p) => p.value)).not.toContain('C:\\Windows\\System32\\cmd.exe');
    expect(r.refused).toEqual([
      {
        field: 'ParentImage',
        modifier: null,
        value: 'C:\\Windows\\System32\\cmd.exe',
        removes: 6,
        case: 'whoami from a shell (rule.tests.yml)',
      },
    ]);
    expect(r.guards).toEqual({ cases: 1, passing: 1, notPassing: [] });
    // The tuned rule still passes the case.
    const tuned = ruleOf(tunedRuleYaml(RULE, r, RULE_TEXT));
    expect(compileRule(tuned).matches(SHELL_CASE.events[0]!)).toBe(true);
  });

  it('a case that fails before tuning does not guard (and is reported as such)', () => {
    const failing: GuardCase = { name: 'not whoami', source: 't.yml', events: [{ Image: 'C:\\x\\cmd.exe' }] };
    const r = proposeFilters(RULE, HITS, HITS.length, [failing]);
    expect(r.guards).toEqual({ cases: 1, passing: 0, notPassing: ['not whoami (t.yml)'] });
  });

  it('proposes identity values only when asked, marked environment-specific, after the behaviour filters', () => {
    const only = times(10, hit({ Computer: 'HOST-Z', User: 'CORP\\alice' }));
    expect(proposeFilters(RULE, only, 10, []).proposals).toEqual([]);
    const r = proposeFilters(RULE, [...only, ...HITS], 28, [], { identity: true });
    const first = r.proposals.findIndex((p) => p.environmentSpecific);
    expect(first).toBeGreaterThan(0);
    expect(r.proposals.slice(first).every((p) => p.environmentSpecific)).toBe(true);
    expect(r.proposals.some((p) => p.field === 'Computer' && p.value === 'HOST-Z' && p.group === 'optional')).toBe(
      true,
    );
    expect(r.proposals.some((p) => p.value === 'C:\\Users\\bob\\AppData\\Local\\Temp\\setup.exe')).toBe(true);
    const yaml = tunedRuleYaml(RULE, r, RULE_TEXT);
    expect(yaml).toMatch(/# environment-specific: an identity .*\n {4}filter_optional_computer_host_z:/);
  });

  it('never filters the program the rule is about, nor an invocation of it', () => {
    const own = times(10, hit({ CommandLine: 'whoami /all', OriginalFileName: 'whoami.exe' }));
    const r = proposeFilters(RULE, own, 10, []);
    expect(r.proposals).toEqual([]);
    // A rule about a command line names its program there: no Image filter on that program.
    const conhost = ruleOf(
      RULE_TEXT.replace("Image|endswith: '\\whoami.exe'", "CommandLine|contains: 'conhost.exe 0xffffffff'"),
    );
    const legacy = times(5, { Image: 'C:\\Windows\\System32\\conhost.exe', CommandLine: 'conhost.exe 0xffffffff -x' });
    expect(proposeFilters(conhost, legacy, 5, []).proposals).toEqual([]);
  });

  it('needs a value to explain 2 % of the hits (and 2 of them): one-offs are not patterns', () => {
    const many = [
      ...times(200, hit({ ParentImage: 'C:\\Windows\\System32\\svchost.exe' })),
      ...times(3, hit({ ParentImage: 'C:\\Windows\\System32\\taskhostw.exe' })),
    ];
    expect(proposeFilters(RULE, many, many.length, []).proposals.map((p) => p.removes)).toEqual([200]);
  });
});

describe('prefixes and fragments', () => {
  it('directory prefixes: three levels deep at least, never system-wide or user-writable folders', () => {
    expect(safePathPrefixes('C:\\Program Files\\Vendor\\App\\x.exe')).toEqual([
      'C:\\Program Files\\Vendor\\',
      'C:\\Program Files\\Vendor\\App\\',
    ]);
    expect(safePathPrefixes('C:\\Windows\\System32\\x.exe')).toEqual([]);
    expect(safePathPrefixes('C:\\Windows\\System32\\wbem\\x.exe')).toEqual(['C:\\Windows\\System32\\wbem\\']);
    expect(safePathPrefixes('C:\\Users\\bob\\AppData\\x.exe')).toEqual([]);
    expect(safePathPrefixes('C:\\ProgramData\\Vendor\\x.exe')).toEqual([]);
    expect(safePathPrefixes('C:\\Windows\\Temp\\x\\y.exe')).toEqual([]);
    expect(safePathPrefixes('\\\\server\\share\\x.exe')).toEqual([]);
  });

  it('registry prefixes: under HKLM only, six levels deep at least', () => {
    expect(
      safeRegistryPrefixes('HKU\\S-1-5-21-1-2-3-1001\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\x'),
    ).toEqual([]);
    expect(
      safeRegistryPrefixes('HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Schedule\\TaskCache\\x'),
    ).toEqual([
      'HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Schedule\\',
      'HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Schedule\\TaskCache\\',
    ]);
  });

  it("PowerShell's host application, up to its .exe", () => {
    expect(
      contextFragments(
        '        Severity = Informational\r\n        Host Application = C:\\Windows\\system32\\wsmprovhost.exe -Embedding\r\n',
      ),
    ).toEqual(['Host Application = C:\\Windows\\system32\\wsmprovhost.exe']);
    expect(contextFragments('Host Name = Default Host')).toEqual([]);
  });
});

describe('the YAML', () => {
  const r = proposeFilters(RULE, HITS, HITS.length, [SHELL_CASE], { identity: true });

  it('the tuned rule keeps the comments, extends the condition, and sigil fmt leaves it unchanged', () => {
    const source = RULE_TEXT.replace('    selection:\n', '    # the program\n    selection:\n');
    const yaml = tunedRuleYaml(RULE, r, source);
    expect(yaml).toContain('    # the program\n    selection:');
    expect(yaml).toContain('condition: selection and not 1 of filter_main_* and not 1 of filter_optional_*');
    expect(yaml).toContain("        ParentImage|startswith: 'C:\\Program Files\\Vendor\\Agent\\'\n");
    expect(formatSigmaText(yaml)).toMatchObject({ changed: false, diagnostics: [] });
    verifyTuned(RULE, r, [...HITS, ...SHELL_CASE.events], yaml, 'rule');
  });

  it('without the source text (stdin, a file of several documents) the rule is emitted as canonical Sigma and tuned', () => {
    const yaml = tunedRuleYaml(RULE, r);
    expect(yaml).toContain('condition: selection and not 1 of filter_main_* and not 1 of filter_optional_*');
    expect(formatSigmaText(yaml)).toMatchObject({ changed: false, diagnostics: [] });
    verifyTuned(RULE, r, [...HITS, ...SHELL_CASE.events], yaml, 'rule');
    const two = `${RULE_TEXT}---\n${RULE_TEXT.replace('id: 0b1e5b0c', 'id: 1b1e5b0c')}`;
    expect(tunedRuleYaml(RULE, r, two)).toBe(yaml);
  });

  it('the filter document names the rule, sigil fmt leaves it unchanged, and applying it means the same', () => {
    const yaml = filterDocumentYaml(RULE, r, 100);
    expect(formatSigmaText(yaml)).toMatchObject({ changed: false, diagnostics: [] });
    const f = parse(yaml, { file: 'f.yml' }).documents[0]!;
    expect(f.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(f.document?.kind).toBe('filter');
    verifyTuned(RULE, r, [...HITS, ...SHELL_CASE.events], yaml, 'filter');
  });

  it('existing filter_main_* identifiers are not swept into the new exclusion: new names are listed', () => {
    const text = RULE_TEXT.replace(
      '    condition: selection',
      "    filter_main_x:\n        ParentImage: 'C:\\\\a.exe'\n    condition: selection and filter_main_x",
    );
    const rule = ruleOf(text);
    const res = proposeFilters(rule, HITS, HITS.length, []);
    const yaml = tunedRuleYaml(rule, res, text);
    expect(yaml).toContain(
      'condition: selection and filter_main_x and not filter_main_parent_cmd and not filter_main_parent_svchost and not 1 of filter_optional_*',
    );
    verifyTuned(rule, res, [...HITS, { Image: WHOAMI, ParentImage: 'C:\\a.exe' }], yaml, 'rule');
  });

  it('property: the printed rule matches exactly the events the rule matches and no proposal does', () => {
    const parents = [
      'C:\\Windows\\System32\\cmd.exe',
      'C:\\Program Files\\A*B\\x?.exe',
      'C:\\Program Files\\A*B\\y.exe',
      "C:\\Program Files\\It's\\z.exe",
      'C:\\Windows\\System32\\wbem\\WmiPrvSE.exe',
      'c:\\windows\\system32\\WMIPRVSE.EXE',
      'C:\\Tools\\a\\\\b.exe',
    ];
    const event = fc.record({
      Image: fc.constantFrom(WHOAMI, 'C:\\x\\whoami.exe', 'C:\\Windows\\notepad.exe'),
      ParentImage: fc.constantFrom(...parents),
      CommandLine: fc.constantFrom('whoami', 'a "b" c', 'x: y # z', '*'),
    });
    fc.assert(
      fc.property(
        fc.array(event, { minLength: 1, maxLength: 40 }),
        fc.array(event, { maxLength: 20 }),
        (evs, others) => {
          const matcher = compileRule(RULE);
          const hits = evs.filter((e) => matcher.matches(e));
          const res = proposeFilters(RULE, hits, hits.length, [], { identity: true });
          // The counts add up, and each is what the filter removes after the ones before it.
          let left = hits.length;
          const before: ((e: EventObject) => boolean)[] = [];
          for (const p of res.proposals) {
            const t = filterTest(p.field, p.modifier, p.value);
            const removes = hits.filter((e) => !before.some((b) => b(e)) && t(toView(e))).length;
            expect(removes).toBe(p.removes);
            left -= removes;
            expect(p.remaining).toBe(left);
            before.push((e) => t(toView(e)));
          }
          expect(res.remaining).toBe(left);
          if (res.proposals.length === 0) return;
          verifyTuned(RULE, res, [...hits, ...others], tunedRuleYaml(RULE, res, RULE_TEXT), 'rule');
          verifyTuned(RULE, res, [...hits, ...others], filterDocumentYaml(RULE, res, 1), 'filter');
        },
      ),
      { numRuns: runs(60) },
    );
  });
});

describe('HitCollector', () => {
  it('keeps the hits of each rule, projected to the fields that matter, within its cap', () => {
    const c = new HitCollector([RULE], false, 3);
    for (const e of HITS) c.add({ ...e, Unrelated: 'x' });
    c.add({ Image: 'C:\\Windows\\notepad.exe' });
    const [r] = c.results();
    expect(c.events).toBe(HITS.length + 1);
    expect(r!.hits).toBe(HITS.length);
    expect(r!.rows).toHaveLength(3);
    expect(r!.rows[0]).toEqual({ Image: WHOAMI, ParentImage: 'C:\\Windows\\System32\\cmd.exe' });
  });

  it('applyFilters of the document equals the tuned rule on the collected rows', () => {
    const c = new HitCollector([RULE], true);
    for (const e of HITS) c.add(e);
    const [r] = c.results();
    const res = proposeFilters(RULE, r!.rows, r!.hits, [], { identity: true });
    const doc = parse(filterDocumentYaml(RULE, res, HITS.length), { file: 'f.yml' }).documents[0]!.document;
    if (doc?.kind !== 'filter') throw new Error('not a filter');
    const filtered = compileRule(applyFilters(RULE, [doc]).rule);
    const tuned = compileRule(ruleOf(tunedRuleYaml(RULE, res, RULE_TEXT)));
    for (const e of HITS) expect(filtered.matches(e)).toBe(tuned.matches(e));
    expect(HITS.filter((e) => tuned.matches(e))).toHaveLength(res.remaining);
  });
});

describe('PowerShell logs', () => {
  it("never excludes PowerShell's own hosts from a rule on PowerShell logs, but other hosts may be", () => {
    const text = `title: Cmdlets
id: 1b1e5b0c-7f5c-4c62-9c61-2f0c8f2b1a02
logsource:
    category: ps_module
    product: windows
detection:
    selection:
        Payload|contains: 'Invoke-Thing'
    condition: selection
`;
    const rule = ruleOf(text);
    const ctx = (host: string): EventObject => ({
      Payload: 'Invoke-Thing',
      ContextInfo: `        Severity = Informational\r\n        Host Application = ${host}\r\n        Host ID = 1\r\n`,
    });
    const hits = [
      ...times(8, ctx('C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe -NoProfile')),
      ...times(4, ctx('C:\\Windows\\system32\\wsmprovhost.exe -Embedding')),
    ];
    const r = proposeFilters(rule, hits, hits.length, []);
    expect(r.proposals.map((p) => [p.field, p.modifier, p.value, p.removes])).toEqual([
      ['ContextInfo', 'contains', 'Host Application = C:\\Windows\\system32\\wsmprovhost.exe', 4],
    ]);
  });
});
