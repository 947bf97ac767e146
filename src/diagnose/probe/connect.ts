// One TCP connection attempt with a deadline: open, refused, silent or an error.
import { connect } from 'node:net';
import type { ConnectFact, Dest } from '../facts.js';

export function probeConnect(dest: Dest, port: number, timeoutMs: number): Promise<ConnectFact> {
  return new Promise((resolve) => {
    const start = Date.now();
    const s = connect({ host: dest.address, port, family: dest.family === 'ipv4' ? 4 : 6 });
    const done = (c: ConnectFact): void => {
      clearTimeout(timer);
      s.destroy();
      resolve(c);
    };
    const timer = setTimeout(() => done({ outcome: 'timeout', ms: Date.now() - start }), timeoutMs);
    s.once('connect', () => done({ outcome: 'open', ms: Date.now() - start }));
    s.once('error', (err: NodeJS.ErrnoException) => {
      const ms = Date.now() - start;
      if (err.code === 'ECONNREFUSED') done({ outcome: 'refused', ms });
      else if (err.code === 'ETIMEDOUT') done({ outcome: 'timeout', ms });
      else done({ outcome: 'error', errno: err.code ?? 'EIO', ms });
    });
  });
}
