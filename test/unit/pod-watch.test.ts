// PodWatch against an HTTPS server on loopback that speaks the API server's
// list and watch protocol: the client's side of it (credentials, node
// selector, resume, 410 Gone, errors, deleted pods) is what is under test.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inCluster } from '../../src/k8s/in-cluster.js';
import type { PodObject } from '../../src/k8s/pod.js';
import { PodWatch } from '../../src/k8s/pod-watch.js';
import { until } from '../support/wait.js';

const cid = (c: string) => c.repeat(64);
const pod = (uid: string, name: string, rv: string, container: string): PodObject => ({
  metadata: { uid, name, namespace: 'shop', resourceVersion: rv, ownerReferences: [{ kind: 'StatefulSet', name: 'db', controller: true }] },
  status: { containerStatuses: [{ name: 'main', containerID: `containerd://${cid(container)}` }] },
});

let dir: string;
let server: Server;
let port: number;
const requests: { path: string; auth: string | undefined }[] = [];
/** what the server does next, by request kind */
const script = {
  list: [] as ((res: ServerResponse) => void)[],
  watch: [] as ((res: ServerResponse) => void)[],
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'nlt-k8s-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'ca.crt')], { stdio: 'ignore' });
  writeFileSync(join(dir, 'token'), 'tok-1\n');
  server = createServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'ca.crt')) }, (req, res) => {
    requests.push({ path: req.url ?? '', auth: req.headers.authorization });
    const next = (new URL(req.url ?? '/', 'https://x').searchParams.get('watch') ? script.watch : script.list).shift();
    if (next) next(res);
    else res.writeHead(503).end('no script');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});

afterAll(() => {
  server.closeAllConnections();
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

const json = (body: unknown) => (res: ServerResponse) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));

describe('inCluster', () => {
  it('is null outside a pod, and reads the service account inside one', () => {
    expect(inCluster({}, dir)).toBeNull();
    const api = inCluster({ KUBERNETES_SERVICE_HOST: '127.0.0.1', KUBERNETES_SERVICE_PORT: String(port) }, dir)!;
    expect(api.server).toBe(`https://127.0.0.1:${port}`);
    expect(api.token()).toBe('tok-1');
    expect(inCluster({ KUBERNETES_SERVICE_HOST: 'fd00::1' }, dir)!.server).toBe('https://[fd00::1]:443');
  });

  it('names the missing service account in one line', () => {
    expect(() => inCluster({ KUBERNETES_SERVICE_HOST: '10.0.0.1' }, join(dir, 'none'))).toThrow(/^no service account in .*none \(ENOENT\)/);
  });
});

describe('PodWatch', () => {
  it('lists this node, follows the watch, lists again after 410 Gone, backs off after errors, and keeps a deleted pod a while', async () => {
    let t = 1_000_000;
    const api = inCluster({ KUBERNETES_SERVICE_HOST: '127.0.0.1', KUBERNETES_SERVICE_PORT: String(port) }, dir)!;
    const w = new PodWatch(api, { node: 'node-a', clock: () => t, backoffMs: 20, keepDeletedMs: 60_000 });
    let hold: ServerResponse | null = null;
    script.list.push(json({ metadata: { resourceVersion: '10' }, items: [pod('p1', 'db-0', '9', 'a')] }));
    script.watch.push((res) => {
      res.writeHead(200);
      res.write(`${JSON.stringify({ type: 'ADDED', object: pod('p2', 'db-1', '11', 'b') })}\n`);
      res.write(`${JSON.stringify({ type: 'BOOKMARK', object: { metadata: { resourceVersion: '12' } } })}\n`);
      hold = res;
    });
    const running = w.run();
    await until('two pods', () => (w.size === 2 ? true : undefined), 5000, 10);
    expect(w.lookup('p1', cid('a'))).toMatchObject({ pod: { name: 'db-0', namespace: 'shop', workload: 'StatefulSet/db' }, container: 'main' });
    expect(w.lookup('p2', cid('x'))).toMatchObject({ pod: { name: 'db-1' }, container: null });
    expect(w.lookup('nope', null)).toBeNull();

    // The first list and watch: the node's selector and the token.
    expect(requests[0]!.path).toBe('/api/v1/pods?fieldSelector=spec.nodeName%3Dnode-a&limit=500');
    expect(requests[1]!.path).toContain('watch=1&resourceVersion=10&allowWatchBookmarks=true');
    expect(requests.every((r) => r.auth === 'Bearer tok-1')).toBe(true);

    // The pod is deleted; the watch ends; the next one resumes from the
    // bookmark's version and is told it expired; a new list follows. The
    // token rotated meanwhile.
    writeFileSync(join(dir, 'token'), 'tok-2\n');
    script.watch.push((res) => res.writeHead(200).end(`${JSON.stringify({ type: 'ERROR', object: { code: 410, message: 'too old resource version: 13 (20)' } })}\n`));
    script.list.push((res) => res.writeHead(500).end('etcd is sad'));
    script.list.push(json({ metadata: { resourceVersion: '20' }, items: [pod('p2', 'db-1', '19', 'b'), pod('p3', 'db-2', '20', 'c')] }));
    script.watch.push((res) => {
      res.writeHead(200);
      hold = res;
    });
    hold!.end(`${JSON.stringify({ type: 'DELETED', object: pod('p1', 'db-0', '13', 'a') })}\n`);
    await until('the relist', () => (w.lookup('p3', null) ? true : undefined), 5000, 10);
    const paths = requests.map((r) => r.path.replace(/^\/api\/v1\/pods\?fieldSelector=spec.nodeName%3Dnode-a&/, ''));
    expect(paths.slice(2)).toEqual([
      'watch=1&resourceVersion=13&allowWatchBookmarks=true&timeoutSeconds=300',
      'limit=500',
      'limit=500',
      'watch=1&resourceVersion=20&allowWatchBookmarks=true&timeoutSeconds=300',
    ]);
    expect(requests.slice(2).every((r) => r.auth === 'Bearer tok-2')).toBe(true);
    expect(Object.fromEntries(w.errors)).toEqual({ expired: 1, http_500: 1 });
    expect(w.lastSyncMs).toBe(t);

    // A deleted pod is still known until keepDeletedMs has passed.
    expect(w.lookup('p1', null)?.pod.name).toBe('db-0');
    t += 61_000;
    hold!.write(`${JSON.stringify({ type: 'MODIFIED', object: pod('p3', 'db-2', '21', 'c') })}\n`);
    await until('p1 forgotten', () => (w.lookup('p1', null) === null ? true : undefined), 5000, 10);
    expect(w.size).toBe(2);

    w.stop();
    await running;
  });
});
