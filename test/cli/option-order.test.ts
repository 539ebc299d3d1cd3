/**
 * Options in any order (issue 19): sigma-cli users type `sigma convert -t splunk -p sysmon rules/`,
 * so every command must read its options the same before and after its paths. A repeatable option
 * takes one value per flag; only positionals may swallow the words that follow.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Argv } from 'yargs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../src/cli/commands/index.js';
import { sigil } from '../helpers/cli.js';

/** Records a command builder's option declarations without running yargs. */
function declaredOptions(builder: unknown): { name: string; array: boolean }[] {
  const found: { name: string; array: boolean }[] = [];
  const recorder: Argv = new Proxy({} as Argv, {
    get:
      (_t, method) =>
      (...args: unknown[]) => {
        if (method === 'option' || method === 'options') {
          const [name, spec] = args as [string, { array?: boolean } | undefined];
          found.push({ name, array: spec?.array === true });
        }
        return recorder;
      },
  });
  if (typeof builder === 'function') (builder as (y: Argv) => unknown)(recorder);
  return found;
}

describe('no option swallows the paths after it', () => {
  for (const command of commands) {
    const name = String(command.command).split(' ')[0];
    it(`${name}: no option is declared as an array`, () => {
      const options = declaredOptions(command.builder);
      expect(options.filter((o) => o.array).map((o) => o.name)).toEqual([]);
    });
  }
});

const RULE = `title: Wmic
id: 0b0c9c1e-1d6f-4f53-9a57-51b1c6bd5d3a
status: test
description: Wmic runs.
author: Sigil
date: 2026-01-01
tags:
    - attack.execution
    - attack.t1047
logsource:
    category: process_creation
    product: windows
detection:
    selection:
        Image|endswith: '\\wmic.exe'
    condition: selection
falsepositives:
    - Unknown
level: high
`;
const TESTS = `tests:
    - name: wmic
      match: true
      event: {Image: 'C:\\Windows\\System32\\wbem\\wmic.exe'}
`;
const FILTER = `title: Not on the build host
logsource:
    category: process_creation
    product: windows
filter:
    rules:
        - 0b0c9c1e-1d6f-4f53-9a57-51b1c6bd5d3a
    selection:
        ComputerName: build01
    condition: selection
`;
const PIPELINE = `name: extra
description: adds a host condition
transformations:
    - type: add_condition
      conditions:
          Computer: ws01
`;

let dir = '';
const at = (rel: string): string => path.join(dir, rel);

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sigil-order-'));
  fs.mkdirSync(at('rules'));
  fs.writeFileSync(at('rules/wmic.yml'), RULE);
  fs.writeFileSync(at('rules/wmic.tests.yml'), TESTS);
  fs.writeFileSync(at('filter.yml'), FILTER);
  fs.writeFileSync(at('extra.yml'), PIPELINE);
  fs.writeFileSync(
    at('events.jsonl'),
    JSON.stringify({ Image: 'C:\\Windows\\System32\\wbem\\wmic.exe', TimeCreated: '2026-01-01T00:00:00Z' }) + '\n',
  );
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Each case: the paths and the options; both orders must give the same result. */
const cases: { name: string; paths: () => string[]; options: () => string[]; exit: number }[] = [
  {
    name: 'convert with -t, --filter and two -p',
    paths: () => [at('rules')],
    options: () => ['-t', 'kql', '--json', '--filter', at('filter.yml'), '-p', at('extra.yml'), '-p', 'sentinel'],
    exit: 0,
  },
  {
    name: 'convert with -p and -s to Splunk',
    paths: () => [at('rules/wmic.yml')],
    options: () => ['-t', 'splunk', '--format', 'savedsearches', '-p', 'splunk-windows', '-s', 'index=wineventlog'],
    exit: 0,
  },
  { name: 'parse --json', paths: () => [at('rules')], options: () => ['--json'], exit: 0 },
  {
    name: 'test --format junit --filter',
    paths: () => [at('rules')],
    options: () => ['--format', 'junit', '--filter', at('filter.yml')],
    exit: 0,
  },
  {
    name: 'hunt -r, --timestamp-field, --filter',
    paths: () => [at('events.jsonl')],
    options: () => ['-r', at('rules'), '--filter', at('filter.yml'), '--timestamp-field', 'TimeCreated'],
    exit: 0,
  },
  { name: 'fmt --check', paths: () => [at('rules')], options: () => ['--check'], exit: 0 },
  {
    name: 'lint --format json --fail-on never --preset',
    paths: () => [at('rules')],
    options: () => ['--format', 'json', '--fail-on', 'never', '--preset', 'sigmahq'],
    exit: 0,
  },
  {
    name: 'coverage --format json --limit',
    paths: () => [at('rules')],
    options: () => ['--technique', 'T1047', '--format', 'json', '--limit', '5'],
    exit: 0,
  },
];

describe('options before and after the paths give the same result', () => {
  for (const c of cases) {
    it(c.name, () => {
      const command = c.name.split(' ')[0]!;
      const after = sigil([command, ...c.paths(), ...c.options()]);
      const before = sigil([command, ...c.options(), ...c.paths()]);
      expect(after.stderr).not.toMatch(/Not enough non-option arguments|internal error/);
      expect(after.status, after.stderr).toBe(c.exit);
      expect(before.status, before.stderr).toBe(after.status);
      expect(before.stdout).toBe(after.stdout);
      // hunt reports its speed on stderr; everything else must be the same.
      const untimed = (text: string): string => text.replace(/ in [\d.]+s \([\d.,]+ events\/s\)/g, '');
      expect(untimed(before.stderr)).toBe(untimed(after.stderr));
      expect((after.stdout + after.stderr).length).toBeGreaterThan(0);
    });
  }
});
