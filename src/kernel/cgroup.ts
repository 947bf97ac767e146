// cgroup v2 id -> path. The id the kernel reports is the inode number of the
// cgroup's directory under /sys/fs/cgroup.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Where cgroup v2 is mounted: /sys/fs/cgroup on unified hosts,
 *  /sys/fs/cgroup/unified on hybrid ones; null without cgroup v2. */
export function cgroup2Root(mounts = '/proc/self/mounts'): string | null {
  try {
    for (const line of readFileSync(mounts, 'utf8').split('\n')) {
      const [, dir, type] = line.split(' ');
      if (type === 'cgroup2' && dir) return dir;
    }
  } catch {
    // no /proc: no cgroup paths
  }
  return null;
}

export class CgroupPaths {
  private byId = new Map<number, string>();
  private lastScan = 0;

  constructor(
    private readonly root = cgroup2Root(),
    private readonly minRescanMs = 1000,
  ) {}

  /** Path relative to the cgroup root ("/system.slice/ssh.service"), or
   *  null when the cgroup is gone or cgroup v2 is not mounted. */
  path(id: number): string | null {
    const hit = this.byId.get(id);
    if (hit !== undefined) return hit;
    const now = Date.now();
    // A miss rescans, but not more than once per interval: a storm from a
    // cgroup that has already disappeared must not walk the tree each time.
    if (now - this.lastScan < this.minRescanMs) return null;
    this.lastScan = now;
    this.scan();
    return this.byId.get(id) ?? null;
  }

  private scan(): void {
    if (!this.root) return;
    const walk = (dir: string, rel: string, depth: number): void => {
      try {
        this.byId.set(statSync(dir).ino, rel || '/');
        if (depth > 16) return;
        for (const d of readdirSync(dir, { withFileTypes: true })) {
          if (d.isDirectory()) walk(join(dir, d.name), `${rel}/${d.name}`, depth + 1);
        }
      } catch {
        // cgroups come and go while we walk; skip the ones that went
      }
    };
    walk(this.root, '', 0);
  }
}
