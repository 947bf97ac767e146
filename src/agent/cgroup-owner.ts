// The workload of a process's cgroup, cached by path: thousands of processes
// share a handful of cgroups, so one frozen answer per path instead of one
// object per process. The parsing itself is pure, in core/workload.ts.
import { NO_WORKLOAD, workloadOf, type Workload } from '../core/workload.js';

export type CgroupOwner = Workload;

const known = new Map<string, Readonly<Workload>>();
const KNOWN_MAX = 4096;

export function cgroupOwner(path: string | null): Readonly<Workload> {
  if (!path) return NO_WORKLOAD;
  let owner = known.get(path);
  if (!owner) {
    if (known.size >= KNOWN_MAX) known.clear();
    owner = Object.freeze(workloadOf(path));
    known.set(path, owner);
  }
  return owner;
}

/** "0123456789ab" (a container's short id), "nginx.service" or "-": one
 *  short word for a table. */
export function ownerLabel(o: Pick<Workload, 'unit' | 'container'>): string {
  if (o.container) return /^[0-9a-f]{64}$/.test(o.container) ? o.container.slice(0, 12) : o.container;
  return o.unit ?? '-';
}
