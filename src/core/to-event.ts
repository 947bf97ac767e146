// A decoded record, placed on the ladder and dressed for the contract.
import { isAsync, kindName, type RawRecord } from './decode.js';
import { errnoName } from './errno.js';
import type { Family, NetEvent } from './event.js';
import { AF_INET, AF_INET6 } from './layout.js';
import { place } from './ladder.js';

export interface EventContext {
  /** milliseconds to add to a CLOCK_MONOTONIC reading to get Unix time */
  monotonicToUnixMs: number;
  cgroupPath(id: number): string | null;
  /** name of a kernel reset reason (enum sk_rst_reason), without prefix */
  resetReason(code: number): string | null;
}

function family(f: number): Family | null {
  return f === AF_INET ? 'ipv4' : f === AF_INET6 ? 'ipv6' : null;
}

/** null for records of a kind this build does not know. */
export function toEvent(r: RawRecord, ctx: EventContext): NetEvent | null {
  const event = kindName(r.kind);
  if (!event) return null;
  const errno = errnoName(r.err);
  const fam = family(r.family);
  const reason = event === 'reset_sent' ? ctx.resetReason(r.reason) : null;
  const common = {
    time: new Date(r.tsNs / 1e6 + ctx.monotonicToUnixMs).toISOString(),
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
    ...place(event, errno, reason),
  };
  switch (event) {
    case 'connect_error':
      return { ...common, event, errno: errno ?? 'E0', async: isAsync(r) };
    case 'reset_sent':
      return { ...common, event, reason };
    case 'neighbour_failed':
      return { ...common, event, dev: r.dev || null };
    default:
      return { ...common, event };
  }
}
