// reset_received and reset_sent on loopback. The client's close() sends the
// reset, and the kernel processes it in the client's own context: a naive
// tool charges the server's reset to the client. We must not.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { py } from '../support/child.js';
import { needsBpf } from '../support/gate.js';
import { startOracle } from '../support/oracle.js';
import { Recorder } from '../support/recorder.js';

needsBpf('resets', () => {
  let rec: Recorder;
  beforeAll(() => {
    rec = new Recorder();
  });
  afterAll(async () => {
    await rec?.close();
  });

  it('charges the reset a server receives to the server, and the one the client sends to the client', async () => {
    const server = py(['server', 0, 3]);
    const port = Number(await server.started());
    const client = py(['client', port, 3, 'abort']);
    await client.started();
    const oracle = await startOracle(
      `tracepoint:tcp:tcp_receive_reset /args->sport == ${port}/ { @received = count(); @ctx[pid] = count(); }
       tracepoint:tcp:tcp_send_reset /args->daddr[2] * 256 + args->daddr[3] == ${port}/ { @sent = count(); }`,
    );
    server.go();
    await client.run();
    expect(await server.done).toBe('ECONNRESET,ECONNRESET,ECONNRESET');
    await rec.settle((e) => e.pid === server.pid || e.pid === client.pid, 6);
    const raw = await oracle.stop();

    const received = rec.of(server.pid, 'reset_received');
    expect(received).toHaveLength(3);
    for (const e of received) {
      expect(e).toMatchObject({ errno: 'ECONNRESET', comm: 'nlt-server', saddr: '127.0.0.1', sport: port, daddr: '127.0.0.1' });
    }
    const sent = rec.of(client.pid, 'reset_sent');
    expect(sent).toHaveLength(3);
    // A close with SO_LINGER 0 goes through tcp_disconnect(), which names its reason TCP_STATE.
    for (const e of sent) expect(e).toMatchObject({ comm: 'nlt-client', dport: port, reason: 'TCP_STATE' });

    // Nothing charged the other way round.
    expect(rec.of(client.pid, 'reset_received')).toHaveLength(0);
    expect(rec.of(server.pid, 'reset_sent')).toHaveLength(0);
    expect(rec.count(server.pid, 'reset_received', 'ECONNRESET')).toBe(3);
    expect(rec.count(client.pid, 'reset_sent')).toBe(3);

    expect(raw['@received']).toBe(3);
    expect(raw['@sent']).toBe(3);
    // The oracle confirms what makes this hard: the kernel ran the server's
    // reset handling while the client was the current task.
    expect(raw[`@ctx[${client.pid}]`]).toBe(3);
  });
});
