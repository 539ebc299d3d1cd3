import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { toView } from '../../src/eval/compile.js';
import {
  C2_ADDRESSES,
  TELEMETRY,
  attackProcesses,
  events,
  isAttackEvent,
  recordings,
} from '../../scripts/telemetry-split.mjs';

/**
 * The labelling that keeps the attacker's own activity out of the benign figures of
 * scripts/noise-eval.mjs and scripts/tune-eval.mjs (docs/noise.md): it rests on the C2 addresses
 * and the process tree, never on the rules.
 */
const otrf = (name: string): string => path.join(TELEMETRY, 'otrf', name);

async function label(file: string): Promise<{ attack: Record<string, unknown>[]; benign: Record<string, unknown>[] }> {
  const tree = await attackProcesses(file, toView);
  const attack: Record<string, unknown>[] = [];
  const benign: Record<string, unknown>[] = [];
  for await (const raw of events(file)) (isAttackEvent(raw, toView(raw), tree) ? attack : benign).push(raw);
  return { attack, benign };
}

describe('attack events of the OTRF recordings', () => {
  it('the Empire agent OTRF names for "Empire Mimikatz LogonPasswords" (PID 1648 on WORKSTATION5) and what it runs', async () => {
    const file = otrf('credential_access__empire_mimikatz_logonpasswords.jsonl.gz');
    const tree = await attackProcesses(file, toView);
    expect(tree.has('workstation5|1648')).toBe(true);
    const { attack, benign } = await label(file);
    // Its beacons, its PowerShell module logging and its process accesses are attack events …
    expect(attack.some((e) => e['EventID'] === 3 && e['DestinationIp'] === '10.10.10.5')).toBe(true);
    expect(attack.some((e) => e['EventID'] === 4103 && e['ExecutionProcessID'] === 1648)).toBe(true);
    // … and no event of another process on another host is.
    expect(benign.some((e) => String(e['Hostname']).startsWith('MORDORDC'))).toBe(true);
    expect(attack.some((e) => String(e['Hostname']).startsWith('MORDORDC'))).toBe(false);
    expect(benign.some((e) => e['EventID'] === 3 && C2_ADDRESSES.has(String(e['DestinationIp'])))).toBe(false);
  });

  it("Metasploit's PowerShell host inside payload.exe, where the collector kept no writer process", async () => {
    const { attack, benign } = await label(
      otrf('defense_evasion__psh_stop_event_logging_controlset001_minint_key.jsonl.gz'),
    );
    const msf = (e: Record<string, unknown>): boolean =>
      /Host Application = C:\\Users\\IT01-Pedro\\Downloads\\payload\.exe/i.test(
        String(e['ContextInfo'] ?? e['Data'] ?? ''),
      );
    expect(attack.filter(msf).length).toBeGreaterThan(0);
    expect(benign.filter(msf)).toEqual([]);
    // powershell.exe is run by benign processes too: its own PowerShell events are not swept in by program name.
    expect(benign.some((e) => String(e['Channel']).includes('PowerShell'))).toBe(true);
  });

  it('the benign EVTX fixtures and recordings without a C2 call have no attack events', async () => {
    for (const rec of recordings().filter(
      (r) => r.file.startsWith('benign/') || r.file.includes('credential_access__empire_mimikatz_sam_access'),
    )) {
      const tree = await attackProcesses(rec.path, toView);
      expect(tree.size, rec.file).toBe(0);
    }
  });
});
