/**
 * `lint --telemetry`: every rule run over event exports; per rule the evidence (events in scope,
 * hits, the branch and the commonest values), and the score resting on it where the telemetry
 * covers the rule's log source. The JSON is a golden file; bad lines are located and skipped.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { sigil } from '../helpers/cli.js';
import { expectGolden } from '../helpers/golden.js';

const HERE = path.dirname(new URL(import.meta.url).pathname);
const RULES = 'test/fixtures/telemetry/rules';
const EVENTS = 'test/fixtures/telemetry/events.jsonl';

interface Doc {
  title: string;
  noise: {
    score: number;
    basis?: string;
    explanation: string;
    evidence?: {
      inScope: number;
      hits: number;
      covered: boolean;
      branches: { identifiers: string[]; hits: number }[];
      values: { field: string; other: number }[];
    };
  };
}

const docs = (stdout: string): Doc[] => (JSON.parse(stdout) as { documents: Doc[] }).documents;

describe('lint --telemetry', () => {
  it('gives noise.evidence per rule (golden JSON); the bad line is reported at its line and the run goes on', (ctx) => {
    const r = sigil(['lint', RULES, '--telemetry', EVENTS, '--format', 'json', '--fail-on', 'never']);
    expect(r.stderr).toContain(`${EVENTS}:4:1: error E003`);
    // A bad event line is a bad input: exit 1 (docs/cli.md), after every rule was measured.
    expect(r.status).toBe(1);
    const byTitle = new Map(docs(r.stdout).map((d) => [d.title, d.noise]));
    const cmd = byTitle.get('Cmd Started By A Script Host')!;
    // 8 nxlog Sysmon process starts, 1 in the EVTX shape and 1 Winlogbeat Security 4688.
    expect(cmd.evidence).toMatchObject({ unit: 'events', inScope: 10, hits: 6, covered: true });
    expect(cmd.explanation).toMatch(/^telemetry: 6 hits in 10 events of its log source \(600000 per million\)/);
    expect(cmd.evidence!.branches[0]).toEqual({ identifiers: ['selection_img', 'selection_parent'], hits: 6 });
    expect(cmd.basis).toBe('telemetry');
    // Sysmon's EventType restored from the message where nxlog overwrote it with INFO.
    expect(byTitle.get('Run Key Value Set')!.evidence).toMatchObject({ inScope: 2, hits: 1, covered: true });
    const dns = byTitle.get('DNS Query For A Paste Site')!;
    expect(dns.basis).toBe('static');
    expect(dns.explanation).toMatch(/^static estimate \(the telemetry has no events of this log source\)/);
    expectGolden(ctx, path.join(HERE, 'golden/telemetry.json'), r.stdout);
  });

  it('reads gzip exports and directories, and the telemetry key of .sigil.yml', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sigil-telemetry-'));
    const gz = path.join(dir, 'exports', 'events.jsonl.gz');
    fs.mkdirSync(path.dirname(gz));
    fs.writeFileSync(gz, zlib.gzipSync(fs.readFileSync(EVENTS)));
    const viaFlag = docs(sigil(['lint', RULES, '--telemetry', path.dirname(gz), '--format', 'json']).stdout);
    fs.writeFileSync(path.join(dir, '.sigil.yml'), 'telemetry: exports\n');
    const viaConfig = docs(
      sigil(['lint', path.resolve(RULES), '--format', 'json', '--config', path.join(dir, '.sigil.yml')]).stdout,
    );
    const hits = (d: Doc[]): (number | undefined)[] => d.map((x) => x.noise.evidence?.hits);
    expect(hits(viaFlag)).toEqual([6, 0, 1]);
    expect(hits(viaConfig)).toEqual([6, 0, 1]);
  });

  it('a truncated gzip file is one E008 diagnostic; the events before the fault count', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sigil-telemetry-'));
    const gz = path.join(dir, 'cut.jsonl.gz');
    const whole = zlib.gzipSync(fs.readFileSync(EVENTS));
    fs.writeFileSync(gz, whole.subarray(0, whole.length - 40));
    const r = sigil(['lint', RULES, '--telemetry', gz, '--format', 'json']);
    expect(r.stderr).toMatch(/cut\.jsonl\.gz:1:1: error E008/);
    expect(r.status).toBe(1);
  });

  it('worker threads give the evidence, diagnostics and exit status of the sequential run', () => {
    // Several blocks per file (over 1 MB of lines), bad lines in them, a file cut short (E008),
    // a pretty-printed document (read whole by a worker) and an empty file, in one run.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sigil-telemetry-'));
    const lines = fs.readFileSync(EVENTS, 'utf8').trimEnd().split('\n');
    // Each cmd.exe in a folder of its own: over 256 distinct Image values, so which are counted
    // (and which go to `other`) depends on the order the events are recorded in.
    const many = Array.from({ length: 4000 }, (_, i) =>
      lines[i % lines.length]!.replace('"RecordNumber": 1,', `"RecordNumber": ${i},`).replace(
        /System32\\\\cmd\.exe/,
        `System32\\\\d${i}\\\\cmd.exe`,
      ),
    );
    many[1700] = '{"truncated": ';
    fs.writeFileSync(path.join(dir, 'a-many.jsonl'), many.join('\n') + '\n');
    const whole = zlib.gzipSync(many.join('\n'));
    fs.writeFileSync(path.join(dir, 'b-cut.jsonl.gz'), whole.subarray(0, Math.floor(whole.length * 0.6)));
    const objects = lines.slice(0, 3).map((l) => JSON.parse(l) as unknown);
    fs.writeFileSync(path.join(dir, 'c-pretty.json'), JSON.stringify(objects, null, 2));
    fs.writeFileSync(path.join(dir, 'd-empty.jsonl'), '\n\n');
    fs.copyFileSync(EVENTS, path.join(dir, 'e-fixture.jsonl'));
    const run = (env: Record<string, string>) =>
      sigil(['lint', RULES, '--telemetry', dir, '--format', 'json'], {
        env: { SIGIL_WORKERS: '', SIGIL_NO_WORKERS: '', ...env },
      });
    const sequential = run({ SIGIL_NO_WORKERS: '1' });
    const parallel = run({ SIGIL_WORKERS: '2' });
    expect(sequential.stderr).toMatch(/a-many\.jsonl:1701:1: error E003/);
    expect(sequential.stderr).toMatch(/b-cut\.jsonl\.gz:1:1: error E008/);
    const cmd = docs(sequential.stdout).find((d) => d.title === 'Cmd Started By A Script Host')!.noise.evidence!;
    expect(cmd.hits).toBeGreaterThan(1000);
    expect(cmd.values.find((v) => v.field === 'Image')!.other).toBeGreaterThan(0);
    expect(parallel.stdout).toBe(sequential.stdout);
    expect(parallel.stderr).toBe(sequential.stderr);
    expect(parallel.status).toBe(sequential.status);
    // Workers replaced after every job (what a growing heap triggers): the same evidence and diagnostics.
    const recycled = run({ SIGIL_WORKERS: '2', SIGIL_WORKER_RECYCLE: '1' });
    expect(recycled.stdout).toBe(sequential.stdout);
    expect(recycled.stderr).toBe(sequential.stderr);
    expect(recycled.status).toBe(sequential.status);
  });

  it('a configuration whose telemetry is not a path is a usage error', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sigil-telemetry-'));
    fs.writeFileSync(path.join(dir, '.sigil.yml'), 'telemetry: 3\n');
    const r = sigil(['lint', RULES, '--config', path.join(dir, '.sigil.yml')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('telemetry must be a path');
  });
});
