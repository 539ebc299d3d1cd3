/**
 * The correlation spec's `generate`: the rules a correlation refers to are converted on their own
 * only with `generate: true`; by default only the correlation query is generated — for every
 * target and output format. A rule referenced by a correlation without `generate` is withheld
 * even when it is also given on its own (pySigma's behaviour); canonical Sigma keeps every rule.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sigil } from '../helpers/cli.js';
import { CORRELATION_BASE_RULES as BASE } from '../helpers/correlation-fixtures.js';

function correlation(title: string, id: string, generate?: boolean): string {
  return `title: ${title}
id: ${id}
status: test
correlation:
  type: temporal
  rules: [rule_a, rule_b]
  group-by: [ParentImage]
  timespan: 5m${generate === undefined ? '' : `\n  generate: ${generate}`}
level: high
`;
}

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sigil-generate-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** A folder with the base rules and the given correlation files. */
function folder(name: string, correlations: Record<string, string>): string {
  const dir = path.join(root, name);
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'base.yml'), BASE);
  for (const [file, text] of Object.entries(correlations)) fs.writeFileSync(path.join(dir, file), text);
  return dir;
}

const CORR_ID = '5e0c4f8e-7d1a-4c3e-9a51-0000000000c0';
const plain = folder('plain', { 'corr.yml': correlation('recon', CORR_ID) });
const generating = folder('generating', { 'corr.yml': correlation('recon', CORR_ID, true) });
const mixed = folder('mixed', {
  'corr1.yml': correlation('recon', CORR_ID, true),
  'corr2.yml': correlation('recon again', '5e0c4f8e-7d1a-4c3e-9a51-0000000000c1'),
});

/** Titles of the documents converted (one --json record each), in order. */
function converted(args: string[]): { titles: string[]; stderr: string; status: number | null } {
  const r = sigil(['convert', ...args, '--json']);
  const titles = r.stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { title: string; queries?: string[] })
    .filter((x) => x.queries)
    .map((x) => x.title);
  return { titles: titles.sort(), stderr: r.stderr, status: r.status };
}

const TARGETS: [string, string, string[]][] = [
  ['kql', 'defender-xdr', ['query', 'sentinel-rule', 'sentinel-arm', 'defender-detection']],
  ['kql', 'sentinel', ['query', 'sentinel-rule']],
  ['kql', 'sentinel-asim', ['query']],
  ['kql', 'sentinel-event', ['query', 'sentinel-rule']],
  ['splunk', 'splunk', ['query', 'savedsearches']],
  ['splunk', 'splunk-windows', ['query', 'savedsearches']],
];

describe('generate: false (the default) converts only the correlation', () => {
  for (const [target, pipeline, formats] of TARGETS)
    for (const format of formats)
      it(`${target} -p ${pipeline} --format ${format}`, () => {
        const r = converted([plain, '-t', target, '-p', pipeline, '--format', format]);
        expect(r.titles).toEqual(['recon']);
        expect(r.stderr).toContain("2 rules referenced by correlations without 'generate: true' are not converted");
        expect(r.status).toBe(0);
      });

  it('a base rule given on its own besides the correlation is still withheld (as in pySigma)', () => {
    const r = converted([path.join(plain, 'base.yml'), path.join(plain, 'corr.yml'), '-t', 'kql', '-p', 'sentinel']);
    expect(r.titles).toEqual(['recon']);
  });

  it('base rules without a correlation among the inputs are converted', () => {
    const r = converted([path.join(plain, 'base.yml'), '-t', 'kql', '-p', 'sentinel']);
    expect(r.titles).toEqual(['net user run', 'whoami run']);
    expect(r.stderr).not.toContain('not converted on');
  });

  it('one correlation without generate withholds a rule another one generates', () => {
    const r = converted([mixed, '-t', 'splunk', '-p', 'splunk-windows']);
    expect(r.titles).toEqual(['recon', 'recon again']);
  });

  it('canonical Sigma (-t sigma) keeps every rule', () => {
    const r = converted([plain, '-t', 'sigma']);
    expect(r.titles).toEqual(['net user run', 'recon', 'whoami run']);
  });
});

describe('generate: true converts the referenced rules on their own too', () => {
  for (const [target, pipeline, formats] of TARGETS)
    it(`${target} -p ${pipeline} --format ${formats[formats.length - 1]}`, () => {
      const r = converted([generating, '-t', target, '-p', pipeline, '--format', formats[formats.length - 1]!]);
      expect(r.titles).toEqual(['net user run', 'recon', 'whoami run']);
      expect(r.stderr).not.toContain('not converted on');
    });
});

/** splunk-cim correlates over one rule (several data model searches cannot be gathered exactly). */
describe('splunk-cim: generate on a correlation over one rule', () => {
  const count = (generate?: boolean): string => `title: many whoami
id: 5e0c4f8e-7d1a-4c3e-9a51-0000000000c2
status: test
correlation:
  type: event_count
  rules: [rule_a]
  group-by: [ParentImage]
  timespan: 5m
  condition: {gte: 3}${generate === undefined ? '' : `\n  generate: ${generate}`}
level: high
`;
  const cimPlain = folder('cim-plain', { 'corr.yml': count() });
  const cimGenerating = folder('cim-generating', { 'corr.yml': count(true) });
  for (const format of ['query', 'savedsearches'])
    it(`--format ${format}: only the correlation without generate, the rule too with it`, () => {
      const off = converted([cimPlain, '-t', 'splunk', '-p', 'splunk-cim', '--format', format]);
      expect(off.titles).toEqual(['many whoami', 'net user run']);
      expect(off.stderr).toContain("1 rule referenced by correlations without 'generate: true' is not converted");
      expect(off.status).toBe(0);
      const on = converted([cimGenerating, '-t', 'splunk', '-p', 'splunk-cim', '--format', format]);
      expect(on.titles).toEqual(['many whoami', 'net user run', 'whoami run']);
      expect(on.stderr).not.toContain('not converted on');
      expect(on.status).toBe(0);
    });
});
