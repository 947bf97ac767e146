// The local firewall, read from nftables (iptables-nft rules live there too).
import type { Dest, RouteFact, RulesFact } from '../facts.js';
import type { Packet } from '../nft/packet.js';
import { parseRuleset, rulesFact } from '../nft/ruleset.js';
import { run } from './run.js';

/** The SYN to the target and the answer from it, as the rules see them. */
export function packetsFor(dest: Dest, port: number | null, route: RouteFact | undefined): Packet[] {
  const ok = route?.ok ? route : null;
  const common = {
    family: dest.family,
    local: ok?.prefsrc ?? null,
    peer: dest.address,
    // the nameserver is asked over UDP or TCP, so no protocol is assumed
    peerPort: dest.why === 'nameserver' ? 53 : port,
    proto: dest.why === 'target' && port !== null ? ('tcp' as const) : null,
    dev: ok?.dev ?? null,
  };
  return [
    { ...common, dir: 'out', ct: 'new' },
    { ...common, dir: 'in', ct: 'established' },
  ];
}

export async function readRules(dest: Dest, port: number | null, route: RouteFact | undefined, timeoutMs: number): Promise<RulesFact> {
  let r;
  try {
    r = await run('nft', ['-j', 'list', 'ruleset'], timeoutMs);
  } catch {
    return { readable: false, why: 'nft is not installed' };
  }
  if (!r.ok) return { readable: false, why: `nft: ${r.stderr}` };
  try {
    return rulesFact(parseRuleset(JSON.parse(r.stdout)), packetsFor(dest, port, route));
  } catch {
    return { readable: false, why: 'nft printed no JSON' };
  }
}
