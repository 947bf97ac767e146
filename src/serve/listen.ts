// --listen HOST:PORT, parsed and checked.
import { UsageError } from '../core/usage-error.js';

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
  return { host: host === '' ? '0.0.0.0' : host, port };
}

export function formatListen(a: ListenAddress): string {
  return a.host.includes(':') ? `[${a.host}]:${a.port}` : `${a.host}:${a.port}`;
}
