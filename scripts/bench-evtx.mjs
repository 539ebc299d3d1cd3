#!/usr/bin/env node
// @ts-check
/**
 * EVTX reading speed with the built reader (dist/eval/evtx/reader.js), ROUNDS times over each of
 * two sets; records/s and MB/s of the median round, and the peak RSS. Files are read from disk
 * once, so this measures decoding, not the disk.
 *
 * - sparse: every .evtx of SigmaHQ's regression data (../shared/corpus/sigmahq/regression_data,
 *   106 files, 124 records, one 64 KiB chunk each, mostly empty): per-chunk costs dominate;
 * - dense: the files whose second (or a later) record refers back to every name and template it
 *   uses, as most records of a real log do, with their chunk filled up with copies of it
 *   (record ids, free-space offset and checksums set): per-record costs dominate.
 *
 *   node scripts/bench-evtx.mjs [--rounds N]     (default 50)
 *
 * Not a test: numbers vary with the machine. Needs `npm run build`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { crc32 } from '../dist/eval/evtx/crc32.js';
import { readEvtxSync } from '../dist/eval/evtx/reader.js';

const root = path.resolve(import.meta.dirname, '..');
const data = path.resolve(root, '../shared/corpus/sigmahq/regression_data');
const i = process.argv.indexOf('--rounds');
const ROUNDS = i === -1 ? 50 : Number(process.argv[i + 1]);
if (!Number.isInteger(ROUNDS) || ROUNDS < 1) {
  console.error('bench-evtx: --rounds takes a whole number ≥ 1');
  process.exit(2);
}

/** @param {string} dir @param {string[]} out */
function evtxFiles(dir, out = []) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) evtxFiles(p, out);
    else if (e.name.endsWith('.evtx')) out.push(p);
  }
  return out;
}

/** @param {Buffer} bytes */
function readAll(bytes) {
  let at = 0;
  /** @param {Buffer} buf @param {number} size */
  const read = (buf, size) => {
    const n = Math.min(size, bytes.length - at);
    bytes.copy(buf, 0, at, at + n);
    at += n;
    return n;
  };
  let records = 0;
  let diagnostics = 0;
  for (const _ of readEvtxSync(read, 'bench.evtx', () => diagnostics++)) records++;
  return { records, diagnostics };
}

/**
 * A copy of a one-chunk file whose chunk is filled with copies of its record at `at`, or
 * undefined when such copies do not read back cleanly (a record that writes a name or template
 * inline cannot be copied: a copy would have to refer back instead).
 * @param {Buffer} file @param {number} at
 */
function dense(file, at) {
  const out = Buffer.from(file);
  const chunk = out.subarray(4096, 4096 + 65536);
  const size = chunk.readUInt32LE(at + 4);
  let free = chunk.readUInt32LE(48);
  let id = chunk.readBigUInt64LE(32);
  let last = chunk.readUInt32LE(44);
  while (free + size <= 65536) {
    chunk.copy(chunk, free, at, at + size);
    chunk.writeBigUInt64LE(++id, free + 8);
    last = free;
    free += size;
  }
  chunk.writeBigUInt64LE(id, 16);
  chunk.writeBigUInt64LE(id, 32);
  chunk.writeUInt32LE(last, 44);
  chunk.writeUInt32LE(free, 48);
  chunk.writeUInt32LE(crc32(chunk, [[512, free]]), 52);
  chunk.writeUInt32LE(
    crc32(chunk, [
      [0, 120],
      [128, 512],
    ]),
    124,
  );
  return readAll(out).diagnostics === 0 ? out : undefined;
}

/** Dense versions of the files that have a record after their first that copies cleanly. @param {Buffer[]} files */
function denseFiles(files) {
  const out = [];
  for (const file of files) {
    const chunk = file.subarray(4096);
    const free = chunk.readUInt32LE(48);
    for (let at = 512 + chunk.readUInt32LE(512 + 4); at < free; at += chunk.readUInt32LE(at + 4)) {
      const d = dense(file, at);
      if (d) {
        out.push(d);
        break;
      }
    }
  }
  return out;
}

/** @param {string} label @param {Buffer[]} files */
function measure(label, files) {
  const totalBytes = files.reduce((n, f) => n + f.length, 0);
  const times = [];
  let records = 0;
  let diagnostics = 0;
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = process.hrtime.bigint();
    records = 0;
    for (const f of files) {
      const got = readAll(f);
      records += got.records;
      diagnostics += got.diagnostics;
    }
    times.push(Number(process.hrtime.bigint() - t0) / 1e9);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)] ?? 0;
  console.log(
    `${label}: ${files.length} files, ${records} records, ${(totalBytes / 1048576).toFixed(1)} MB per round, ${ROUNDS} rounds` +
      `${diagnostics ? `, ${diagnostics} diagnostics` : ''}; median round ${(median * 1000).toFixed(1)} ms: ` +
      `${Math.round(records / median).toLocaleString('en')} records/s, ${(totalBytes / 1048576 / median).toFixed(0)} MB/s`,
  );
}

const sparse = evtxFiles(data).map((f) => fs.readFileSync(f));
measure('sparse', sparse);
measure('dense', denseFiles(sparse));
console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
