// What the Kubernetes API says about a pod, reduced to what a failure's labels
// need: its namespace and name, the workload that owns it, and its containers'
// names by container id. Pure.

/** The fields of a v1 Pod this reads; everything else is ignored. */
export interface PodObject {
  metadata?: {
    uid?: string;
    name?: string;
    namespace?: string;
    resourceVersion?: string;
    labels?: Record<string, string>;
    ownerReferences?: { kind?: string; name?: string; controller?: boolean }[];
  };
  status?: {
    containerStatuses?: ContainerStatus[];
    initContainerStatuses?: ContainerStatus[];
    ephemeralContainerStatuses?: ContainerStatus[];
  };
}

interface ContainerStatus {
  name?: string;
  /** "containerd://<id>", "cri-o://<id>", "docker://<id>" */
  containerID?: string;
}

export interface PodInfo {
  uid: string;
  namespace: string;
  name: string;
  /** "Deployment/web", "StatefulSet/db", "DaemonSet/agent", "Job/backup-28391",
   *  "CronJob/backup", or "Pod/<name>" for a pod nothing controls */
  workload: string;
  /** container name by container id (64 hex digits) */
  containers: Map<string, string>;
}

const CONTAINER_ID = /^[a-z-]+:\/\/([0-9a-f]{64})$/;
// A CronJob names its Jobs <cronjob>-<minutes since the epoch>.
const CRONJOB_JOB = /^(.+)-\d{8,}$/;

/** The controller that owns the pod, walking the steps Kubernetes hides
 *  from a pod, so that a workload's label does not change with each rollout
 *  or run: a ReplicaSet made by a Deployment is named <deployment>-<the
 *  pod-template-hash label>, and a Job made by a CronJob is named
 *  <cronjob>-<scheduled minute> (a Job made by hand with such a name is
 *  counted under the CronJob's name too). */
export function workloadOf(pod: PodObject): string {
  const meta = pod.metadata ?? {};
  const refs = meta.ownerReferences ?? [];
  const owner = refs.find((r) => r.controller) ?? refs[0];
  if (!owner?.kind || !owner.name) return `Pod/${meta.name ?? ''}`;
  if (owner.kind === 'ReplicaSet') {
    const hash = meta.labels?.['pod-template-hash'];
    if (hash && owner.name.endsWith(`-${hash}`)) return `Deployment/${owner.name.slice(0, -hash.length - 1)}`;
  }
  if (owner.kind === 'Job') {
    const cron = CRONJOB_JOB.exec(owner.name);
    if (cron) return `CronJob/${cron[1]}`;
  }
  return `${owner.kind}/${owner.name}`;
}

export function podInfo(pod: PodObject): PodInfo | null {
  const meta = pod.metadata;
  if (!meta?.uid || !meta.name || !meta.namespace) return null;
  const containers = new Map<string, string>();
  const s = pod.status ?? {};
  for (const c of [...(s.containerStatuses ?? []), ...(s.initContainerStatuses ?? []), ...(s.ephemeralContainerStatuses ?? [])]) {
    const id = CONTAINER_ID.exec(c.containerID ?? '')?.[1];
    if (id && c.name) containers.set(id, c.name);
  }
  return { uid: meta.uid, namespace: meta.namespace, name: meta.name, workload: workloadOf(pod), containers };
}
