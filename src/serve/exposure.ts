// Whether the exporter can be reached from other hosts without protection:
// its metrics name every failing process on the host.
import { isIPv4, isIPv6 } from 'node:net';
import { authenticates, type WebConfig } from './web-config.js';

export function isLoopback(address: string): boolean {
  if (isIPv4(address)) return address.startsWith('127.');
  if (isIPv6(address)) return address === '::1' || /^::ffff:127\./i.test(address);
  return address === 'localhost';
}

/** One line for stderr, or undefined when there is nothing to warn about.
 *  `bound` is the address actually bound, so a host name is judged by
 *  what it resolved to. */
export function exposureWarning(bound: string, config: WebConfig | undefined): string | undefined {
  if (isLoopback(bound)) return undefined;
  const lacks = [config?.tls ? '' : 'TLS', config && authenticates(config) ? '' : 'authentication'].filter(Boolean);
  if (!lacks.length) return undefined;
  return `warning: listening on ${bound}, beyond this host, without ${lacks.join(' or ')}; see --web.config.file`;
}
