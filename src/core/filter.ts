// The watch filters: --pid, --comm, --event, --errno.
import { isDnsErrorName } from './dns.js';
import { isKnownErrno } from './errno.js';
import { isTlsErrorName } from './tls.js';
import { UsageError } from './usage-error.js';
import { EVENT_NAMES, isEventName, type EventName, type NetEvent } from './event.js';

export interface FilterOptions {
  pid?: string;
  comm?: string;
  event?: string;
  errno?: string;
}

export interface Filter {
  pid?: number;
  comm?: string;
  events?: ReadonlySet<EventName>;
  errnos?: ReadonlySet<string>;
}

/** The kernel's PID_MAX_LIMIT: no pid reaches it, whatever pid_max says. */
const PID_LIMIT = 2 ** 22;

function list(s: string): string[] {
  return s
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x.length > 0);
}

export function parseFilter(o: FilterOptions): Filter {
  const f: Filter = {};
  if (o.pid !== undefined) {
    if (!/^\d+$/.test(o.pid) || Number(o.pid) >= PID_LIMIT)
      throw new UsageError(`--pid takes a process id (below ${PID_LIMIT}), not "${o.pid}"`);
    f.pid = Number(o.pid);
  }
  if (o.comm !== undefined) {
    if (o.comm.length === 0 || o.comm.length > 15)
      throw new UsageError('--comm takes a command name of 1 to 15 characters (the kernel keeps 15)');
    f.comm = o.comm;
  }
  if (o.event !== undefined) {
    const names = list(o.event);
    const bad = names.filter((n) => !isEventName(n));
    if (bad.length || !names.length)
      throw new UsageError(`unknown event "${bad.join(',')}"; events are ${EVENT_NAMES.join(', ')}`);
    f.events = new Set(names as EventName[]);
  }
  if (o.errno !== undefined) {
    const names = list(o.errno).map((n) => n.toUpperCase());
    const bad = names.filter((n) => !isKnownErrno(n) && !isDnsErrorName(n) && !isTlsErrorName(n));
    if (bad.length || !names.length)
      throw new UsageError(
        `unknown errno "${bad.join(',')}"; use a name such as ECONNREFUSED, ETIMEDOUT, EAI_NONAME, NXDOMAIN or X509_V_ERR_CERT_HAS_EXPIRED`,
      );
    f.errnos = new Set(names);
  }
  return f;
}

export function matches(f: Filter, e: NetEvent): boolean {
  if (f.pid !== undefined && e.pid !== f.pid) return false;
  if (f.comm !== undefined && e.comm !== f.comm) return false;
  if (f.events && !f.events.has(e.event)) return false;
  if (f.errnos && (e.errno === null || !f.errnos.has(e.errno))) return false;
  return true;
}
