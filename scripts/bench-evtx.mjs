#!/usr/bin/env node
// @ts-check
/**
 * EVTX reading speed: every .evtx of SigmaHQ's regression data (../shared/corpus/sigmahq/
 * regression_data, 106 files, 124 records, one 64 KiB chunk each) read with the built reader
 * (dist/eval/evtx/reader.js), ROUNDS times over; records/s and MB/s of the median round, and the
 * peak RSS. The files are read from disk once, so this measures decoding, not the disk.
 *
 *   node scripts/bench-evtx.mjs [--rounds N]     (default 50)
 *
 * Not a test: numbers vary with the machine. Needs `npm run build`.
 */
import fs from 'node:fs';
import path from 'node:path';
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

const files = evtxFiles(data).map((f) => ({ name: f, bytes: fs.readFileSync(f) }));
const totalBytes = files.reduce((n, f) => n + f.bytes.length, 0);
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

const times = [];
let records = 0;
let diagnostics = 0;
for (let r = 0; r < ROUNDS; r++) {
  const t0 = process.hrtime.bigint();
  records = 0;
  for (const f of files) {
    const got = readAll(f.bytes);
    records += got.records;
    diagnostics += got.diagnostics;
  }
  times.push(Number(process.hrtime.bigint() - t0) / 1e9);
}
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)];
console.log(
  `${files.length} files, ${records} records, ${(totalBytes / 1048576).toFixed(1)} MB per round, ${ROUNDS} rounds` +
    `${diagnostics ? `, ${diagnostics} diagnostics` : ''}`,
);
console.log(
  `median round ${(median * 1000).toFixed(1)} ms: ${Math.round(records / median).toLocaleString('en')} records/s, ` +
    `${(totalBytes / 1048576 / median).toFixed(0)} MB/s; peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
);
