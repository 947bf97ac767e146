// Rung 2, address: the interface carries an address of the destination's family.
import type { Check, Facts, LinkAddress } from '../facts.js';
import { isLoopback } from '../prefix.js';
import { fail, pass } from './check.js';

const FAMILY = { ipv4: 'IPv4', ipv6: 'IPv6' } as const;

/** Link-local addresses only reach link-local destinations. */
function reaches(a: LinkAddress, dest: string): boolean {
  if (a.scope === 'global') return true;
  return a.scope === 'link' && dest.toLowerCase().startsWith('fe80:');
}

export function judgeAddress(f: Facts): Check {
  const { dest, route, links = [] } = f;
  const fam = FAMILY[dest.family];
  if (isLoopback(dest.address, dest.family) || (route?.ok && route.type === 'local'))
    return pass('address', `${dest.address} is an address of this host`);
  if (route?.ok) {
    const link = links.find((l) => l.name === route.dev);
    const own = link?.addresses.filter((a) => a.family === dest.family && reaches(a, dest.address)) ?? [];
    if (own.length === 0 && !route.prefsrc)
      return fail('address', `${route.dev} has no ${fam} address to send from`, 'EADDRNOTAVAIL', '#026');
    return pass('address', `source ${route.prefsrc ?? own[0]?.local} on ${route.dev}`);
  }
  const any = links.filter((l) => l.up && !l.loopback && l.addresses.some((a) => a.family === dest.family && reaches(a, dest.address)));
  if (any.length === 0)
    return fail('address', `no interface that is up has a ${fam} address`, route && !route.ok ? route.errno : null, '#026');
  return pass('address', `${fam} addresses on ${any.map((l) => l.name).join(', ')}`);
}
