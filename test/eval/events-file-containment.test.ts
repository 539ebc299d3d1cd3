/**
 * `sigil test` reads only events files inside the rule repository, and its diagnostics never
 * echo a file's contents.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sigil } from '../helpers/cli.js';

let base = '';
let repo = '';
const SECRET = 'root:$6$SECRETHASH:19000:0:99999:7:::';

const RULE = `title: WMIC
id: 5f2d1c3b-6a1e-4c2b-9d7e-0a1b2c3d4e5f
status: test
logsource: {category: process_creation, product: windows}
detection:
    selection:
        Image|endswith: '\\wmic.exe'
    condition: selection
level: high
`;

function writeRule(name: string, eventsFile: string): string {
  const rule = path.join(repo, 'rules', `${name}.yml`);
  fs.writeFileSync(rule, RULE);
  fs.writeFileSync(
    path.join(repo, 'rules', `${name}.tests.yml`),
    `tests:\n  - name: from a file\n    match: true\n    events_file: ${JSON.stringify(eventsFile)}\n`,
  );
  return rule;
}

beforeAll(() => {
  base = fs.mkdtempSync(path.join(os.tmpdir(), 'sigil-events-'));
  repo = path.join(base, 'repo');
  fs.mkdirSync(path.join(repo, '.git'), { recursive: true });
  fs.mkdirSync(path.join(repo, 'rules'));
  fs.mkdirSync(path.join(repo, 'events'));
  fs.writeFileSync(path.join(base, 'secret.txt'), SECRET + '\n');
  fs.writeFileSync(path.join(repo, 'events', 'broken.json'), SECRET + '\n');
  fs.writeFileSync(path.join(repo, 'events', 'ok.jsonl'), JSON.stringify({ Image: 'C:\\wbem\\wmic.exe' }) + '\n');
  fs.symlinkSync(path.join(base, 'secret.txt'), path.join(repo, 'events', 'link.json'));
});
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

describe('sigil test: events files stay in the repository', () => {
  it('reads an events file inside the repository', () => {
    const r = sigil(['test', writeRule('inside', '../events/ok.jsonl')]);
    expect(r.stderr).not.toContain('E007');
    expect(r.stderr).toMatch(/1 test cases?: 1 passed, 0 failed/);
    expect(r.stdout).toContain('PASS WMIC');
    expect(r.status).toBe(0);
  });

  for (const [name, named] of [
    ['absolute', () => path.join(base, 'secret.txt')],
    ['dotdot', () => '../../secret.txt'],
    ['link', () => '../events/link.json'],
  ] as const) {
    it(`refuses ${name} paths (E007) without reading them`, () => {
      const rule = writeRule(name, named());
      const r = sigil(['test', rule]);
      expect(r.stderr).toMatch(new RegExp(`${name}\\.tests\\.yml:\\d+:\\d+: error E007`));
      expect(r.stdout + r.stderr).not.toContain('SECRETHASH');
      expect(r.status).not.toBe(0);
      fs.rmSync(rule);
    });
  }

  it('an invalid events file is reported without its contents', () => {
    const rule = writeRule('broken', '../events/broken.json');
    const r = sigil(['test', rule]);
    expect(r.stderr).toContain('E003');
    expect(r.stdout + r.stderr).not.toContain('SECRETHASH');
    expect(r.stdout + r.stderr).not.toContain('root:');
    expect(r.status).not.toBe(0);
    fs.rmSync(rule);
  });
});
