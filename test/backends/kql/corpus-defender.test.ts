import fs from 'node:fs';
import { convertDocument } from '../../../src/convert.js';
import { parse } from '../../../src/parser/index.js';
import { getPipeline } from '../../../src/pipelines/index.js';
import path from 'node:path';
import { REPO_ROOT } from '../../helpers/paths.js';
import { expectGolden } from '../../helpers/golden.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { DETECTION_FOLDERS, routeCoverage, routeCoverageDoc, runCorpus, type Outcome } from './corpus-run.js';

let o: Outcome;
beforeAll(() => {
  o = runCorpus('defender-xdr', DETECTION_FOLDERS);
}, 300_000);

describe('defender-xdr over the SigmaHQ corpus (rules/, rules-emerging-threats/, rules-threat-hunting/)', () => {
  it('converts without crashing', () => {
    expect(o.documents).toBeGreaterThan(3000);
    expect(o.crashes).toEqual([]);
  });
  it('every emitted query parses and binds in the Kusto language service', () => {
    expect(
      o.invalid.slice(0, 3).map((x) => ({ file: x.file, errors: x.errors.slice(0, 3), query: x.query.slice(0, 600) })),
    ).toEqual([]);
  });
  it('converts at least 2370 rules; every failure has a coded reason', () => {
    const tally = JSON.stringify({ converted: o.converted, failed: o.failed, reasons: o.reasons });
    expect(o.converted, tally).toBeGreaterThanOrEqual(2370);
    const reported = Object.values(o.reasons).reduce((a, b) => a + b, 0);
    expect(reported, tally).toBe(o.failed);
  });
  it('places the categories pySigma leaves out (wmi_event, driver_load, pipe_created, create_remote_thread)', () => {
    for (const cat of [
      'wmi_event',
      'driver_load',
      'pipe_created',
      'create_remote_thread',
      'process_creation',
      'image_load',
      'file_event',
      'registry_set',
      'network_connection',
    ]) {
      expect(o.byCategory[cat] ?? 0, cat).toBeGreaterThan(0);
    }
  });
  it('routes Linux and macOS rules to the Device* tables, 4624/4625 to DeviceLogonEvents; 5861, 4697, 4698-4702, 4720, 7045 and App Control to DeviceEvents', () => {
    const minimum: Record<string, number> = {
      'linux/process_creation': 130,
      'macos/process_creation': 65,
      'linux/file_event': 15,
      'macos/file_event': 4,
      'linux/network_connection': 4,
      'windows/security': 11,
      'windows/codeintegrity-operational': 3,
      'windows/system': 6,
      'windows/dns-client': 6,
    };
    for (const [ls, n] of Object.entries(minimum)) expect(o.byLogsource[ls] ?? 0, ls).toBeGreaterThanOrEqual(n);
  });
  it('every route that receives corpus rules converts some of them', () => {
    const rows = routeCoverage(getPipeline('defender-xdr')!.routes ?? [], o);
    // Defender records WMI-Activity 5861 only (WmiBindEventFilterToConsumer); the corpus's two
    // WMI-Activity rules read 5858 and 5859. The route is alive for the pack's 5861 rules:
    const wmi = 'product: windows, service: wmi';
    const packRule = parse(
      fs.readFileSync(path.join(REPO_ROOT, 'rules/windows/builtin/wmi/win_wmi_activity_susp_consumer_content.yml')),
    ).documents[0]!.document!;
    const viaWmi = convertDocument(packRule, { target: 'kql', pipelines: ['defender-xdr'] });
    expect(viaWmi.ok && viaWmi.tables).toEqual(['DeviceEvents']);
    // The ASR route (Defender Antivirus 1121/1122 by rule GUID): the corpus's two ASR rules read
    // Path and ProcessName, which DeviceEvents has no documented column for (C004); the route is
    // alive for the pack's ASR rule, which reads EventID and the GUID.
    const asr = 'product: windows, service: windefend';
    const asrRule = parse(
      fs.readFileSync(path.join(REPO_ROOT, 'rules/windows/builtin/windefend/win_defender_asr_wmi_persistence.yml')),
    ).documents[0]!.document!;
    const viaAsr = convertDocument(asrRule, { target: 'kql', pipelines: ['defender-xdr'] });
    expect(viaAsr.ok && viaAsr.tables).toEqual(['DeviceEvents']);
    expect(rows.filter((r) => r.rules > 0 && r.converted === 0).map((r) => r.route)).toEqual([wmi, asr]);
    expect(rows.filter((r) => r.converted > 0).length).toBeGreaterThan(10);
  });

  it('writes its route coverage to docs/pipelines/route-coverage/defender-xdr.md (golden)', (ctx) => {
    const doc = routeCoverageDoc('defender-xdr', getPipeline('defender-xdr')!.routes ?? [], o);
    expectGolden(ctx, path.join(REPO_ROOT, 'docs/pipelines/route-coverage/defender-xdr.md'), doc);
  });
});
