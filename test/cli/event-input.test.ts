/**
 * Events are read in bounded memory, and a bad line or document costs only itself: over-long
 * lines, deeply nested events and pretty-printed JSON on stdin.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/diagnostics.js';
import { EVENT_LIMITS, readEvents } from '../../src/cli/event-input.js';
import { sigil } from '../helpers/cli.js';

async function read(
  chunks: string[],
  limits = EVENT_LIMITS,
): Promise<{ events: Record<string, unknown>[]; diagnostics: Diagnostic[] }> {
  const diagnostics: Diagnostic[] = [];
  const events: Record<string, unknown>[] = [];
  const stream = Readable.from(chunks.map((c) => Buffer.from(c)));
  for await (const e of readEvents(stream, 'in.jsonl', (d) => diagnostics.push(d), limits)) events.push(e);
  return { events, diagnostics };
}

const deep = (n: number): string => '{"a":'.repeat(n) + '1' + '}'.repeat(n);

describe('reading events', () => {
  it('a line longer than the limit is reported at its line and skipped; later lines are read', async () => {
    const limits = { ...EVENT_LIMITS, maxLineBytes: 1024 };
    const long = '{"x":"' + 'a'.repeat(5000) + '"}';
    // The long line arrives in several chunks, as a large line does from a file.
    const r = await read(['{"n":1}\n', long.slice(0, 2000), long.slice(2000), '\n{"n":2}\n'], limits);
    expect(r.events).toEqual([{ n: 1 }, { n: 2 }]);
    expect(r.diagnostics.map((d) => [d.code, d.line])).toEqual([['E003', 2]]);
  });

  it('an event nested 5,000 deep is reported at its line; the events after it are read', async () => {
    const r = await read([`{"n":1}\n${deep(5000)}\n{"n":2}\n`]);
    expect(r.events).toEqual([{ n: 1 }, { n: 2 }]);
    expect(r.diagnostics.map((d) => [d.code, d.line])).toEqual([['E003', 2]]);
  });

  it('a pretty-printed document is read whole; CRLF line ends are fine', async () => {
    const r = await read(['[\r\n  {"n": 1},\r\n', '  {"n": 2}\r\n]\r\n']);
    expect(r.events).toEqual([{ n: 1 }, { n: 2 }]);
    expect(r.diagnostics).toEqual([]);
  });

  it('a document over the size limit is reported, not read', async () => {
    const r = await read(['[\n', '{"n": 1},\n'.repeat(200), '{"n": 2}]\n'], {
      ...EVENT_LIMITS,
      maxDocumentBytes: 1000,
    });
    expect(r.events).toEqual([]);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['E003']);
  });

  it('hunt reads pretty-printed JSON from stdin as it does from a file', () => {
    const rule = [
      'title: t',
      'logsource: {category: process_creation, product: windows}',
      'detection: {sel: {Image|endswith: wmic.exe}, condition: sel}',
      '',
    ].join('\n');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sigil-hunt-'));
    try {
      fs.writeFileSync(path.join(dir, 'r.yml'), rule);
      const r = sigil(['hunt', '-r', path.join(dir, 'r.yml'), '-'], {
        input: '{\n  "Image": "C:\\\\wbem\\\\wmic.exe"\n}\n',
      });
      expect(r.stdout).toContain('"event_index":0');
      expect(r.status).toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
