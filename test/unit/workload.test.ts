import { describe, expect, it } from 'vitest';
import { workloadOf, type Workload } from '../../src/core/workload.js';

const id = 'a'.repeat(8) + '0123456789abcdef'.repeat(3) + 'b'.repeat(8);
const node = 'c'.repeat(64);
const uid = '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
const uidU = uid.replace(/-/g, '_');
const none: Workload = { unit: null, container: null, runtime: null, pod: null, qos: null };

// [path, what it says]
const cases: [string | null, Partial<Workload>][] = [
  [null, {}],
  ['/', {}],
  ['/init.scope', { unit: 'init.scope' }],
  ['/system.slice/nginx.service', { unit: 'nginx.service' }],
  ['/user.slice/user-1000.slice/session-3.scope', { unit: 'session-3.scope' }],
  ['/user.slice/user-0.slice/user@0.service/app.slice/run-u12.service', { unit: 'run-u12.service' }],
  // container runtimes, systemd driver
  [`/system.slice/docker-${id}.scope`, { container: id, runtime: 'docker' }],
  [`/system.slice/containerd.service/cri-containerd-${id}.scope`, { unit: 'containerd.service', container: id, runtime: 'containerd' }],
  [`/system.slice/crio-${id}.scope`, { container: id, runtime: 'crio' }],
  [`/system.slice/crio-conmon-${id}.scope`, {}],
  [`/machine.slice/libpod-${id}.scope`, { container: id, runtime: 'podman' }],
  [`/machine.slice/libpod-${id}.scope/container`, { container: id, runtime: 'podman' }],
  [`/machine.slice/libpod-conmon-${id}.scope`, {}],
  [`/machine.slice/libpod-${id}.scope/container/system.slice/sshd.service`, { unit: 'sshd.service', container: id, runtime: 'podman' }],
  // cgroupfs driver
  [`/docker/${id}`, { container: id, runtime: 'docker' }],
  ['/lxc.payload.web1/system.slice/ssh.service', { unit: 'ssh.service', container: 'web1', runtime: 'lxc' }],
  ['/system.slice/docker-notanid.scope', { unit: 'docker-notanid.scope' }],
  // Kubernetes, systemd driver
  [
    `/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${uidU}.slice/cri-containerd-${id}.scope`,
    { container: id, runtime: 'containerd', pod: uid, qos: 'burstable' },
  ],
  [
    `/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod${uidU}.slice/crio-${id}.scope`,
    { container: id, runtime: 'crio', pod: uid, qos: 'besteffort' },
  ],
  [`/kubepods.slice/kubepods-pod${uidU}.slice/cri-containerd-${id}.scope`, { container: id, runtime: 'containerd', pod: uid, qos: 'guaranteed' }],
  [`/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${uidU}.slice/crio-conmon-${id}.scope`, { pod: uid, qos: 'burstable' }],
  // the pod's own slice (no container yet)
  [`/kubepods.slice/kubepods-pod${uidU}.slice`, { pod: uid, qos: 'guaranteed' }],
  // Kubernetes, cgroupfs driver
  [`/kubepods/burstable/pod${uid}/${id}`, { container: id, pod: uid, qos: 'burstable' }],
  [`/kubepods/besteffort/pod${uid}/${id}`, { container: id, pod: uid, qos: 'besteffort' }],
  [`/kubepods/pod${uid}/${id}`, { container: id, pod: uid, qos: 'guaranteed' }],
  // kind: a node that is itself a Docker container, kubelet's cgroups inside it
  [
    `/docker/${node}/kubelet.slice/kubelet-kubepods.slice/kubelet-kubepods-burstable.slice/kubelet-kubepods-burstable-pod${uidU}.slice/cri-containerd-${id}.scope`,
    { container: id, runtime: 'containerd', pod: uid, qos: 'burstable' },
  ],
  // the kind node's own processes (kubelet): the node container, not a pod
  [`/docker/${node}/kubelet.slice/kubelet.service`, { unit: 'kubelet.service', container: node, runtime: 'docker' }],
  // nested containerd: a container inside a container
  [`/system.slice/docker-${node}.scope/system.slice/containerd.service/cri-containerd-${id}.scope`, { unit: 'containerd.service', container: id, runtime: 'containerd' }],
];

describe('workloadOf', () => {
  it.each(cases)('%s', (path, says) => {
    expect(workloadOf(path)).toEqual({ ...none, ...says });
  });
});
