// Building the result of one rung.
import type { Rung } from '../../core/rung.js';
import type { Seed } from '../../core/seed.js';
import type { Check } from '../facts.js';

export function pass(rung: Rung, detail: string): Check {
  return { rung, ok: true, detail, errno: null, seed: null };
}

export function fail(rung: Rung, detail: string, errno: string | null, seed: Seed | null, reason?: string): Check {
  return reason === undefined ? { rung, ok: false, detail, errno, seed } : { rung, ok: false, detail, errno, seed, reason };
}

/** "10.0.0.2" or "nameserver 10.0.0.53" when the lower rungs are about
 *  the resolver rather than the target. */
export function destName(d: { address: string; why: 'target' | 'nameserver' }): string {
  return d.why === 'nameserver' ? `nameserver ${d.address}` : d.address;
}
