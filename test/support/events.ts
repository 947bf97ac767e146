// Events as tests feed them and expect them back. Most tests make one kind of
// failure, a refused connect, and say only how theirs differs.
import type { NetEvent } from '../../src/core/event.js';

/** A refused loopback connect, as the capture hands it on, with `over`. */
export function refusedEvent(over: Partial<NetEvent> = {}): NetEvent {
  return {
    time: '2024-01-01T00:00:00.000Z',
    event: 'connect_error',
    errno: 'ECONNREFUSED',
    async: false,
    pid: 5,
    tid: 5,
    comm: 'c',
    cgroup: null,
    family: 'ipv4',
    saddr: '127.0.0.1',
    sport: 40000,
    daddr: '127.0.0.1',
    dport: 8080,
    seed: '#021',
    rung: 'application',
    ...over,
  } as NetEvent;
}

/** What a refused IPv4 connect from `pid` to 127.0.0.1:`port` must be
 *  reported as, for toMatchObject. */
export function expectedRefused(pid: number, port: number, comm: string) {
  return {
    event: 'connect_error',
    errno: 'ECONNREFUSED',
    pid,
    tid: pid,
    comm,
    family: 'ipv4',
    daddr: '127.0.0.1',
    dport: port,
    seed: '#021',
    rung: 'application',
  } as const;
}
