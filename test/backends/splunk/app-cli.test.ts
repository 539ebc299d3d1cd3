/** `sigil convert -t splunk -f macros|app`: one artifact for the whole run, written by the CLI. */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { sigil } from '../../helpers/cli.js';
import { CORPUS } from '../../helpers/paths.js';

const AWS = path.join(CORPUS, 'rules/cloud/aws/cloudtrail');
const WHOAMI = path.join(CORPUS, 'rules/windows/process_creation/proc_creation_win_whoami_priv_discovery.yml');

describe('convert -t splunk -f macros / app', () => {
  it('macros: one macros.conf on stdout, each macro once', () => {
    const r = sigil(['convert', AWS, WHOAMI, '-t', 'splunk', '-f', 'macros']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.match(/^\[sigma_aws_cloudtrail\]$/gm)).toHaveLength(1);
    expect(r.stdout).toContain('definition = sourcetype="aws:cloudtrail"');
    expect(r.stdout).not.toContain('WinEventLog');
  });
  it('app: -o dir/ writes <app_name>.tgz holding every search', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sigil-app-'));
    try {
      const r = sigil([
        'convert',
        AWS,
        WHOAMI,
        '-t',
        'splunk',
        '-f',
        'app',
        '-o',
        dir + '/',
        '--set',
        'app_name=soc_sigma',
      ]);
      expect(r.status, r.stderr).toBe(0);
      const tar = gunzipSync(fs.readFileSync(path.join(dir, 'soc_sigma.tgz'))).toString('latin1');
      expect(tar).toContain('soc_sigma/default/savedsearches.conf');
      expect(tar).toContain('[Security Privileges Enumeration Via Whoami.EXE]');
      expect(fs.readdirSync(dir)).toEqual(['soc_sigma.tgz']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
  it('app: an app id the spec refuses is a usage error', () => {
    const r = sigil([
      'convert',
      WHOAMI,
      '-t',
      'splunk',
      '-f',
      'app',
      '-o',
      path.join(os.tmpdir(), 'x.tgz'),
      '--set',
      'app_name=bad name',
    ]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("app_name 'bad name' is not a Splunk app id");
  });
});
