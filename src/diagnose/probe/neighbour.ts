// Asking the next hop: send one datagram along the route, which makes the
// kernel resolve the next hop's hardware address, and watch the neighbour
// entry settle.
import { createSocket } from 'node:dgram';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Dest, NeighbourFact } from '../facts.js';
import { neighbourStates } from './ip-json.js';

const SETTLED = new Set(['REACHABLE', 'PERMANENT', 'NOARP']);
/** Known before, not confirmed since: the kernel waits seconds before it
 *  re-asks, so these end the wait early rather than hold it to the deadline. */
const REMEMBERED = new Set(['STALE', 'DELAY', 'PROBE']);
const POLL_MS = 100;

function nudge(dest: Dest): Promise<void> {
  return new Promise((resolve) => {
    const s = createSocket(dest.family === 'ipv4' ? 'udp4' : 'udp6');
    s.on('error', () => {
      s.close();
      resolve();
    });
    // Port 9 is "discard": an empty datagram there asks nothing of the host.
    s.send(Buffer.alloc(0), 9, dest.address, () => {
      s.close();
      resolve();
    });
  });
}

export async function probeNeighbour(dest: Dest, dev: string, nextHop: string, timeoutMs: number): Promise<NeighbourFact> {
  const start = Date.now();
  await nudge(dest);
  let states: string[] = [];
  for (;;) {
    await sleep(POLL_MS);
    const waited = Date.now() - start;
    states = await neighbourStates(nextHop, dev, Math.max(500, timeoutMs - waited));
    if (states.some((s) => SETTLED.has(s))) break;
    // FAILED right away may be left over from before the nudge.
    if (states.includes('FAILED') && waited >= 1000) break;
    if (states.some((s) => REMEMBERED.has(s)) && waited >= Math.min(1000, timeoutMs)) break;
    if (waited + POLL_MS >= timeoutMs) break;
  }
  return { nextHop, dev, states };
}
