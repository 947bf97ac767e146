// The record layout of bpf/netladder.h (struct nl_event), field by field.
// test/kernel/layout.test.ts holds these offsets to the ones the C compiler
// produced, so the two cannot drift apart.

export const RECORD_SIZE = 112;

export const FIELDS = {
  ts_ns: { offset: 0, size: 8 },
  cgroup_id: { offset: 8, size: 8 },
  pid: { offset: 16, size: 4 },
  tid: { offset: 20, size: 4 },
  ifindex: { offset: 24, size: 4 },
  reason: { offset: 28, size: 4 },
  err: { offset: 32, size: 4 },
  family: { offset: 36, size: 2 },
  sport: { offset: 38, size: 2 },
  dport: { offset: 40, size: 2 },
  kind: { offset: 42, size: 1 },
  flags: { offset: 43, size: 1 },
  saddr: { offset: 44, size: 16 },
  daddr: { offset: 60, size: 16 },
  comm: { offset: 76, size: 16 },
  dev: { offset: 92, size: 16 },
} as const;

/** struct nl_host_event: a record of these kinds is an nl_event followed by
 *  the host name, and takes HOST_RECORD_SIZE bytes of the batch. */
export const HOST_RECORD_SIZE = 368;
export const HOST_FIELDS = {
  ev: { offset: 0, size: RECORD_SIZE },
  host: { offset: 112, size: 256 },
} as const;

/** In a batch from the addon each record is preceded by its length in bytes:
 *  a u32 in host byte order, little-endian on every machine netladder runs on. */
export const LENGTH_SIZE = 4;

/** enum nl_kind */
export const KIND_CODES = {
  connect_error: 1,
  reset_received: 2,
  reset_sent: 3,
  neighbour_failed: 4,
  bind_error: 5,
  time_wait: 6,
  syn_retransmit: 7,
  dns_error: 8,
  tls_error: 9,
} as const;

/** enum nl_dns_err: what `err` means for dns_error records (see the header). */
export const DNS_CODES = { rcode_base: 1000, timeout: 2000 } as const;

/** enum nl_flag */
export const FLAGS = { async: 1, unowned: 2, wire_name: 4 } as const;

/** enum nl_loss: indexes of the array the addon's readLosses() returns. */
export const LOSSES = { ringbuf_full: 0, rate_limited: 1, counter_full: 2, dns_pending_full: 3 } as const;

export const AF_INET = 2;
export const AF_INET6 = 10;
