/**
 * Pipeline files for KQL are checked against the vendored table schemas when they load: an
 * unknown table is a located warning (C105), a column a known table lacks a located error (C019).
 * The built-in KQL pipelines, written out as YAML, pass the same check.
 */
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { loadPipelineSpec } from '../../src/pipelines/index.js';
import { getPipeline } from '../../src/pipelines/registry.js';

const pipeline = (body: string): string =>
  `name: p\ndescription: d\ntargets: [kql]\n${body}\ntransformations:\n  - type: set_state\n    state: { product: sentinel }\n`;

describe('KQL pipeline files against the table schemas', () => {
  it("a route to an unknown table: warning C105 at the route's table, the pipeline still loads", () => {
    const text = pipeline(`routes:\n  - logsource: { category: proxy }\n    table: MyProxy_CL`);
    const { spec, diagnostics } = loadPipelineSpec(text, 'p.yml');
    expect(spec).toBeDefined();
    expect(diagnostics.map((d) => [d.code, d.severity, d.line, d.column])).toEqual([['C105', 'warning', 6, 5]]);
    expect(diagnostics[0]!.message).toContain('MyProxy_CL');
  });
  it('a route condition on a column the table lacks: error C019 at the key', () => {
    const text = pipeline(
      `routes:\n  - logsource: { category: proxy }\n    table: CommonSecurityLog\n    conditions:\n      DeviceVendr: Zscaler`,
    );
    const { spec, diagnostics } = loadPipelineSpec(text, 'p.yml');
    expect(spec).toBeUndefined();
    expect(diagnostics.map((d) => [d.code, d.severity, d.line, d.column])).toEqual([['C019', 'error', 8, 7]]);
    expect(diagnostics[0]!.message).toContain("'DeviceVendr' is not a column of CommonSecurityLog");
  });
  it("a field map target the table lacks: error C019 at the map's entry", () => {
    const text =
      pipeline(`routes:\n  - logsource: { category: proxy }\n    table: CommonSecurityLog`) +
      `  - type: field_map\n    when: { table: CommonSecurityLog }\n    map:\n      c-uri: RequestUrl\n      c-useragent: RequestClientApplication\n`;
    const { diagnostics } = loadPipelineSpec(text, 'p.yml');
    expect(diagnostics.map((d) => [d.code, d.line])).toEqual([['C019', 13]]);
    expect(diagnostics[0]!.message).toContain("'RequestUrl' is not a column of CommonSecurityLog");
  });
  it('a union table: unknown → warning C105 at its entry; a condition column it lacks → error C019', () => {
    const unknown = pipeline(
      `routes:\n  - logsource: { product: azure, service: signinlogs }\n    table: SigninLogs\n    union: [AADNonInteractiveUserSignInLogs, MySignins_CL]`,
    );
    const a = loadPipelineSpec(unknown, 'p.yml');
    expect(a.spec).toBeDefined();
    expect(a.diagnostics.map((d) => [d.code, d.severity, d.line, d.column])).toEqual([['C105', 'warning', 7, 46]]);
    expect(a.diagnostics[0]!.message).toContain("union table 'MySignins_CL'");
    // RiskLevel is a SigninLogs column, not one of the non-interactive sign-in table.
    const lacking = pipeline(
      `routes:\n  - logsource: { product: azure, service: signinlogs }\n    table: SigninLogs\n    union: [AADNonInteractiveUserSignInLogs]\n    conditions:\n      RiskLevel: high`,
    );
    const b = loadPipelineSpec(lacking, 'p.yml');
    expect(b.spec).toBeUndefined();
    expect(b.diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([['C019', 9, 7]]);
    expect(b.diagnostics[0]!.message).toContain("'RiskLevel' is not a column of AADNonInteractiveUserSignInLogs");
  });
  it('dynamic paths and computed columns are columns', () => {
    const text =
      pipeline(
        `routes:\n  - logsource: { product: aws }\n    table: AWSCloudTrail\n    extend: { rp: parse_json(RequestParameters) }\n    conditions: { rp.x: a }`,
      ) + `  - type: field_map\n    when: { table: SigninLogs }\n    map: { a: DeviceDetail.trustType }\n`;
    expect(loadPipelineSpec(text, 'p.yml').diagnostics).toEqual([]);
  });
  it('a pipeline for another target is not checked', () => {
    const text = `name: p\ndescription: d\nroutes:\n  - logsource: { category: proxy }\n    table: 'sourcetype=squid'\ntransformations: []\n`;
    expect(loadPipelineSpec(text, 'p.yml').diagnostics).toEqual([]);
  });
  for (const name of ['sentinel', 'sentinel-asim', 'defender-xdr']) {
    it(`the built-in ${name} pipeline passes the check`, () => {
      const { diagnostics } = loadPipelineSpec(YAML.stringify(getPipeline(name)), `${name}.yml`);
      expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    });
  }
});
