// The events netladder reports: the `watch --json` contract of the README.
// An event is named here (connect_error, ...); on the wire its record
// carries a number, its kind (enum nl_kind, see layout.ts).
import type { Rung } from './rung.js';
import type { Seed } from './seed.js';

export const EVENT_NAMES = [
  'connect_error',
  'reset_received',
  'reset_sent',
  'neighbour_failed',
  'bind_error',
  'time_wait',
  'syn_retransmit',
  'dns_error',
  'tls_error',
] as const;
export type EventName = (typeof EVENT_NAMES)[number];

export type Family = 'ipv4' | 'ipv6';

interface Common {
  /** ISO-8601 UTC with milliseconds */
  time: string;
  errno: string | null;
  /** owning process (thread-group id); 0 when no process owns the socket */
  pid: number;
  tid: number;
  /** null when no process owns the socket */
  comm: string | null;
  cgroup: string | null;
  family: Family | null;
  saddr: string | null;
  sport: number | null;
  daddr: string | null;
  dport: number | null;
  seed: Seed | null;
  rung: Rung;
}

export type NetEvent =
  | (Common & { event: 'connect_error'; errno: string; async: boolean })
  | (Common & { event: 'reset_received' })
  | (Common & { event: 'reset_sent'; reason: string | null })
  | (Common & { event: 'neighbour_failed'; dev: string | null })
  | (Common & { event: 'bind_error' })
  | (Common & { event: 'time_wait' })
  | (Common & { event: 'syn_retransmit' })
  | (Common & { event: 'dns_error'; host: string | null })
  | (Common & { event: 'tls_error'; host: string | null; reason: string | null });

/** The name asked for, on the events that carry one (dns_error, tls_error). */
export function hostOf(e: NetEvent): string | null {
  return e.event === 'dns_error' || e.event === 'tls_error' ? e.host : null;
}

export function isEventName(s: string): s is EventName {
  return (EVENT_NAMES as readonly string[]).includes(s);
}
