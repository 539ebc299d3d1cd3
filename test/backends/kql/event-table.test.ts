/**
 * The `sentinel-event` pipeline (Windows events in the Event table, XML EventData) against
 * `sentinel` (WindowsEvent, dynamic EventData): (the corpus check, every rule `sentinel` converts
 * via WindowsEvent converts via Event and binds, is in corpus-sentinel-event.test.ts); on generated
 * values the two queries give the same verdicts on the same events (the `has` prefilter on the
 * raw XML never drops a match); keyword rules are refused on Event (C009).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { convertDocument } from '../../../src/convert.js';
import { tableColumns } from '../../../src/backends/kql/schema.js';
import { parse } from '../../../src/parser/index.js';
import { runs } from '../../helpers/property.js';
import { runKql, type Row } from './kql-interpreter.js';

// ---------------------------------------------------------------------------
// Same verdicts on WindowsEvent and Event rows

const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** An Event row as the agent writes it (DataItem, EventData with the Sysmon namespace). */
function eventRow(data: Record<string, string>, eventId: number): Row {
  const items = Object.entries(data)
    .map(([k, v]) => (v === '' ? `<Data Name="${k}" />` : `<Data Name="${k}">${esc(v)}</Data>`))
    .join('');
  return {
    Source: 'Microsoft-Windows-Sysmon',
    EventLog: 'Microsoft-Windows-Sysmon/Operational',
    EventID: eventId,
    Computer: 'host1',
    EventData: `<DataItem type="System.XmlData" time="2026-01-01T00:00:00.0000000+00:00" sourceHealthServiceId="7896DB24-81DF-2EAB-B12B-29AED6D69A17"><EventData xmlns="http://schemas.microsoft.com/win/2004/08/events/event">${items}</EventData></DataItem>`,
  };
}

function windowsEventRow(data: Record<string, string>, eventId: number): Row {
  return {
    Provider: 'Microsoft-Windows-Sysmon',
    Channel: 'Microsoft-Windows-Sysmon/Operational',
    EventID: eventId,
    Computer: 'host1',
    EventData: data,
  };
}

function convert(yaml: string, pipeline: string): string {
  const doc = parse(yaml, { file: 't.yml' }).documents[0]!.document!;
  const r = convertDocument(doc, { target: 'kql', pipelines: [pipeline] });
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('; '));
  return r.queries[0]!;
}

const RULE_HEAD = 'title: t\nlogsource: {product: windows, category: process_creation}\ndetection:\n';
const EVENT_COLS = tableColumns('Event', 'sentinel')!;
const WE_COLS = tableColumns('WindowsEvent', 'sentinel')!;

function verdicts(yaml: string, data: Record<string, string>, eventId = 1): { event: boolean; windowsEvent: boolean } {
  return {
    event: runKql(convert(yaml, 'sentinel-event'), eventRow(data, eventId), { table: 'Event', columns: EVENT_COLS }),
    windowsEvent: runKql(convert(yaml, 'sentinel'), windowsEventRow(data, eventId), {
      table: 'WindowsEvent',
      columns: WE_COLS,
    }),
  };
}

/** Characters that decide term boundaries and XML escaping: letters, digits, separators, `_`, XML specials, non-ASCII. */
const piece = fc.constantFrom(
  'a',
  'B',
  'c',
  '7',
  'ab',
  'abc',
  'exe',
  ' ',
  '\\',
  '.',
  '-',
  '_',
  '&',
  '<',
  '>',
  '"',
  "'",
  '€',
  'K',
);
const text = fc.array(piece, { minLength: 1, maxLength: 6 }).map((p) => p.join(''));
const MODIFIERS = ['', '|contains', '|startswith', '|endswith'] as const;

describe('Event and WindowsEvent give the same verdicts', () => {
  it('on generated values around the rule text (has terms at every boundary)', () => {
    let matched = 0;
    let prefiltered = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(...MODIFIERS),
        text,
        fc.boolean(),
        text,
        text,
        fc.boolean(),
        (mod, value, cased, before, after, embed) => {
          const yamlValue = JSON.stringify(value.replace(/[*?\\]/g, (c) => '\\' + c));
          const rule = `${RULE_HEAD}  sel:\n    CommandLine${mod}${cased ? '|cased' : ''}: ${yamlValue}\n  condition: sel\n`;
          // Half the events hold the value with text around it (so matches are frequent).
          const event = embed ? before + value + after : before + after;
          // Whether Kusto's parse_xml keeps a Data item that is only whitespace is not documented
          // (the interpreter refuses it rather than guess): such values are left out.
          fc.pre(event.trim() !== '');
          const data = { CommandLine: event, Image: 'C:\\x.exe' };
          const v = verdicts(rule, data);
          if (convert(rule, 'sentinel-event').includes(' has ')) prefiltered++;
          expect(v.event, `${rule}\n${JSON.stringify(data)}`).toBe(v.windowsEvent);
          if (v.event) matched++;
        },
      ),
      { numRuns: runs(1500) },
    );
    expect(matched).toBeGreaterThan(100);
    expect(prefiltered).toBeGreaterThan(100);
  });

  it('reads empty Data items, single Data items and escaped values', () => {
    const rule = `${RULE_HEAD}  sel:\n    CommandLine: 'a & <b> "c"'\n  condition: sel\n`;
    expect(verdicts(rule, { CommandLine: 'a & <b> "c"' })).toEqual({ event: true, windowsEvent: true });
    expect(verdicts(rule, { CommandLine: 'a &amp; <b> "c"' })).toEqual({ event: false, windowsEvent: false });
    const empty = `${RULE_HEAD}  sel:\n    Image: 'C:\\x.exe'\n    CommandLine: ''\n  condition: sel\n`;
    expect(verdicts(empty, { Image: 'C:\\x.exe', CommandLine: '' })).toEqual({ event: true, windowsEvent: true });
    // One Data item parses to a bag, not an array: the query makes it one.
    const single = `${RULE_HEAD}  sel:\n    Image|endswith: '\\x.exe'\n  condition: sel\n`;
    expect(verdicts(single, { Image: 'C:\\x.exe' })).toEqual({ event: true, windowsEvent: true });
    expect(verdicts(single, { Image: 'C:\\x.exe' }, 3)).toEqual({ event: false, windowsEvent: false });
  });

  it('prefilters only with terms the rule implies, before parsing', () => {
    const q = convert(
      `${RULE_HEAD}  sel:\n    Image|endswith: '\\cmd.exe'\n    CommandLine|contains: 'abc'\n  condition: sel\n`,
      'sentinel-event',
    );
    const lines = q.split('\n');
    const has = lines.findIndex((l) => l.includes('EventData has'));
    expect(lines[has]).toBe('| where EventData has "cmd"');
    expect(has).toBeLessThan(lines.findIndex((l) => l.includes('parse_xml')));
    // `contains 'abc'` implies no whole term; only the Data items the rule reads are kept.
    expect(q).not.toContain('has "abc"');
    expect(q).toContain('in ("CommandLine", "Image")');
    expect(q.split('\n')[0]).toMatch(/^\/\/ Event table/);
  });

  it('refuses keyword searches on Event (they would read the XML markup): C009', () => {
    const doc = parse(`${RULE_HEAD}  keywords: ['mimikatz']\n  condition: keywords\n`, { file: 't.yml' }).documents[0]!
      .document!;
    const r = convertDocument(doc, { target: 'kql', pipelines: ['sentinel-event'] });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]!.code).toBe('C009');
  });
});
