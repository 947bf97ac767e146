// --listen HOST:PORT, parsed and checked.
import { isIPv4, isIPv6 } from 'node:net';
import { UsageError } from '../core/usage-error.js';

/** Digits and dots only: meant as an IPv4 address, never a host name. */
const NUMERIC = /^[\d.]+$/;

export interface ListenAddress {
  host: string;
  port: number;
}

export const DEFAULT_LISTEN: ListenAddress = { host: '127.0.0.1', port: 9464 };

/** "127.0.0.1:9464", "[::1]:9464", "localhost:9464", ":9464" (every
 *  address), "0.0.0.0:9464"; port 0 picks a free one. */
export function parseListen(s: string): ListenAddress {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^\s:[\]]*)):(\d{1,5})$/.exec(s);
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) {
    throw new UsageError(`--listen takes HOST:PORT (e.g. 127.0.0.1:9464 or [::1]:9464), not "${s}"`);
  }
  const host = m[1] ?? m[2] ?? '';
  // An address is taken as typed: one that is not valid (999.1.1.1) is a
  // mistake, not a host name to look up. Anything else is a name.
  const valid = m[1] !== undefined ? isIPv6(host) : !NUMERIC.test(host) || isIPv4(host);
  if (!valid) throw new UsageError(`--listen takes HOST:PORT with a valid address or a name, not "${s}" (${host} is not an IP address)`);
  return { host: host === '' ? '0.0.0.0' : host, port };
}

export function formatListen(a: ListenAddress): string {
  return a.host.includes(':') ? `[${a.host}]:${a.port}` : `${a.host}:${a.port}`;
}
