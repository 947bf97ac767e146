// A decoded record, placed on the ladder and dressed for the contract.
import { isAsync, kindName, type RawRecord } from './decode.js';
import { errorName } from './error-name.js';
import type { Family, NetEvent } from './event.js';
import { IsoTime } from './iso-time.js';
import { AF_INET, AF_INET6 } from './layout.js';
import { place, type Placement } from './ladder.js';
import { tlsReason } from './tls.js';

export interface EventContext {
  /** milliseconds to add to a CLOCK_MONOTONIC reading to get Unix time */
  monotonicToUnixMs: number;
  /** formats times; shared across calls so its per-second cache pays off */
  clock?: IsoTime;
  cgroupPath(id: number): string | null;
  /** name of a kernel reset reason (enum sk_rst_reason), without prefix */
  resetReason(code: number): string | null;
}

function family(f: number): Family | null {
  return f === AF_INET ? 'ipv4' : f === AF_INET6 ? 'ipv6' : null;
}

const defaultClock = new IsoTime();
// Placement depends only on (event, errno, reason): cache it under a number
// built from the record's kind, err and reason, so the hot path allocates
// no key.
const placements = new Map<number, Placement>();

function placed(r: RawRecord, event: NetEvent['event'], errno: string | null, reason: string | null): Placement {
  const key = (r.kind * 65536 + (r.err & 0xffff)) * 256 + (event === 'reset_sent' ? r.reason & 0xff : 0);
  let p = placements.get(key);
  if (!p) placements.set(key, (p = place(event, errno, reason)));
  return p;
}

/** null for records of a kind this build does not know. */
export function toEvent(r: RawRecord, ctx: EventContext): NetEvent | null {
  const event = kindName(r.kind);
  if (!event) return null;
  const errno = errorName(event, r.err);
  const fam = family(r.family);
  const reason = event === 'reset_sent' ? ctx.resetReason(r.reason) : null;
  const { seed, rung } = placed(r, event, errno, reason);
  // Built in one literal, in contract order, with the per-event field added
  // after: spreading a shared base per event cost more than the decoding.
  const e: Record<string, unknown> = {
    time: (ctx.clock ?? defaultClock).format(r.tsNs / 1e6 + ctx.monotonicToUnixMs),
    event,
    errno,
    pid: r.pid,
    tid: r.tid,
    comm: r.pid ? r.comm : null,
    cgroup: r.cgroupId ? ctx.cgroupPath(r.cgroupId) : null,
    family: fam,
    saddr: r.saddr,
    sport: fam && r.sport ? r.sport : null,
    daddr: r.daddr,
    dport: fam && r.dport ? r.dport : null,
    seed,
    rung,
  };
  if (event === 'connect_error') e.async = isAsync(r);
  else if (event === 'reset_sent') e.reason = reason;
  else if (event === 'neighbour_failed') e.dev = r.dev || null;
  else if (event === 'dns_error') e.host = r.host;
  else if (event === 'tls_error') {
    e.host = r.host;
    e.reason = tlsReason(r.err);
  }
  return e as unknown as NetEvent;
}
