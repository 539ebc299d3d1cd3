/**
 * `sigil tune` on the command line: the tuned rule (YAML, golden), the proposals (JSON, golden),
 * the filter document (-o, golden) applied back with --filter, `sigil fmt` on every output, and
 * bad inputs (a bad event line is located and the run goes on; a rule without id cannot be
 * named by a filter document).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sigil } from '../helpers/cli.js';
import { expectGolden, expectGoldenJson } from '../helpers/golden.js';

const HERE = path.dirname(new URL(import.meta.url).pathname);
const GOLDEN = path.join(HERE, 'golden/tune');
const RULES = 'test/fixtures/tune/rules';
const EVENTS = 'test/fixtures/tune/events.jsonl';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sigil-tune-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** `sigil fmt --check` on a text: exit 0 when it is already formatted. */
function fmtCheck(name: string, text: string): number | null {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, text);
  return sigil(['fmt', '--check', file]).status;
}

describe('sigil tune', () => {
  it('prints the tuned rule (golden YAML) that sigil fmt leaves unchanged; the bad line is located, the run goes on', (ctx) => {
    const r = sigil(['tune', RULES, '--telemetry', EVENTS]);
    expect(r.stderr).toContain(`${EVENTS}:10:1: error E003`);
    expect(r.stderr).toContain('18 hits in 19 events; 3 filters remove 16 (2 left); guarded by 1 of 1');
    expect(r.stderr).toMatch(/refused: ParentImage "C:\\\\Windows\\\\System32\\\\cmd\.exe" \(would remove 6\) stops/);
    // A bad event line is a bad input: exit 1 (docs/cli.md), after the rule was tuned.
    expect(r.status).toBe(1);
    expect(fmtCheck('tuned.yml', r.stdout)).toBe(0);
    expectGolden(ctx, path.join(GOLDEN, 'whoami.tuned.yml'), r.stdout);
  });

  it('--format json gives the proposals, the counts and the guards (golden); identity values are marked', (ctx) => {
    const r = sigil(['tune', RULES, '--telemetry', EVENTS, '--format', 'json', '--identity']);
    expect(r.status).toBe(1);
    const json = JSON.parse(r.stdout) as {
      rules: { proposals: { environmentSpecific: boolean; value: string }[]; remaining: number; yaml: string }[];
    };
    const [rule] = json.rules;
    expect(rule!.proposals.filter((p) => p.environmentSpecific).map((p) => p.value)).toEqual([
      'C:\\Users\\bob\\AppData\\Local\\Temp\\setup.exe',
    ]);
    expect(rule!.remaining).toBe(0);
    expect(rule!.yaml).toContain('# environment-specific:');
    expectGoldenJson(ctx, path.join(GOLDEN, 'whoami.json'), json);
  });

  it('-o writes a Sigma filter document (golden) that --filter applies: the rule tests still pass, the hits go', (ctx) => {
    const out = path.join(tmp, 'tuning.yml');
    const r = sigil(['tune', RULES, '--telemetry', EVENTS, '-o', out]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('3 filters remove 16 (2 left)');
    const text = fs.readFileSync(out, 'utf8');
    expect(fmtCheck('filter.yml', text)).toBe(0);
    const test = sigil(['test', RULES, '--filter', out]);
    expect(test.status).toBe(0);
    expect(test.stderr).toContain('1 passed, 0 failed');
    const hunt = sigil(['hunt', '-r', RULES, '--filter', out, EVENTS, '--format', 'table']);
    expect(hunt.stderr).toContain('19 events, 1 rules: 2 matches');
    const unfiltered = sigil(['hunt', '-r', RULES, EVENTS, '--format', 'table']);
    expect(unfiltered.stderr).toContain('19 events, 1 rules: 18 matches');
    expectGolden(ctx, path.join(GOLDEN, 'whoami.filter.yml'), text);
  });

  it('a rule without id or name cannot be named by a filter document: E009, the file is not written', () => {
    const dir = path.join(tmp, 'noid');
    fs.mkdirSync(dir, { recursive: true });
    const rule = fs
      .readFileSync(path.join(RULES, 'proc_creation_win_whoami_tune.yml'), 'utf8')
      .replace(/^id: .*\n/m, '');
    fs.writeFileSync(path.join(dir, 'rule.yml'), rule);
    const out = path.join(tmp, 'noid.yml');
    const r = sigil(['tune', dir, '--telemetry', EVENTS, '-o', out]);
    expect(r.stderr).toMatch(
      /rule\.yml:1:1: error E009 Rule 'Whoami Execution \(tune fixture\)' has neither an id nor a name/,
    );
    expect(r.status).toBe(1);
    expect(fs.existsSync(out)).toBe(false);
  });

  it('reads the telemetry: key of .sigil.yml (found from the current directory upwards, or --config) as lint does; --telemetry wins', () => {
    const root = path.join(tmp, 'config');
    const deep = path.join(root, 'project', 'rules');
    fs.mkdirSync(deep, { recursive: true });
    fs.copyFileSync(EVENTS, path.join(root, 'project', 'events.jsonl'));
    const config = path.join(root, 'project', '.sigil.yml');
    // Relative to the configuration file, not to the current directory.
    fs.writeFileSync(config, 'telemetry: events.jsonl\n');
    const rules = path.resolve(RULES);
    const found = sigil(['tune', rules], { cwd: deep });
    expect(found.stderr).toContain('18 hits in 19 events; 3 filters remove 16 (2 left)');
    expect(found.stderr).toMatch(/events\.jsonl:10:1: error E003/);
    expect(found.status).toBe(1);
    const named = sigil(['tune', rules, '--config', config, '--format', 'json'], { cwd: root });
    expect((JSON.parse(named.stdout) as { telemetry: { events: number } }).telemetry.events).toBe(19);
    // The flag wins: the configuration's path is not read at all.
    fs.writeFileSync(config, 'telemetry: [missing.jsonl, also-missing.jsonl]\n');
    const flag = sigil(['tune', rules, '--telemetry', path.resolve(EVENTS)], { cwd: deep });
    expect(flag.stderr).toContain('18 hits in 19 events');
    expect(flag.stderr).not.toContain('cannot read');
    const missing = sigil(['tune', rules], { cwd: deep });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('cannot read --telemetry');
    // A configuration without telemetry, a malformed key, and rows (tune reads events, not table rows).
    fs.writeFileSync(config, 'noise: { high: 80 }\n');
    const none = sigil(['tune', rules], { cwd: deep });
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/--telemetry EVENTS…, and .*\.sigil\.yml has no telemetry: key/);
    fs.writeFileSync(config, 'telemetry: 3\n');
    expect(sigil(['tune', rules], { cwd: deep }).stderr).toContain('telemetry must be a path or a list of paths');
    fs.writeFileSync(config, 'telemetry: events.jsonl\nrows: sentinel\n');
    const rows = sigil(['tune', rules], { cwd: deep });
    expect(rows.status).toBe(2);
    expect(rows.stderr).toContain('sigil tune reads event exports');
  });

  it('needs --telemetry (usage, exit 2), and a missing telemetry path is a usage error', () => {
    const r0 = sigil(['tune', path.resolve(RULES)], { cwd: tmp });
    expect(r0.status).toBe(2);
    expect(r0.stderr).toContain('name the event exports to tune on: --telemetry EVENTS… (or telemetry: in .sigil.yml)');
    const r = sigil(['tune', RULES, '--telemetry', path.join(tmp, 'nope.jsonl')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('cannot read --telemetry');
  });
});
