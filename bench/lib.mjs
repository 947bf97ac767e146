// What every bench script needs: the storm programs built, a port nobody
// listens on, a median.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import net from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const here = dirname(fileURLToPath(import.meta.url));

/** Compiles bench/NAME.c into bench/tmp/NAME for each name; returns the paths. */
export function compile(...names) {
  mkdirSync(join(here, 'tmp'), { recursive: true });
  mkdirSync(join(here, 'results'), { recursive: true });
  return names.map((name) => {
    const out = join(here, 'tmp', name);
    execFileSync('cc', ['-O2', '-o', out, join(here, `${name}.c`)]);
    return out;
  });
}

/** A loopback TCP port that nothing listens on right now. */
export async function closedPort() {
  const s = net.createServer();
  await new Promise((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address();
  await new Promise((r) => s.close(r));
  return port;
}

export function median(xs) {
  const v = [...xs].sort((a, b) => a - b);
  return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
}
