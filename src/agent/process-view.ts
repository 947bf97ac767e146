// What the aggregator tells its readers about one process at one moment:
// plain data, ready for a table, JSON or metrics.
import { hostOf, type EventName, type NetEvent } from '../core/event.js';
import type { CgroupOwner } from './cgroup-owner.js';
import type { FailureClass } from './failure-class.js';

export interface Rates {
  /** events per second over the last 1, 10 and 60 complete seconds */
  s1: number;
  s10: number;
  s60: number;
}

export interface SeriesView {
  event: EventName;
  errno: string | null;
  total: number;
  rate: Rates;
}

export interface ProcessView {
  pid: number;
  /** null for pid 0 (no process owns the socket) or when never learnt */
  comm: string | null;
  cmdline: string | null;
  cgroup: string | null;
  owner: CgroupOwner;
  /** Unix ms */
  firstSeen: number;
  lastSeen: number;
  /** Unix ms when the process was first found gone, else null */
  exitedAt: number | null;
  total: number;
  rate: Rates;
  /** totals per failure class; they add up to `total` */
  classTotals: Record<FailureClass, number>;
  /** rates per failure class over 10 s */
  classRates: Record<FailureClass, number>;
  series: SeriesView[];
  /** "10.0.0.9:443", "[::1]:80", a host name for DNS and TLS, or null */
  lastDestination: string | null;
  /** the most recent failures with details, newest first */
  recent: NetEvent[];
}

/** Where an event was going, as text. */
export function destinationOf(e: NetEvent): string | null {
  const name = hostOf(e);
  if (name) return e.dport ? `${name}:${e.dport}` : name;
  if (!e.daddr) return null;
  const host = e.family === 'ipv6' ? `[${e.daddr}]` : e.daddr;
  return e.dport ? `${host}:${e.dport}` : host;
}
