/**
 * The deployable KQL artifacts (Sentinel analytics rule YAML and ARM, Defender XDR custom
 * detection) for every rule of the bundled pack: required keys, values Sentinel and Graph
 * accept, and a query that Microsoft's parser binds with zero errors.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parse } from '../../../src/parser/index.js';
import { getBackend } from '../../../src/backends/index.js';
import { convertDocument } from '../../../src/convert.js';
import type { SigmaRule } from '../../../src/ast/types.js';
import { REPO_ROOT } from '../../helpers/paths.js';
import { templateId } from '../../../src/backends/kql/template-id.js';
import { kqlErrors } from './kusto.js';
import { SENTINEL_TACTICS } from './consumer-checks.js';

function packRules(): { file: string; rule: SigmaRule }[] {
  const out: { file: string; rule: SigmaRule }[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.yml') && !e.name.endsWith('.tests.yml')) {
        for (const d of parse(fs.readFileSync(p), { file: p }).documents)
          if (d.document?.kind === 'rule') out.push({ file: p, rule: d.document });
      }
    }
  };
  walk(path.join(REPO_ROOT, 'rules'));
  return out;
}

const RULES = packRules();
/** The ATT&CK techniques a rule's tags name (T1546.003, and T1047 for the pack's neighbour rule). */
const techniques = (rule: SigmaRule): string[] =>
  (rule.tags ?? []).filter((t) => /^attack\.t\d/.test(t)).map((t) => t.slice('attack.'.length).toUpperCase());
/** Rules a pipeline cannot express, by file name (rules/not-expressible.json). */
const NOT_EXPRESSIBLE = JSON.parse(
  fs.readFileSync(path.join(REPO_ROOT, 'rules/not-expressible.json'), 'utf8'),
) as Record<string, Record<string, string> | string>;
const expressible = (pipeline: string, file: string): boolean => {
  const listed = NOT_EXPRESSIBLE[pipeline];
  return typeof listed !== 'object' || !(path.basename(file, '.yml') in listed);
};
const kql = getBackend('kql')!;
const render = (format: string, pipeline: string, rule: SigmaRule): string | undefined => {
  const res = convertDocument(rule, { target: 'kql', pipelines: [pipeline] });
  if (!res.ok) return undefined;
  const f = kql.formats.find((x) => x.name === format)!;
  if (f.check?.(res, rule)) return undefined;
  return f.render(res, rule, {}).text;
};

describe('KQL deployable formats over the rule pack', () => {
  it('has rules to check', () => expect(RULES.length).toBeGreaterThanOrEqual(12));

  it('sentinel-rule: Azure-Sentinel YAML with every required key and a query that binds', () => {
    let n = 0;
    for (const { rule } of RULES) {
      const text = render('sentinel-rule', 'sentinel', rule);
      if (!text) continue;
      n++;
      const doc = parseYaml(text) as Record<string, unknown>;
      for (const k of [
        'id',
        'name',
        'description',
        'severity',
        'requiredDataConnectors',
        'queryFrequency',
        'queryPeriod',
        'triggerOperator',
        'triggerThreshold',
        'tactics',
        'relevantTechniques',
        'query',
        'entityMappings',
        'version',
        'kind',
      ])
        expect(doc, `${rule.title}: ${k}`).toHaveProperty(k);
      // Each artifact's own id (template-id.ts); the Sigma id is kept as data beside it.
      expect(doc['id']).toBe(templateId(rule.id!, ['sentinel'], 'sentinel-rule'));
      expect(doc['sigma']).toEqual({
        id: rule.id,
        ...(rule.name !== undefined ? { name: rule.name } : {}),
        pipelines: ['sentinel'],
        format: 'sentinel-rule',
      });
      expect(['Informational', 'Low', 'Medium', 'High']).toContain(doc['severity']);
      expect(doc['kind']).toBe('Scheduled');
      for (const t of doc['tactics'] as string[]) expect(SENTINEL_TACTICS.has(t), t).toBe(true);
      expect(doc['relevantTechniques']).toEqual(expect.arrayContaining(techniques(rule)));
      expect(kqlErrors(doc['query'] as string, 'sentinel'), rule.title).toEqual([]);
    }
    expect(n).toBe(RULES.filter((r) => expressible('sentinel', r.file)).length);
  });

  it('sentinel-arm: an ARM template whose alert rule carries the same query', () => {
    for (const { rule } of RULES.filter((r) => expressible('sentinel', r.file))) {
      const text = render('sentinel-arm', 'sentinel', rule);
      expect(text, rule.title).toBeDefined();
      const arm = JSON.parse(text!) as {
        resources: {
          type: string;
          kind: string;
          properties: { query: string; severity: string; displayName: string };
        }[];
      };
      const r = arm.resources[0]!;
      expect(r.type).toBe('Microsoft.OperationalInsights/workspaces/providers/alertRules');
      expect(r.kind).toBe('Scheduled');
      expect(r.properties.displayName).toBe(rule.title);
      expect(kqlErrors(r.properties.query, 'sentinel'), rule.title).toEqual([]);
    }
  });

  it('defender-detection: Graph detectionRule JSON whose query returns Timestamp, ReportId and an entity column', () => {
    let n = 0;
    for (const { rule } of RULES) {
      const text = render('defender-detection', 'defender-xdr', rule);
      if (!text) continue;
      n++;
      const d = JSON.parse(text) as {
        displayName: string;
        queryCondition: { queryText: string };
        detectionAction: { alertTemplate: { severity: string; mitreTechniques: string[] } };
      };
      expect(d.displayName).toBe(rule.title);
      const q = d.queryCondition.queryText;
      expect(q).toMatch(/\| project Timestamp, ReportId, DeviceId/);
      expect(kqlErrors(q, 'defender'), rule.title).toEqual([]);
      expect(['informational', 'low', 'medium', 'high']).toContain(d.detectionAction.alertTemplate.severity);
      expect(d.detectionAction.alertTemplate.mitreTechniques).toEqual(expect.arrayContaining(techniques(rule)));
    }
    // The rules Defender XDR records (process, file, image load, WMI binding) all convert.
    expect(n).toBeGreaterThanOrEqual(8);
  });
});
