import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { convertDocument } from '../../../src/convert.js';
import { parse } from '../../../src/parser/index.js';
import { REPO_ROOT } from '../../helpers/paths.js';
import { corpusSuite } from './corpus-suite.js';

/**
 * Routes that receive corpus rules and convert none, with why; each is alive for a pack rule
 * (checked below).
 */
const WMI = 'product: windows, service: wmi';
const ASR = 'product: windows, service: windefend';
const outcome = corpusSuite('defender-xdr', {
  floor: 2370,
  timeout: 300_000,
  dead: {
    // Defender records WMI-Activity 5861 only (WmiBindEventFilterToConsumer); the corpus's two
    // WMI-Activity rules read 5858 and 5859.
    [WMI]: 'the corpus rules read 5858 and 5859, not 5861',
    // The ASR route (Defender Antivirus 1121/1122 by rule GUID): the corpus's two ASR rules read
    // Path and ProcessName, which DeviceEvents has no documented column for (C004).
    [ASR]: 'the corpus ASR rules read Path and ProcessName (C004)',
  },
});

describe('defender-xdr over the SigmaHQ corpus: where its rules go', () => {
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
      expect(outcome().byCategory[cat] ?? 0, cat).toBeGreaterThan(0);
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
    for (const [ls, n] of Object.entries(minimum)) expect(outcome().byLogsource[ls] ?? 0, ls).toBeGreaterThanOrEqual(n);
  });
  it('the routes the corpus leaves dead are alive for the pack rules', () => {
    for (const rule of [
      'rules/windows/builtin/wmi/win_wmi_activity_susp_consumer_content.yml',
      'rules/windows/builtin/windefend/win_defender_asr_wmi_persistence.yml',
    ]) {
      const doc = parse(fs.readFileSync(path.join(REPO_ROOT, rule))).documents[0]!.document!;
      const r = convertDocument(doc, { target: 'kql', pipelines: ['defender-xdr'] });
      expect(r.ok && r.tables, rule).toEqual(['DeviceEvents']);
    }
  });
});
