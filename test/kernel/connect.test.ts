// connect_error and syn_retransmit: every way a connect fails, synchronous
// and asynchronous, each charged to the process that made it.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { nodeConnect, py } from '../support/child.js';
import { expectedRefused } from '../support/events.js';
import { needsBpf } from '../support/gate.js';
import { Netns, vethPair } from '../support/netns.js';
import { startOracle } from '../support/oracle.js';
import { closedPort } from '../support/ports.js';
import { Recorder } from '../support/recorder.js';

needsBpf('connect failures', () => {
  let rec: Recorder;
  const spaces: Netns[] = [];
  beforeAll(() => {
    rec = new Recorder();
  });
  afterAll(async () => {
    await rec?.close();
    for (const ns of spaces) ns.remove();
  });

  it('a refused blocking connect on loopback is one event, charged to its process', async () => {
    const port = await closedPort();
    const child = py(['connect', '127.0.0.1', port, 5]);
    await child.started();
    const oracle = await startOracle(
      `tracepoint:syscalls:sys_exit_connect /pid == ${child.pid} && args->ret == -111/ { @refused = count(); }`,
    );
    expect(await child.run()).toBe('ECONNREFUSED,ECONNREFUSED,ECONNREFUSED,ECONNREFUSED,ECONNREFUSED');
    const seen = await rec.settle((e) => e.pid === child.pid, 5);
    const raw = await oracle.stop();

    expect(seen).toHaveLength(5);
    for (const e of seen) {
      expect(e).toMatchObject({ ...expectedRefused(child.pid, port, 'nlt-connect'), async: false });
    }
    expect(rec.count(child.pid, 'connect_error', 'ECONNREFUSED')).toBe(5);
    expect(raw['@refused']).toBe(5);
    // The kernel answered each SYN with a reset; on loopback that is the
    // same failure, already reported once, with the caller's pid.
    expect(rec.where((e) => e.event === 'reset_sent' && e.sport === port)).toHaveLength(0);
  });

  it('an asynchronous ECONNREFUSED (non-blocking connect, as Node makes it) is one event for the connecting process', async () => {
    const port = await closedPort();
    const child = nodeConnect('127.0.0.1', port, 4);
    await child.started();
    const oracle = await startOracle(
      `tracepoint:sock:inet_sk_error_report /args->error == 111 && args->dport == ${port}/ { @reports = count(); }`,
    );
    expect(await child.run()).toBe('ECONNREFUSED,ECONNREFUSED,ECONNREFUSED,ECONNREFUSED');
    const seen = await rec.settle((e) => e.pid === child.pid, 4);
    const raw = await oracle.stop();

    expect(seen).toHaveLength(4);
    for (const e of seen) {
      expect(e).toMatchObject({ event: 'connect_error', errno: 'ECONNREFUSED', comm: 'node', dport: port, async: true });
    }
    expect(rec.count(child.pid, 'connect_error', 'ECONNREFUSED')).toBe(4);
    expect(raw['@reports']).toBe(4);
  });

  it('IPv6: refused connects to [::1], blocking and non-blocking, carry IPv6 addresses', async () => {
    const port = await closedPort();
    const blocking = py(['connect', '::1', port, 2]);
    const async_ = nodeConnect('::1', port, 2);
    await Promise.all([blocking.started(), async_.started()]);
    expect(await blocking.run()).toBe('ECONNREFUSED,ECONNREFUSED');
    expect(await async_.run()).toBe('ECONNREFUSED,ECONNREFUSED');
    await rec.settle((e) => e.pid === blocking.pid || e.pid === async_.pid, 4);
    for (const [child, async] of [
      [blocking, false],
      [async_, true],
    ] as const) {
      const seen = rec.of(child.pid);
      expect(seen).toHaveLength(2);
      for (const e of seen) {
        expect(e).toMatchObject({ event: 'connect_error', errno: 'ECONNREFUSED', family: 'ipv6', daddr: '::1', dport: port, async });
      }
    }
  });

  it('a connect refused by another host: the client sees ECONNREFUSED, the host that refused sends a reset no process owns', async () => {
    const client = Netns.create('rstc');
    const server = Netns.create('rsts');
    spaces.push(client, server);
    vethPair(client, 'nlt2', server, 'nlt3');
    client.ip('addr', 'add', '10.213.11.1/24', 'dev', 'nlt2');
    server.ip('addr', 'add', '10.213.11.2/24', 'dev', 'nlt3');
    const child = py(['connect', '10.213.11.2', 7070, 3], { netns: client.name });
    await child.started();
    const oracle = await startOracle(
      `tracepoint:tcp:tcp_send_reset /args->saddr[2] * 256 + args->saddr[3] == 7070/ { @sent = count(); }`,
    );
    expect(await child.run()).toBe('ECONNREFUSED,ECONNREFUSED,ECONNREFUSED');
    await rec.settle((e) => e.pid === child.pid || (e.event === 'reset_sent' && e.sport === 7070), 6);
    const raw = await oracle.stop();

    expect(rec.of(child.pid, 'connect_error')).toHaveLength(3);
    const resets = rec.where((e) => e.event === 'reset_sent' && e.sport === 7070);
    expect(resets).toHaveLength(3);
    for (const e of resets) {
      expect(e).toMatchObject({ pid: 0, comm: null, saddr: '10.213.11.2', daddr: '10.213.11.1', reason: 'NO_SOCKET', seed: '#021' });
    }
    expect(rec.count(0, 'reset_sent')).toBeGreaterThanOrEqual(3);
    expect(raw['@sent']).toBe(3);
  });

  it('a destination with no route fails synchronously with ENETUNREACH', async () => {
    const ns = Netns.create('noroute');
    spaces.push(ns);
    const blocking = py(['connect', '10.213.7.1', 80, 2], { netns: ns.name });
    const async_ = nodeConnect('10.213.7.1', 80, 3, { netns: ns.name });
    await Promise.all([blocking.started(), async_.started()]);
    const oracle = await startOracle(
      `tracepoint:syscalls:sys_exit_connect /(pid == ${blocking.pid} || pid == ${async_.pid}) && args->ret == -101/ { @unreach = count(); }`,
    );
    expect(await blocking.run()).toBe('ENETUNREACH,ENETUNREACH');
    expect(await async_.run()).toBe('ENETUNREACH,ENETUNREACH,ENETUNREACH');
    await rec.settle((e) => e.pid === blocking.pid || e.pid === async_.pid, 5);
    const raw = await oracle.stop();

    for (const [child, n] of [
      [blocking, 2],
      [async_, 3],
    ] as const) {
      const seen = rec.of(child.pid);
      expect(seen).toHaveLength(n);
      expect(seen.every((e) => e.event === 'connect_error' && e.errno === 'ENETUNREACH')).toBe(true);
      expect(seen.every((e) => e.daddr === '10.213.7.1' && e.dport === 80 && e.seed === '#026' && e.rung === 'route')).toBe(true);
      expect(rec.count(child.pid, 'connect_error', 'ENETUNREACH')).toBe(n);
    }
    expect(raw['@unreach']).toBe(5);
  });

  it('a SYN dropped by a firewall retransmits, then times out with ETIMEDOUT, blocking and non-blocking', async () => {
    const ns = Netns.create('drop');
    spaces.push(ns);
    // One retransmit: the connect gives up after 1 s + 2 s.
    ns.sysctl('net.ipv4.tcp_syn_retries', '1');
    ns.exec('iptables', '-A', 'INPUT', '-p', 'tcp', '--dport', '9', '-j', 'DROP');
    const blocking = py(['connect', '127.0.0.1', 9, 1], { netns: ns.name });
    const async_ = nodeConnect('127.0.0.1', 9, 1, { netns: ns.name });
    await Promise.all([blocking.started(), async_.started()]);
    const oracle = await startOracle(
      `tracepoint:tcp:tcp_retransmit_skb /args->state == 2 && args->dport == 9/ { @retransmits[args->sport] = count(); }
       tracepoint:sock:inet_sk_error_report /args->error == 110 && args->dport == 9/ { @timeouts = count(); }`,
    );
    const [b, a] = await Promise.all([blocking.run(), async_.run()]);
    expect([b, a]).toEqual(['ETIMEDOUT', 'ETIMEDOUT']);
    await rec.settle((e) => (e.pid === blocking.pid || e.pid === async_.pid) && e.event === 'connect_error', 2);
    const raw = await oracle.stop();

    for (const child of [blocking, async_]) {
      const errors = rec.of(child.pid, 'connect_error');
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ errno: 'ETIMEDOUT', seed: '#023', rung: 'firewall', daddr: '127.0.0.1', dport: 9 });
      // How many SYNs go out before giving up depends on timer rounding:
      // hold each process's count to what bpftrace saw for its port.
      const retrans = rec.of(child.pid, 'syn_retransmit');
      expect(retrans.length).toBeGreaterThanOrEqual(1);
      expect(retrans.every((e) => e.errno === null && e.seed === '#023' && e.dport === 9)).toBe(true);
      const sport = retrans[0]!.sport;
      expect(retrans.every((e) => e.sport === sport)).toBe(true);
      expect(raw[`@retransmits[${sport}]`]).toBe(retrans.length);
      expect(rec.count(child.pid, 'syn_retransmit')).toBe(retrans.length);
    }
    // The retransmits fire from a timer: whatever task they interrupted, the
    // owner is the connecting process, as the per-port checks above show.
    expect(raw['@timeouts']).toBe(2);
  });

  it('an ARP failure gives EHOSTUNREACH seconds later from softirq, charged to the connecting process, with the neighbour', async () => {
    const a = Netns.create('arpa');
    const b = Netns.create('arpb');
    spaces.push(a, b);
    vethPair(a, 'nlt0', b, 'nlt1');
    a.ip('addr', 'add', '10.213.9.1/24', 'dev', 'nlt0');
    // Nobody holds 10.213.9.77: resolution fails after two probes 300 ms apart.
    a.sysctl('net.ipv4.neigh.nlt0.mcast_solicit', '2');
    a.sysctl('net.ipv4.neigh.nlt0.retrans_time_ms', '300');
    const child = py(['connect', '10.213.9.77', 80, 1], { netns: a.name });
    await child.started();
    const oracle = await startOracle(
      `tracepoint:neigh:neigh_timer_handler /args->nud_state == 0x20 && str(args->dev) == "nlt0"/ { @failed = count(); }
       tracepoint:sock:inet_sk_error_report /args->error == 113 && args->dport == 80/ { @unreach = count(); @ctx[comm] = count(); }`,
    );
    expect(await child.run()).toBe('EHOSTUNREACH');
    await rec.settle((e) => e.pid === child.pid, 2);
    const raw = await oracle.stop();

    const errors = rec.of(child.pid, 'connect_error');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ errno: 'EHOSTUNREACH', comm: 'nlt-connect', daddr: '10.213.9.77', dport: 80 });
    const neigh = rec.of(child.pid, 'neighbour_failed');
    expect(neigh).toHaveLength(1);
    expect(neigh[0]).toMatchObject({ daddr: '10.213.9.77', dev: 'nlt0', seed: '#029', rung: 'link', comm: 'nlt-connect' });
    expect(rec.where((e) => e.event === 'neighbour_failed' && e.dev === 'nlt0')).toHaveLength(1);
    expect(raw['@failed']).toBe(1);
    expect(raw['@unreach']).toBe(1);
  });

  it('ephemeral port exhaustion shows as connect_error EADDRNOTAVAIL', async () => {
    const ns = Netns.create('ports');
    spaces.push(ns);
    ns.sysctl('net.ipv4.ip_local_port_range', '40000 40001');
    const child = py(['exhaust', '127.0.0.1', 5000, 2], { netns: ns.name });
    await child.started();
    const oracle = await startOracle(
      `tracepoint:syscalls:sys_exit_connect /pid == ${child.pid} && args->ret == -99/ { @notavail = count(); }`,
    );
    expect(await child.run()).toBe('EADDRNOTAVAIL');
    const seen = await rec.settle((e) => e.pid === child.pid && e.event === 'connect_error', 1);
    const raw = await oracle.stop();
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ errno: 'EADDRNOTAVAIL', seed: '#028', daddr: '127.0.0.1', dport: 5000, comm: 'nlt-exhaust' });
    expect(rec.count(child.pid, 'connect_error', 'EADDRNOTAVAIL')).toBe(1);
    expect(raw['@notavail']).toBe(1);
  });

  it('lost nothing', () => {
    expect(rec.losses()).toEqual({ ringbufFull: 0, rateLimited: 0, counterFull: 0, dnsPendingFull: 0 });
  });
});
