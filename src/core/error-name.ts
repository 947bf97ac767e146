// The `errno` of an event: what the kernel's `err` means depends on the event.
import { dnsErrorName } from './dns.js';
import { errnoName } from './errno.js';
import type { EventName } from './event.js';
import { tlsErrorName } from './tls.js';

export function errorName(event: EventName, err: number): string | null {
  if (event === 'dns_error') return dnsErrorName(err);
  if (event === 'tls_error') return tlsErrorName(err);
  return errnoName(err);
}
