// Name resolution through the system's own path (getaddrinfo: nsswitch,
// /etc/hosts, resolv.conf), as the programs being diagnosed resolve.
//
// getaddrinfo cannot be cancelled: a lookup that hangs would keep this
// process alive long after the rung's deadline. It runs in a child process
// instead, which the deadline kills.
import { execFile } from 'node:child_process';
import type { Family } from '../../core/event.js';
import type { Resolution } from '../facts.js';

const LOOKUP = `require('node:dns').lookup(process.argv[1], { all: true }, (err, all) =>
  process.stdout.write(JSON.stringify(err ? { code: err.code } : { addresses: all })));`;

// Node names EAI_NONAME "ENOTFOUND" and EAI_NODATA "ENODATA"; the verdict
// uses the resolver's own names, which is what the article's #024 calls them.
const EAI: Readonly<Record<string, string>> = { ENOTFOUND: 'EAI_NONAME', ENODATA: 'EAI_NODATA' };

export function resolution(out: unknown, ms: number): Resolution {
  if (typeof out === 'object' && out !== null) {
    if ('code' in out && typeof out.code === 'string') return { kind: 'failed', code: EAI[out.code] ?? out.code, ms };
    if ('addresses' in out && Array.isArray(out.addresses)) {
      const addresses: { address: string; family: Family }[] = [];
      for (const a of out.addresses as { address?: unknown; family?: unknown }[])
        if (typeof a.address === 'string') addresses.push({ address: a.address, family: a.family === 6 ? 'ipv6' : 'ipv4' });
      if (addresses.length) return { kind: 'resolved', addresses, ms };
    }
  }
  return { kind: 'failed', code: 'EAI_FAIL', ms };
}

export function resolve(host: string, timeoutMs: number): Promise<Resolution> {
  const start = Date.now();
  return new Promise((done) => {
    execFile(process.execPath, ['-e', LOOKUP, host], { timeout: timeoutMs, killSignal: 'SIGKILL' }, (err, stdout) => {
      const ms = Date.now() - start;
      if (err && err.killed) return done({ kind: 'timeout', ms });
      try {
        done(resolution(JSON.parse(stdout), ms));
      } catch {
        done({ kind: 'failed', code: 'EAI_SYSTEM', ms });
      }
    });
  });
}
