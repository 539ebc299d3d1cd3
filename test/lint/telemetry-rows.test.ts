/**
 * `lint --telemetry … --rows PIPELINE`: rows exported from Defender XDR advanced hunting (CSV,
 * JSON) and Sentinel (JSON Lines with Type) read through the pipeline's mapping in reverse; the
 * JSON output is a golden file per pipeline. Bad records are located (E003, E016), rows with no
 * table are counted (E015), and the run goes on.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sigil } from '../helpers/cli.js';
import { expectGolden } from '../helpers/golden.js';

const HERE = path.dirname(new URL(import.meta.url).pathname);
const RULES = 'test/fixtures/telemetry/rules';
const ROWS = 'test/fixtures/telemetry/rows';

interface Evidence {
  unit: 'events' | 'rows';
  inScope: number;
  hits: number;
  covered: boolean;
  rows?: { pipeline: string; table?: string; tables?: string[]; skipped?: string };
  values: { field: string; top: { value: string; hits: number }[] }[];
}

const evidence = (stdout: string): Map<string, Evidence> =>
  new Map(
    (JSON.parse(stdout) as { documents: { title: string; noise: { evidence: Evidence } }[] }).documents.map((d) => [
      d.title,
      d.noise.evidence,
    ]),
  );

describe('lint --telemetry --rows', () => {
  it('Defender XDR: CSV and JSON exports, the table from the file name (golden JSON); bad CSV records located', (ctx) => {
    const r = sigil([
      'lint',
      RULES,
      '--telemetry',
      `${ROWS}/DeviceProcessEvents.csv`,
      '--telemetry',
      `${ROWS}/DeviceRegistryEvents.json`,
      '--rows',
      'defender-xdr',
      '--format',
      'json',
      '--fail-on',
      'never',
    ]);
    // A stray quote at its column, a short record at its line; the quoted newline is one record.
    expect(r.stderr).toContain(`${ROWS}/DeviceProcessEvents.csv:7:108: error E016`);
    expect(r.stderr).toContain(`${ROWS}/DeviceProcessEvents.csv:8:1: error E016 The record has 5 fields`);
    expect(r.status).toBe(1);
    const ev = evidence(r.stdout);
    // cmd.exe under wscript.exe and under services.exe; the explorer.exe row is filtered out.
    expect(ev.get('Cmd Started By A Script Host')).toMatchObject({
      inScope: 4,
      hits: 2,
      covered: true,
      rows: { pipeline: 'defender-xdr', table: 'DeviceProcessEvents' },
    });
    // RegistryValueSet rows only (the RegistryKeyCreated row is not registry_set); the Run key hits.
    expect(ev.get('Run Key Value Set')).toMatchObject({ inScope: 2, hits: 1, covered: true });
    expect(ev.get('DNS Query For A Paste Site')).toMatchObject({ inScope: 0, hits: 0, covered: false });
    expectGolden(ctx, path.join(HERE, 'golden/telemetry-rows-defender.json'), r.stdout);
  });

  it('Sentinel: JSON Lines with the Type column (WindowsEvent, SecurityEvent, other tables) (golden JSON)', (ctx) => {
    const r = sigil([
      'lint',
      RULES,
      '--telemetry',
      `${ROWS}/sentinel-rows.jsonl`,
      '--rows',
      'sentinel',
      '--format',
      'json',
      '--fail-on',
      'never',
    ]);
    expect(r.stderr).toContain(`${ROWS}/sentinel-rows.jsonl:7:1: error E003`);
    const ev = evidence(r.stdout);
    // Two Sysmon process rows (one with EventData as JSON text); the Security 4688 row is not
    // in scope: the sentinel pipeline reads process_creation from Sysmon in WindowsEvent.
    expect(ev.get('Cmd Started By A Script Host')).toMatchObject({ inScope: 2, hits: 1 });
    expect(ev.get('Run Key Value Set')).toMatchObject({ inScope: 1, hits: 1 });
    expect(ev.get('DNS Query For A Paste Site')).toMatchObject({ inScope: 1, hits: 0, covered: true });
    // Rows are counted, and named, as rows (the JSON keys keep their names; `unit` says which).
    const noise = new Map(
      (JSON.parse(r.stdout) as { documents: { title: string; noise: { explanation: string } }[] }).documents.map(
        (d) => [d.title, d.noise.explanation],
      ),
    );
    expect(ev.get('Run Key Value Set')).toMatchObject({ unit: 'rows' });
    expect(noise.get('Run Key Value Set')).toMatch(
      /^telemetry: 1 hit in 1 row of WindowsEvent that its query reads \(1000000 per million\), mostly through selection; too few rows to outweigh/,
    );
    expect([...noise.values()].join('\n')).not.toMatch(/\d events? of its log source|too few events/);
    expectGolden(ctx, path.join(HERE, 'golden/telemetry-rows-sentinel.json'), r.stdout);
  });

  it('rows that name no table are one E015 per file; PIPELINE:TABLE names it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sigil-rows-'));
    const file = path.join(dir, 'export.csv');
    fs.copyFileSync(`${ROWS}/DeviceProcessEvents.csv`, file);
    const untold = sigil(['lint', RULES, '--telemetry', file, '--rows', 'defender-xdr', '--format', 'json']);
    expect(untold.stderr).toMatch(/export\.csv:1:1: error E015 4 rows name no table/);
    expect(untold.status).toBe(1);
    const told = sigil([
      'lint',
      RULES,
      '--telemetry',
      dir,
      '--rows',
      'defender-xdr:DeviceProcessEvents',
      '--format',
      'json',
    ]);
    expect(told.stderr).not.toContain('E015');
    expect(evidence(told.stdout).get('Cmd Started By A Script Host')).toMatchObject({ inScope: 4, hits: 2 });
  });

  it('the rows key of .sigil.yml, beside telemetry', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sigil-rows-'));
    fs.copyFileSync(`${ROWS}/sentinel-rows.jsonl`, path.join(dir, 'rows.jsonl'));
    fs.writeFileSync(path.join(dir, '.sigil.yml'), 'telemetry: rows.jsonl\nrows: sentinel\n');
    const r = sigil(['lint', RULES, '--format', 'json', '--config', path.join(dir, '.sigil.yml')]);
    expect(evidence(r.stdout).get('Run Key Value Set')).toMatchObject({
      inScope: 1,
      hits: 1,
      rows: { pipeline: 'sentinel' },
    });
    fs.writeFileSync(path.join(dir, '.sigil.yml'), 'telemetry: rows.jsonl\nrows: 3\n');
    const bad = sigil(['lint', RULES, '--config', path.join(dir, '.sigil.yml')]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('rows must name a pipeline');
  });

  it('sign-ins: rows of both tables of the union reach the rule (Type column, file name, PIPELINE:TABLE)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sigil-rows-'));
    const rule = path.join(dir, 'rule.yml');
    fs.writeFileSync(
      rule,
      [
        'title: Sign-In From A Non-Compliant Device',
        'id: 3f0c2d1e-8b7a-4c5d-9e6f-102132435465',
        'status: test',
        'logsource:',
        '  product: azure',
        '  service: signinlogs',
        'detection:',
        '  selection:',
        "    DeviceDetail.isCompliant: 'false'",
        '  condition: selection',
        'level: medium',
        '',
      ].join('\n'),
    );
    const row = (type: string | undefined, detail: unknown): string =>
      JSON.stringify({ ...(type ? { Type: type } : {}), ResultType: '0', DeviceDetail: detail });
    // SigninLogs holds DeviceDetail as a dynamic object; AADNonInteractiveUserSignInLogs as JSON text.
    fs.writeFileSync(
      path.join(dir, 'signins.jsonl'),
      [
        row('SigninLogs', { isCompliant: false }),
        row('SigninLogs', { isCompliant: true }),
        row('AADNonInteractiveUserSignInLogs', '{"isCompliant":false}'),
        row('AADNonInteractiveUserSignInLogs', '{"isCompliant":true}'),
        row('AuditLogs', { isCompliant: false }),
      ].join('\n') + '\n',
    );
    const both = sigil([
      'lint',
      rule,
      '--telemetry',
      path.join(dir, 'signins.jsonl'),
      '--rows',
      'sentinel',
      '--format',
      'json',
    ]);
    expect(both.status).toBe(0);
    expect(both.stdout).toContain(
      'telemetry: 2 hits in 4 rows of SigninLogs and AADNonInteractiveUserSignInLogs that its query reads',
    );
    expect(evidence(both.stdout).get('Sign-In From A Non-Compliant Device')).toMatchObject({
      inScope: 4,
      hits: 2,
      covered: true,
      rows: { pipeline: 'sentinel', table: 'SigninLogs', tables: ['SigninLogs', 'AADNonInteractiveUserSignInLogs'] },
    });
    // The table from the file name, or named with PIPELINE:TABLE (a union table is a table the route reads).
    const csv = path.join(dir, 'AADNonInteractiveUserSignInLogs.csv');
    fs.writeFileSync(csv, 'ResultType,DeviceDetail\n0,"{""isCompliant"":false}"\n0,n/a\n');
    const named = sigil(['lint', rule, '--telemetry', csv, '--rows', 'sentinel', '--format', 'json']);
    expect(evidence(named.stdout).get('Sign-In From A Non-Compliant Device')).toMatchObject({ inScope: 2, hits: 1 });
    const plain = path.join(dir, 'export.csv');
    fs.copyFileSync(csv, plain);
    const told = sigil([
      'lint',
      rule,
      '--telemetry',
      plain,
      '--rows',
      'sentinel:AADNonInteractiveUserSignInLogs',
      '--format',
      'json',
    ]);
    expect(told.stderr).not.toContain('--rows:');
    expect(evidence(told.stdout).get('Sign-In From A Non-Compliant Device')).toMatchObject({ inScope: 2, hits: 1 });
  });

  it('an unknown pipeline or table is a usage error', () => {
    const a = sigil(['lint', RULES, '--telemetry', ROWS, '--rows', 'splunk-nope']);
    expect(a.status).toBe(2);
    expect(a.stderr).toContain("--rows: 'splunk-nope' is not a pipeline with routes to tables");
    const b = sigil(['lint', RULES, '--telemetry', ROWS, '--rows', 'defender-xdr:SigninLogs']);
    expect(b.status).toBe(2);
    expect(b.stderr).toContain("no route of defender-xdr reads the table 'SigninLogs'");
  });
});
