// @ts-check
/**
 * The split of ../shared/telemetry used by the benign-prevalence index
 * (scripts/build-noise-prevalence.mjs) and by the evaluation (scripts/noise-eval.mjs): by
 * recording and host, never by event. Recordings whose hosts are all in the Mordor lab
 * (theshire.local / mordor.local: WORKSTATION5-7, MORDORDC) are the tuning part; those of the
 * other labs (shire.com, Pedro01, pandalab DC01, blacksmith ADFS01) and the benign EVTX fixtures
 * are held out. No host is in both parts; a recording with hosts of both would stop the script.
 */
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import zlib from 'node:zlib';

export const TELEMETRY = path.resolve(import.meta.dirname, '../../shared/telemetry');

/** Techniques of the recordings the OTRF metadata does not map (named by the dataset). */
const NAMED_TECHNIQUES = /** @type {Record<string, string[]>} */ ({
  'credential_access__cmd_dumping_ntds_dit_file_volume_shadow_copy.jsonl.gz': ['T1003.003'],
  'defense_evasion__empire_scm_dll_hijack_ikeext.jsonl.gz': ['T1574.001'],
  'defense_evasion__empire_wmic_add_user_backdoor.jsonl.gz': ['T1047'],
  'lateral_movement__covenant_psremoting_grunt.jsonl.gz': ['T1021.006'],
  'persistence__covenant_persiststartup.jsonl.gz': ['T1547.001'],
});

const TUNING_HOST = /^(workstation[567]|mordordc)(\.(theshire|mordor)\.local)?$/i;

/** @returns {{ file: string, path: string, heldOut: boolean, techniques: string[] }[]} */
export function recordings() {
  const manifest = JSON.parse(fs.readFileSync(path.join(TELEMETRY, 'otrf/MANIFEST.json'), 'utf8'));
  const out = [];
  for (const f of manifest.files) {
    const hosts = Object.keys(f.hosts ?? {});
    const techniques = [
      ...(f.attack ?? []).flatMap((/** @type {any} */ a) => a.techniques.map((/** @type {any} */ t) => t.technique)),
      ...(NAMED_TECHNIQUES[f.file] ?? []),
    ];
    const tuning = hosts.every((h) => TUNING_HOST.test(h));
    const held = hosts.every((h) => !TUNING_HOST.test(h));
    if (!tuning && !held) throw new Error(`${f.file} mixes tuning and held-out hosts`);
    out.push({ file: `otrf/${f.file}`, path: path.join(TELEMETRY, 'otrf', f.file), heldOut: held, techniques });
  }
  for (const f of fs.readdirSync(path.join(TELEMETRY, 'benign')).sort())
    if (f.endsWith('.jsonl.gz'))
      out.push({ file: `benign/${f}`, path: path.join(TELEMETRY, 'benign', f), heldOut: true, techniques: [] });
  return out;
}

/** The events of one gzip JSON Lines recording. @param {string} file */
export async function* events(file) {
  const rl = readline.createInterface({
    input: fs.createReadStream(file).pipe(zlib.createGunzip()),
    crlfDelay: Infinity,
  });
  for await (const line of rl) if (line.trim() !== '') yield JSON.parse(line);
}
