// Rung 1, link: the interface toward the destination is up with carrier, and
// the next hop answers ARP / neighbour discovery.
import type { Check, Facts, LinkFact } from '../facts.js';
import { inPrefix, isLoopback } from '../prefix.js';
import { destName, fail, pass } from './check.js';

/** States that mean the next hop never answered after being asked. */
const UNANSWERED = new Set(['INCOMPLETE', 'FAILED']);

function usable(l: LinkFact): boolean {
  return l.up && l.carrier;
}

export function judgeLink(f: Facts): Check {
  const { dest, route, links = [], neighbour } = f;
  const to = destName(dest);
  if (route?.ok) {
    const link = links.find((l) => l.name === route.dev);
    if (route.type === 'local' || link?.loopback) return pass('link', `${to} is local to this host (dev ${route.dev})`);
    if (!link) return pass('link', `route uses ${route.dev}, which ip did not list`);
    if (!link.up) return fail('link', `${link.name} is administratively down (ip link set ${link.name} up)`, null, '#026');
    if (!link.carrier)
      return fail('link', `${link.name} is up but has no carrier: cable, peer or switch port is down`, null, '#026');
    if (!neighbour) return pass('link', `${link.name} is up with carrier`);
    const states = neighbour.states.join(',');
    if (neighbour.states.some((s) => UNANSWERED.has(s)))
      return fail(
        'link',
        `next hop ${neighbour.nextHop} on ${neighbour.dev} does not answer ${dest.family === 'ipv4' ? 'ARP' : 'neighbour discovery'} (state ${states})`,
        'EHOSTUNREACH',
        '#029',
      );
    if (neighbour.states.length === 0)
      return pass('link', `${link.name} is up with carrier; no neighbour entry for ${neighbour.nextHop} appeared (the probe may be filtered)`);
    return pass('link', `${link.name} is up with carrier; next hop ${neighbour.nextHop} is ${states}`);
  }
  // No usable route. Routes through an interface vanish when it goes down,
  // so a down interface whose network holds the destination is the cause.
  const errno = route && !route.ok ? route.errno : null;
  for (const l of links) {
    if (l.loopback || usable(l)) continue;
    const a = l.addresses.find((x) => x.family === dest.family && inPrefix(dest.address, dest.family, x.local, x.prefixlen));
    if (a)
      return fail(
        'link',
        `${l.name} is ${l.up ? 'without carrier' : 'down'}, and ${to} is on its network ${a.local}/${a.prefixlen}`,
        errno,
        '#026',
      );
  }
  const live = links.filter((l) => !l.loopback && usable(l)).map((l) => l.name);
  if (live.length === 0 && !isLoopback(dest.address, dest.family))
    return fail('link', 'no interface other than lo is up with carrier', errno, '#026');
  return pass('link', `${live.join(', ') || 'lo'} up with carrier`);
}
