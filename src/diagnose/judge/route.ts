// Rung 3, route: the routing table picks a usable route for the destination.
import { connectSeed } from '../../core/ladder.js';
import type { Check, Facts } from '../facts.js';
import { destName, fail, pass } from './check.js';

// `ip route get` refuses with what a connect along that route would get, by
// the type of route that matched: none (ENETUNREACH, #026), unreachable
// (EHOSTUNREACH), prohibit (EACCES) or blackhole (EINVAL). The last two
// have no code of their own: a route that leads nowhere is #022.

export function judgeRoute(f: Facts): Check {
  const { dest, route } = f;
  const to = destName(dest);
  if (!route) return pass('route', 'not looked up');
  if (!route.ok) return fail('route', `ip route get ${dest.address}: ${route.message}`, route.errno, connectSeed(route.errno) ?? '#022');
  if (route.type === 'local') return pass('route', `${to} is local (dev ${route.dev})`);
  const via = route.gateway ? `via ${route.gateway}` : 'directly connected';
  return pass('route', `${to} ${via} dev ${route.dev}${route.prefsrc ? ` src ${route.prefsrc}` : ''}`);
}
