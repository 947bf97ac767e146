// bind_error: address in use, address not on this host, privileged port.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { py } from '../support/child.js';
import { needsBpf } from '../support/gate.js';
import { startOracle } from '../support/oracle.js';
import { closedPort } from '../support/ports.js';
import { Recorder } from '../support/recorder.js';

const NOBODY = 65534;

needsBpf('bind failures', () => {
  let rec: Recorder;
  beforeAll(() => {
    rec = new Recorder();
  });
  afterAll(async () => {
    await rec?.close();
  });

  it.each([
    { why: 'a port another process listens on', errno: 'EADDRINUSE', seed: '#027', rung: 'application', addr: '127.0.0.1', uid: undefined },
    { why: 'an address this host does not have', errno: 'EADDRNOTAVAIL', seed: null, rung: 'address', addr: '192.0.2.1', uid: undefined },
    { why: 'a privileged port without the right', errno: 'EACCES', seed: null, rung: 'application', addr: '127.0.0.1', uid: NOBODY },
  ])('reports binding to $why as $errno', async ({ errno, seed, rung, addr, uid }) => {
    const port = errno === 'EACCES' ? 81 : await closedPort();
    const holder = errno === 'EADDRINUSE' ? py(['hold', addr, port]) : undefined;
    await holder?.started();
    const child = py(['bind', addr, port], { uid });
    await child.started();
    const oracle = await startOracle(
      `tracepoint:syscalls:sys_exit_bind /pid == ${child.pid} && args->ret < 0/ { @failed = count(); }`,
    );
    expect(await child.run()).toBe(errno);
    holder?.kill();
    const seen = await rec.settle((e) => e.pid === child.pid, 1);
    const raw = await oracle.stop();

    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ event: 'bind_error', errno, seed, rung, comm: 'nlt-bind', saddr: addr, sport: port, daddr: null, dport: null });
    expect(rec.count(child.pid, 'bind_error', errno)).toBe(1);
    expect(raw['@failed']).toBe(1);
    if (holder) expect(rec.of(holder.pid)).toHaveLength(0);
  });
});
