// Host-wide TIME_WAIT count from /proc/net/sockstat. The kernel keeps one
// TIME_WAIT count per network namespace for IPv4 and IPv6 together and shows
// it as "tw" on the TCP line; sockstat6 has no such field today, but is read
// in case a kernel adds one.
import { readFileSync } from 'node:fs';

/** The "tw" figure of a sockstat file's TCP or TCP6 line, or null. */
export function parseTimeWait(text: string): number | null {
  const m = /^TCP6?:.*\btw (\d+)/m.exec(text);
  return m ? Number(m[1]) : null;
}

export function readTimeWait(dir = '/proc/net'): number | null {
  let total: number | null = null;
  for (const f of ['sockstat', 'sockstat6']) {
    let n: number | null = null;
    try {
      n = parseTimeWait(readFileSync(`${dir}/${f}`, 'utf8'));
    } catch {
      // no IPv6, or no /proc
    }
    if (n !== null) total = (total ?? 0) + n;
  }
  return total;
}
