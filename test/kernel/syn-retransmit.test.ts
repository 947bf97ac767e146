// syn_retransmit counts SYNs that left the host again, as the kernel's own
// TcpExtTCPSynRetrans does: a SYN held back while its neighbour is being
// resolved was never sent twice, though the tracepoint fires for it.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { py } from '../support/child.js';
import { needsBpf } from '../support/gate.js';
import { Netns, vethPair } from '../support/netns.js';
import { nstat } from '../support/nstat.js';
import { startOracle } from '../support/oracle.js';
import { Recorder } from '../support/recorder.js';

needsBpf('SYN retransmits', () => {
  let rec: Recorder;
  const spaces: Netns[] = [];
  beforeAll(() => {
    rec = new Recorder();
  });
  afterAll(async () => {
    await rec?.close();
    for (const ns of spaces) ns.remove();
  });

  /** A namespace whose only link leads to a peer that answers nothing. */
  function silentLink(tag: string, dev: string, peer: string, net: string): Netns {
    const a = Netns.create(`${tag}a`);
    const b = Netns.create(`${tag}b`);
    spaces.push(a, b);
    vethPair(a, dev, b, peer);
    a.ip('addr', 'add', `${net}.1/24`, 'dev', dev);
    return a;
  }

  it('while ARP goes unanswered no SYN leaves again: no syn_retransmit, one neighbour_failed, one EHOSTUNREACH', async () => {
    // Default neighbour timing (3 probes, 1 s apart) outlasts the first SYN
    // retransmit timers, so the kernel tries, and finds the SYN still queued.
    const ns = silentLink('arpq', 'nlt4', 'nlt5', '10.213.13');
    const child = py(['connect', '10.213.13.77', 80, 1], { netns: ns.name });
    await child.started();
    const oracle = await startOracle(
      `tracepoint:tcp:tcp_retransmit_skb /args->state == 2 && args->dport == 80/ { @tries[args->err] = count(); }`,
    );
    expect(await child.run()).toBe('EHOSTUNREACH');
    await rec.settle((e) => e.pid === child.pid && e.event === 'connect_error', 1);
    const raw = await oracle.stop();
    const kernel = nstat(ns, 'TcpExtTCPSynRetrans', 'TcpExtTCPSpuriousRtxHostQueues', 'TcpAttemptFails');

    // The set-up did what it must: retransmits were tried, none was sent.
    expect(raw['@tries[-16]']).toBeGreaterThanOrEqual(1);
    expect(raw['@tries[0]'] ?? 0).toBe(0);
    expect(kernel.TcpExtTCPSynRetrans).toBe(0);
    expect(kernel.TcpExtTCPSpuriousRtxHostQueues).toBe(raw['@tries[-16]']);

    expect(rec.of(child.pid, 'syn_retransmit')).toHaveLength(0);
    expect(rec.count(child.pid, 'syn_retransmit')).toBe(kernel.TcpExtTCPSynRetrans);
    expect(rec.of(child.pid, 'neighbour_failed')).toHaveLength(1);
    expect(rec.of(child.pid, 'connect_error')).toHaveLength(1);
    expect(rec.of(child.pid, 'connect_error')[0]).toMatchObject({ errno: 'EHOSTUNREACH', daddr: '10.213.13.77', dport: 80 });
    expect(kernel.TcpAttemptFails).toBe(1);
  });

  it('to a neighbour that resolves to a MAC nobody has, every retransmit leaves: syn_retransmit == TcpExtTCPSynRetrans', async () => {
    const ns = silentLink('ghost', 'nlt6', 'nlt7', '10.213.14');
    ns.ip('neigh', 'add', '10.213.14.77', 'lladdr', '02:00:5e:13:14:77', 'dev', 'nlt6', 'nud', 'permanent');
    // Two retransmits, 1 s and 2 s apart, then ETIMEDOUT at about 7 s.
    ns.sysctl('net.ipv4.tcp_syn_retries', '2');
    const child = py(['connect', '10.213.14.77', 80, 1], { netns: ns.name });
    await child.started();
    const oracle = await startOracle(
      `tracepoint:tcp:tcp_retransmit_skb /args->state == 2 && args->dport == 80/ { @tries[args->err] = count(); }`,
    );
    expect(await child.run()).toBe('ETIMEDOUT');
    await rec.settle((e) => e.pid === child.pid && e.event === 'connect_error', 1);
    const raw = await oracle.stop();
    const kernel = nstat(ns, 'TcpExtTCPSynRetrans', 'TcpAttemptFails');

    expect(kernel.TcpExtTCPSynRetrans).toBeGreaterThanOrEqual(1);
    expect(raw['@tries[0]']).toBe(kernel.TcpExtTCPSynRetrans);
    const retrans = rec.of(child.pid, 'syn_retransmit');
    expect(retrans).toHaveLength(kernel.TcpExtTCPSynRetrans);
    expect(retrans.every((e) => e.daddr === '10.213.14.77' && e.dport === 80 && e.comm === 'nlt-connect')).toBe(true);
    expect(rec.count(child.pid, 'syn_retransmit')).toBe(kernel.TcpExtTCPSynRetrans);
    expect(rec.of(child.pid, 'connect_error')).toHaveLength(1);
    expect(rec.of(child.pid, 'connect_error')[0]).toMatchObject({ errno: 'ETIMEDOUT' });
    expect(kernel.TcpAttemptFails).toBe(1);
  });

  it('lost nothing', () => {
    expect(rec.losses()).toEqual({ ringbufFull: 0, rateLimited: 0, counterFull: 0, dnsPendingFull: 0 });
  });
});
