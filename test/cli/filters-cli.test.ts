// Sigma filters on the command line: --filter, and filter documents among the inputs.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sigil } from '../helpers/cli.js';

const RULE_ID = '6f3e2987-db24-4c78-a860-b4f4095a7095';
const RULE = `title: Data Compressed - rar.exe
id: ${RULE_ID}
logsource:
    category: process_creation
    product: windows
detection:
    selection:
        Image|endswith: '\\rar.exe'
    condition: selection
level: low
`;
const OTHER = `title: 7-Zip
id: 11111111-2222-4333-8444-555555555555
logsource:
    category: process_creation
    product: windows
detection:
    selection:
        Image|endswith: '\\7z.exe'
    condition: selection
`;
const FILTER = `title: Filter Administrator account
logsource:
    category: process_creation
    product: windows
filter:
    rules:
        - ${RULE_ID}
    selection:
        ParentImage|endswith: '\\adminshell.exe'
    condition: selection
`;

let dir = '';
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sigil-filters-'));
  fs.mkdirSync(path.join(dir, 'rules'));
  fs.writeFileSync(path.join(dir, 'rules/rar.yml'), RULE);
  fs.writeFileSync(path.join(dir, 'rules/7z.yml'), OTHER);
  fs.writeFileSync(path.join(dir, 'mf_admins.yml'), FILTER);
  fs.writeFileSync(
    path.join(dir, 'events.jsonl'),
    [
      { Image: 'C:\\Tools\\rar.exe', ParentImage: 'C:\\Windows\\explorer.exe' },
      { Image: 'C:\\Tools\\rar.exe', ParentImage: 'C:\\IT\\adminshell.exe' },
      { Image: 'C:\\Tools\\7z.exe', ParentImage: 'C:\\IT\\adminshell.exe' },
    ]
      .map((e) => JSON.stringify(e))
      .join('\n') + '\n',
  );
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const queries = (stdout: string): Record<string, string> =>
  Object.fromEntries(
    stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { title: string; queries: string[] })
      .map((o) => [o.title, o.queries[0]!]),
  );

describe('sigil convert with Sigma filters', () => {
  it('--filter FILE applies to the rule it names, and only to it', () => {
    const r = sigil([
      'convert',
      path.join(dir, 'rules'),
      '-p',
      'defender-xdr',
      '--json',
      '--filter',
      path.join(dir, 'mf_admins.yml'),
    ]);
    expect(r.status).toBe(0);
    const q = queries(r.stdout);
    expect(q['Data Compressed - rar.exe']).toContain(
      '| where not(InitiatingProcessFolderPath endswith @"\\adminshell.exe")',
    );
    expect(q['7-Zip']).not.toContain('adminshell');
  });

  it('a filter document among the inputs is applied the same way (no output of its own)', () => {
    const withFlag = sigil([
      'convert',
      path.join(dir, 'rules'),
      '-p',
      'defender-xdr',
      '--json',
      '--filter',
      path.join(dir, 'mf_admins.yml'),
    ]);
    const among = sigil([
      'convert',
      path.join(dir, 'rules'),
      path.join(dir, 'mf_admins.yml'),
      '-p',
      'defender-xdr',
      '--json',
    ]);
    expect(among.status).toBe(0);
    expect(queries(among.stdout)).toEqual(queries(withFlag.stdout));
    expect(among.stderr).toContain('converted 2, not expressible 0');
  });

  it('a filter given with --filter and also among the inputs applies once', () => {
    const both = sigil([
      'convert',
      path.join(dir, 'rules'),
      path.join(dir, 'mf_admins.yml'),
      '-p',
      'defender-xdr',
      '-t',
      'sigma',
      '--json',
      '--filter',
      path.join(dir, 'mf_admins.yml'),
    ]);
    expect(both.status).toBe(0);
    const text = both.stdout;
    expect(text).toContain('_filter1_selection');
    expect(text).not.toContain('_filter2_');
  });

  it('without the filter, the rule converts as written', () => {
    const r = sigil(['convert', path.join(dir, 'rules'), '-p', 'defender-xdr', '--json']);
    expect(queries(r.stdout)['Data Compressed - rar.exe']).not.toContain('adminshell');
  });

  it('--filter takes one value each time (repeatable), so the paths after it stay paths', () => {
    const r = sigil([
      'convert',
      '--filter',
      path.join(dir, 'mf_admins.yml'),
      path.join(dir, 'rules/rar.yml'),
      '-p',
      'defender-xdr',
      '--json',
    ]);
    expect(r.status).toBe(0);
    expect(queries(r.stdout)['Data Compressed - rar.exe']).toContain('adminshell');
  });

  it('a filter for another logsource is reported (C104) and not applied', () => {
    const registry = path.join(dir, 'mf_registry.yml');
    fs.writeFileSync(registry, FILTER.replace('category: process_creation', 'category: registry_set'));
    const r = sigil(['convert', path.join(dir, 'rules/rar.yml'), '-p', 'defender-xdr', '--json', '--filter', registry]);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(
      "warning C104 filter 'Filter Administrator account' names rule 'Data Compressed - rar.exe' but is not applied: the filter is for category 'registry_set', the rule is for category 'process_creation'",
    );
    expect(queries(r.stdout)['Data Compressed - rar.exe']).not.toContain('adminshell');
  });

  it('a rule that cannot be converted because of its filter says so', () => {
    const hashFilter = path.join(dir, 'mf_hash.yml');
    fs.writeFileSync(
      hashFilter,
      FILTER.replace("ParentImage|endswith: '\\adminshell.exe'", "Imphash: 'abcdef0123456789abcdef0123456789'").replace(
        'Filter Administrator account',
        'Filter by imphash',
      ),
    );
    const text = sigil(['convert', path.join(dir, 'rules/rar.yml'), '-p', 'defender-xdr', '--filter', hashFilter]);
    expect(text.status).toBe(1);
    expect(text.stderr).toContain("note: with filter 'Filter by imphash' applied");
    const json = sigil([
      'convert',
      path.join(dir, 'rules/rar.yml'),
      '-p',
      'defender-xdr',
      '--json',
      '--filter',
      hashFilter,
    ]);
    expect(JSON.parse(json.stdout.trim()).filters).toEqual(['Filter by imphash']);
  });

  it('--filter on a file without a filter document is a usage error', () => {
    const r = sigil(['convert', path.join(dir, 'rules'), '--filter', path.join(dir, 'rules/rar.yml')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('holds no Sigma filter document');
  });
});

describe('sigil hunt and sigil test with Sigma filters', () => {
  it('hunt: the filtered rule no longer matches what the filter excludes', () => {
    const plain = sigil(['hunt', '-r', path.join(dir, 'rules'), path.join(dir, 'events.jsonl')]);
    const filtered = sigil([
      'hunt',
      '-r',
      path.join(dir, 'rules'),
      '--filter',
      path.join(dir, 'mf_admins.yml'),
      path.join(dir, 'events.jsonl'),
    ]);
    const hits = (s: string): string[] =>
      s
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { title: string; event_index: number })
        .map((m) => `${m.title}@${m.event_index}`);
    expect(hits(plain.stdout)).toEqual(['Data Compressed - rar.exe@0', 'Data Compressed - rar.exe@1', '7-Zip@2']);
    expect(hits(filtered.stdout)).toEqual(['Data Compressed - rar.exe@0', '7-Zip@2']);
  });

  it('test: rule tests run on the rule as filtered', () => {
    const tests = `tests:\n    - name: admin shell is tuned out\n      match: false\n      event: {Image: 'C:\\\\Tools\\\\rar.exe', ParentImage: 'C:\\\\IT\\\\adminshell.exe'}\n`;
    fs.writeFileSync(path.join(dir, 'rules/rar.tests.yml'), tests);
    try {
      expect(sigil(['test', path.join(dir, 'rules/rar.yml')]).status).toBe(1);
      const r = sigil(['test', path.join(dir, 'rules/rar.yml'), '--filter', path.join(dir, 'mf_admins.yml')]);
      expect(r.stderr).toContain('1 passed, 0 failed');
      expect(r.status).toBe(0);
    } finally {
      fs.rmSync(path.join(dir, 'rules/rar.tests.yml'));
    }
  });
});
