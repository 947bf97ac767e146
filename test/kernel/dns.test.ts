// dns_error: failures of the C library's resolver (getaddrinfo: glibc,
// musl, a container's own copy) and of resolvers that bypass it (Node's
// c-ares, dig, sendto-style and sendmmsg-style clients), each charged to the
// process that asked, with the name it asked for. Everything happens inside
// namespaces with a resolver of the test's own on 127.0.0.1 and [::1]: no
// query leaves them.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { NetEvent } from '../../src/core/event.js';
import { findLibraries } from '../../src/kernel/libraries.js';
import { Child, FIXTURES, PYTHON } from '../support/child.js';
import { needsBpf } from '../support/gate.js';
import { Netns } from '../support/netns.js';
import { startOracle } from '../support/oracle.js';
import { Recorder } from '../support/recorder.js';
import { sleep } from '../support/wait.js';
import { Running } from '../support/cli.js';
import { runTool } from '../support/tool.js';

/** glibc, for the oracle's uretprobe (Debian's path, not netladder's lookup). */
const LIBC = ['/usr/lib/x86_64-linux-gnu/libc.so.6', '/lib/x86_64-linux-gnu/libc.so.6'].find((p) => existsSync(p)) ?? 'libc.so.6';

/** How long a query may go unanswered before it is DNS_TIMEOUT (the agent's
 *  default is 5 s; the tests' resolvers give up sooner). */
const TIMEOUT_MS = 1500;

needsBpf('DNS failures', () => {
  let rec: Recorder;
  let ns: Netns;
  let server: Child;
  const tag = `t${process.pid}`;
  const name = (kind: string, what: string): string => `${kind}-${what}-${tag}.nlt4.test`;
  const dns = (pid: number): NetEvent[] => rec.of(pid, 'dns_error');
  /** Names the server saw asked, by its own log: the other side's view. */
  const asked = (host: string): number => server.stdout.split('\n').filter((l) => l.split(' ')[2] === host).length;

  beforeAll(async () => {
    // Rescans often, for the test of a process with a libc of its own.
    rec = new Recorder({ dnsTimeoutMs: TIMEOUT_MS, rescanMs: 300 });
    ns = Netns.create('dns', 'nlt4');
    // One try, one second: libc gives up quickly on the silent names.
    ns.resolvConf('nameserver 127.0.0.1\noptions timeout:1 attempts:1\n');
    server = new Child([PYTHON, `${FIXTURES}dns-server.py`, '127.0.0.1', '::1'], { netns: ns.name });
    await server.started();
  });
  afterAll(async () => {
    server?.kill();
    await rec?.close();
    ns?.remove();
  });

  it('getaddrinfo() (Python): one event per failed call, with the EAI name and the name asked, none for the queries libc sent', async () => {
    const names = [name('nx', 'gai'), name('fail', 'gai'), name('refused', 'gai'), name('silent', 'gai'), name('ok', 'gai')];
    const child = new Child([PYTHON, `${FIXTURES}dns-client.py`, ...names], { netns: ns.name });
    await child.started();
    const oracle = await startOracle(
      `uretprobe:${LIBC}:getaddrinfo /pid == ${child.pid}/ { @ret[(int32)retval] = count(); }`,
    );
    expect(await child.run()).toBe('EAI_NONAME,EAI_AGAIN,EAI_AGAIN,EAI_AGAIN,OK');
    // Past the timeout: the silent name's unanswered queries must not come
    // back as DNS_TIMEOUT, nor the NXDOMAIN answers as NXDOMAIN.
    await sleep(TIMEOUT_MS + 800);
    const seen = await rec.settle((e) => e.pid === child.pid, 4);
    const raw = await oracle.stop();

    expect(seen.map((e) => [e.event, e.errno, e.event === 'dns_error' ? e.host : null])).toEqual([
      ['dns_error', 'EAI_NONAME', names[0]],
      ['dns_error', 'EAI_AGAIN', names[1]],
      ['dns_error', 'EAI_AGAIN', names[2]],
      ['dns_error', 'EAI_AGAIN', names[3]],
    ]);
    for (const e of seen) {
      expect(e).toMatchObject({ pid: child.pid, tid: child.pid, comm: 'nlt4-gai', seed: '#024', rung: 'dns', daddr: null, dport: null });
    }
    expect(rec.count(child.pid, 'dns_error', 'EAI_NONAME')).toBe(1);
    expect(rec.count(child.pid, 'dns_error', 'EAI_AGAIN')).toBe(3);
    expect(raw['@ret[-2]']).toBe(1);
    expect(raw['@ret[-3]']).toBe(3);
    expect(raw['@ret[0]']).toBe(1);
    // libc did ask the server, A and AAAA for each name.
    for (const n of names) expect(asked(n)).toBe(2);
  });

  it("musl's getaddrinfo (as on Alpine): probed in musl's own C library, one event per failed call, none for its sendto() queries", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nlt4-musl-'));
    try {
      execFileSync('musl-gcc', ['-O2', '-o', join(dir, 'gai-musl'), `${FIXTURES}gai-musl.c`]);
      const names = [name('nx', 'musl'), name('fail', 'musl'), name('silent', 'musl'), name('ok', 'musl')];
      const child = new Child([join(dir, 'gai-musl'), ...names], { netns: ns.name });
      await child.started();
      expect(await child.run()).toBe('-2,-3,-3,OK'); // EAI_NONAME, EAI_AGAIN, EAI_AGAIN
      await sleep(TIMEOUT_MS + 800); // the silent name's queries must not time out as well
      const seen = await rec.settle((e) => e.pid === child.pid, 3);

      expect(seen.map((e) => [e.event, e.errno, e.event === 'dns_error' ? e.host : null])).toEqual([
        ['dns_error', 'EAI_NONAME', names[0]],
        ['dns_error', 'EAI_AGAIN', names[1]],
        ['dns_error', 'EAI_AGAIN', names[2]],
      ]);
      expect(seen.every((e) => e.comm === 'nlt4-musl' && e.tid === child.pid)).toBe(true);
      expect(rec.count(child.pid, 'dns_error', 'EAI_AGAIN')).toBe(2);
      // musl asked for A and AAAA of each name, and asked again twice on
      // SERVFAIL: six answers, one event.
      expect(names.map(asked)).toEqual([2, 6, 2, 2]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('getent and curl, through getaddrinfo: the failed name, charged to the tool (curl resolves on a thread of its own)', async () => {
    const getent = await runTool(['getent', 'ahosts', name('nx', 'getent')], { netns: ns.name });
    const curl = await runTool(['curl', '-sS', '--max-time', '5', `http://${name('fail', 'curl')}:8080/`], { netns: ns.name });
    expect(getent.code).toBe(2); // "key could not be found"
    expect(curl.code).toBe(6); // "could not resolve host"
    await rec.settle((e) => e.pid === getent.pid || e.pid === curl.pid, 2);

    expect(dns(getent.pid)).toHaveLength(1);
    expect(dns(getent.pid)[0]).toMatchObject({ errno: 'EAI_NONAME', comm: 'getent', host: name('nx', 'getent'), tid: getent.pid });
    expect(dns(curl.pid)).toHaveLength(1);
    expect(dns(curl.pid)[0]).toMatchObject({ errno: 'EAI_AGAIN', comm: 'curl', host: name('fail', 'curl') });
    expect(dns(curl.pid)[0]!.tid).not.toBe(curl.pid);
    expect(rec.count(getent.pid, 'dns_error', 'EAI_NONAME')).toBe(1);
    expect(rec.count(curl.pid, 'dns_error', 'EAI_AGAIN')).toBe(1);
    expect(rec.of(getent.pid).length + rec.of(curl.pid).length).toBe(2);
  });

  it("Node's dns.resolve4 (c-ares, not libc): NXDOMAIN, SERVFAIL, REFUSED from the answers, DNS_TIMEOUT for the query nobody answered", async () => {
    const names = [name('nx', 'ares'), name('fail', 'ares'), name('refused', 'ares'), name('silent', 'ares'), name('ok', 'ares')];
    const child = new Child([process.execPath, `${FIXTURES}dns-resolve.mjs`, 'resolve', '127.0.0.1', ...names], { netns: ns.name });
    await child.started();
    const oracle = await startOracle(
      `tracepoint:syscalls:sys_exit_recvfrom /pid == ${child.pid} && args->ret > 0/ { @answers = count(); }`,
    );
    expect(await child.run()).toBe('ENOTFOUND,ESERVFAIL,EREFUSED,ETIMEOUT,OK');
    const seen = await rec.settle((e) => e.pid === child.pid, 4, TIMEOUT_MS + 5000);
    const raw = await oracle.stop();

    expect(seen.map((e) => [e.errno, e.event === 'dns_error' ? e.host : null])).toEqual([
      ['NXDOMAIN', names[0]],
      ['SERVFAIL', names[1]],
      ['REFUSED', names[2]],
      ['DNS_TIMEOUT', names[3]],
    ]);
    for (const e of seen) {
      expect(e).toMatchObject({ event: 'dns_error', comm: 'node', family: 'ipv4', daddr: '127.0.0.1', dport: 53, saddr: '127.0.0.1', seed: '#024', rung: 'dns' });
      expect(e.sport).toBeGreaterThan(0);
    }
    for (const errno of ['NXDOMAIN', 'SERVFAIL', 'REFUSED', 'DNS_TIMEOUT']) expect(rec.count(child.pid, 'dns_error', errno)).toBe(1);
    // Four answers came back (the silent name had none), one query each.
    expect(raw['@answers']).toBe(4);
    for (const n of names) expect(asked(n)).toBe(1);
  });

  it("Node's dns.lookup goes through getaddrinfo on libuv's thread pool: EAI_NONAME for the node process", async () => {
    const n = name('nx', 'lookup');
    const child = new Child([process.execPath, `${FIXTURES}dns-resolve.mjs`, 'lookup', '127.0.0.1', n], { netns: ns.name });
    await child.started();
    expect(await child.run()).toBe('ENOTFOUND');
    const seen = await rec.settle((e) => e.pid === child.pid, 1);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ event: 'dns_error', errno: 'EAI_NONAME', host: n, pid: child.pid });
    expect(seen[0]!.tid).not.toBe(child.pid);
    expect(rec.count(child.pid, 'dns_error', 'EAI_NONAME')).toBe(1);
  });

  it('dig, over IPv4 and IPv6: the answer’s RCODE, and one DNS_TIMEOUT per query never answered', async () => {
    const digs = [
      { server: '127.0.0.1', host: name('nx', 'dig'), errno: 'NXDOMAIN', family: 'ipv4', queries: 1 },
      { server: '::1', host: name('fail', 'dig6'), errno: 'SERVFAIL', family: 'ipv6', queries: 1 },
      { server: '127.0.0.1', host: name('silent', 'dig'), errno: 'DNS_TIMEOUT', family: 'ipv4', queries: 2 },
      { server: '127.0.0.1', host: name('ok', 'dig'), errno: null, family: 'ipv4', queries: 1 },
    ];
    const runs: Awaited<ReturnType<typeof runTool>>[] = [];
    for (const d of digs) {
      // +tries=2 on the silent name: dig sends a second query (a new socket)
      // when the first goes unanswered; each is one timeout.
      const tries = d.errno === 'DNS_TIMEOUT' ? 2 : 1;
      runs.push(await runTool(['dig', `@${d.server}`, d.host, 'A', `+tries=${tries}`, '+timeout=1'], { netns: ns.name }));
    }
    await rec.settle((e) => runs.some((r) => r.pid === e.pid), 3, TIMEOUT_MS + 5000);
    await sleep(TIMEOUT_MS);

    for (const [i, d] of digs.entries()) {
      const r = runs[i]!;
      const seen = dns(r.pid);
      expect(asked(d.host), d.host).toBe(d.queries);
      if (d.errno === null) {
        expect(r.stdout).toContain('status: NOERROR');
        expect(rec.of(r.pid)).toHaveLength(0);
        continue;
      }
      expect(seen, d.host).toHaveLength(d.queries);
      // dig does its network work on a thread it names isc-net-NNNN.
      for (const e of seen) {
        expect(e).toMatchObject({ errno: d.errno, host: d.host, family: d.family, daddr: d.server, dport: 53, pid: r.pid });
        expect(e.comm).toMatch(/^(dig|isc-)/);
      }
      expect(new Set(seen.map((e) => e.sport)).size).toBe(d.queries);
      expect(rec.count(r.pid, 'dns_error', d.errno)).toBe(d.queries);
    }
  });

  it('an unconnected socket with sendto/recvfrom (as musl and dnspython resolve): the same answers and timeouts, with the server from sendto', async () => {
    const names = [name('nx', 'sendto'), name('fail', 'sendto'), name('refused', 'sendto'), name('silent', 'sendto'), name('ok', 'sendto')];
    const child = new Child([PYTHON, `${FIXTURES}dns-sendto.py`, '127.0.0.1', ...names], { netns: ns.name });
    await child.started();
    expect(await child.run()).toBe('NXDOMAIN,SERVFAIL,REFUSED,TIMEOUT,NOERROR');
    const seen = await rec.settle((e) => e.pid === child.pid, 4, TIMEOUT_MS + 5000);

    expect(seen.map((e) => [e.errno, e.event === 'dns_error' ? e.host : null])).toEqual([
      ['NXDOMAIN', names[0]],
      ['SERVFAIL', names[1]],
      ['REFUSED', names[2]],
      ['DNS_TIMEOUT', names[3]],
    ]);
    const sport = seen[0]!.sport;
    for (const e of seen) {
      expect(e).toMatchObject({ event: 'dns_error', comm: 'nlt4-sendto', pid: child.pid, tid: child.pid, family: 'ipv4', daddr: '127.0.0.1', dport: 53 });
      expect(e.sport).toBe(sport); // one socket for every query
    }
    for (const errno of ['NXDOMAIN', 'SERVFAIL', 'REFUSED', 'DNS_TIMEOUT']) expect(rec.count(child.pid, 'dns_error', errno)).toBe(1);
  });

  it('queries batched in one sendmmsg() and answers taken by one recvmmsg() (as glibc batches them): each message read as itself', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nlt4-mmsg-'));
    try {
      execFileSync('cc', ['-O2', '-o', join(dir, 'dns-mmsg'), `${FIXTURES}dns-mmsg.c`]);
      const names = [name('nx', 'mm'), name('ok', 'mm'), name('fail', 'mm'), name('silent', 'mm'), name('refused', 'mm')];
      const child = new Child([join(dir, 'dns-mmsg'), '127.0.0.1', ...names], { netns: ns.name });
      await child.started();
      expect(await child.run()).toBe('NXDOMAIN,NOERROR,SERVFAIL,TIMEOUT,REFUSED');
      const seen = await rec.settle((e) => e.pid === child.pid, 4, TIMEOUT_MS + 5000);

      // Were the messages not told apart, every event would carry the
      // first message's name, and the answered queries would time out.
      expect(seen.map((e) => [e.errno, e.event === 'dns_error' ? e.host : null])).toEqual([
        ['NXDOMAIN', names[0]],
        ['SERVFAIL', names[2]],
        ['REFUSED', names[4]],
        ['DNS_TIMEOUT', names[3]],
      ]);
      for (const e of seen) expect(e).toMatchObject({ comm: 'nlt4-mmsg', daddr: '127.0.0.1', dport: 53 });
      // Several answers did come in one recvmmsg() call.
      expect(Number(/^batch (\d+)$/m.exec(child.stdout)?.[1])).toBeGreaterThanOrEqual(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('`netladder watch --json --event dns_error --errno NXDOMAIN,REFUSED`: the contract’s fields, then host; other errors filtered out', async () => {
    const names = [name('nx', 'cli'), name('fail', 'cli'), name('refused', 'cli')];
    const child = new Child([process.execPath, `${FIXTURES}dns-resolve.mjs`, 'resolve', '127.0.0.1', ...names], { netns: ns.name });
    await child.started();
    const watch = new Running(['watch', '--json', '--event', 'dns_error', '--errno', 'NXDOMAIN,REFUSED', '--pid', String(child.pid)]);
    await watch.said(/watching/);
    expect(await child.run()).toBe('ENOTFOUND,ESERVFAIL,EREFUSED');
    const deadline = Date.now() + 5000;
    while (watch.stdout.split('\n').filter(Boolean).length < 2 && Date.now() < deadline) await sleep(50);
    await sleep(300);
    expect(await watch.stop('SIGINT')).toBe(0);

    const lines = watch.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((e) => [e.errno, e.host])).toEqual([
      ['NXDOMAIN', names[0]],
      ['REFUSED', names[2]],
    ]);
    for (const e of lines) {
      expect(Object.keys(e)).toEqual(['time', 'event', 'errno', 'pid', 'tid', 'comm', 'cgroup', 'family', 'saddr', 'sport', 'daddr', 'dport', 'seed', 'rung', 'host']);
      expect(e).toMatchObject({ event: 'dns_error', pid: child.pid, comm: 'node', daddr: '127.0.0.1', dport: 53, seed: '#024', rung: 'dns' });
    }
    // The exit summary counts all three, filtered or not: counts are the
    // kernel's (for every process, so at least these three).
    expect(Number(/dns_error (\d+)/.exec(watch.stderr)?.[1])).toBeGreaterThanOrEqual(3);
  });

  it('a storm of answered queries (hundreds of thousands a second, racing the timeout sweep) makes no DNS_TIMEOUT and no error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nlt4-storm-'));
    try {
      execFileSync('cc', ['-O2', '-o', join(dir, 'udp-storm'), fileURLToPath(new URL('../../bench/udp-storm.c', import.meta.url))]);
      // Its own namespace: the storm binds port 53 itself.
      const stormNs = Netns.create('dnsstorm', 'nlt4');
      try {
        const run = await runTool([join(dir, 'udp-storm'), '53', '2'], { netns: stormNs.name });
        expect(run.code, run.stderr).toBe(0);
        const rounds = Number(run.stdout.split(' ')[0]);
        expect(rounds).toBeGreaterThan(10_000);
        // Several sweeps after the last query.
        await sleep(TIMEOUT_MS * 2);
        expect(rec.of(run.pid)).toHaveLength(0);
        expect(rec.count(run.pid, 'dns_error', 'DNS_TIMEOUT')).toBe(0);
      } finally {
        stormNs.remove();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the resolver itself (answering from port 53, unconnected) is never taken for a client', () => {
    expect(rec.of(server.pid)).toHaveLength(0);
  });

  it('a process in a mount namespace of its own with its own copy of libc (as in a container) is found through /proc/<pid>/root and probed', async () => {
    const libc = findLibraries()['libc.so.6']!;
    const dir = mkdtempSync(join(tmpdir(), 'nlt4-libc-'));
    try {
      copyFileSync(libc, join(dir, 'libc.so.6'));
      const names = [name('nx', 'box'), name('fail', 'box')];
      const child = new Child(
        ['unshare', '--mount', '--propagation', 'private', 'sh', '-c',
          `mount --bind ${dir}/libc.so.6 ${libc} && exec ${PYTHON} ${FIXTURES}dns-client.py ${names.join(' ')}`],
        { netns: ns.name },
      );
      await child.started();
      const inside = `/proc/${child.pid}/root${libc}`;
      // Its libc is another file: the host's uprobes do not cover it.
      expect(statSync(inside).ino).not.toBe(statSync(libc).ino);
      const deadline = Date.now() + 10_000;
      const probed = () => rec.programs().some((p) => p.hook === `uretprobe:${inside}:getaddrinfo` && p.attached);
      while (!probed() && Date.now() < deadline) await sleep(50);
      expect(probed()).toBe(true);

      expect(await child.run()).toBe('EAI_NONAME,EAI_AGAIN');
      const seen = await rec.settle((e) => e.pid === child.pid, 2);
      // Reported by its own libc's getaddrinfo, once each; the answers on
      // the wire are not reported again.
      expect(seen.map((e) => [e.errno, e.event === 'dns_error' ? e.host : null])).toEqual([
        ['EAI_NONAME', names[0]],
        ['EAI_AGAIN', names[1]],
      ]);
      expect(seen.every((e) => e.comm === 'nlt4-gai')).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('lost nothing', () => {
    expect(rec.losses()).toEqual({ ringbufFull: 0, rateLimited: 0, counterFull: 0, dnsPendingFull: 0 });
  });
});
