// Which of the article's errors (#021-#030) an event is, and which rung of
// the ladder to look at first. The full knowledge base builds on this table.
import type { EventName, Rung, Seed } from './event.js';

export interface Placement {
  seed: Seed | null;
  rung: Rung;
}

type Row = readonly [EventName, string | null, Seed | null, Rung];

// [event, errno or null for "any", seed, rung]; the first matching row wins.
const TABLE: readonly Row[] = [
  ['connect_error', 'ECONNREFUSED', '#021', 'application'],
  ['connect_error', 'EHOSTUNREACH', '#022', 'route'],
  ['connect_error', 'ETIMEDOUT', '#023', 'firewall'],
  ['connect_error', 'ENETUNREACH', '#026', 'route'],
  ['connect_error', 'EADDRNOTAVAIL', '#028', 'application'],
  ['connect_error', 'EPERM', null, 'firewall'],
  ['connect_error', 'EACCES', null, 'firewall'],
  ['connect_error', null, null, 'application'],
  ['syn_retransmit', null, '#023', 'firewall'],
  ['reset_received', null, null, 'application'],
  ['reset_sent', null, null, 'application'],
  ['neighbour_failed', null, '#029', 'link'],
  ['bind_error', 'EADDRINUSE', '#027', 'application'],
  ['bind_error', 'EADDRNOTAVAIL', null, 'address'],
  ['bind_error', null, null, 'application'],
  ['time_wait', null, '#028', 'application'],
  ['dns_error', null, '#024', 'dns'],
  ['tls_error', null, '#025', 'application'],
];

export function place(event: EventName, errno: string | null, reason: string | null = null): Placement {
  // A reset answering a SYN for a port nobody listens on is the server's
  // side of "connection refused".
  if (event === 'reset_sent' && reason === 'NO_SOCKET') return { seed: '#021', rung: 'application' };
  for (const [e, n, seed, rung] of TABLE) {
    if (e === event && (n === null || n === errno)) return { seed, rung };
  }
  return { seed: null, rung: 'application' };
}
