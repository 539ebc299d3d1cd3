/**
 * The T1546.003 rule pack (rules/): every rule parses cleanly, follows SigmaHQ's
 * conventions, carries valid ATT&CK tags, and passes its own `name.tests.yml` through the
 * evaluator — with every filter exercised by at least one benign near-miss event.
 * Lint and conversion are checked too once those modules exist (see the end of the file).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from '../../src/parser/index.js';
import type { CorrelationRule, FieldMatch, SigmaRule } from '../../src/ast/types.js';
import type { Diagnostic } from '../../src/diagnostics.js';
import { compileRule, createCorrelator, type RuleMatcher } from '../../src/eval/index.js';
import { parseTestsFile, runCase, describeExplanation, type TestCase } from '../../src/eval/rule-tests.js';
import { lint, allFindings } from '../../src/lint/index.js';
import { SHARED } from '../helpers/paths.js';

// The backends are being written alongside the pack: conversion is checked when they load.
import * as backends from '../../src/backends/index.js';
import { convertDocument } from '../../src/convert.js';
import * as pipelines from '../../src/pipelines/index.js';

const backendTargets = backends.listBackends().map((b) => b.name);
const pipelineKnown = (name: string): boolean => pipelines.resolvePipelines([name]).unknown.length === 0;
/** Target and pipeline pairs the pack ships in (scripts/build-rules.mjs). */
const CONVERSIONS: { target: string; pipelines?: string[] }[] = [
  { target: 'kql', pipelines: ['defender-xdr'] },
  { target: 'kql', pipelines: ['sentinel'] },
  { target: 'splunk', pipelines: ['splunk-windows'] },
  { target: 'sigma' },
];
/** Rules a pipeline cannot express, with the reason (one list shared with scripts/build-rules.mjs). */
const notExpressible = (): Record<string, Record<string, string> | string> =>
  JSON.parse(fs.readFileSync(path.join(RULES_DIR, 'not-expressible.json'), 'utf8')) as Record<
    string,
    Record<string, string> | string
  >;

const ROOT = path.resolve(__dirname, '../..');
const RULES_DIR = path.join(ROOT, 'rules');
const ATTACK_FILE = `${SHARED}/attack/attack.json`;

interface PackRule {
  file: string; // relative to the repository root
  rule: SigmaRule;
  diagnostics: Diagnostic[];
  testsFile: string;
  cases: TestCase[];
  testsDiagnostics: Diagnostic[];
  matcher: RuleMatcher;
}

function walk(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (/\.ya?ml$/.test(e.name) && !/\.tests\.ya?ml$/.test(e.name)) out.push(p);
  }
  return out;
}

const ruleFiles = walk(RULES_DIR);
const pack: PackRule[] = [];
/** Correlation rules of the pack (file, rule); their base rules are pack rules. */
const correlations: { file: string; rule: CorrelationRule }[] = [];
const parseFailures: string[] = [];

beforeAll(() => {
  for (const abs of ruleFiles) {
    const file = path.relative(ROOT, abs);
    const result = parse(fs.readFileSync(abs), { file });
    const doc = result.documents[0]?.document;
    const diagnostics = [...result.diagnostics, ...result.documents.flatMap((d) => d.diagnostics)];
    if (result.documents.length === 1 && doc?.kind === 'correlation' && diagnostics.length === 0) {
      correlations.push({ file, rule: doc });
      continue;
    }
    if (result.documents.length !== 1 || doc?.kind !== 'rule') {
      parseFailures.push(
        `${file}: ${diagnostics.map((d) => `${d.code} ${d.message}`).join('; ') || 'not a single detection rule'}`,
      );
      continue;
    }
    const testsAbs = abs.replace(/\.ya?ml$/, '.tests.yml');
    const tests = fs.existsSync(testsAbs)
      ? parseTestsFile(fs.readFileSync(testsAbs, 'utf8'), path.relative(ROOT, testsAbs))
      : { cases: [], diagnostics: [] };
    pack.push({
      file,
      rule: doc,
      diagnostics,
      testsFile: testsAbs,
      cases: tests.cases,
      testsDiagnostics: tests.diagnostics,
      matcher: compileRule(doc),
    });
  }
});

/** SigmaHQ file name prefix per logsource (sigmahq-filename-convention.md; wmi_event as in the corpus). */
function expectedPrefix(r: SigmaRule): string | undefined {
  const { category, service } = r.logsource;
  const byCategory: Record<string, string> = {
    process_creation: 'proc_creation_win_',
    ps_script: 'posh_ps_',
    ps_module: 'posh_pm_',
    image_load: 'image_load_',
    file_event: 'file_event_win_',
    wmi_event: 'sysmon_wmi_',
    pipe_created: 'pipe_created_',
    network_connection: 'net_connection_win_',
  };
  const byService: Record<string, string> = {
    wmi: 'win_wmi_',
    security: 'win_security_',
    windefend: 'win_defender_',
    'powershell-classic': 'posh_pc_',
  };
  if (category) return byCategory[category];
  if (service) return byService[service];
  return undefined;
}

/** SigmaHQ's top-level key order (sigmahq-rule-convention.md). */
const KEY_ORDER = [
  'title',
  'id',
  'related',
  'status',
  'description',
  'references',
  'author',
  'date',
  'modified',
  'tags',
  'logsource',
  'detection',
  'fields',
  'falsepositives',
  'level',
];
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
/** Tags of every T1546.003 rule; the pack's one neighbour, the T1047 half of the WmiPrvSE child split, carries its own. */
const REQUIRED_TAGS = ['attack.persistence', 'attack.privilege-escalation', 'attack.t1546.003'];
const NEIGHBOUR_TAGS = ['attack.execution', 'attack.t1047'];
const FIRST_EDITION = '2026-11-26';
const SECOND_EDITION = '2026-12-04';
/** A detection node no event satisfies (a field no event has). */
const NEVER: FieldMatch = {
  type: 'match',
  field: 'SigilPackTestNeverPresent',
  modifiers: [],
  values: [{ type: 'string', parts: ['x'], raw: 'x' }],
  list: false,
};
const SMALL_WORDS = new Set(['-', 'a', 'an']);

describe('rule pack: files', () => {
  it('has a rule for every indicator of the issue', () => {
    expect(parseFailures).toEqual([]);
    const where = pack.map((p) => `${p.rule.logsource.category ?? p.rule.logsource.service}`);
    for (const source of [
      'process_creation',
      'ps_script',
      'ps_module',
      'powershell-classic',
      'wmi',
      'security',
      'windefend',
      'wmi_event',
      'image_load',
      'file_event',
      'pipe_created',
      'network_connection',
    ])
      expect(where).toContain(source);
    expect(pack.length).toBeGreaterThanOrEqual(26);
    const ids = (p: PackRule): string => JSON.stringify(p.rule.detection);
    const has = (needle: string): boolean => pack.some((p) => ids(p).includes(needle));
    for (const needle of [
      'wmic.exe',
      'Set-WmiInstance',
      'New-CimInstance',
      'Register-WmiEvent',
      '[wmiclass]',
      'mofcomp.exe',
      'scrcons.exe',
      'WmiPrvSE.exe',
      'OBJECTS.DATA',
      'INDEX.BTR',
      'MAPPING1.MAP',
      'WMI Namespace',
      '__FilterToConsumerBinding',
      // second edition (issue 17): modified and deleted subscription objects, module and
      // classic PowerShell logging, the scrcons.exe and wbemcons.dll indicators, Defender's ASR rule
      'Modified',
      'Deleted',
      ' delete',
      'Remove-WmiObject',
      'CommandInvocation(Set-WmiInstance)',
      'Register-MaliciousWmiEvent',
      'clr.dll',
      'mscoree.dll',
      'wbemdisp.dll',
      'wbemcons.dll',
      'e6db77e5-3df2-4cf1-b95a-636979351e5b',
      'ScenarioEngine.exe',
      '0x3e7',
      'vbscript.dll',
      'jscript9.dll',
      'scrobj.dll',
      'wshom.ocx',
      'scrrun.dll',
      'ScriptBlockText',
    ]) {
      expect(has(needle), needle).toBe(true);
    }
    for (const eventId of [5859, 5860, 5861, 4662])
      expect(
        pack.some((p) => ids(p).includes(`"value":${eventId}`)),
        String(eventId),
      ).toBe(true);
  });

  it('every rule parses with no error or warning', () => {
    for (const p of pack)
      expect(p.diagnostics.map((d) => `${p.file}:${d.line}:${d.column} ${d.code} ${d.message}`)).toEqual([]);
  });

  it('ids are unique UUIDv4', () => {
    const ids = pack.map((p) => p.rule.id ?? '');
    for (const [i, id] of ids.entries()) expect(id, pack[i]!.file).toMatch(UUID_V4);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('file names and folders follow the SigmaHQ convention', () => {
    for (const p of pack) {
      const base = path.basename(p.file);
      expect(base, p.file).toMatch(/^[a-z0-9_]+\.yml$/);
      const prefix = expectedPrefix(p.rule);
      expect(prefix, `${p.file}: no convention for this logsource`).toBeDefined();
      expect(base.startsWith(prefix!), `${p.file} should start with ${prefix}`).toBe(true);
      const { category, service } = p.rule.logsource;
      const folders: Record<string, string> = {
        ps_script: 'powershell/powershell_script',
        ps_module: 'powershell/powershell_module',
        'powershell-classic': 'powershell/powershell_classic',
        file_event: 'file/file_event',
      };
      const folder = folders[category ?? service ?? ''] ?? category ?? `builtin/${service}`;
      expect(p.file, 'folder').toBe(path.join('rules', 'windows', folder, base));
    }
  });

  it('metadata follows the SigmaHQ rule convention', () => {
    for (const p of pack) {
      const r = p.rule;
      const at = p.file;
      const order = r.keyOrder.filter((k) => KEY_ORDER.includes(k));
      expect(order, `${at}: key order`).toEqual([...order].sort((a, b) => KEY_ORDER.indexOf(a) - KEY_ORDER.indexOf(b)));
      for (const k of [
        'title',
        'id',
        'status',
        'description',
        'references',
        'author',
        'date',
        'tags',
        'logsource',
        'detection',
        'falsepositives',
        'level',
      ])
        expect(r.keyOrder, `${at}: ${k}`).toContain(k);
      expect(['experimental', 'test'], at).toContain(r.status);
      expect(r.author).toBe('Sigil project');
      // First-edition rules changed by the second edition say so with `modified`.
      expect([FIRST_EDITION, SECOND_EDITION], at).toContain(r.date);
      if (r.modified !== undefined) {
        expect(r.date, at).toBe(FIRST_EDITION);
        expect(r.modified, at).toBe(SECOND_EDITION);
      }
      expect(r.description, at).toMatch(/^Detects /);
      expect(r.references!.length, at).toBeGreaterThan(0);
      for (const ref of r.references!) {
        expect(ref, at).toMatch(/^https:\/\//);
        expect(ref, `${at}: ATT&CK is expressed as tags, not references`).not.toMatch(/attack\.mitre\.org/);
        if (/github\.com/.test(ref))
          expect(ref, `${at}: GitHub references are permalinks`).toMatch(/\/blob\/[0-9a-f]{40}\//);
      }
      expect(['informational', 'low', 'medium', 'high', 'critical'], at).toContain(r.level);
      expect(r.falsepositives!.length, at).toBeGreaterThan(0);
      for (const fp of r.falsepositives!)
        expect(fp, at).not.toMatch(/^(none|unknown|pentest|penetration test|red team)$/i);
      for (const word of r.title!.split(' '))
        if (!SMALL_WORDS.has(word)) expect(word, `${at}: title case`).toMatch(/^[A-Z0-9.[_]/);
      for (const ident of r.detection.identifiers)
        expect(ident.name, `${at}: identifier naming`).toMatch(
          /^(selection(_[a-z0-9_]+)?|filter_(main|optional)_[a-z0-9_]+)$/,
        );
    }
  });

  it('ATT&CK tags are valid and consistent (attack.json, v18)', () => {
    const attack = JSON.parse(fs.readFileSync(ATTACK_FILE, 'utf8')) as {
      tactics: Record<string, { shortname: string; domains: string[] }>;
      techniques: Record<string, { tactics: string[]; revoked: boolean; deprecated: boolean }>;
    };
    const tactics = new Set(
      Object.values(attack.tactics)
        .filter((t) => t.domains.includes('enterprise-attack'))
        .map((t) => t.shortname),
    );
    for (const p of pack) {
      const tags = p.rule.tags ?? [];
      for (const t of tags.includes('attack.t1546.003') ? REQUIRED_TAGS : NEIGHBOUR_TAGS)
        expect(tags, p.file).toContain(t);
      expect(new Set(tags).size, `${p.file}: duplicate tag`).toBe(tags.length);
      const tagTactics = tags.filter((t) => !/^attack\.t\d/.test(t)).map((t) => t.replace(/^attack\./, ''));
      for (const t of tagTactics) expect(tactics.has(t), `${p.file}: tactic ${t}`).toBe(true);
      const covered = new Set<string>();
      for (const t of tags.filter((x) => /^attack\.t\d/.test(x))) {
        const tech = attack.techniques[t.replace(/^attack\./, '').toUpperCase()];
        expect(tech, `${p.file}: technique ${t}`).toBeDefined();
        expect(tech!.revoked || tech!.deprecated, `${p.file}: ${t} is revoked or deprecated`).toBe(false);
        expect(
          tech!.tactics.some((x) => tagTactics.includes(x)),
          `${p.file}: ${t} needs one of its tactics tagged`,
        ).toBe(true);
        for (const x of tech!.tactics) covered.add(x);
      }
      for (const t of tagTactics) expect(covered.has(t), `${p.file}: tactic ${t} has no technique tag`).toBe(true);
    }
  });
});

describe('rule pack: tests beside each rule', () => {
  it('every rule has a tests file with at least one match and one non-match case', () => {
    for (const p of pack) {
      expect(fs.existsSync(p.testsFile), `${p.file}: missing ${path.basename(p.testsFile)}`).toBe(true);
      expect(
        p.testsDiagnostics.map((d) => d.message),
        p.file,
      ).toEqual([]);
      expect(p.cases.filter((c) => c.match).length, `${p.file}: match cases`).toBeGreaterThanOrEqual(1);
      expect(p.cases.filter((c) => !c.match).length, `${p.file}: non-match cases`).toBeGreaterThanOrEqual(1);
      for (const c of p.cases) expect(c.event, `${p.file}: ${c.name} has an inline event`).toBeDefined();
    }
  });

  it('every case passes in the evaluator', () => {
    const failures: string[] = [];
    let total = 0;
    for (const p of pack) {
      expect(
        p.matcher.diagnostics.map((d) => d.message),
        p.file,
      ).toEqual([]);
      for (const c of p.cases) {
        total++;
        const r = runCase(p.matcher, c, [c.event!]);
        if (!r.passed)
          failures.push(
            [`${p.file}: '${c.name}': ${r.reason}`, ...describeExplanation(r.explanation ?? [])].join('\n    '),
          );
      }
    }
    expect(failures).toEqual([]);
    expect(total).toBeGreaterThanOrEqual(pack.length * 2);
  });

  it('every filter is exercised: a non-match case on which the filter fires and the selection matches', () => {
    const missing: string[] = [];
    for (const p of pack) {
      const filters = p.rule.detection.identifiers.filter((i) => i.name.startsWith('filter_')).map((i) => i.name);
      for (const f of filters) {
        // The same rule with this filter made impossible: the benign event must match it.
        const withoutFilter = compileRule({
          ...p.rule,
          detection: {
            ...p.rule.detection,
            identifiers: p.rule.detection.identifiers.map((i) => (i.name === f ? { ...i, node: NEVER } : i)),
          },
        });
        const exercised = p.cases.some((c) => !c.match && c.event !== undefined && withoutFilter.matches(c.event));
        if (!exercised) missing.push(`${p.file}: no benign test event is removed by ${f}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('every multi-field filter has a near miss: a match case that satisfies part of the filter', () => {
    // A filter is only trustworthy when a look-alike event (same parent, other path; same name,
    // other command) still alerts: such an event satisfies some but not all of the filter's fields.
    const missing: string[] = [];
    let checked = 0;
    for (const p of pack) {
      for (const ident of p.rule.detection.identifiers) {
        if (!ident.name.startsWith('filter_') || ident.node.type !== 'allOf' || ident.node.items.length < 2) continue;
        checked++;
        const nearMiss = p.cases.some((c) => {
          if (!c.match || !c.event) return false;
          const r = p.matcher.explain(c.event).find((i) => i.identifier === ident.name);
          return r !== undefined && !r.matched && r.fields.some((f) => f.matched);
        });
        if (!nearMiss) missing.push(`${p.file}: ${ident.name} has no near-miss match case`);
      }
    }
    expect(missing).toEqual([]);
    expect(checked).toBeGreaterThan(5);
  });
});

describe('rule pack: correlations', () => {
  const at = (s: number): string => new Date(Date.UTC(2026, 10, 30, 8, 0, s)).toISOString();
  const program = (user: string, s: number) => ({
    EventID: 1,
    Channel: 'Microsoft-Windows-Sysmon/Operational',
    Image: 'C:\\Users\\jdoe\\Desktop\\updater.exe',
    User: user,
    TimeCreated: at(s),
  });
  const consumer = (user: string, s: number) => ({
    EventID: 20,
    Channel: 'Microsoft-Windows-Sysmon/Operational',
    Operation: 'Modified',
    Name: ' "Upd"',
    User: user,
    TimeCreated: at(s),
  });
  const alerts = (events: Record<string, unknown>[]): number => {
    const c = createCorrelator(
      correlations.map((x) => x.rule),
      pack.map((p) => p.rule),
    );
    return events.flatMap((e) => c.push(e)).length + c.flush().length;
  };

  it('each refers to rules of the pack that are building blocks (informational)', () => {
    expect(correlations.length).toBeGreaterThanOrEqual(1);
    for (const { file, rule } of correlations) {
      expect(rule.level, file).toBe('high');
      expect(rule.correlation.generate, `${file}: its base rules do not alert alone`).toBe(false);
      for (const ref of rule.correlation.rules) {
        const base = pack.find((p) => p.rule.name === ref || p.rule.id === ref);
        expect(base, `${file}: ${ref}`).toBeDefined();
        expect(base!.rule.level, `${file}: ${ref}`).toBe('informational');
      }
    }
  });

  it('pairs a program outside the system folders with a subscription write by the same user within 5 s', () => {
    expect(alerts([program('CORP\\jdoe', 0), consumer('CORP\\jdoe', 2)])).toBe(1);
    // Another user, too late, or the wrong order: no alert.
    expect(alerts([program('CORP\\jdoe', 0), consumer('CORP\\adm', 2)])).toBe(0);
    expect(alerts([program('CORP\\jdoe', 0), consumer('CORP\\jdoe', 7)])).toBe(0);
    expect(alerts([consumer('CORP\\jdoe', 0), program('CORP\\jdoe', 2)])).toBe(0);
  });
});

describe('rule pack: docs', () => {
  it("docs/rule-pack.md's rule table is current (node scripts/gen-rule-pack-doc.mjs)", () => {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts/gen-rule-pack-doc.mjs'), '--check'], {
      encoding: 'utf8',
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});

describe('rule pack: lint', () => {
  it('no rule has a lint finding at error level', () => {
    const files = pack.map((p) => p.file);
    const report = lint(files.map((f) => parse(fs.readFileSync(path.join(ROOT, f)), { file: f })));
    const errors = allFindings(report).filter((f) => f.severity === 'error');
    expect(errors.map((f) => `${f.file}:${f.line}:${f.column} ${f.code} ${f.name}: ${f.message}`)).toEqual([]);
    // Every rule gets a noise score (recorded in docs/rule-pack.md).
    for (const d of report.documents) expect(d.noise?.score, d.file).toBeTypeOf('number');
  });
});

describe('rule pack: conversion', () => {
  for (const conv of CONVERSIONS) {
    const label = `${conv.target}${conv.pipelines ? ` (${conv.pipelines.join(', ')})` : ''}`;
    it(`every rule converts to ${label}, or fails with a reason where the target cannot express it`, () => {
      // A missing target or pipeline is a failure, not a skip.
      expect(backendTargets).toContain(conv.target);
      for (const name of conv.pipelines ?? []) expect(pipelineKnown(name), name).toBe(true);
      const failures: string[] = [];
      const listed = notExpressible();
      const expected = Object.assign(
        {},
        ...(conv.pipelines ?? []).map((p) => (typeof listed[p] === 'object' ? listed[p] : {})),
      ) as Record<string, string>;
      // The building blocks of a correlation are not converted on their own (no `generate`, as
      // `sigil convert` does); the correlation is, with them.
      const withheld = new Set(correlations.flatMap((c) => c.rule.correlation.rules));
      const lookup = (ref: string) => pack.find((p) => p.rule.name === ref || p.rule.id === ref)?.rule;
      const documents = [
        ...pack.filter((p) => !withheld.has(p.rule.name ?? '') && !withheld.has(p.rule.id ?? '')),
        ...correlations,
      ];
      expect(documents.length).toBe(pack.length + correlations.length - withheld.size);
      for (const p of documents) {
        const r = convertDocument(p.rule, {
          target: conv.target,
          ...(conv.pipelines ? { pipelines: conv.pipelines } : {}),
          lookup,
        });
        const key = path.basename(p.file, '.yml');
        if (key in expected) {
          if (r.ok) failures.push(`${p.file}: converted, but ${expected[key]}: the query would be silently different`);
          else for (const e of r.errors) expect(e.message.length, p.file).toBeGreaterThan(0);
        } else if (!r.ok) failures.push(`${p.file}: ${r.errors.map((e) => `${e.code} ${e.message}`).join('; ')}`);
        else expect(r.queries.join('').length, p.file).toBeGreaterThan(0);
      }
      expect(failures).toEqual([]);
    });
  }
});
