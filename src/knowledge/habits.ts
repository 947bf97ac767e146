// The working habits the article closes with, as data: `explain` prints the
// ones that bear on an error, and diagnose follows them in its order.

export const HABITS = {
  'isolate-dns':
    'Separate name resolution from connectivity: if the address works and the name does not, the fault is DNS, not the network.',
  'packet-capture':
    'Believe a packet capture (tcpdump -ni any port PORT) over any theory: it shows what really leaves and what really comes back.',
  'walk-the-ladder':
    'Climb the ladder in order (link, address, route, firewall, DNS, application) and stop at the first rung that fails.',
  'refused-vs-timeout':
    'Refused and timed out are different answers: refused means the host replied that nothing listens; timed out means packets vanished (dropped by a firewall, or the peer is gone).',
  'socket-summary': 'ss -s gives the socket states at a glance: established, TIME_WAIT, orphaned, per protocol.',
} as const;

export type HabitId = keyof typeof HABITS;
