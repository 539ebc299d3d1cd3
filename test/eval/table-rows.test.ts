/**
 * Table rows read back through a pipeline's mapping (src/eval/table-rows.ts) and the CSV reader
 * (src/eval/csv.ts). The corpus-wide agreement with the emitted KQL is
 * test/backends/kql/corpus-rows.test.ts; here, each reverse step on rows written by hand, and
 * the CSV parser against a writer, in chunks of any size.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SigmaRule } from '../../src/ast/types.js';
import { CsvParser, isCsvError, type CsvError, type CsvRecord } from '../../src/eval/csv.js';
import {
  compileExtend,
  eventDataXml,
  TableRowMapper,
  todynamic,
  typedRow,
  type Row,
} from '../../src/eval/table-rows.js';
import { parse } from '../../src/parser/index.js';
import { getPipeline } from '../../src/pipelines/registry.js';
import { runs } from '../helpers/property.js';

function rule(logsource: string, detection = 'selection:\n    Image|endswith: x\n  condition: selection'): SigmaRule {
  const text = `title: T\nid: 11111111-2222-4333-8444-555555555555\nlogsource:\n  ${logsource}\ndetection:\n  ${detection}\n`;
  const doc = parse(text, { file: 't.yml' }).documents[0]!.document!;
  if (doc.kind !== 'rule') throw new Error('not a rule');
  return doc;
}

/** The one event a row gives the rule's scope (undefined: the rule does not read the row). */
function eventFor(pipeline: string, r: SigmaRule, table: string, row: Row): Record<string, unknown> | undefined {
  const mapper = new TableRowMapper(getPipeline(pipeline)!, [r]);
  expect(mapper.skipped.get(r)).toBeUndefined();
  const out = mapper.map(table, row);
  expect(out.length).toBeLessThanOrEqual(1);
  return out[0] ? { ...out[0].event } : undefined;
}

describe('Defender XDR rows, read back', () => {
  const process = rule('category: process_creation\n  product: windows');

  it('process rows: renamed columns, DOMAIN\\user, Hashes, typed from CSV text; blank values absent', () => {
    const ev = eventFor('defender-xdr', process, 'DeviceProcessEvents', {
      FolderPath: 'C:\\Windows\\System32\\cmd.exe',
      ProcessCommandLine: 'cmd /c x',
      InitiatingProcessFolderPath: 'C:\\Windows\\explorer.exe',
      AccountDomain: 'contoso',
      AccountName: 'ann',
      SHA1: 'ab',
      SHA256: 'cd',
      ProcessId: '4412',
      MD5: '',
    })!;
    expect(ev).toMatchObject({
      Image: 'C:\\Windows\\System32\\cmd.exe',
      CommandLine: 'cmd /c x',
      ParentImage: 'C:\\Windows\\explorer.exe',
      User: 'contoso\\ann',
      Hashes: 'SHA1=ab,SHA256=cd',
      ProcessId: 4412,
      // Columns keep their own names too (a rule may read FolderPath itself).
      FolderPath: 'C:\\Windows\\System32\\cmd.exe',
    });
    expect(ev).not.toHaveProperty('MD5');
    expect(ev).not.toHaveProperty('md5');
    // No source column: absent, never invented.
    expect(ev).not.toHaveProperty('OriginalFileName');
  });

  it('registry rows: the computed key\\value path, every abbreviation of its hive, EventType from ActionType', () => {
    const r = rule('category: registry_set\n  product: windows');
    const ev = eventFor('defender-xdr', r, 'DeviceRegistryEvents', {
      ActionType: 'RegistryValueSet',
      RegistryKey: 'HKEY_CURRENT_USER\\S-1\\Software\\Run',
      RegistryValueName: 'upd',
      RegistryValueData: 'c:\\upd.exe',
    })!;
    expect(ev['TargetObject']).toEqual([
      'HKEY_CURRENT_USER\\S-1\\Software\\Run\\upd',
      'HKU\\S-1\\Software\\Run\\upd',
      'HKCU\\S-1\\Software\\Run\\upd',
    ]);
    expect(ev).toMatchObject({ EventType: 'SetValue', Details: 'c:\\upd.exe' });
    // The route's conditions: a RegistryKeyCreated row is not a registry_set row.
    expect(
      eventFor('defender-xdr', r, 'DeviceRegistryEvents', {
        ActionType: 'RegistryKeyCreated',
        RegistryKey: 'HKEY_LOCAL_MACHINE\\x',
      }),
    ).toBeUndefined();
  });

  it('value maps read backwards: LogonType and EventID of DeviceLogonEvents, Initiated of network rows', () => {
    const logon = rule(
      'product: windows\n  service: security',
      'selection:\n    LogonType: 10\n  condition: selection',
    );
    expect(
      eventFor('defender-xdr', logon, 'DeviceLogonEvents', {
        ActionType: 'LogonSuccess',
        LogonType: 'RemoteInteractive',
      }),
    ).toMatchObject({ EventID: '4624', LogonType: '10' });
    const net = rule('category: network_connection\n  product: windows');
    expect(
      eventFor('defender-xdr', net, 'DeviceNetworkEvents', {
        ActionType: 'InboundConnectionAccepted',
        RemotePort: 445,
      }),
    ).toMatchObject({ Initiated: 'false', DestinationPort: 445 });
  });

  it('a file-name column gives the path field only its name, as both separators', () => {
    const file = rule('category: file_event\n  product: windows');
    const ev = eventFor('defender-xdr', file, 'DeviceFileEvents', {
      ActionType: 'FileCreated',
      FolderPath: 'C:\\x\\a.dll',
      InitiatingProcessParentFileName: 'explorer.exe',
      AdditionalFields: '{"FileType":"PortableExecutable"}',
    })!;
    expect(ev).toMatchObject({ TargetFilename: 'C:\\x\\a.dll', ParentImage: ['\\explorer.exe', '/explorer.exe'] });
    // A dynamic column exported as JSON text is parsed.
    expect(ev['AdditionalFields']).toEqual({ FileType: 'PortableExecutable' });
  });

  it('named pipes: the \\Device\\NamedPipe\\ prefix Defender adds is read off again', () => {
    const pipe = rule(
      'category: pipe_created\n  product: windows',
      'selection:\n    PipeName: x\n  condition: selection',
    );
    expect(
      eventFor('defender-xdr', pipe, 'DeviceEvents', {
        ActionType: 'NamedPipeEvent',
        AdditionalFields: { PipeName: '\\Device\\NamedPipe\\msagent_12' },
      })!['PipeName'],
    ).toEqual(['\\Device\\NamedPipe\\msagent_12', '\\msagent_12']);
  });

  it('a rewritten field holding an abbreviation and no long form is flagged as outside the rewrite', () => {
    const pipe = rule(
      'category: pipe_created\n  product: windows',
      'selection:\n    PipeName: x\n  condition: selection',
    );
    const reg = rule(
      'category: registry_set\n  product: windows',
      'selection:\n    TargetObject: x\n  condition: selection',
    );
    const outside = (r: SigmaRule, table: string, row: Row): string[] | undefined =>
      new TableRowMapper(getPipeline('defender-xdr')!, [r]).map(table, row)[0]!.outside;
    const pipeRow = (name: string): Row => ({ ActionType: 'NamedPipeEvent', AdditionalFields: { PipeName: name } });
    expect(outside(pipe, 'DeviceEvents', pipeRow('\\pipe\\srvsvc'))).toEqual(['PipeName']);
    expect(outside(pipe, 'DeviceEvents', pipeRow('\\Device\\NamedPipe\\pipe\\srvsvc'))).toBeUndefined();
    expect(outside(pipe, 'DeviceEvents', pipeRow('srvsvc'))).toBeUndefined();
    const regRow = (key: string): Row => ({ ActionType: 'RegistryValueSet', RegistryKey: key, RegistryValueName: 'v' });
    expect(outside(reg, 'DeviceRegistryEvents', regRow('HKLM\\Software'))).toEqual(['TargetObject']);
    expect(outside(reg, 'DeviceRegistryEvents', regRow('HKEY_LOCAL_MACHINE\\Software'))).toBeUndefined();
  });

  it('rules that do not convert, or have no route, are skipped with the reason', () => {
    const aws = rule('product: aws\n  service: cloudtrail');
    const mapper = new TableRowMapper(
      getPipeline('defender-xdr')!,
      [aws, rule('category: process_creation\n  product: windows')],
      (r) => (r === aws ? 'C001 no' : undefined),
    );
    expect(mapper.skipped.get(aws)).toMatch(/no route of defender-xdr/);
    expect(mapper.tables()).toEqual(['DeviceProcessEvents']);
  });
});

describe('Sentinel rows, read back', () => {
  it('WindowsEvent: EventData keys are fields, header columns keep their Sigma names, other columns are not fields', () => {
    const r = rule('category: process_creation\n  product: windows');
    const ev = eventFor('sentinel', r, 'WindowsEvent', {
      Provider: 'Microsoft-Windows-Sysmon',
      EventID: '1',
      Channel: 'Microsoft-Windows-Sysmon/Operational',
      Computer: 'ws1',
      TimeGenerated: '2026-11-30T10:00:00Z',
      EventData: '{"Image":"C:\\\\a.exe","User":"","EventID":"9"}',
    })!;
    expect(ev).toEqual({
      Image: 'C:\\a.exe',
      Provider_Name: 'Microsoft-Windows-Sysmon',
      EventID: 1,
      Channel: 'Microsoft-Windows-Sysmon/Operational',
      Computer: 'ws1',
    });
    // Another provider's row is not a Sysmon process_creation row.
    expect(eventFor('sentinel', r, 'WindowsEvent', { Provider: 'Other', EventID: 1, EventData: {} })).toBeUndefined();
  });

  it('SecurityEvent: columns are the event data fields by name', () => {
    const r = rule('product: windows\n  service: security');
    expect(eventFor('sentinel', r, 'SecurityEvent', { EventID: '4688', NewProcessName: 'C:\\a.exe' })).toEqual({
      EventID: 4688,
      NewProcessName: 'C:\\a.exe',
    });
  });

  it("Event: the agent's XML EventData, entities decoded; route conditions read inside it", () => {
    const r = rule('category: registry_delete\n  product: windows');
    const xml = (type: string): string =>
      `<DataItem><EventData xmlns="x"><Data Name="EventType">${type}</Data><Data Name="TargetObject">HKLM\\a&amp;b</Data><Data Name="Empty"/></EventData></DataItem>`;
    expect(
      eventFor('sentinel-event', r, 'Event', {
        Source: 'Microsoft-Windows-Sysmon',
        EventID: 12,
        EventData: xml('DeleteKey'),
      }),
    ).toMatchObject({
      TargetObject: 'HKLM\\a&b',
      EventType: 'DeleteKey',
      Provider_Name: 'Microsoft-Windows-Sysmon',
    });
    expect(
      eventFor('sentinel-event', r, 'Event', {
        Source: 'Microsoft-Windows-Sysmon',
        EventID: 12,
        EventData: xml('CreateKey'),
      }),
    ).toBeUndefined();
    expect(eventDataXml(`<Data Name='A'>&#65;&#x42;&lt;</Data>`)).toEqual({ A: 'AB<' });
  });

  it('sign-ins: a row of either table of the union reaches the route; JSON text of the second is parsed as its leg does', () => {
    const r = rule(
      'product: azure\n  service: signinlogs',
      "selection:\n    DeviceDetail.isCompliant: 'false'\n    ResultType: 0\n  condition: selection",
    );
    const mapper = new TableRowMapper(getPipeline('sentinel')!, [r]);
    expect(mapper.skipped.get(r)).toBeUndefined();
    expect(mapper.tables()).toEqual(['SigninLogs', 'AADNonInteractiveUserSignInLogs']);
    expect(mapper.scopes[0]!.tables).toEqual(['SigninLogs', 'AADNonInteractiveUserSignInLogs']);
    // SigninLogs: DeviceDetail is dynamic (JSON text in a CSV export is parsed by the schema type).
    expect(
      eventFor('sentinel', r, 'SigninLogs', { ResultType: '0', DeviceDetail: '{"isCompliant":false}' }),
    ).toMatchObject({ ResultType: '0', DeviceDetail: { isCompliant: false } });
    // AADNonInteractiveUserSignInLogs: a string column holding JSON text; the union's leg applies todynamic.
    expect(
      eventFor('sentinel', r, 'AADNonInteractiveUserSignInLogs', {
        ResultType: '0',
        DeviceDetail: '{"deviceId":"","isCompliant":false}',
        Status: '{"errorCode":0}',
      }),
    ).toMatchObject({ DeviceDetail: { deviceId: '', isCompliant: false }, Status: { errorCode: 0 } });
    // Text that is no JSON stays text (todynamic keeps it as a dynamic string); "" is absent.
    const plain = eventFor('sentinel', r, 'AADNonInteractiveUserSignInLogs', { DeviceDetail: 'n/a', Status: '' })!;
    expect(plain['DeviceDetail']).toBe('n/a');
    expect(plain).not.toHaveProperty('Status');
    // A table outside the union gives the rule no rows.
    expect(mapper.map('AuditLogs', { ResultType: '0' })).toEqual([]);
    expect(todynamic('[1,"a"]')).toEqual([1, 'a']);
    expect(todynamic('{bad')).toBe('{bad');
  });

  it('Linux Device* routes scope rows through DeviceInfo (a join): skipped, with the reason', () => {
    const r = rule('category: process_creation\n  product: linux');
    const mapper = new TableRowMapper(getPipeline('sentinel')!, [r]);
    expect(mapper.skipped.get(r)).toMatch(/computed column cannot be computed from rows/);
  });
});

describe('route expressions and typed rows', () => {
  it('computes the subset routes use and refuses the rest', () => {
    const row = { K: 'a', V: '' };
    expect(compileExtend('strcat(K, @"\\", V)')(row)).toBe('a\\');
    expect(compileExtend('iff(isempty(V), K, strcat(K, "\\\\", V))')(row)).toBe('a');
    expect(compileExtend('iff(isnotempty(K), tostring(K), "")')(row)).toBe('a');
    expect(() => compileExtend('iff(DeviceId in ((DeviceInfo | distinct DeviceId)), "x", "")')).toThrow();
    expect(() => compileExtend('strcat(K')).toThrow();
  });

  it('types CSV text by the table schema; text that does not fit stays text', () => {
    const cols = new Map([
      ['N', 'long'],
      ['B', 'bool'],
      ['D', 'dynamic'],
      ['S', 'string'],
    ]);
    expect(typedRow({ N: '12', B: 'True', D: '[1]', S: '12', E: '' }, cols)).toEqual({
      N: 12,
      B: true,
      D: [1],
      S: '12',
    });
    expect(typedRow({ N: '0x1f', D: '{bad' }, cols)).toEqual({ N: '0x1f', D: '{bad' });
  });
});

// ---------------------------------------------------------------------------
// CSV

function parseAll(text: string, chunks: readonly number[] = [], max?: number): (CsvRecord | CsvError)[] {
  const p = new CsvParser(max);
  const out: (CsvRecord | CsvError)[] = [];
  let at = 0;
  for (const n of chunks) {
    out.push(...p.push(text.slice(at, at + n)));
    at += n;
  }
  out.push(...p.push(text.slice(at)), ...p.end());
  return out;
}

const field = fc.string({
  maxLength: 6,
  unit: fc.constantFrom('a', 'B', ' ', ',', '"', '\n', '\r\n', '\r', 'é', '😀'),
});

/** RFC 4180 as a writer produces it: quote what needs quoting (and, at random, more). */
function writeCsv(records: string[][], quoteAll: boolean, eol: string): string {
  return records
    .map((r) => r.map((f) => (quoteAll || /[",\r\n]/.test(f) || f === '' ? `"${f.replace(/"/g, '""')}"` : f)).join(','))
    .join(eol);
}

describe('CSV (RFC 4180)', () => {
  it('reads back what a writer wrote, in chunks of any size, with each record at its line', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(field, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 6 }),
        fc.boolean(),
        fc.constantFrom('\n', '\r\n'),
        fc.array(fc.nat(7), { maxLength: 12 }),
        (records, quoteAll, eol, chunks) => {
          const text = writeCsv(records, quoteAll, eol) + (chunks.length % 2 ? eol : '');
          const got = parseAll(text, chunks);
          expect(got.filter(isCsvError)).toEqual([]);
          expect(got.map((r) => (r as CsvRecord).fields)).toEqual(records);
          // Each record starts one line after the line ends before it (CRLF and lone CR count once).
          let line = 1;
          const lines: number[] = [];
          const joined = records.map((r) => writeCsv([r], quoteAll, eol));
          for (const rec of joined) {
            lines.push(line);
            line += (rec.match(/\r\n|\r|\n/g) ?? []).length + 1;
          }
          expect(got.map((r) => r.line)).toEqual(lines);
        },
      ),
      { numRuns: runs(300) },
    );
  });

  it('reports a stray quote, a character after a closing quote and an unclosed quote at their position; the next record is read', () => {
    const got = parseAll('a,b"c,d\nx,"y"z\nok,1\n"open,\n');
    expect(got).toEqual([
      { error: expect.stringMatching(/quote inside an unquoted field/), line: 1, column: 4 },
      { error: expect.stringMatching(/'z' after a closing quote/), line: 2, column: 6 },
      { fields: ['ok', '1'], line: 3 },
      { error: expect.stringMatching(/not closed/), line: 4, column: 1 },
    ]);
  });

  it('bounds a record: an over-long one is reported and skipped without keeping its text', () => {
    const got = parseAll(`h\n"${'x'.repeat(50)}\n${'y'.repeat(50)}"\nshort\n`, [3, 5], 20);
    expect(got).toEqual([
      { fields: ['h'], line: 1 },
      { error: expect.stringMatching(/longer than 20 characters/), line: 2, column: 1 },
      { fields: ['short'], line: 4 },
    ]);
  });
});
