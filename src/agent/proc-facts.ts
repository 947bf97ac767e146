// Effects: what /proc says about a process. Kept apart from the aggregator,
// which receives these functions and stays pure.
import { existsSync, readFileSync } from 'node:fs';
import type { ProcessFacts } from './aggregator.js';

/** Longer command lines are cut: the view shows a line, not a script. */
const MAX_CMDLINE = 256;

function read(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** comm, command line and cgroup v2 path, or null when the process is gone. */
export function procFacts(pid: number, root = '/proc'): ProcessFacts | null {
  const comm = read(`${root}/${pid}/comm`);
  if (comm === null) return null;
  const raw = read(`${root}/${pid}/cmdline`);
  const cmdline = raw ? raw.replace(/\0+$/, '').replaceAll('\0', ' ').slice(0, MAX_CMDLINE) : null;
  // cgroup v2 is the line "0::/path".
  const cg = read(`${root}/${pid}/cgroup`);
  const m = cg ? /^0::(\/.*)$/m.exec(cg) : null;
  return { comm: comm.trimEnd(), cmdline: cmdline || null, cgroup: m ? m[1]! : null };
}

export function isAlive(pid: number, root = '/proc'): boolean {
  return existsSync(`${root}/${pid}`);
}
