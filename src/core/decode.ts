// Raw records from the ring buffer -> plain values, following layout.ts.
import { formatIPv4, formatIPv6 } from './address.js';
import { AF_INET, AF_INET6, FIELDS as F, FLAGS, KIND_CODES, RECORD_SIZE } from './layout.js';

export interface RawRecord {
  /** CLOCK_MONOTONIC nanoseconds */
  tsNs: number;
  cgroupId: number;
  pid: number;
  tid: number;
  ifindex: number;
  reason: number;
  err: number;
  family: number;
  sport: number;
  dport: number;
  kind: number;
  flags: number;
  saddr: string | null;
  daddr: string | null;
  comm: string;
  dev: string;
}

const TWO32 = 2 ** 32;

function u64(view: DataView, at: number): number {
  return view.getUint32(at + 4, true) * TWO32 + view.getUint32(at, true);
}

function cString(bytes: Uint8Array, at: number, size: number): string {
  let end = at;
  while (end < at + size && bytes[end] !== 0) end++;
  return Buffer.from(bytes.buffer, bytes.byteOffset + at, end - at).toString('latin1');
}

function isZero(bytes: Uint8Array, at: number, size: number): boolean {
  for (let i = at; i < at + size; i++) if (bytes[i] !== 0) return false;
  return true;
}

function address(family: number, bytes: Uint8Array, at: number): string | null {
  if (family === AF_INET) return isZero(bytes, at, 4) ? null : formatIPv4(bytes, at);
  if (family === AF_INET6) return isZero(bytes, at, 16) ? null : formatIPv6(bytes, at);
  return null;
}

/** Decode the record that starts `offset` bytes into `bytes`. */
export function decodeRecord(bytes: Uint8Array, view: DataView, offset: number): RawRecord {
  const o = offset;
  const family = view.getUint16(o + F.family.offset, true);
  return {
    tsNs: u64(view, o + F.ts_ns.offset),
    cgroupId: u64(view, o + F.cgroup_id.offset),
    pid: view.getUint32(o + F.pid.offset, true),
    tid: view.getUint32(o + F.tid.offset, true),
    ifindex: view.getUint32(o + F.ifindex.offset, true),
    reason: view.getUint32(o + F.reason.offset, true),
    err: view.getInt32(o + F.err.offset, true),
    family,
    sport: view.getUint16(o + F.sport.offset, true),
    dport: view.getUint16(o + F.dport.offset, true),
    kind: view.getUint8(o + F.kind.offset),
    flags: view.getUint8(o + F.flags.offset),
    saddr: address(family, bytes, o + F.saddr.offset),
    daddr: address(family, bytes, o + F.daddr.offset),
    comm: cString(bytes, o + F.comm.offset, F.comm.size),
    dev: cString(bytes, o + F.dev.offset, F.dev.size),
  };
}

/** Every record of a batch the addon delivered. */
export function decodeBatch(buf: Uint8Array): RawRecord[] {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const out: RawRecord[] = [];
  for (let o = 0; o + RECORD_SIZE <= buf.byteLength; o += RECORD_SIZE) out.push(decodeRecord(buf, view, o));
  return out;
}

const KIND_NAMES = Object.fromEntries(Object.entries(KIND_CODES).map(([k, v]) => [v, k])) as Record<
  number,
  keyof typeof KIND_CODES
>;

export function kindName(kind: number): keyof typeof KIND_CODES | undefined {
  return KIND_NAMES[kind];
}

export function isAsync(r: RawRecord): boolean {
  return (r.flags & FLAGS.async) !== 0;
}
