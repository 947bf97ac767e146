#!/usr/bin/env node
// Events per second the JS pipeline turns from raw ring-buffer records into
// `watch --json` lines, on one core, with no kernel involved: decode, place
// on the ladder, format. Usage: node bench/pipeline-throughput.mjs
import { decodeBatch } from '../dist/core/decode.js';
import { jsonLine } from '../dist/core/format.js';
import { FIELDS as F, LENGTH_SIZE, RECORD_SIZE } from '../dist/core/layout.js';
import { toEvent } from '../dist/core/to-event.js';

const N = 4096;
const buf = Buffer.alloc(N * (LENGTH_SIZE + RECORD_SIZE));
for (let i = 0; i < N; i++) {
  // Each record as the addon frames it: its length, then the record.
  buf.writeUInt32LE(RECORD_SIZE, i * (LENGTH_SIZE + RECORD_SIZE));
  const o = i * (LENGTH_SIZE + RECORD_SIZE) + LENGTH_SIZE;
  buf.writeBigUInt64LE(BigInt(1e12 + i * 1000), o + F.ts_ns.offset);
  buf.writeUInt32LE(1000 + (i % 7), o + F.pid.offset);
  buf.writeUInt32LE(1000 + (i % 7), o + F.tid.offset);
  buf.writeInt32LE(i % 2 ? 111 : 0, o + F.err.offset);
  buf.writeUInt16LE(2, o + F.family.offset);
  buf.writeUInt16LE(40000 + i, o + F.sport.offset);
  buf.writeUInt16LE(1, o + F.dport.offset);
  buf.writeUInt8(i % 2 ? 1 : 3, o + F.kind.offset);
  buf.set([127, 0, 0, 1], o + F.saddr.offset);
  buf.set([127, 0, 0, 1], o + F.daddr.offset);
  buf.write('storm', o + F.comm.offset, 'latin1');
}
const ctx = { monotonicToUnixMs: Date.now() - 1e6, cgroupPath: () => '/', resetReason: () => 'NO_SOCKET' };

function run(rounds) {
  let bytes = 0;
  for (let r = 0; r < rounds; r++) {
    let text = '';
    for (const rec of decodeBatch(buf)) text += `${jsonLine(toEvent(rec, ctx))}\n`;
    bytes += text.length;
  }
  return bytes;
}
run(20); // warm up
const rounds = 200;
const t0 = process.hrtime.bigint();
run(rounds);
const s = Number(process.hrtime.bigint() - t0) / 1e9;
const perSec = (rounds * N) / s;
console.log(`${Math.round(perSec)} events/s, ${(1e9 / perSec).toFixed(0)} ns/event (decode + toEvent + jsonLine)`);
