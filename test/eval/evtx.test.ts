/**
 * The EVTX reader (src/eval/evtx) against its oracle: every .evtx of SigmaHQ's regression data
 * reads to exactly the evtx_dump JSON beside it, and its rule matches it as it matches the JSON;
 * a synthetic file covers the value types and structures Sysmon records do not use; damaged
 * bytes (fast-check) never throw or hang and always say what is wrong.
 */
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/diagnostics.js';
import { EVAL_DIAGNOSTICS } from '../../src/eval/codes.js';
import { compileRule } from '../../src/eval/compile.js';
import type { EventObject } from '../../src/eval/event-shapes.js';
import { readEvtxStream, readEvtxSync } from '../../src/eval/evtx/reader.js';
import { parseJsonEvents } from '../../src/eval/json-events.js';
import { parseRegressionInfo, runCase } from '../../src/eval/rule-tests.js';
import { parse } from '../../src/parser/index.js';
import { REPO_ROOT } from '../helpers/paths.js';
import { runs } from '../helpers/property.js';
import { CORPUS, walkFiles } from './corpus.js';
import { syntheticEvtx } from './evtx/synthetic.js';

/** Reads EVTX bytes synchronously, `piece` bytes per read call at most. */
function readBytes(bytes: Buffer, piece = 1 << 20): { events: EventObject[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  let at = 0;
  const read = (buf: Buffer, size: number): number => {
    const n = Math.min(size, piece, bytes.length - at);
    bytes.copy(buf, 0, at, at + n);
    at += n;
    return n;
  };
  const events = [...readEvtxSync(read, 'x.evtx', (d) => diagnostics.push(d))];
  return { events, diagnostics };
}

async function readStream(
  bytes: Buffer,
  pieces: number[],
): Promise<{ events: EventObject[]; diagnostics: Diagnostic[] }> {
  async function* stream(): AsyncGenerator<Buffer> {
    let at = 0;
    for (let i = 0; at < bytes.length; i++) {
      const n = pieces.length ? pieces[i % pieces.length]! : bytes.length;
      yield bytes.subarray(at, at + n);
      at += n;
    }
  }
  const diagnostics: Diagnostic[] = [];
  const events: EventObject[] = [];
  for await (const e of readEvtxStream(stream(), 'x.evtx', (d) => diagnostics.push(d))) events.push(e);
  return { events, diagnostics };
}

/** Whether a value is plain JSON: strings, finite numbers, booleans, null, arrays and objects of them. */
function plainJson(v: unknown): boolean {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return true;
  if (typeof v === 'number') return Number.isFinite(v);
  if (Array.isArray(v)) return v.every(plainJson);
  if (typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) return Object.values(v).every(plainJson);
  return false;
}

const REGRESSION = path.join(CORPUS, 'regression_data');

/** Rule id → rule file, from the `id:` line of each corpus rule (no parse needed to find one). */
let idIndex: Map<string, string> | undefined;
function ruleFiles(): Map<string, string> {
  if (idIndex) return idIndex;
  idIndex = new Map();
  for (const folder of [
    'rules',
    'rules-emerging-threats',
    'rules-threat-hunting',
    'rules-compliance',
    'rules-dfir',
    'deprecated',
  ])
    if (fs.existsSync(path.join(CORPUS, folder)))
      for (const file of walkFiles(path.join(CORPUS, folder), /\.ya?ml$/)) {
        const id = /^id:\s*([0-9a-f-]{36})\s*$/m.exec(fs.readFileSync(file, 'utf8'))?.[1];
        if (id) idIndex.set(id, file);
      }
  return idIndex;
}
const EVTX_FILES = walkFiles(REGRESSION, /\.evtx$/);

describe('EVTX reader: SigmaHQ regression files against their evtx_dump JSON', () => {
  it('reads all 106 files to exactly the JSON beside them, records and values, without a diagnostic', () => {
    expect(EVTX_FILES).toHaveLength(106);
    let records = 0;
    for (const file of EVTX_FILES) {
      const got = readBytes(fs.readFileSync(file));
      const oracle = parseJsonEvents(fs.readFileSync(file.replace(/\.evtx$/, '.json'), 'utf8'), file);
      expect(oracle.diagnostics).toEqual([]);
      expect(got.diagnostics, file).toEqual([]);
      // Every file holds exactly the records of its JSON, in order, equal value for value
      // (the JSON has no record the .evtx lacks, nor the reverse: no exception is needed).
      expect(got.events, file).toEqual(oracle.events.map((e) => e.event));
      records += got.events.length;
    }
    expect(records).toBe(124);
  });

  it('reads the same from a stream in arbitrary pieces as from the file in 64 KiB reads', async () => {
    for (const file of EVTX_FILES.slice(0, 10)) {
      const bytes = fs.readFileSync(file);
      expect(await readStream(bytes, [1, 7, 4095, 65536, 3])).toEqual(readBytes(bytes, 65536));
    }
  });
});

describe('EVTX reader: every regression case matches its .evtx as it matches its JSON', () => {
  it('the rule of each info.yml matches the records of its .evtx (match_count when given)', () => {
    const failures: string[] = [];
    let cases = 0;
    for (const info of walkFiles(REGRESSION, /^info\.yml$/)) {
      const parsed = parseRegressionInfo(fs.readFileSync(info, 'utf8'), info);
      const ruleId = parsed.ruleIds[0]!;
      const ruleFile = ruleFiles().get(ruleId);
      const doc =
        ruleFile === undefined
          ? undefined
          : parse(fs.readFileSync(ruleFile, 'utf8'), { file: ruleFile }).documents[0]?.document;
      if (doc?.kind !== 'rule') {
        failures.push(`${info}: no rule ${ruleId} in the corpus`);
        continue;
      }
      const matcher = compileRule(doc);
      for (const c of parsed.cases) {
        expect(c.evtxFile, info).toBeDefined();
        const evtx = readBytes(fs.readFileSync(path.join(CORPUS, c.evtxFile!)));
        const json = parseJsonEvents(fs.readFileSync(path.join(CORPUS, c.eventsFile!), 'utf8')).events.map(
          (e) => e.event,
        );
        const viaEvtx = runCase(matcher, c, evtx.events);
        const viaJson = runCase(matcher, c, json);
        cases++;
        if (!viaEvtx.passed) failures.push(`${info}: ${viaEvtx.reason}`);
        if (viaEvtx.matched !== viaJson.matched)
          failures.push(`${info}: ${viaEvtx.matched} vs ${viaJson.matched} (JSON)`);
      }
    }
    expect(failures).toEqual([]);
    expect(cases).toBe(106);
  });
});

describe('EVTX reader: value types and Binary XML structures (synthetic file)', () => {
  const synthetic = syntheticEvtx();

  it('reads every value type, names and templates inline and referred back, nested Binary XML, as evtx_dump writes them', () => {
    const got = readBytes(synthetic.bytes);
    expect(got.diagnostics).toEqual([]);
    expect(got.events).toEqual(synthetic.events);
    const data = (got.events[0] as { Event: { EventData: object } }).Event.EventData;
    expect(Object.hasOwn(data, '__proto__') && Object.getPrototypeOf(data) === Object.prototype).toBe(true);
  });

  it('reads a stream in any pieces the same', async () => {
    expect(await readStream(synthetic.bytes, [3, 100, 5000])).toEqual(readBytes(synthetic.bytes));
  });

  it('a checksum that does not match is a located warning; the records are still read', () => {
    const bytes = Buffer.from(synthetic.bytes);
    bytes.writeUInt32LE((bytes.readUInt32LE(4096 + 52) ^ 1) >>> 0, 4096 + 52);
    bytes.writeUInt32LE((bytes.readUInt32LE(124) ^ 1) >>> 0, 124);
    const got = readBytes(bytes);
    expect(got.events).toEqual(synthetic.events);
    expect(got.diagnostics.map((d) => [d.code, d.severity, d.line, d.column])).toEqual([
      ['E018', 'warning', 1, 125],
      // The records checksum is itself part of the chunk header, so both chunk checksums fail.
      ['E018', 'warning', 1, 4096 + 125],
      ['E018', 'warning', 1, 4096 + 53],
    ]);
    expect(got.diagnostics[2]!.message).toMatch(
      /EVTX chunk 0 \(file offset 0x1000\): the records checksum does not match/,
    );
  });

  it('a record that cannot be decoded is skipped with a located error; the records after it are read', () => {
    const bytes = Buffer.from(synthetic.bytes);
    // The first record's first token after the fragment header: an unknown token.
    const at = 4096 + 512 + 24 + 4;
    bytes[at] = 0x3f;
    const got = readBytes(bytes);
    expect(got.events).toEqual(synthetic.events.slice(1));
    const codes = got.diagnostics.map((d) => `${d.code} ${d.column}`);
    expect(codes).toContain(`E019 ${at + 1}`);
    expect(got.diagnostics.find((d) => d.code === 'E019')!.message).toMatch(/record 1\): unexpected token 0x3f/);
  });

  it('a chunk without its signature is skipped; an unwritten (all-zero) chunk is passed over silently', () => {
    const bytes = Buffer.concat([synthetic.bytes, Buffer.alloc(65536)]);
    bytes.write('XXXX', 4096, 'latin1');
    const got = readBytes(bytes);
    expect(got.events).toEqual(synthetic.events.slice(2));
    expect(got.diagnostics.map((d) => [d.code, d.column])).toEqual([['E017', 4097]]);
  });

  it('a file cut short reads the records before the cut and says where it was cut', () => {
    const cut = synthetic.bytes.subarray(0, 4096 + 65536 + 2000);
    const got = readBytes(cut);
    expect(got.events.length).toBeGreaterThanOrEqual(2);
    expect(got.events.slice(0, 2)).toEqual(synthetic.events.slice(0, 2));
    expect(got.diagnostics.some((d) => d.code === 'E017' && /cut short/.test(d.message))).toBe(true);
  });
});

describe('EVTX reader: damaged bytes (fast-check)', () => {
  const real = fs.readFileSync(EVTX_FILES.reduce((a, b) => (fs.statSync(b).size > fs.statSync(a).size ? b : a)));
  const sources = [syntheticEvtx().bytes, fs.readFileSync(EVTX_FILES[0]!), real];
  /** Byte ranges covered by a checksum: a change there must always be reported. */
  const checked = (bytes: Buffer, i: number): boolean => {
    if (i < 120 || (i >= 124 && i < 128)) return true;
    if (i < 4096) return false;
    const base = 4096 + Math.floor((i - 4096) / 65536) * 65536;
    const o = i - base;
    return o < 120 || (o >= 124 && o < bytes.readUInt32LE(base + 48));
  };

  it('random byte changes never throw, always end, and a change under a checksum is reported', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: sources.length - 1 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
        (which, changes) => {
          const original = sources[which]!;
          const bytes = Buffer.from(original);
          for (const [pos, value] of changes) bytes[pos % bytes.length] = value;
          const got = readBytes(bytes);
          for (const e of got.events) expect(typeof e).toBe('object');
          for (const d of got.diagnostics) {
            expect(['E017', 'E018', 'E019']).toContain(d.code);
            expect(d.column).toBeGreaterThanOrEqual(1);
            expect(d.column).toBeLessThanOrEqual(bytes.length + 1);
          }
          const touched = changes.some(([pos]) => {
            const i = pos % bytes.length;
            return bytes[i] !== original[i] && checked(original, i);
          });
          if (touched) expect(got.diagnostics.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: runs(300) },
    );
  });

  it('random changes inside the records (Binary XML, templates, values) never throw; what is read is plain JSON', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: sources.length - 1 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }),
        (which, changes) => {
          const bytes = Buffer.from(sources[which]!);
          // Changes land in the first chunk's records, where the Binary XML parser meets them.
          const start = 4096 + 512;
          const end = 4096 + bytes.readUInt32LE(4096 + 48);
          for (const [pos, value] of changes) bytes[start + (pos % (end - start))] = value;
          const got = readBytes(bytes);
          for (const d of got.diagnostics) expect(['E017', 'E018', 'E019']).toContain(d.code);
          for (const e of got.events) expect(plainJson(e)).toBe(true);
          // The records checksum no longer matches unless every change wrote the byte already there.
          if (!bytes.equals(sources[which]!)) expect(got.diagnostics.some((d) => d.code === 'E018')).toBe(true);
        },
      ),
      { numRuns: runs(300) },
    );
  });

  it('a file cut anywhere (not at a chunk boundary) never throws and says it was cut short', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: sources.length - 1 }), fc.nat(), (which, n) => {
        const original = sources[which]!;
        const length = n % original.length;
        fc.pre(length < 4096 || (length - 4096) % 65536 !== 0);
        const got = readBytes(original.subarray(0, length));
        expect(got.diagnostics.some((d) => d.code === 'E017')).toBe(true);
      }),
      { numRuns: runs(200) },
    );
  });

  it('random bytes after the signature never throw', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 70000 }), (tail) => {
        const bytes = Buffer.concat([Buffer.from('ElfFile\0', 'latin1'), tail]);
        const got = readBytes(bytes);
        expect(got.diagnostics.length).toBeGreaterThan(0);
      }),
      { numRuns: runs(50) },
    );
  });
});

describe('EVTX reader: documented codes', () => {
  it('E017–E019 are in the catalogue and in the table of docs/evaluator.md', () => {
    const doc = fs.readFileSync(path.join(REPO_ROOT, 'docs/evaluator.md'), 'utf8');
    for (const code of ['E017', 'E018', 'E019'] as const) {
      expect(EVAL_DIAGNOSTICS[code].summary).toMatch(/EVTX/);
      expect(doc).toMatch(new RegExp(`^\\| ${code} \\| ${EVAL_DIAGNOSTICS[code].severity} \\|`, 'm'));
    }
  });
});
