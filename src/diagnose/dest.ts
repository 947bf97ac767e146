// Which address the lower rungs are about.
import { isIP } from 'node:net';
import type { Dest, Resolution, Target } from './facts.js';

/** The target's address (the first the resolver gave, as clients use it);
 *  when the name does not resolve, the first nameserver, since the path to
 *  it is the path the failed lookup depended on. */
export function chooseDest(target: Target, resolution: Resolution, nameservers: string[]): Dest {
  if (target.literal) return { address: target.host, family: target.literal, why: 'target' };
  if (resolution.kind === 'resolved' && resolution.addresses[0]) return { ...resolution.addresses[0], why: 'target' };
  const ns = nameservers[0] ?? '127.0.0.1';
  return { address: ns, family: isIP(ns) === 6 ? 'ipv6' : 'ipv4', why: 'nameserver' };
}
