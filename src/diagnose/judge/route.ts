// Rung 3, route: the routing table picks a usable route for the destination.
import type { Seed } from '../../core/seed.js';
import type { Check, Facts } from '../facts.js';
import { destName, fail, pass } from './check.js';

// What `ip route get` refuses with, by the kind of route that matched:
// none (ENETUNREACH), unreachable (EHOSTUNREACH), prohibit (EACCES),
// blackhole (EINVAL).
const SEED: Readonly<Record<string, Seed>> = {
  ENETUNREACH: '#026',
  EHOSTUNREACH: '#022',
  EACCES: '#022',
  EINVAL: '#022',
};

export function judgeRoute(f: Facts): Check {
  const { dest, route } = f;
  const to = destName(dest);
  if (!route) return pass('route', 'not looked up');
  if (!route.ok) return fail('route', `ip route get ${dest.address}: ${route.message}`, route.errno, SEED[route.errno] ?? '#022');
  if (route.type === 'local') return pass('route', `${to} is local (dev ${route.dev})`);
  const via = route.gateway ? `via ${route.gateway}` : 'directly connected';
  return pass('route', `${to} ${via} dev ${route.dev}${route.prefsrc ? ` src ${route.prefsrc}` : ''}`);
}
