/**
 * EVTX files on the command line: `sigil hunt` and `sigil lint --telemetry` read a SigmaHQ
 * regression .evtx directly (golden), the same as its evtx_dump JSON; a file is told by its
 * signature, not its name; a damaged file is a located diagnostic and the run goes on; `sigil
 * test` runs a `type: evtx` regression case on the .evtx too.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { readEvents } from '../../src/cli/event-input.js';
import type { Diagnostic } from '../../src/diagnostics.js';
import { sigil } from '../helpers/cli.js';
import { expectGolden, expectGoldenJson } from '../helpers/golden.js';

const HERE = path.dirname(new URL(import.meta.url).pathname);
const GOLDEN = path.join(HERE, 'golden/evtx');
// Relative to the repository root (the CLI's working folder), so the golden files name them so.
const RULE = '../shared/corpus/sigmahq/rules/windows/file/file_event/file_event_win_cred_dump_tools_dropped_files.yml';
const CASE =
  '../shared/corpus/sigmahq/regression_data/rules/windows/file/file_event/file_event_win_cred_dump_tools_dropped_files';
const EVTX = `${CASE}/8fbf3271-1ef6-4e94-8210-03c2317947f6.evtx`;
const JSON_FILE = `${CASE}/8fbf3271-1ef6-4e94-8210-03c2317947f6.json`;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sigil-evtx-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const hits = (stdout: string): { event_index: number }[] =>
  stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { event_index: number });

describe('EVTX on the command line', () => {
  it('sigil hunt reads the .evtx (golden) and finds what it finds in the JSON beside it', (ctx) => {
    const r = sigil(['hunt', '-r', RULE, EVTX]);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('6 events, 1 rules: 3 matches');
    const fromJson = sigil(['hunt', '-r', RULE, JSON_FILE]);
    expect(hits(r.stdout).map((h) => h.event_index)).toEqual(hits(fromJson.stdout).map((h) => h.event_index));
    expectGolden(ctx, path.join(GOLDEN, 'hunt.jsonl'), r.stdout);
  });

  it('a file is EVTX by its signature, whatever its name (and gzip-compressed too)', () => {
    const renamed = path.join(tmp, 'events.log');
    fs.copyFileSync(EVTX, renamed);
    expect(hits(sigil(['hunt', '-r', RULE, renamed]).stdout)).toHaveLength(3);
    const gz = path.join(tmp, 'events.gz');
    fs.writeFileSync(gz, zlib.gzipSync(fs.readFileSync(EVTX)));
    expect(hits(sigil(['hunt', '-r', RULE, gz]).stdout)).toHaveLength(3);
  });

  it('sigil lint --telemetry --format json on the .evtx gives the same evidence as on the JSON (golden)', (ctx) => {
    const r = sigil(['lint', RULE, '--telemetry', EVTX, '--format', 'json']);
    const fromJson = sigil(['lint', RULE, '--telemetry', JSON_FILE, '--format', 'json']);
    const evidence = (stdout: string): unknown =>
      (JSON.parse(stdout) as { documents: { noise: { evidence: unknown } }[] }).documents[0]!.noise.evidence;
    expect(evidence(r.stdout)).toEqual(evidence(fromJson.stdout));
    // The evidence only: the score built on it belongs to the noise model, which changes apart.
    expectGoldenJson(ctx, path.join(GOLDEN, 'lint-telemetry-evidence.json'), evidence(r.stdout));
  });

  it('a telemetry directory gives its .evtx files too (here beside their JSON: every record twice)', () => {
    const r = sigil(['lint', RULE, '--telemetry', CASE, '--format', 'json']);
    const evidence = (
      JSON.parse(r.stdout) as { documents: { noise: { evidence: { events: number; hits: number } } }[] }
    ).documents[0]!.noise.evidence;
    expect([evidence.events, evidence.hits]).toEqual([12, 6]);
  });

  it('a damaged record is a located E019 and the other records and files are still read', () => {
    const damaged = path.join(tmp, 'damaged.evtx');
    const bytes = fs.readFileSync(EVTX);
    // The first record's first Binary XML token after its fragment header: not a token.
    bytes[4096 + 512 + 24 + 4] = 0x3f;
    fs.writeFileSync(damaged, bytes);
    const r = sigil(['hunt', '-r', RULE, damaged, EVTX]);
    expect(r.stderr).toContain(`${damaged}:1:${4096 + 512 + 24 + 4 + 1}: error E019`);
    expect(r.stderr).toMatch(/unexpected token 0x3f in a fragment; the record is skipped/);
    // 5 records of the damaged copy, 6 of the original.
    expect(r.stderr).toContain('11 events, 1 rules:');
    expect(r.status).toBe(1);
  });

  it('a rule test may name an EVTX file as its events_file', () => {
    const repo = path.join(tmp, 'repo');
    fs.mkdirSync(path.join(repo, '.git'), { recursive: true });
    fs.copyFileSync(RULE, path.join(repo, 'rule.yml'));
    fs.copyFileSync(EVTX, path.join(repo, 'dropped.evtx'));
    fs.writeFileSync(
      path.join(repo, 'rule.tests.yml'),
      'tests:\n  - name: procdump dropped\n    match: true\n    events_file: dropped.evtx\n',
    );
    const r = sigil(['test', path.join(repo, 'rule.yml')]);
    expect(r.stdout).toContain('PASS Cred Dump Tools Dropped Files — procdump dropped: 3 of 6 events matched');
    expect(r.status).toBe(0);
  });

  it('sigil test runs a type: evtx regression case on the .evtx as well as on its JSON', () => {
    const r = sigil(['test', RULE]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('PASS Cred Dump Tools Dropped Files — Positive Detection Test: 3 of 6 events matched');
    expect(r.stdout).toContain(
      'PASS Cred Dump Tools Dropped Files — Positive Detection Test (EVTX): 3 of 6 events matched',
    );
  });
});

describe('readEvents: EVTX by signature', () => {
  async function collect(pieces: Buffer[]): Promise<{ events: unknown[]; diagnostics: Diagnostic[] }> {
    async function* stream(): AsyncGenerator<Buffer> {
      yield* pieces;
    }
    const diagnostics: Diagnostic[] = [];
    const events: unknown[] = [];
    for await (const e of readEvents(stream(), 'in', (d) => diagnostics.push(d))) events.push(e);
    return { events, diagnostics };
  }

  it('tells EVTX by its 8-byte signature even when the first pieces are shorter', async () => {
    const bytes = fs.readFileSync(EVTX);
    const pieces = [bytes.subarray(0, 3), bytes.subarray(3, 5), bytes.subarray(5, 9000), bytes.subarray(9000)];
    const json = JSON.parse(
      `[${fs
        .readFileSync(JSON_FILE, 'utf8')
        .trim()
        .replace(/\}\s*\{/g, '},{')}]`,
    ) as unknown[];
    expect(await collect(pieces)).toEqual({ events: json, diagnostics: [] });
  });

  it('JSON that merely starts like the signature, and an empty input, are not EVTX', async () => {
    expect((await collect([Buffer.from('{"ElfFile": 1}\n')])).events).toEqual([{ ElfFile: 1 }]);
    expect(await collect([])).toEqual({ events: [], diagnostics: [] });
  });
});
