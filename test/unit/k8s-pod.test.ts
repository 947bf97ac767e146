import { describe, expect, it } from 'vitest';
import { podInfo, workloadOf, type PodObject } from '../../src/k8s/pod.js';

const id = (c: string) => c.repeat(64);
const pod = (name: string, owner?: [string, string], labels: Record<string, string> = {}): PodObject => ({
  metadata: { uid: 'u1', name, namespace: 'shop', labels, ...(owner ? { ownerReferences: [{ kind: owner[0], name: owner[1], controller: true }] } : {}) },
});

describe('workloadOf (a pod)', () => {
  const cases: [string, PodObject, string][] = [
    ['a Deployment, through its ReplicaSet', pod('web-7d4b9c-x2x', ['ReplicaSet', 'web-7d4b9c'], { 'pod-template-hash': '7d4b9c' }), 'Deployment/web'],
    ['a ReplicaSet made by hand (no template hash in its name)', pod('rs-abcde', ['ReplicaSet', 'rs']), 'ReplicaSet/rs'],
    ['a StatefulSet', pod('db-0', ['StatefulSet', 'db']), 'StatefulSet/db'],
    ['a DaemonSet', pod('agent-q8z', ['DaemonSet', 'agent']), 'DaemonSet/agent'],
    ['a Job', pod('migrate-x', ['Job', 'migrate']), 'Job/migrate'],
    ['a CronJob, through the Job named by its scheduled minute', pod('backup-29400000-x', ['Job', 'backup-29400000']), 'CronJob/backup'],
    ['a pod nothing controls', pod('debug'), 'Pod/debug'],
    ['a static pod, owned by its Node', pod('etcd-node1', ['Node', 'node1']), 'Node/node1'],
  ];
  it.each(cases)('%s', (_what, p, want) => {
    expect(workloadOf(p)).toBe(want);
  });

  it('prefers the controller among several owners', () => {
    const p = pod('x');
    p.metadata!.ownerReferences = [
      { kind: 'ConfigMap', name: 'c' },
      { kind: 'StatefulSet', name: 'db', controller: true },
    ];
    expect(workloadOf(p)).toBe('StatefulSet/db');
  });
});

describe('podInfo', () => {
  it('maps container ids of every runtime to names, init and ephemeral containers too', () => {
    const p = pod('web-1', ['StatefulSet', 'web']);
    p.status = {
      containerStatuses: [
        { name: 'app', containerID: `containerd://${id('a')}` },
        { name: 'sidecar', containerID: `cri-o://${id('b')}` },
        { name: 'waiting' }, // not started: no id yet
      ],
      initContainerStatuses: [{ name: 'init', containerID: `docker://${id('c')}` }],
      ephemeralContainerStatuses: [{ name: 'debugger', containerID: `containerd://${id('d')}` }],
    };
    const info = podInfo(p)!;
    expect(info).toMatchObject({ uid: 'u1', namespace: 'shop', name: 'web-1', workload: 'StatefulSet/web' });
    expect([...info.containers]).toEqual([
      [id('a'), 'app'],
      [id('b'), 'sidecar'],
      [id('c'), 'init'],
      [id('d'), 'debugger'],
    ]);
  });

  it.each([
    ['no metadata', {}],
    ['no uid', { metadata: { name: 'x', namespace: 'y' } }],
    ['no namespace', { metadata: { name: 'x', uid: 'u' } }],
  ] as [string, PodObject][])('is null for a pod with %s', (_w, p) => {
    expect(podInfo(p)).toBeNull();
  });
});
