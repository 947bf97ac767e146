// Owners bound to the socket's lifetime, with servers that were running
// before netladder started. Ground truth: the servers' and clients' own
// logs and return codes, and nstat in the test's namespace.
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { until } from '../support/wait.js';
import { Child, FIXTURES, PYTHON } from '../support/child.js';
import { needsBpf } from '../support/gate.js';
import { Netns } from '../support/netns.js';
import { nstat } from '../support/nstat.js';
import { Recorder } from '../support/recorder.js';
import { runTool } from '../support/tool.js';

function servers(ns: Netns, ...args: (string | number)[]): Child {
  return new Child([PYTHON, `${FIXTURES}servers.py`, ...args.map(String)], { netns: ns.name });
}

/** (child pid, peer port) as the pre-fork server's children logged them. */
function accepted(server: Child): Map<number, number> {
  const byPort = new Map<number, number>();
  for (const m of server.stdout.matchAll(/^accepted (\d+) (\d+)$/gm)) byPort.set(Number(m[2]), Number(m[1]));
  return byPort;
}

/** The children of `pid`, from ps. */
function runPs(pid: number): number[] {
  try {
    return execFileSync('ps', ['--ppid', String(pid), '-o', 'pid='], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number);
  } catch {
    return []; // none yet
  }
}

needsBpf('owners of sockets that predate netladder', () => {
  let ns: Netns;
  const recorders: Recorder[] = [];
  beforeAll(() => {
    ns = Netns.create('own');
  });
  afterAll(async () => {
    for (const r of recorders) await r.close();
    ns?.remove();
  });
  const recorder = () => {
    const r = new Recorder();
    recorders.push(r);
    return r;
  };

  it('resets of connections queued on a listener older than netladder say pid 0, never a process that exited', async () => {
    const port = 7301;
    const pending = servers(ns, 'pending', port);
    await pending.started();
    // Sockets come and go, before netladder and while it runs, from
    // processes that are gone by the time the failures happen.
    const churnBefore = servers(ns, 'churn', '127.0.0.1', 7302, 10000);
    await churnBefore.started();
    await churnBefore.run(60_000);
    const rec = recorder();
    const churnAfter = servers(ns, 'churn', '127.0.0.1', 7302, 10000);
    await churnAfter.started();
    await churnAfter.run(60_000);
    const clients = servers(ns, 'clients', port, 10);
    const clientPorts = (await clients.started()).split(',').map(Number);

    const before = nstat(ns, 'TcpOutRsts').TcpOutRsts;
    await pending.run();
    expect(await clients.run()).toBe(Array(10).fill('ECONNRESET').join(','));
    // The listener's queued connections have lost their port when they
    // reset; they are known by the peer's.
    const sent = await rec.settle((e) => e.event === 'reset_sent' && clientPorts.includes(e.dport!), 10);
    const resets = nstat(ns, 'TcpOutRsts').TcpOutRsts - before;

    expect(resets).toBe(10);
    expect(sent).toHaveLength(10);
    for (const e of sent) expect(e).toMatchObject({ pid: 0, comm: null, daddr: '127.0.0.1' });
    const received = rec.of(clients.pid, 'reset_received');
    expect(received).toHaveLength(10);
    for (const e of received) expect(e).toMatchObject({ comm: 'nlt-clients', dport: port });
    // The churn is charged only what it did while it lived: its refused connects.
    expect(rec.of(churnBefore.pid)).toHaveLength(0);
    expect(rec.where((e) => e.pid === churnAfter.pid && e.event !== 'connect_error')).toHaveLength(0);
    expect(rec.count(churnAfter.pid, 'connect_error', 'ECONNREFUSED')).toBe(10000);
  });

  for (const when of ['after', 'before'] as const) {
    it(`a pre-fork server started ${when} netladder: each TIME_WAIT is charged to the child that accepted and closed it`, async () => {
      const port = when === 'after' ? 7311 : 7312;
      let rec = when === 'after' ? recorder() : undefined;
      const server = servers(ns, 'prefork', port, 4);
      const [, ...children] = (await server.started()).split(' ').map(Number);
      // Connections made (and accepted) before netladder starts too.
      const early = servers(ns, 'requests', port, 8);
      const earlyPorts = (await early.started()).split(',').map(Number);
      rec ??= recorder();
      const late = servers(ns, 'requests', port, 8);
      const latePorts = (await late.started()).split(',').map(Number);
      await early.run();
      await late.run();
      const ports = [...earlyPorts, ...latePorts];
      const seen = await rec.settle((e) => e.event === 'time_wait' && e.sport === port, ports.length);
      const tw = ns.exec('ss', '-Htn', 'state', 'time-wait', `sport = :${port}`).trim().split('\n').filter(Boolean);
      await server.run();

      const log = accepted(server);
      expect([...log.keys()].sort(), server.stdout).toEqual([...ports].sort());
      expect(new Set(log.values()).size).toBeGreaterThan(1);
      expect(tw).toHaveLength(ports.length);
      expect(seen).toHaveLength(ports.length);
      // Every connection was closed after netladder started, by the child
      // that accepted it, whenever it was accepted.
      for (const e of seen) {
        expect(children).toContain(log.get(e.dport!));
        expect(e).toMatchObject({ pid: log.get(e.dport!), comm: 'nlt-worker', daddr: '127.0.0.1' });
      }
      expect(rec.of(server.pid, 'time_wait')).toHaveLength(0);
    });
  }

  it('nginx from Debian, started before netladder, closing idle keep-alive connections: each TIME_WAIT is charged to the worker that served it', async () => {
    const port = 7321;
    const dir = mkdtempSync(join(tmpdir(), 'nlt-nginx-'));
    const conf = join(dir, 'nginx.conf');
    // $pid in the access log is the worker that served the request: the
    // server's own word on who held each connection.
    writeFileSync(
      conf,
      `worker_processes 2;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log;
events { worker_connections 64; }
http {
  log_format who '$pid $remote_port';
  access_log ${dir}/access.log who;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  keepalive_timeout 1s;
  server { listen 127.0.0.1:${port}; location / { return 200 "ok\\n"; } }
}
`,
    );
    const master = spawn('ip', ['netns', 'exec', ns.name, 'nginx', '-p', dir, '-c', conf], { stdio: 'ignore' });
    const exited = once(master, 'exit');
    try {
      const workers = await until('nginx workers', () => {
        const pids = runPs(master.pid!);
        return pids.length === 2 ? pids : undefined;
      });
      const rec = recorder();
      // One request every 2 s on a keep-alive connection: nginx closes each
      // idle one after 1 s, except the last, which curl closes on exit.
      const urls = [1, 2, 3].map((i) => `http://127.0.0.1:${port}/${i}`);
      const runs = await Promise.all([0, 1, 2].map(() => runTool(['curl', '-sS', '--rate', '30/m', ...urls], { netns: ns.name })));
      for (const r of runs) expect(r.stdout).toBe('ok\n'.repeat(3));
      const tw = ns.exec('ss', '-Htn', 'state', 'time-wait', `sport = :${port}`).trim().split('\n').filter(Boolean);
      const seen = await rec.settle((e) => e.event === 'time_wait' && e.sport === port, tw.length);

      const served = new Map<number, number>();
      for (const m of readFileSync(join(dir, 'access.log'), 'utf8').matchAll(/^(\d+) (\d+)$/gm)) served.set(Number(m[2]), Number(m[1]));
      expect(served.size).toBe(9);
      expect(tw).toHaveLength(6);
      expect(seen).toHaveLength(6);
      for (const e of seen) {
        expect(workers).toContain(e.pid);
        expect(e).toMatchObject({ pid: served.get(e.dport!), comm: 'nginx', daddr: '127.0.0.1' });
      }
      expect(rec.of(master.pid!)).toHaveLength(0);
    } finally {
      master.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('lost nothing', () => {
    for (const r of recorders) expect(r.losses()).toEqual({ ringbufFull: 0, rateLimited: 0, counterFull: 0, dnsPendingFull: 0 });
  });
});
