// Raw records from the ring buffer -> plain values, following layout.ts.
import { formatIPv4, formatIPv6 } from './address.js';
import { decodeDnsName } from './dns.js';
import {
  AF_INET,
  AF_INET6,
  FIELDS as F,
  FLAGS,
  HOST_FIELDS,
  HOST_RECORD_SIZE,
  KIND_CODES,
  LENGTH_SIZE,
  RECORD_SIZE,
} from './layout.js';
import { utf8Text } from './utf8.js';

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
  /** dns_error and tls_error: the name asked for, null when none was known */
  host: string | null;
}

const TWO32 = 2 ** 32;

function u64(view: DataView, at: number): number {
  return view.getUint32(at + 4, true) * TWO32 + view.getUint32(at, true);
}

function cString(bytes: Buffer, at: number, size: number): string {
  let end = at;
  while (end < at + size && bytes[end] !== 0) end++;
  return end === at ? '' : utf8Text(bytes, at, end);
}

function isZero(bytes: Uint8Array, at: number, size: number): boolean {
  for (let i = at; i < at + size; i++) if (bytes[i] !== 0) return false;
  return true;
}

// A storm repeats the same few addresses: reuse their text rather than
// building a new string per event. Bounded; cleared when full.
const ipv4Text = new Map<number, string>();

function ipv4(view: DataView, bytes: Uint8Array, at: number): string {
  const key = view.getUint32(at, false);
  let s = ipv4Text.get(key);
  if (s === undefined) {
    if (ipv4Text.size >= 4096) ipv4Text.clear();
    ipv4Text.set(key, (s = formatIPv4(bytes, at)));
  }
  return s;
}

function address(family: number, bytes: Uint8Array, view: DataView, at: number): string | null {
  if (family === AF_INET) return isZero(bytes, at, 4) ? null : ipv4(view, bytes, at);
  if (family === AF_INET6) return isZero(bytes, at, 16) ? null : formatIPv6(bytes, at);
  return null;
}

/** Bytes the record of this kind takes in a batch (struct nl_event, or
 *  struct nl_host_event for the kinds that carry a name). */
export function recordSize(kind: number): number {
  return kind === KIND_CODES.dns_error || kind === KIND_CODES.tls_error ? HOST_RECORD_SIZE : RECORD_SIZE;
}

function hostOf(bytes: Buffer, o: number, kind: number, flags: number): string | null {
  if (recordSize(kind) !== HOST_RECORD_SIZE) return null;
  const at = o + HOST_FIELDS.host.offset;
  const size = HOST_FIELDS.host.size;
  const name = flags & FLAGS.wire_name ? decodeDnsName(bytes, at, size) : cString(bytes, at, size);
  return name || null;
}

/** Decode the record that starts `offset` bytes into `bytes`. */
export function decodeRecord(bytes: Buffer, view: DataView, offset: number): RawRecord {
  const o = offset;
  const family = view.getUint16(o + F.family.offset, true);
  const kind = view.getUint8(o + F.kind.offset);
  const flags = view.getUint8(o + F.flags.offset);
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
    kind,
    flags,
    saddr: address(family, bytes, view, o + F.saddr.offset),
    daddr: address(family, bytes, view, o + F.daddr.offset),
    comm: cString(bytes, o + F.comm.offset, F.comm.size),
    dev: cString(bytes, o + F.dev.offset, F.dev.size),
    host: hostOf(bytes, o, kind, flags),
  };
}

/**
 * Every record of a batch the addon delivered: each is its length, then
 * that many bytes. The walk goes by the length the addon wrote; the kind
 * only says what that length must be, and a record whose length disagrees
 * is an error, never decoded. A trailing record cut short (fewer bytes left
 * than its length, or than the smallest record) is left out.
 */
export function decodeBatch(buf: Buffer): RawRecord[] {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const out: RawRecord[] = [];
  for (let o = 0; o + LENGTH_SIZE + RECORD_SIZE <= buf.byteLength; ) {
    const length = view.getUint32(o, true);
    const at = o + LENGTH_SIZE;
    const kind = buf[at + F.kind.offset]!;
    const want = recordSize(kind);
    if (length !== want)
      throw new Error(`a batch from the addon is garbled: record ${out.length} is ${length} bytes, but a record of kind ${kind} takes ${want}`);
    if (at + length > buf.byteLength) break;
    out.push(decodeRecord(buf, view, at));
    o = at + length;
  }
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
