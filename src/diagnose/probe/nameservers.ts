// The nameservers the system resolver asks, from /etc/resolv.conf (which
// `ip netns exec` replaces with /etc/netns/NS/resolv.conf when there is one).
import { readFileSync } from 'node:fs';

/** glibc asks the local host when resolv.conf names no nameserver. */
const DEFAULT = ['127.0.0.1'];

export function parseResolvConf(text: string): string[] {
  const found: string[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*nameserver\s+(\S+)/.exec(line);
    // a scope suffix (fe80::1%eth0) is for the kernel, not for ip route get
    if (m?.[1]) found.push(m[1].replace(/%.*$/, ''));
  }
  return found.length ? found : DEFAULT;
}

export function nameservers(path = '/etc/resolv.conf'): string[] {
  try {
    return parseResolvConf(readFileSync(path, 'utf8'));
  } catch {
    return DEFAULT;
  }
}
