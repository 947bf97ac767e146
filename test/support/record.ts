// Builds raw records byte by byte, as the kernel would, each framed with its
// length as the addon puts it in a batch, for decoder tests.
import { recordSize } from '../../src/core/decode.js';
import { FIELDS as F, HOST_FIELDS, LENGTH_SIZE } from '../../src/core/layout.js';

export interface RecordSpec {
  tsNs?: number;
  cgroupId?: number;
  pid?: number;
  tid?: number;
  ifindex?: number;
  reason?: number;
  err?: number;
  family?: number;
  sport?: number;
  dport?: number;
  kind: number;
  flags?: number;
  saddr?: number[];
  daddr?: number[];
  comm?: string;
  dev?: string;
  /** dns_error, tls_error: the name, as text or as raw (wire-format) bytes */
  host?: string | number[];
  /** the length the frame claims, when a test wants it to lie */
  length?: number;
}

/** One record as it sits in a batch: its length, then the record. */
export function record(s: RecordSpec): Buffer {
  const body = recordBody(s);
  const framed = Buffer.alloc(LENGTH_SIZE + body.byteLength);
  framed.writeUInt32LE(s.length ?? body.byteLength, 0);
  body.copy(framed, LENGTH_SIZE);
  return framed;
}

function recordBody(s: RecordSpec): Buffer {
  // dns_error and tls_error records carry a name after the event.
  const b = Buffer.alloc(recordSize(s.kind), 0);
  b.writeBigUInt64LE(BigInt(s.tsNs ?? 0), F.ts_ns.offset);
  b.writeBigUInt64LE(BigInt(s.cgroupId ?? 0), F.cgroup_id.offset);
  b.writeUInt32LE(s.pid ?? 0, F.pid.offset);
  b.writeUInt32LE(s.tid ?? 0, F.tid.offset);
  b.writeUInt32LE(s.ifindex ?? 0, F.ifindex.offset);
  b.writeUInt32LE(s.reason ?? 0, F.reason.offset);
  b.writeInt32LE(s.err ?? 0, F.err.offset);
  b.writeUInt16LE(s.family ?? 0, F.family.offset);
  b.writeUInt16LE(s.sport ?? 0, F.sport.offset);
  b.writeUInt16LE(s.dport ?? 0, F.dport.offset);
  b.writeUInt8(s.kind, F.kind.offset);
  b.writeUInt8(s.flags ?? 0, F.flags.offset);
  Buffer.from(s.saddr ?? []).copy(b, F.saddr.offset);
  Buffer.from(s.daddr ?? []).copy(b, F.daddr.offset);
  b.write(s.comm ?? '', F.comm.offset, F.comm.size - 1, 'latin1');
  b.write(s.dev ?? '', F.dev.offset, F.dev.size - 1, 'latin1');
  if (typeof s.host === 'string') b.write(s.host, HOST_FIELDS.host.offset, HOST_FIELDS.host.size - 1, 'latin1');
  else if (s.host) Buffer.from(s.host.slice(0, HOST_FIELDS.host.size)).copy(b, HOST_FIELDS.host.offset);
  return b;
}
