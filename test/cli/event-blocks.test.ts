/**
 * `lint --telemetry` with worker threads reads JSON Lines in blocks (lineBlocks), which a worker
 * splits back into lines (blockLines): the events and diagnostics, in order, must be exactly
 * those of the sequential reader (readEventsSafely), whatever the chunking of the stream, its
 * over-long, blank, bad and multi-byte lines, its line ends, and a fault part-way.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/diagnostics.js';
import {
  blockLines,
  EVENT_LIMITS,
  lineBlocks,
  lineEvent,
  readEventsSafely,
  streamFault,
} from '../../src/cli/event-input.js';
import { runs } from '../helpers/property.js';

const LIMITS = { ...EVENT_LIMITS, maxLineBytes: 40 };

/** A byte stream of the given chunks that fails after them when `fault` is set. */
async function* stream(chunks: readonly Buffer[], fault: boolean): AsyncGenerator<Buffer> {
  for (const c of chunks) yield c;
  if (fault) throw Object.assign(new Error('unexpected end of file'), { code: 'Z_BUF_ERROR' });
}

type Read = { events: unknown[]; diagnostics: Pick<Diagnostic, 'code' | 'line' | 'message'>[] };
const brief = (d: Diagnostic): Pick<Diagnostic, 'code' | 'line' | 'message'> => ({
  code: d.code,
  line: d.line,
  message: d.message,
});

async function sequential(chunks: readonly Buffer[], fault: boolean): Promise<Read> {
  const out: Read = { events: [], diagnostics: [] };
  for await (const e of readEventsSafely(
    stream(chunks, fault),
    'f.jsonl',
    (d) => out.diagnostics.push(brief(d)),
    LIMITS,
  ))
    out.events.push(e);
  return out;
}

async function inBlocks(chunks: readonly Buffer[], fault: boolean, blockBytes: number): Promise<Read> {
  const out: Read = { events: [], diagnostics: [] };
  const report = (d: Diagnostic): void => void out.diagnostics.push(brief(d));
  try {
    for await (const block of lineBlocks(stream(chunks, fault), blockBytes, LIMITS.maxLineBytes))
      for (const { text, line } of blockLines(block)) {
        const e = lineEvent(text, line, 'f.jsonl', report, LIMITS);
        if (e !== undefined) out.events.push(e);
      }
  } catch (e) {
    report(streamFault(e, 'f.jsonl'));
  }
  return out;
}

const line = fc.oneof(
  fc.record({ n: fc.nat(), s: fc.string({ unit: 'grapheme', maxLength: 12 }) }).map((o) => JSON.stringify(o)),
  fc.constantFrom('', '   ', '{"bad": ', '[1]', 'null', '{"é":"😀ſ"}\r', '{"x":"' + 'a'.repeat(60) + '"}'),
);

describe('reading JSON Lines in blocks', () => {
  it('gives the events and diagnostics of the sequential reader, in order', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(line, { minLength: 1, maxLength: 30 }),
        fc.boolean(),
        fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 8 }),
        fc.boolean(),
        fc.integer({ min: 1, max: 200 }),
        async (lines, trailingNewline, cuts, fault, blockBytes) => {
          // The first line decides JSON Lines for the sequential reader: make it an object.
          const text = ['{"first":true}', ...lines].join('\n') + (trailingNewline ? '\n' : '');
          const bytes = Buffer.from(text);
          const chunks: Buffer[] = [];
          for (let at = 0, k = 0; at < bytes.length; k++) {
            const size = cuts[k % cuts.length]!;
            chunks.push(bytes.subarray(at, at + size));
            at += size;
          }
          const a = await sequential(chunks, fault);
          const b = await inBlocks(chunks, fault, blockBytes);
          expect(b).toEqual(a);
        },
      ),
      { numRuns: runs(300) },
    );
  });

  it('blocks hold whole lines, numbered on from block to block', async () => {
    const text = Array.from({ length: 50 }, (_, i) => JSON.stringify({ i })).join('\n') + '\n';
    const blocks = [];
    for await (const b of lineBlocks(stream([Buffer.from(text)], false), 64)) blocks.push(b);
    expect(blocks.length).toBeGreaterThan(3);
    let next = 1;
    for (const b of blocks) {
      expect(b.firstLine).toBe(next);
      const lines = [...blockLines(b)];
      for (const l of lines) expect(JSON.parse(l.text!)).toEqual({ i: l.line - 1 });
      next += lines.length;
    }
    expect(next).toBe(51);
  });
});
