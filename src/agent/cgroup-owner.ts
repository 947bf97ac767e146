// What a cgroup v2 path says about who runs a process: the systemd unit, and
// the container id when a container runtime made the cgroup.

export interface CgroupOwner {
  /** the innermost systemd unit (.service or .scope), e.g. "nginx.service" */
  unit: string | null;
  /** a container id (64 hex digits from docker, containerd, cri-o, podman) or
   *  an LXC container name */
  container: string | null;
}

// Runtime-named scopes: docker-<id>.scope, cri-containerd-<id>.scope,
// crio-<id>.scope, libpod-<id>.scope; cgroupfs drivers use a bare <id> dir.
const SCOPED_ID = /^(?:docker|cri-containerd|crio|libpod|containerd)-([0-9a-f]{64})\.scope$/;
const BARE_ID = /^([0-9a-f]{64})$/;
const UNIT = /\.(?:service|scope)$/;

// Thousands of processes share a handful of cgroups: one frozen answer per
// path instead of one object per process. Bounded, for hosts with many.
const known = new Map<string, Readonly<CgroupOwner>>();
const KNOWN_MAX = 4096;
const NOBODY: Readonly<CgroupOwner> = Object.freeze({ unit: null, container: null });

export function cgroupOwner(path: string | null): Readonly<CgroupOwner> {
  if (!path) return NOBODY;
  let owner = known.get(path);
  if (!owner) {
    if (known.size >= KNOWN_MAX) known.clear();
    owner = Object.freeze(parse(path));
    known.set(path, owner);
  }
  return owner;
}

function parse(path: string): CgroupOwner {
  const owner: CgroupOwner = { unit: null, container: null };
  const parts = path.split('/').filter((p) => p.length > 0);
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    const scoped = SCOPED_ID.exec(p);
    const bare = BARE_ID.exec(p);
    if (scoped) owner.container = scoped[1]!;
    else if (bare) owner.container = bare[1]!;
    else if (p.startsWith('lxc.payload.')) owner.container = p.slice('lxc.payload.'.length);
    if (UNIT.test(p)) owner.unit = p;
  }
  return owner;
}

/** "docker:0123456789ab", "nginx.service" or "-": one short word for a table. */
export function ownerLabel(o: CgroupOwner): string {
  if (o.container) return /^[0-9a-f]{64}$/.test(o.container) ? o.container.slice(0, 12) : o.container;
  return o.unit ?? '-';
}
