/**
 * The Splunk app (`--format app`) and savedsearches.conf over SigmaHQ's rules, read back and
 * checked as their consumers check them:
 *
 * - the archive: a gzip'd ustar with one top folder (the app id) holding default/app.conf,
 *   default/savedsearches.conf, default/macros.conf and metadata/default.meta (Splunk Developer
 *   Guide, "Anatomy of a Splunk app" / "Package apps");
 * - every .conf parses (test/helpers/conf-reader.ts) and uses only keys its spec defines, with the
 *   values the spec allows. Re-implemented from the published spec files of Splunk Enterprise
 *   10.x: app.conf.spec ([launcher] version/description/author, [package] id,
 *   [install] state/is_configured, [ui] is_visible/label), savedsearches.conf.spec (search,
 *   cron_schedule, dispatch.*, counttype, relation, quantity, alert.*, action.<name>[.param.*]),
 *   macros.conf.spec (definition, args, validation, errormsg, iseval, description);
 * - ES's risk parameter `action.risk.param._risk`: a JSON list as splunk/contentctl 5.x writes it
 *   (contentctl/objects/rba.py: RiskObject {field, type ∈ system|user|other, score 1..100},
 *   ThreatObject {field, type ∈ ThreatObjectType}); every risk and threat object field is a
 *   field the search's results carry (after `stats`/`tstats … by`, only the by-fields);
 * - every macro a search uses is defined in macros.conf.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { gunzipSync } from 'node:zlib';
import path from 'node:path';
import { convertDocument } from '../../../src/convert.js';
import { getBackend } from '../../../src/backends/index.js';
import type { ConversionSuccess, RenderedOutput } from '../../../src/backends/types.js';
import type { SigmaDocument, SigmaRule } from '../../../src/ast/types.js';
import { parsedCorpus } from '../../helpers/corpus.js';
import { readConf, type ConfFile } from '../../helpers/conf-reader.js';
import { expectGolden } from '../../helpers/golden.js';

const GOLDEN = path.join(path.dirname(new URL(import.meta.url).pathname), 'golden');
const FOLDERS = ['rules', 'rules-emerging-threats', 'rules-threat-hunting'];

/** Reads a .tar.gz (ustar) back: path → content; independent of the writer. */
function untar(bytes: Uint8Array): Map<string, string> {
  const tar = gunzipSync(bytes);
  const files = new Map<string, string>();
  for (let off = 0; off + 512 <= tar.length;) {
    const h = tar.subarray(off, off + 512);
    if (h.every((b) => b === 0)) break;
    const str = (a: number, n: number): string =>
      h
        .subarray(a, a + n)
        .toString('utf8')
        .replace(/\0.*$/s, '');
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : h[i]!;
    if (parseInt(str(148, 8).trim(), 8) !== sum) throw new Error(`bad checksum at ${off}`);
    if (str(257, 6) !== 'ustar') throw new Error('not ustar');
    const prefix = str(345, 155);
    const name = (prefix ? prefix + '/' : '') + str(0, 100);
    const size = parseInt(str(124, 12), 8);
    const type = str(156, 1);
    off += 512;
    if (type === '0') files.set(name, tar.subarray(off, off + size).toString('utf8'));
    else if (type === '5') files.set(name, '');
    else throw new Error(`unexpected entry type ${type}`);
    off += Math.ceil(size / 512) * 512;
  }
  return files;
}

// savedsearches.conf.spec: the settings Sigil writes, and the `action.<name>` pattern of alert actions.
const SAVED_KEYS = new Set([
  'search',
  'description',
  'cron_schedule',
  'dispatch.earliest_time',
  'dispatch.latest_time',
  'enableSched',
  'counttype',
  'relation',
  'quantity',
  'alert.track',
  'alert.suppress',
]);
const ACTION_KEY = /^action\.[A-Za-z0-9_]+(\.(param\.)?[A-Za-z0-9_.]+)?$/;
const COUNTTYPE = ['number of events', 'number of hosts', 'number of sources', 'custom', 'always'];
const RELATION = ['greater than', 'less than', 'equal to', 'not equal to', 'drops by', 'rises by'];
// contentctl/objects/rba.py (splunk/contentctl 5.x)
const RISK_TYPES = ['system', 'user', 'other'];
const THREAT_TYPES = new Set([
  'certificate_common_name',
  'certificate_organization',
  'certificate_serial',
  'certificate_unit',
  'command',
  'domain',
  'email_address',
  'email_subject',
  'file_hash',
  'file_name',
  'file_path',
  'http_user_agent',
  'ip_address',
  'process',
  'process_name',
  'parent_process',
  'parent_process_name',
  'process_hash',
  'registry_path',
  'registry_value_name',
  'registry_value_text',
  'service',
  'signature',
  'system',
  'tls_hash',
  'url',
]);

/** The fields a search's results carry, if a transforming command limits them (independent of src). */
function byFields(search: string): string[] | undefined {
  let out: string[] | undefined;
  // Commands at top level: split at pipes outside quotes and backquotes.
  const cmds: string[] = [];
  let cur = '';
  let q: string | null = null;
  for (let i = 0; i < search.length; i++) {
    const c = search[i]!;
    if (q) {
      cur += c;
      if (c === '\\' && q === '"') cur += search[++i] ?? '';
      else if (c === q) q = null;
    } else if (c === '"' || c === '`') {
      q = c;
      cur += c;
    } else if (c === '|') {
      cmds.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  cmds.push(cur.trim());
  for (const c of cmds)
    if (/^(stats|tstats) /.test(c)) out = (/ by (.*)$/.exec(c)?.[1] ?? '').split(/[\s,]+/).filter(Boolean);
  return out;
}

/** What the consumers would refuse in one savedsearches.conf, as messages. */
function savedSearchProblems(conf: ConfFile, macrosDefined: Set<string> | null): string[] {
  const problems: string[] = [...conf.errors.map((e) => `unparsable line: ${e}`)];
  const names = new Set<string>();
  for (const s of conf.stanzas) {
    const at = `[${s.name}]`;
    if (names.has(s.name.toLowerCase())) problems.push(`${at} duplicate stanza`);
    names.add(s.name.toLowerCase());
    for (const k of s.settings.keys())
      if (!SAVED_KEYS.has(k) && !ACTION_KEY.test(k)) problems.push(`${at} key not in savedsearches.conf.spec: ${k}`);
    const get = (k: string): string => s.settings.get(k) ?? '';
    const search = get('search');
    if (!search) problems.push(`${at} empty search`);
    if (get('cron_schedule').split(' ').length !== 5) problems.push(`${at} cron_schedule`);
    if (!COUNTTYPE.includes(get('counttype'))) problems.push(`${at} counttype`);
    if (!RELATION.includes(get('relation'))) problems.push(`${at} relation`);
    if (!/^\d+$/.test(get('quantity'))) problems.push(`${at} quantity`);
    for (const k of ['enableSched', 'alert.track', 'alert.suppress', 'action.notable', 'action.risk'])
      if (!['0', '1'].includes(get(k))) problems.push(`${at} ${k} is not a boolean`);
    for (const legacy of ['_risk_object', '_risk_object_type', '_risk_score'])
      if (s.settings.has(`action.risk.param.${legacy}`)) problems.push(`${at} legacy risk key ${legacy}`);
    try {
      JSON.parse(get('action.correlationsearch.annotations'));
    } catch {
      problems.push(`${at} annotations are not JSON`);
    }
    if (get('action.risk') === '1') {
      let risk: Record<string, unknown>[] = [];
      try {
        risk = JSON.parse(get('action.risk.param._risk')) as Record<string, unknown>[];
      } catch {
        problems.push(`${at} _risk is not JSON`);
      }
      if (!Array.isArray(risk) || !risk.some((r) => 'risk_object_field' in r)) problems.push(`${at} no risk object`);
      const carried = byFields(search);
      for (const r of risk) {
        const field = (r['risk_object_field'] ?? r['threat_object_field']) as string;
        if ('risk_object_field' in r) {
          if (!RISK_TYPES.includes(r['risk_object_type'] as string)) problems.push(`${at} risk_object_type`);
          const score = r['risk_score'] as number;
          if (!Number.isInteger(score) || score < 1 || score > 100) problems.push(`${at} risk_score ${score}`);
        } else if (!THREAT_TYPES.has(r['threat_object_type'] as string)) problems.push(`${at} threat_object_type`);
        if (carried && !carried.includes(field)) problems.push(`${at} ${field} is not carried by the results`);
      }
    }
    if (macrosDefined)
      // Macro calls outside quoted strings (a backtick inside a quoted value is the rule's text).
      for (const m of search.replace(/"(?:[^"\\]|\\.)*"/g, '""').matchAll(/`([A-Za-z_][A-Za-z0-9_-]*)`/g))
        if (!macrosDefined.has(m[1]!)) problems.push(`${at} macro ${m[1]} is not in macros.conf`);
  }
  return problems;
}

const documents: SigmaDocument[] = [];
const byKey = new Map<string, SigmaDocument>();

beforeAll(() => {
  for (const { result } of parsedCorpus(FOLDERS, { schema: true }))
    for (const d of result.documents)
      if (d.document && d.document.kind !== 'filter' && !d.diagnostics.some((x) => x.severity === 'error'))
        documents.push(d.document);
  for (const d of documents) {
    if (d.id) byKey.set(d.id, d);
    if (d.name) byKey.set(d.name, d);
  }
}, 120_000);

/** Every corpus rule and correlation rendered with a format; checks run by the format counted. */
function renderAll(pipeline: string, formatName: string): { outputs: RenderedOutput[]; refused: number } {
  const format = getBackend('splunk')!.formats.find((f) => f.name === formatName)!;
  const outputs: RenderedOutput[] = [];
  let refused = 0;
  for (const d of documents) {
    if (d.kind === 'filter') continue;
    const r = convertDocument(d, { target: 'splunk', pipelines: [pipeline], lookup: (k) => byKey.get(k) });
    if (!r.ok) continue;
    if (format.check?.(r, d)) {
      refused++;
      continue;
    }
    outputs.push(format.render(r as ConversionSuccess, d, {}));
  }
  return { outputs, refused };
}

describe.each(['splunk', 'splunk-cim'])('the Splunk app over the corpus (%s)', (pipeline) => {
  let files: Map<string, string>;
  let count = 0;
  beforeAll(() => {
    const { outputs } = renderAll(pipeline, 'app');
    count = outputs.length;
    const app = getBackend('splunk')!.formats.find((f) => f.name === 'app')!.combine!(outputs, {});
    if ('error' in app) throw new Error(app.error);
    files = untar(app.data as Uint8Array);
  }, 120_000);

  it('has the layout Splunk installs', () => {
    expect([...files.keys()].sort()).toEqual([
      'sigma_detections/',
      'sigma_detections/default/',
      'sigma_detections/default/app.conf',
      'sigma_detections/default/macros.conf',
      'sigma_detections/default/savedsearches.conf',
      'sigma_detections/metadata/',
      'sigma_detections/metadata/default.meta',
    ]);
  });
  it('app.conf: app.conf.spec stanzas and keys, id and version well formed', () => {
    const conf = readConf(files.get('sigma_detections/default/app.conf')!);
    expect(conf.errors).toEqual([]);
    const SPEC: Record<string, string[]> = {
      launcher: ['remote_tab', 'version', 'description', 'author'],
      package: ['id', 'check_for_updates', 'show_upgrade_notification'],
      install: ['state', 'state_change_requires_restart', 'is_configured', 'build', 'allows_disable'],
      ui: ['is_visible', 'show_in_nav', 'is_manageable', 'label', 'docs_section_override', 'setup_view'],
    };
    for (const s of conf.stanzas)
      for (const k of s.settings.keys()) expect(SPEC[s.name], `${s.name}.${k}`).toContain(k);
    const get = (st: string, k: string) => conf.stanzas.find((s) => s.name === st)?.settings.get(k);
    expect(get('package', 'id')).toBe('sigma_detections');
    expect(get('launcher', 'version')).toMatch(/^\d+\.\d+\.\d+$/);
    expect(get('install', 'state')).toBe('enabled');
    // The label is limited to 5..80 characters by the spec.
    expect(get('ui', 'label')!.length).toBeGreaterThanOrEqual(5);
  });
  it('metadata/default.meta grants read to all and write to admin', () => {
    const conf = readConf(files.get('sigma_detections/metadata/default.meta')!);
    expect(conf.errors).toEqual([]);
    expect(conf.stanzas.map((s) => s.name)).toEqual(['', 'savedsearches']);
  });
  it('savedsearches.conf: every stanza passes the spec and ES risk checks; every macro is defined', () => {
    const macros = readConf(files.get('sigma_detections/default/macros.conf')!);
    expect(macros.errors).toEqual([]);
    const defined = new Set(macros.stanzas.map((s) => s.name));
    const saved = readConf(files.get('sigma_detections/default/savedsearches.conf')!);
    expect(saved.stanzas.length).toBe(count);
    expect(count).toBeGreaterThan(pipeline === 'splunk' ? 3700 : 1500);
    expect(savedSearchProblems(saved, defined).slice(0, 10)).toEqual([]);
  });
});

describe('savedsearches.conf over the corpus (default pipeline)', () => {
  it('every stanza the format writes passes the checks; the format refuses none', () => {
    const { outputs, refused } = renderAll('splunk', 'savedsearches');
    expect(refused).toBe(0);
    const problems: string[] = [];
    for (const o of outputs) problems.push(...savedSearchProblems(readConf(o.text), null));
    expect(problems.slice(0, 10)).toEqual([]);
  });
});

describe('golden: a small app', () => {
  it('holds the searches, the macros and the app files', (ctx) => {
    const pick = documents.filter(
      (d) =>
        d.kind === 'rule' &&
        ['97a80ec7-0e2f-4d05-9ef4-65760e634f6b', '59b70e4d-dd17-44a9-b740-acf07ae3eb6a'].includes(d.id ?? ''),
    );
    const format = getBackend('splunk')!.formats.find((f) => f.name === 'app')!;
    const outputs = pick.map((d) => {
      const r = convertDocument(d, { target: 'splunk' }) as ConversionSuccess;
      return format.render(r, d as SigmaRule, {});
    });
    const app = format.combine!(outputs, { app_name: 'sigma_test', app_version: '2.1.0', app_label: 'Sigma test' });
    if ('error' in app) throw new Error(app.error);
    expect(app.fileName).toBe('sigma_test.tgz');
    const files = untar(app.data as Uint8Array);
    const text = [...files.entries()].map(([p, t]) => `=== ${p}\n${t}`).join('\n');
    expectGolden(ctx, path.join(GOLDEN, 'app.txt'), text);
  });
  it('refuses an app id or version the spec does not allow', () => {
    const format = getBackend('splunk')!.formats.find((f) => f.name === 'app')!;
    expect(format.combine!([], { app_name: 'bad name' })).toHaveProperty('error');
    expect(format.combine!([], { app_name: 'ends.' })).toHaveProperty('error');
    expect(format.combine!([], { app_version: 'one' })).toHaveProperty('error');
  });
});
