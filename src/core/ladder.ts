// Which of the article's errors (#021-#030) an event is, and which rung of
// the ladder to look at first: the one errno -> code table that watch, top,
// the exporter and diagnose all read. Coded placements take their rung from
// SEED_RUNG; only the uncoded ones name their rung here.
import type { EventName } from './event.js';
import type { Rung } from './rung.js';
import { SEED_RUNG, type Seed } from './seed.js';

export interface Placement {
  seed: Seed | null;
  rung: Rung;
}

const coded = (seed: Seed): Placement => ({ seed, rung: SEED_RUNG[seed] });
const uncoded = (rung: Rung): Placement => ({ seed: null, rung });

type Row = readonly [EventName, string | null, Placement];

/** [event, errno or null for "any", placement]; the first matching row wins. */
export const PLACEMENTS: readonly Row[] = [
  ['connect_error', 'ECONNREFUSED', coded('#021')],
  ['connect_error', 'EHOSTUNREACH', coded('#022')],
  ['connect_error', 'ETIMEDOUT', coded('#023')],
  ['connect_error', 'ENETUNREACH', coded('#026')],
  // connect finds no free local port: the TIME_WAIT exhaustion of #028
  ['connect_error', 'EADDRNOTAVAIL', coded('#028')],
  ['connect_error', 'EPERM', uncoded('firewall')],
  ['connect_error', 'EACCES', uncoded('firewall')],
  ['connect_error', null, uncoded('application')],
  ['syn_retransmit', null, coded('#023')],
  ['reset_received', null, uncoded('application')],
  ['reset_sent', null, uncoded('application')],
  ['neighbour_failed', null, coded('#029')],
  ['bind_error', 'EADDRINUSE', coded('#027')],
  ['bind_error', 'EADDRNOTAVAIL', uncoded('address')],
  ['bind_error', null, uncoded('application')],
  ['time_wait', null, coded('#028')],
  ['dns_error', null, coded('#024')],
  ['tls_error', null, coded('#025')],
];

export function place(event: EventName, errno: string | null, reason: string | null = null): Placement {
  // A reset answering a SYN for a port nobody listens on is the server's
  // side of "connection refused".
  if (event === 'reset_sent' && reason === 'NO_SOCKET') return coded('#021');
  for (const [e, n, placement] of PLACEMENTS) {
    if (e === event && (n === null || n === errno)) return { ...placement };
  }
  return { seed: null, rung: 'application' };
}

/** The article's code for an errno connect() failed with, or null when it
 *  has none: what diagnose's own connect and route probes report under. */
export function connectSeed(errno: string): Seed | null {
  return place('connect_error', errno).seed;
}
