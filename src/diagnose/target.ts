// HOST[:PORT] as typed, checked and split.
import { isIP } from 'node:net';
import { UsageError } from '../core/usage-error.js';
import type { Target } from './facts.js';

/** Ports where a TLS handshake is expected without being asked. */
export const TLS_PORTS: ReadonlySet<number> = new Set([443, 465, 636, 853, 993, 995, 8443]);

// RFC 1123 host names: labels of letters, digits and inner hyphens (and
// underscores, which real zones contain), an optional final dot.
const NAME = /^(?=.{1,253}\.?$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*\.?$/i;

function port(text: string, input: string): number {
  if (!/^\d{1,5}$/.test(text) || Number(text) < 1 || Number(text) > 65535)
    throw new UsageError(`"${input}": the port must be a number from 1 to 65535`);
  return Number(text);
}

export function parseTarget(input: string, forceTls = false): Target {
  const s = input.trim();
  let host: string;
  let p: number | null = null;
  const bracketed = /^\[([^\]]+)\](?::(.*))?$/.exec(s);
  if (bracketed) {
    host = bracketed[1] ?? '';
    if (bracketed[2] !== undefined) p = port(bracketed[2], input);
    if (isIP(host) !== 6) throw new UsageError(`"${input}": brackets hold an IPv6 address, as in [2001:db8::1]:443`);
  } else if (isIP(s) === 6) {
    host = s; // a bare IPv6 address: its colons are not a port
  } else {
    const i = s.lastIndexOf(':');
    host = i >= 0 ? s.slice(0, i) : s;
    if (i >= 0) p = port(s.slice(i + 1), input);
  }
  if (!host) throw new UsageError(`"${input}": give a host name or address, as in example.org:443`);
  const v = isIP(host);
  if (v === 0 && !NAME.test(host)) throw new UsageError(`"${input}": "${host}" is neither an address nor a host name`);
  const literal = v === 4 ? 'ipv4' : v === 6 ? 'ipv6' : null;
  return { host, port: p, literal, tls: p !== null && (forceTls || TLS_PORTS.has(p)) };
}

/** host:port, with brackets around IPv6 addresses: `target` of `diagnose --json` (README). */
export function targetText(t: Target): string {
  const host = t.literal === 'ipv6' ? `[${t.host}]` : t.host;
  return t.port === null ? t.host : `${host}:${t.port}`;
}
