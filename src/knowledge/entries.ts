// The ten errors of the article (#021-#030) as data, in the project's own
// words: explain prints them; diagnose and top quote their next commands.
// Seeds, their rungs and which errno is which seed are core's (core/seed.ts,
// core/ladder.ts); test/unit/vocabulary.test.ts holds these entries to them.
//
// Commands carry placeholders in capitals (HOST, DEST, PORT, DEV, NEXTHOP,
// SERVICE, USER); diagnose and top fill in the ones they know (see fill.ts).
import type { Rung } from '../core/rung.js';
import type { Seed } from '../core/seed.js';
import type { HabitId } from './habits.js';

export interface Entry {
  seed: Seed;
  title: string;
  /** the symbolic error a program sees, or null when the failure is not an errno */
  errno: string | null;
  /** other names the same failure goes by (resolver codes, Node and OpenSSL codes) */
  aliases: readonly string[];
  rung: Rung;
  meaning: string;
  /** the usual reason, in one sentence */
  cause: string;
  causes: readonly string[];
  next: readonly string[];
  /** extra words a person may search for */
  words: readonly string[];
  habits: readonly HabitId[];
}

export const ENTRIES: readonly Entry[] = [
  {
    seed: '#021',
    title: 'Connection refused',
    errno: 'ECONNREFUSED',
    aliases: [],
    rung: 'application',
    meaning: 'The target host answered the connection attempt with a TCP reset: the packet arrived, but nothing took the connection.',
    cause: 'No process listens on that port at that address.',
    causes: [
      'the service is stopped or has crashed',
      'the service listens on loopback only (127.0.0.1 or ::1) instead of every address',
      'the service listens on the other address family (IPv4 only while the client uses IPv6, or the reverse)',
      'a firewall rule answers with a reject instead of dropping',
    ],
    next: ['ss -tlnp', "ss -tlnp 'sport = :PORT'", 'journalctl -u SERVICE -n 50'],
    words: ['rst', 'reset', 'listen', 'listening', 'closed', 'port', 'daemon'],
    habits: ['refused-vs-timeout'],
  },
  {
    seed: '#022',
    title: 'No route to host',
    errno: 'EHOSTUNREACH',
    aliases: [],
    rung: 'route',
    meaning: 'No usable path leads to the destination host: the local routing table, or a router on the way, has nothing for it.',
    cause: 'No routing entry covers the destination, or a router along the path reported the host unreachable.',
    causes: [
      'no route for the destination and no default gateway',
      'a route of type unreachable or prohibit matches it',
      'a router upstream sent back ICMP host unreachable (a firewall rejecting with host-prohibited does the same)',
      'a routing protocol (BGP, OSPF) withdrew the prefix',
    ],
    next: ['ip route get DEST', 'ip route show table all', 'ip route show default', 'ip rule'],
    words: ['route', 'routing', 'gateway', 'unreachable', 'host', 'bgp', 'ospf', 'icmp'],
    habits: ['walk-the-ladder'],
  },
  {
    seed: '#023',
    title: 'Connection timed out',
    errno: 'ETIMEDOUT',
    aliases: [],
    rung: 'firewall',
    meaning: 'The connection attempt went out and nothing came back before the timeout. A refusal is an answer; this is silence.',
    cause: 'Something discards the packets without a word: a firewall here or upstream, a peer that is down, or replies lost on another path.',
    causes: [
      'a firewall rule, local or upstream, drops the SYN or its reply',
      'the peer host is down or too busy to answer',
      'asymmetric routing: replies return by a path that discards them',
    ],
    next: ['tcpdump -ni any host DEST and port PORT', 'iptables -L -nv', 'nft list ruleset', 'ip route get DEST'],
    words: ['timeout', 'timed', 'time', 'drop', 'dropped', 'hang', 'hangs', 'syn', 'firewall', 'silent', 'slow'],
    habits: ['refused-vs-timeout', 'packet-capture'],
  },
  {
    seed: '#024',
    title: 'Name or service not known',
    errno: 'EAI_NONAME',
    aliases: ['NXDOMAIN', 'ENOTFOUND', 'EAI_AGAIN', 'EAI_NODATA', 'EAI_FAIL', 'SERVFAIL'],
    rung: 'dns',
    meaning: 'The name could not be turned into an address, so no packet ever went to the target.',
    cause: 'The resolver reported that the name does not exist (NXDOMAIN), or no nameserver gave an answer.',
    causes: [
      'a typo in the name, or a search domain that does not apply',
      '/etc/resolv.conf points at a nameserver that is down or cannot be reached',
      'the order in /etc/nsswitch.conf, or a stale line in /etc/hosts, gives a different result than DNS',
      'the record is gone, or exists only for the other address family',
    ],
    next: ['dig +short HOST', 'getent ahosts HOST', 'cat /etc/resolv.conf', 'resolvectl status', 'grep HOST /etc/hosts'],
    words: ['dns', 'resolve', 'resolver', 'resolution', 'lookup', 'nameserver', 'hostname', 'name', 'domain'],
    habits: ['isolate-dns'],
  },
  {
    seed: '#025',
    title: 'TLS certificate verify failed',
    errno: null,
    aliases: [
      'CERT_HAS_EXPIRED',
      'CERT_NOT_YET_VALID',
      'ERR_TLS_CERT_ALTNAME_INVALID',
      'DEPTH_ZERO_SELF_SIGNED_CERT',
      'SELF_SIGNED_CERT_IN_CHAIN',
      'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
      'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
    ],
    rung: 'application',
    meaning: 'The connection itself worked, but the client turned down the certificate the server showed in the TLS handshake.',
    cause: 'The certificate has expired, names a different host, or comes from an authority this client does not trust.',
    causes: [
      'the certificate has expired, or is not valid yet',
      'the host name is not among the names in the certificate (CN or SAN mismatch)',
      'a self-signed certificate, or a private CA missing from the trust store',
      'the system clock is far off, as on a freshly cloned virtual machine',
    ],
    next: [
      'openssl s_client -connect DEST:PORT -servername HOST -showcerts </dev/null',
      'openssl s_client -connect DEST:PORT -servername HOST </dev/null 2>/dev/null | openssl x509 -noout -subject -enddate',
      'date -u',
      'update-ca-certificates',
    ],
    words: ['ssl', 'tls', 'certificate', 'cert', 'https', 'expired', 'handshake', 'ca', 'x509', 'verify', 'trust'],
    habits: ['walk-the-ladder'],
  },
  {
    seed: '#026',
    title: 'Network is unreachable',
    errno: 'ENETUNREACH',
    aliases: [],
    rung: 'route',
    meaning: "The local routing table has no entry for the destination's network, so the kernel refused to send anything.",
    cause: 'No route and no default gateway for that address family, often because the interface is down or lacks an address.',
    causes: [
      'the interface is down, and its routes went with it',
      'the interface has no address of that family (an IPv6 target on an IPv4-only host, say)',
      'there is no default route',
      'a wrong or missing VLAN interface',
    ],
    next: ['ip -br addr', 'ip link set DEV up', 'ip route get DEST', 'ip route show default'],
    words: ['network', 'unreachable', 'interface', 'down', 'default', 'gateway', 'vlan', 'route'],
    habits: ['walk-the-ladder'],
  },
  {
    seed: '#027',
    title: 'Address already in use',
    errno: 'EADDRINUSE',
    aliases: [],
    rung: 'application',
    meaning: 'A program tried to bind a port (with its address) that another socket already holds.',
    cause: 'Another process, or an older instance of the same one, still owns the port.',
    causes: [
      'a second copy of the service, or the previous one has not exited yet',
      'another program is configured for the same port',
      'a quick restart while old connections linger, without SO_REUSEADDR',
    ],
    next: ["ss -tlnp 'sport = :PORT'", "ss -ulnp 'sport = :PORT'", 'systemctl status SERVICE'],
    words: ['bind', 'port', 'busy', 'reuseaddr', 'so_reuseaddr', 'listen', 'use', 'taken'],
    habits: ['socket-summary'],
  },
  {
    seed: '#028',
    title: 'Too many TIME_WAIT sockets',
    errno: 'EADDRNOTAVAIL',
    aliases: ['TIME_WAIT', 'TIMEWAIT'],
    rung: 'application',
    meaning:
      'Every closed connection lingers in TIME_WAIT for a while; a client that opens and closes many connections to one place runs out of local ports, and new connects fail with EADDRNOTAVAIL.',
    cause: 'Connections are opened and closed faster than their TIME_WAIT sockets expire, exhausting the ephemeral ports.',
    causes: [
      'no connection reuse: a new connection per request',
      'a narrow ephemeral port range',
      'many clients behind one address talking to one server port',
    ],
    next: ['ss -s', 'ss -tan state time-wait | wc -l', 'sysctl net.ipv4.ip_local_port_range net.ipv4.tcp_tw_reuse'],
    words: ['time_wait', 'timewait', 'ephemeral', 'ports', 'exhausted', 'exhaustion', 'pooling', 'pool', 'keepalive'],
    habits: ['socket-summary'],
  },
  {
    seed: '#029',
    title: 'ARP resolution failed',
    errno: 'EHOSTUNREACH',
    aliases: ['ARP', 'NDP', 'INCOMPLETE'],
    rung: 'link',
    meaning:
      "The next hop sits on a directly attached network but never answered the kernel's ARP (IPv4) or neighbour discovery (IPv6) request, so there is no hardware address to send to.",
    cause: 'The next hop (the gateway, or the target itself) is down, sits on another VLAN, or its switch port is misconfigured.',
    causes: [
      'the next hop is powered off or its interface is down',
      'a wrong address: nothing on that segment owns it',
      'a VLAN or switch port mismatch keeps the two apart',
      'a stale neighbour entry that points at an old hardware address',
    ],
    next: ['ip neigh show NEXTHOP', 'ip neigh flush dev DEV', 'tcpdump -ni DEV arp or icmp6', 'ip -d link show DEV'],
    words: ['arp', 'neighbour', 'neighbor', 'neigh', 'mac', 'layer', 'l2', 'incomplete', 'vlan', 'switch', 'link'],
    habits: ['packet-capture'],
  },
  {
    seed: '#030',
    title: 'ssh: Permission denied (publickey)',
    errno: null,
    aliases: ['PUBLICKEY'],
    rung: 'application',
    meaning: 'The SSH server turned down every key the client offered; the network did its part.',
    cause: "None of the offered keys is in the server's authorized_keys for that user, or sshd ignores the file because of its permissions.",
    causes: [
      "the public key is missing from the user's ~/.ssh/authorized_keys on the server",
      'permissions too open: sshd wants ~/.ssh at 700 and authorized_keys at 600',
      'the client offers another key than expected (agent, IdentityFile)',
      'the wrong user name',
    ],
    next: ['ssh -vvv USER@HOST', 'ssh-keygen -lf ~/.ssh/id_ed25519.pub', 'ls -ld ~/.ssh ~/.ssh/authorized_keys', 'journalctl -u ssh -n 50'],
    words: ['ssh', 'sshd', 'key', 'keys', 'permission', 'denied', 'authorized_keys', 'login', 'auth'],
    habits: [],
  },
];

const BY_SEED = new Map<Seed, Entry>(ENTRIES.map((e) => [e.seed, e]));

export function entryFor(seed: Seed): Entry {
  const e = BY_SEED.get(seed);
  // Seed is a closed type and the table covers it; a miss is a bug here.
  if (!e) throw new Error(`knowledge base has no entry for ${seed}`);
  return e;
}
