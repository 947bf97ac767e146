// A cap on the exporter's connections. At the cap a new connection does not
// wait its turn: the connection that has been quiet longest (no request in
// progress, least recently used) is closed to make room, so idle or
// half-open clients cannot crowd out a scrape. Only when every connection
// is in the middle of a request is the newcomer the one closed.
import type { Socket } from 'node:net';

interface Conn {
  socket: Socket;
  busy: number;
}

export class Connections {
  // Map order is the eviction order: a connection moves to the end each time
  // a request on it finishes, and leaves while a request is in progress.
  private readonly quiet = new Map<string, Conn>();
  private readonly all = new Map<string, Conn>();
  evicted = 0;

  constructor(readonly cap: number) {}

  get size(): number {
    return this.all.size;
  }

  /** A TLS socket and the TCP socket under it share this key. */
  private static key(s: Socket): string | undefined {
    return s.remoteAddress === undefined ? undefined : `${s.remoteAddress}|${s.remotePort}`;
  }

  /** A new TCP connection; false if it was closed for lack of room. */
  admit(socket: Socket): boolean {
    const key = Connections.key(socket);
    if (key === undefined) {
      socket.destroy();
      return false;
    }
    if (this.all.size >= this.cap) {
      const [oldest] = this.quiet.values();
      if (!oldest) {
        socket.destroy();
        return false;
      }
      this.drop(oldest);
      oldest.socket.destroy();
      this.evicted++;
    }
    const c: Conn = { socket, busy: 0 };
    this.all.set(key, c);
    this.quiet.set(key, c);
    socket.once('close', () => {
      if (this.all.get(key) === c) this.drop(c, key);
    });
    return true;
  }

  /** A request began on this socket (the TCP one or the TLS one over it). */
  began(socket: Socket): void {
    const key = Connections.key(socket);
    const c = key === undefined ? undefined : this.all.get(key);
    if (!c || key === undefined) return;
    c.busy++;
    this.quiet.delete(key);
  }

  ended(socket: Socket): void {
    const key = Connections.key(socket);
    const c = key === undefined ? undefined : this.all.get(key);
    if (!c || key === undefined) return;
    c.busy = Math.max(0, c.busy - 1);
    if (c.busy === 0 && !c.socket.destroyed) this.quiet.set(key, c);
  }

  private drop(c: Conn, key = Connections.key(c.socket)): void {
    if (key === undefined) return;
    this.all.delete(key);
    this.quiet.delete(key);
  }
}
