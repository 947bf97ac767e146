// The classes of failure the live view has a column for. Each (event, errno)
// pair falls in exactly one class, so the columns add up to the total.
import type { EventName } from '../core/event.js';

export const FAILURE_CLASSES = ['refused', 'unreach', 'timeout', 'synrtx', 'reset', 'dns', 'tls', 'bind', 'tw', 'other'] as const;
export type FailureClass = (typeof FAILURE_CLASSES)[number];

export const FAILURE_CLASS_TITLES: Record<FailureClass, string> = {
  refused: 'connection refused (ECONNREFUSED)',
  unreach: 'host or network unreachable (EHOSTUNREACH, ENETUNREACH, ARP failed)',
  timeout: 'connection timed out (ETIMEDOUT)',
  synrtx: 'SYN retransmitted: no answer yet',
  reset: 'connection reset (RST received or sent)',
  dns: 'name resolution failed',
  tls: 'TLS handshake or certificate failed',
  bind: 'bind failed (EADDRINUSE, EADDRNOTAVAIL, ...)',
  tw: 'connection closed into TIME_WAIT',
  other: 'any other failure',
};

export function failureClassOf(event: EventName, errno: string | null): FailureClass {
  switch (event) {
    case 'connect_error':
      switch (errno) {
        case 'ECONNREFUSED':
          return 'refused';
        case 'EHOSTUNREACH':
        case 'ENETUNREACH':
          return 'unreach';
        case 'ETIMEDOUT':
          return 'timeout';
        case 'ECONNRESET':
          return 'reset';
        default:
          return 'other';
      }
    case 'neighbour_failed':
      return 'unreach';
    case 'syn_retransmit':
      return 'synrtx';
    case 'reset_received':
    case 'reset_sent':
      return 'reset';
    case 'dns_error':
      return 'dns';
    case 'tls_error':
      return 'tls';
    case 'bind_error':
      return 'bind';
    case 'time_wait':
      return 'tw';
  }
}
