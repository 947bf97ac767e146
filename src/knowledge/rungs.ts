// The ladder's rungs as data: what each one checks and where to look when it
// fails for a reason that has no code of its own among #021-#030.
import type { Rung } from '../core/rung.js';

export interface RungInfo {
  rung: Rung;
  /** what must hold for the rung to pass */
  checks: string;
  next: readonly string[];
}

export const RUNG_INFO: Readonly<Record<Rung, RungInfo>> = {
  link: {
    rung: 'link',
    checks: 'the interface toward the target is up with carrier, and the next hop answers ARP (IPv4) or neighbour discovery (IPv6)',
    next: ['ip -br link', 'ip neigh show NEXTHOP', 'ip -s link show DEV'],
  },
  address: {
    rung: 'address',
    checks: "that interface carries an address of the target's family",
    next: ['ip -br addr', 'ip addr show DEV'],
  },
  route: {
    rung: 'route',
    checks: 'the routing table picks a usable route (not unreachable, prohibit or blackhole) for the target',
    next: ['ip route get DEST', 'ip route show table all', 'ip rule'],
  },
  firewall: {
    rung: 'firewall',
    checks: 'no rule on this host drops or rejects the traffic, and the target answers instead of staying silent',
    next: ['nft list ruleset', 'iptables -L -nv', 'tcpdump -ni any host DEST and port PORT'],
  },
  dns: {
    rung: 'dns',
    checks: "the name resolves through the system's own configuration (nsswitch, /etc/hosts, resolv.conf)",
    next: ['getent ahosts HOST', 'dig +short HOST', 'cat /etc/resolv.conf'],
  },
  application: {
    rung: 'application',
    checks: 'a process accepts connections on the port and, for TLS, presents a certificate the client trusts',
    next: ['ss -tlnp', 'openssl s_client -connect DEST:PORT -servername HOST'],
  },
};
