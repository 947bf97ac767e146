// What a cgroup v2 path says about the workload a process belongs to: its
// systemd unit, the container a runtime made for it, and for Kubernetes the
// pod's UID and QoS class. Pure: the path is all it reads.
//
// Shapes on real hosts (<id> is 64 hex digits):
//   systemd            /system.slice/nginx.service, /user.slice/.../session-3.scope
//   Docker, systemd    /system.slice/docker-<id>.scope          (cgroupfs: /docker/<id>)
//   containerd (CRI)   .../cri-containerd-<id>.scope
//   CRI-O              .../crio-<id>.scope; crio-conmon-<id>.scope is the monitor, not the container
//   podman             /machine.slice/libpod-<id>.scope[/container]; libpod-conmon-<id>.scope likewise
//   LXC                /lxc.payload.<name>/...
//   Kubernetes, systemd driver
//     /kubepods.slice/kubepods-<qos>.slice/kubepods-<qos>-pod<uid_with_underscores>.slice/<container scope>
//     (a guaranteed pod has no QoS level: /kubepods.slice/kubepods-pod<uid>.slice/...)
//   Kubernetes, cgroupfs driver
//     /kubepods/<qos>/pod<uid-with-dashes>/<id>   (guaranteed: /kubepods/pod<uid>/<id>)
//   kind and other nested nodes prefix all of it: /docker/<node id>/kubelet.slice/kubelet-kubepods.slice/...
// The innermost container wins: in kind the node is a container too.

export type Runtime = 'docker' | 'containerd' | 'crio' | 'podman' | 'lxc';
export type Qos = 'guaranteed' | 'burstable' | 'besteffort';

export interface Workload {
  /** the innermost systemd unit that is not a runtime's container scope,
   *  e.g. "nginx.service"; null when there is none */
  unit: string | null;
  /** the innermost container: 64 hex digits, or an LXC container's name */
  container: string | null;
  runtime: Runtime | null;
  /** a Kubernetes pod's UID, in its API form (dashes) */
  pod: string | null;
  qos: Qos | null;
}

const SCOPE_RUNTIME: Record<string, Runtime> = {
  docker: 'docker',
  'cri-containerd': 'containerd',
  containerd: 'containerd',
  crio: 'crio',
  libpod: 'podman',
};
const CONTAINER_SCOPE = /^(docker|cri-containerd|containerd|crio|libpod)-([0-9a-f]{64})\.scope$/;
const MONITOR_SCOPE = /^(?:crio|libpod)-conmon-[0-9a-f]{64}\.scope$/;
const BARE_ID = /^[0-9a-f]{64}$/;
const UNIT = /\.(?:service|scope)$/;
// kubepods-burstable-pod<uid>.slice, kubelet-kubepods-pod<uid>.slice, pod<uid>
const POD_SLICE = /^(?:[a-z-]*kubepods-(?:(burstable|besteffort)-)?)?pod([0-9a-f_-]{36})(?:\.slice)?$/;
const QOS_DIR = /^(?:[a-z-]*kubepods-)?(burstable|besteffort)(?:\.slice)?$/;
const KUBEPODS = /^(?:[a-z]+-)?kubepods(?:\.slice)?$/;

export const NO_WORKLOAD: Readonly<Workload> = Object.freeze({ unit: null, container: null, runtime: null, pod: null, qos: null });

export function workloadOf(path: string | null): Workload {
  const w: Workload = { ...NO_WORKLOAD };
  if (!path) return w;
  const parts = path.split('/').filter((p) => p.length > 0);
  let inKubepods = false;
  let parent = '';
  for (const p of parts) {
    const scope = CONTAINER_SCOPE.exec(p);
    const pod = POD_SLICE.exec(p);
    if (scope) {
      w.container = scope[2]!;
      w.runtime = SCOPE_RUNTIME[scope[1]!]!;
    } else if (BARE_ID.test(p)) {
      // cgroupfs drivers: /docker/<id>, or a container directly in its pod
      w.container = p;
      w.runtime = parent === 'docker' ? 'docker' : inKubepods ? null : w.runtime;
    } else if (p.startsWith('lxc.payload.')) {
      w.container = p.slice('lxc.payload.'.length);
      w.runtime = 'lxc';
    } else if (KUBEPODS.test(p)) {
      // A new (nested) node: what was found outside it describes the node.
      inKubepods = true;
      w.pod = null;
      w.qos = null;
      w.container = null;
      w.runtime = null;
      w.unit = null;
    } else if (inKubepods && pod) {
      w.pod = pod[2]!.replace(/_/g, '-');
      w.qos = (pod[1] as Qos | undefined) ?? (w.qos === null ? 'guaranteed' : w.qos);
    } else if (inKubepods && QOS_DIR.test(p)) {
      w.qos = QOS_DIR.exec(p)![1] as Qos;
    } else if (UNIT.test(p) && !MONITOR_SCOPE.test(p)) {
      w.unit = p;
    }
    parent = p;
  }
  return w;
}
