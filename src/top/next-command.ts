// The command to run next for a failure: the knowledge base's list for its
// code, choosing the first command whose blanks this event can fill (the
// most specific one), else the first that needs none.
import { hostOf, type NetEvent } from '../core/event.js';
import { entryFor } from '../knowledge/entries.js';
import { fill, hasBlank, type Blanks } from '../knowledge/fill.js';

function blanksOf(e: NetEvent): Blanks {
  const b: Blanks = {};
  const host = hostOf(e) || e.daddr;
  if (host) b.HOST = host;
  if (e.daddr) b.DEST = e.daddr;
  // A failed bind is about our own port; everything else about the peer's.
  const port = e.event === 'bind_error' ? e.sport : e.dport;
  if (port) b.PORT = String(port);
  if (e.event === 'neighbour_failed') {
    if (e.dev) b.DEV = e.dev;
    if (e.daddr) b.NEXTHOP = e.daddr;
  }
  return b;
}

export function nextCommand(e: NetEvent): string {
  if (e.seed) {
    const blanks = blanksOf(e);
    const next = entryFor(e.seed).next;
    const specific = next.find((c) => hasBlank(c) && !hasBlank(fill(c, blanks)));
    const plain = next.find((c) => !hasBlank(c));
    const chosen = specific ?? plain ?? next[0];
    if (chosen) return fill(chosen, blanks);
  }
  if (e.event === 'reset_received' && e.daddr) {
    return `tcpdump -ni any host ${e.daddr}${e.dport ? ` and port ${e.dport}` : ''} and 'tcp[tcpflags] & tcp-rst != 0'`;
  }
  return `netladder explain ${e.errno ?? e.event}`;
}
