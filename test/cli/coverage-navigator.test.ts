/**
 * `sigil coverage --navigator` and `--gaps`: the layer has the fields the ATT&CK Navigator layer
 * format 4.5 requires, scores are rule counts, colours follow levels, rule text is inert data
 * (parsed back exactly), and gaps come from the bundled ATT&CK snapshot.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sigil } from '../helpers/cli.js';

/** The layer format 4.5's required structure (attack-navigator layers/LAYERFORMATv4_5.md). */
const LAYER_SCHEMA = {
  type: 'object',
  required: ['name', 'versions', 'domain'],
  properties: {
    name: { type: 'string' },
    versions: {
      type: 'object',
      required: ['attack', 'navigator', 'layer'],
      properties: {
        attack: { type: 'string', pattern: '^\\d+$' },
        navigator: { type: 'string', pattern: '^\\d+\\.\\d+(\\.\\d+)?$' },
        layer: { const: '4.5' },
      },
    },
    domain: { enum: ['enterprise-attack', 'mobile-attack', 'ics-attack'] },
    description: { type: 'string' },
    sorting: { enum: [0, 1, 2, 3] },
    hideDisabled: { type: 'boolean' },
    techniques: {
      type: 'array',
      items: {
        type: 'object',
        required: ['techniqueID', 'score'],
        properties: {
          techniqueID: { type: 'string', pattern: '^T\\d{4}(\\.\\d{3})?$' },
          tactic: { type: 'string' },
          score: { type: 'number' },
          color: { type: 'string', pattern: '^(#[0-9a-f]{6})?$' },
          comment: { type: 'string' },
          enabled: { type: 'boolean' },
          showSubtechniques: { type: 'boolean' },
          metadata: {
            type: 'array',
            items: {
              type: 'object',
              required: ['name', 'value'],
              properties: { name: { type: 'string' }, value: { type: 'string' } },
            },
          },
        },
      },
    },
    gradient: {
      type: 'object',
      required: ['colors', 'minValue', 'maxValue'],
      properties: {
        colors: { type: 'array', items: { type: 'string' } },
        minValue: { type: 'number' },
        maxValue: { type: 'number' },
      },
    },
    legendItems: {
      type: 'array',
      items: {
        type: 'object',
        required: ['label', 'color'],
        properties: { label: { type: 'string' }, color: { type: 'string' } },
      },
    },
  },
};

const NASTY = 'Evil "quoted" </script><img src=x onerror=alert(1)> \\ \u2028 title';
const rule = (title: string, level: string, tags: string[]): string =>
  `title: ${JSON.stringify(title)}\nid: ${crypto.randomUUID()}\nstatus: test\nlogsource:\n    category: process_creation\n    product: windows\ndetection:\n    selection:\n        Image|endswith: '\\x.exe'\n    condition: selection\nlevel: ${level}\ntags:\n${tags.map((t) => `    - ${t}\n`).join('')}`;

let dir = '';
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sigil-nav-'));
  fs.mkdirSync(path.join(dir, 'rules'));
  fs.writeFileSync(path.join(dir, 'rules/a.yml'), rule(NASTY, 'high', ['attack.execution', 'attack.t1059.001']));
  fs.writeFileSync(path.join(dir, 'rules/b.yml'), rule('Second Rule', 'low', ['attack.t1059.001', 'attack.t1037.001']));
  fs.writeFileSync(path.join(dir, 'rules/c.yml'), rule('Third Rule', 'critical', ['attack.t1037.001']));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('sigil coverage --navigator', () => {
  it('writes a layer with the fields the layer format 4.5 requires, scored by rules and coloured by level', () => {
    const file = path.join(dir, 'layer.json');
    const r = sigil(['coverage', path.join(dir, 'rules'), '--navigator', file]);
    expect(r.status, r.stderr).toBe(0);
    const layer = JSON.parse(fs.readFileSync(file, 'utf8'));
    const ajv = new Ajv({ allErrors: true });
    const validate = ajv.compile(LAYER_SCHEMA);
    expect(validate(layer), JSON.stringify(validate.errors)).toBe(true);
    expect(layer.versions).toEqual({ attack: '18', navigator: '5.1.0', layer: '4.5' });
    const byId = Object.fromEntries(layer.techniques.map((t: { techniqueID: string }) => [t.techniqueID, t]));
    expect(Object.keys(byId).sort()).toEqual(['T1037.001', 'T1059.001']);
    expect(byId['T1059.001'].score).toBe(2);
    expect(byId['T1059.001'].color).toBe('#fb8c00'); // high, the higher of high and low
    expect(byId['T1037.001'].color).toBe('#e53935'); // critical
    expect(layer.legendItems.map((l: { label: string }) => l.label)).toEqual([
      'informational',
      'low',
      'medium',
      'high',
      'critical',
    ]);
  });

  it('carries rule titles as inert data: parsed back, exactly the titles', () => {
    const file = path.join(dir, 'layer.json');
    sigil(['coverage', path.join(dir, 'rules'), '--navigator', file]);
    const text = fs.readFileSync(file, 'utf8');
    const layer = JSON.parse(text);
    const t = layer.techniques.find((x: { techniqueID: string }) => x.techniqueID === 'T1059.001');
    expect(t.comment.split('\n').sort()).toEqual([NASTY, 'Second Rule'].sort());
    expect(t.metadata.map((m: { value: string }) => m.value).sort()).toEqual([NASTY, 'Second Rule'].sort());
    // Nothing of the title escapes its JSON string: the file's structure is the layer's.
    expect(Object.keys(layer).sort()).toEqual(Object.keys(JSON.parse(JSON.stringify(layer))).sort());
    expect(text).not.toContain('\u2028');
    expect(text).not.toContain('</script>');
  });
});

describe('sigil coverage --gaps', () => {
  it('lists the techniques of the tactics and platforms no rule covers', () => {
    const r = sigil([
      'coverage',
      path.join(dir, 'rules'),
      '--gaps',
      '--tactic',
      'persistence',
      '--platform',
      'Windows',
      '--format',
      'json',
    ]);
    expect(r.status, r.stderr).toBe(0);
    const gaps = JSON.parse(r.stdout) as { id: string; tactics: string[]; platforms: string[] }[];
    const ids = gaps.map((g) => g.id);
    expect(ids).not.toContain('T1037.001'); // covered by two rules
    expect(ids).toContain('T1037.003'); // Network Logon Script: Windows persistence, no rule
    expect(ids).toContain('T1546.003');
    for (const g of gaps) {
      expect(g.tactics).toContain('persistence');
      expect(g.platforms).toContain('Windows');
    }
    expect(ids).not.toContain('T1004'); // revoked
  });

  it('refuses unknown tactics and platforms, and a run without a mode (exit 2)', () => {
    expect(sigil(['coverage', path.join(dir, 'rules'), '--gaps', '--tactic', 'persistance']).status).toBe(2);
    expect(sigil(['coverage', path.join(dir, 'rules'), '--gaps', '--platform', 'Amiga']).status).toBe(2);
    expect(sigil(['coverage', path.join(dir, 'rules')]).status).toBe(2);
  });
});
