// time_wait: the side that closes first keeps TIME_WAIT. On loopback the
// client enters it while the kernel handles the server's FIN in the server's
// context; the entry still belongs to the client.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { py } from '../support/child.js';
import { needsBpf } from '../support/gate.js';
import { startOracle } from '../support/oracle.js';
import { Recorder } from '../support/recorder.js';

needsBpf('TIME_WAIT', () => {
  let rec: Recorder;
  beforeAll(() => {
    rec = new Recorder();
  });
  afterAll(async () => {
    await rec?.close();
  });

  it('charges each TIME_WAIT entry to the process that closed first', async () => {
    const server = py(['server', 0, 4]);
    const port = Number(await server.started());
    const client = py(['client', port, 4, 'close']);
    await client.started();
    const oracle = await startOracle(
      `tracepoint:sock:inet_sock_set_state /args->oldstate == 5 && args->newstate == 7 && args->dport == ${port}/ { @tw = count(); @ctx[pid] = count(); }`,
    );
    server.go();
    await client.run();
    expect(await server.done).toBe('EOF,EOF,EOF,EOF');
    const seen = await rec.settle((e) => e.event === 'time_wait' && e.dport === port, 4);
    const raw = await oracle.stop();

    expect(seen).toHaveLength(4);
    for (const e of seen) {
      expect(e).toMatchObject({ pid: client.pid, comm: 'nlt-client', seed: '#028', rung: 'application', daddr: '127.0.0.1', dport: port });
    }
    expect(rec.of(server.pid, 'time_wait')).toHaveLength(0);
    expect(rec.count(client.pid, 'time_wait')).toBe(4);
    expect(raw['@tw']).toBe(4);
    // Who was on the CPU: not the client, at least not every time.
    expect(raw[`@ctx[${client.pid}]`] ?? 0).toBeLessThan(4);
  });
});
