/**
 * Golden tests: every modifier and condition shape (golden/modifiers/*.yml, Defender XDR), and
 * the corpus's T1546.003 (WMI event subscription) rules with each built-in pipeline. Expected
 * output lives beside the input as .kql files, reviewed by eye; SIGIL_UPDATE_GOLDEN=1 rewrites
 * them (test/helpers/golden.ts). Every emitted query must also pass the Kusto language service.
 */
import fs from 'node:fs';
import path from 'node:path';
import { execSync } from 'node:child_process';
import { describe, expect, it, type TestContext } from 'vitest';
import { convertDocument } from '../../../src/convert.js';
import { parse } from '../../../src/parser/index.js';
import { kqlErrors } from './kusto.js';
import { SHARED } from '../../helpers/paths.js';
import { expectGolden } from '../../helpers/golden.js';

const HERE = path.dirname(new URL(import.meta.url).pathname);

function render(file: string, text: string, pipeline: string): { text: string; queries: string[] } {
  const doc = parse(text, { file }).documents[0]!.document!;
  const r = convertDocument(doc, { target: 'kql', pipelines: [pipeline] });
  if (!r.ok)
    return {
      text: r.errors.map((e) => `// error ${e.code} (${e.reason}): ${e.message}`).join('\n') + '\n',
      queries: [],
    };
  const warnings = r.warnings.map((w) => `// warning ${w.code}: ${w.message}\n`).join('');
  return { text: warnings + r.queries.join('\n\n') + '\n', queries: r.queries };
}

function check(
  ctx: TestContext,
  expectedFile: string,
  actual: { text: string; queries: string[] },
  product: 'defender' | 'sentinel',
): void {
  for (const q of actual.queries) expect(kqlErrors(q, product), q).toEqual([]);
  expectGolden(ctx, expectedFile, actual.text);
}

describe('golden: modifiers and condition shapes (defender-xdr)', () => {
  const dir = path.join(HERE, 'golden/modifiers');
  for (const f of fs
    .readdirSync(dir)
    .filter((x) => x.endsWith('.yml'))
    .sort()) {
    it(f, (ctx) => {
      const file = path.join(dir, f);
      check(
        ctx,
        file.replace(/\.yml$/, '.kql'),
        render(file, fs.readFileSync(file, 'utf8'), 'defender-xdr'),
        'defender',
      );
    });
  }
});

const T1546_003 = execSync(
  `grep -ril 't1546.003' ${SHARED}/corpus/sigmahq/rules ${SHARED}/corpus/sigmahq/rules-threat-hunting`,
  { encoding: 'utf8' },
)
  .trim()
  .split('\n')
  .sort();

describe('golden: T1546.003 rules of the corpus', () => {
  it('finds the rules', () => expect(T1546_003.length).toBeGreaterThanOrEqual(12));
  for (const file of T1546_003) {
    for (const pipeline of ['defender-xdr', 'sentinel', 'sentinel-event', 'sentinel-asim']) {
      it(`${path.basename(file)} / ${pipeline}`, (ctx) => {
        const expected = path.join(HERE, 'golden/t1546.003', `${path.basename(file, '.yml')}.${pipeline}.kql`);
        check(
          ctx,
          expected,
          render(file, fs.readFileSync(file, 'utf8'), pipeline),
          pipeline === 'defender-xdr' ? 'defender' : 'sentinel',
        );
      });
    }
  }
});

/** One corpus rule per Defender route added for non-Sysmon sources, and the rules of fixed defects. */
const DEFENDER_ROUTES = [
  'rules/linux/process_creation/proc_creation_lnx_susp_java_children.yml',
  'rules/macos/process_creation/proc_creation_macos_remote_system_discovery.yml',
  'rules/linux/file_event/file_event_lnx_doas_conf_creation.yml',
  'rules/linux/network_connection/net_connection_lnx_back_connect_shell_dev.yml',
  'rules/windows/builtin/security/account_management/win_security_susp_logon_newcredentials.yml',
  'rules/windows/builtin/security/account_management/win_security_rdp_localhost_login.yml',
  'rules/windows/pipe_created/pipe_created_hktl_efspotato.yml',
  'rules/windows/pipe_created/pipe_created_hktl_cobaltstrike.yml',
  'rules/windows/pipe_created/pipe_created_hktl_coercedpotato.yml',
  'rules/windows/pipe_created/pipe_created_hktl_generic_cred_dump_tools_pipes.yml',
  'rules/windows/pipe_created/pipe_created_hktl_koh_default_pipe.yml',
  'rules/windows/pipe_created/pipe_created_pua_csexec_default_pipe.yml',
  'rules/windows/pipe_created/pipe_created_pua_remcom_default_pipe.yml',
  'rules/windows/registry/registry_set/registry_set_persistence_com_key_linking.yml',
  'rules/windows/registry/registry_event/registry_event_redmimicry_winnti_reg.yml',
  'rules/windows/process_creation/proc_creation_win_wmiprvse_spawning_process.yml',
  'rules-threat-hunting/windows/process_creation/proc_creation_win_susp_elevated_system_shell.yml',
  'rules/windows/builtin/system/service_control_manager/win_system_krbrelayup_service_installation.yml',
  'rules-emerging-threats/2017/Malware/CosmicDuke/win_security_mal_cosmik_duke_persistence.yml',
  'rules-emerging-threats/2023/TA/Cozy-Bear/win_security_apt_cozy_bear_scheduled_tasks_name.yml',
  'rules-threat-hunting/windows/builtin/security/win_security_scheduled_task_deletion.yml',
  'rules/windows/builtin/dns_client/win_dns_client_mega_nz.yml',
  'rules/windows/builtin/code_integrity/win_codeintegrity_enforced_policy_block.yml',
  'rules/windows/builtin/code_integrity/win_codeintegrity_revoked_driver_blocked.yml',
  'rules/windows/builtin/security/win_security_hidden_user_creation.yml',
  'rules/windows/builtin/security/win_security_user_creation.yml',
  'rules-emerging-threats/2019/Exploits/CVE-2019-0708/win_security_exploit_cve_2019_0708_scanner_poc.yml',
  'rules-emerging-threats/2023/Malware/Pikabot/proc_creation_win_malware_pikabot_discovery.yml',
  'rules-emerging-threats/2026/Exploits/RedSun/proc_creation_win_redsun_conhost_via_tiering_engine.yml',
  'rules/windows/registry/registry_event/registry_event_mal_azorult.yml',
];

describe('golden: defender-xdr routes for Linux, macOS, Security 4624/4625, DeviceEvents actions (App Control, accounts), GrandParentImage and the fixed mapping defects', () => {
  for (const rel of DEFENDER_ROUTES) {
    it(path.basename(rel), (ctx) => {
      const file = path.join(SHARED, 'corpus/sigmahq', rel);
      const expected = path.join(HERE, 'golden/defender-routes', `${path.basename(rel, '.yml')}.kql`);
      check(ctx, expected, render(file, fs.readFileSync(file, 'utf8'), 'defender-xdr'), 'defender');
    });
  }
});
