// One failed attempt is one connect_error, whichever way the client learns
// of it: connect()'s return, poll then connect() again (hiredis), SO_ERROR,
// epoll. Ground truth: the client's own errors and the kernel's
// TcpAttemptFails in the test's namespace.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Child, FIXTURES, PYTHON } from '../support/child.js';
import { needsBpf } from '../support/gate.js';
import { Netns } from '../support/netns.js';
import { nstat } from '../support/nstat.js';
import { Recorder } from '../support/recorder.js';
import { runTool } from '../support/tool.js';

const CLOSED = 7171;

needsBpf('one event per failed connect', () => {
  let rec: Recorder;
  let ns: Netns;
  beforeAll(() => {
    rec = new Recorder();
    ns = Netns.create('once');
  });
  afterAll(async () => {
    await rec?.close();
    ns?.remove();
  });

  for (const way of ['blocking', 'again', 'soerror', 'epoll', 'soerror-again']) {
    it(`${way}: as many connect_error as the client saw failures, and as TcpAttemptFails`, async () => {
      const n = 3;
      const before = nstat(ns, 'TcpAttemptFails').TcpAttemptFails;
      const child = new Child([PYTHON, `${FIXTURES}connect-ways.py`, way, '127.0.0.1', String(CLOSED), String(n)], { netns: ns.name });
      await child.started();
      expect(await child.run()).toBe(Array(n).fill('ECONNREFUSED').join(','));
      const seen = await rec.settle((e) => e.pid === child.pid, n);
      const fails = nstat(ns, 'TcpAttemptFails').TcpAttemptFails - before;

      expect(fails).toBe(n);
      expect(seen).toHaveLength(n);
      for (const e of seen) {
        expect(e).toMatchObject({ event: 'connect_error', errno: 'ECONNREFUSED', comm: 'nlt-ways', daddr: '127.0.0.1', dport: CLOSED, async: way !== 'blocking' });
      }
      expect(rec.count(child.pid, 'connect_error', 'ECONNREFUSED')).toBe(n);
    });
  }

  it('redis-cli (hiredis: non-blocking connect, poll, connect again) against a closed port: one connect_error per attempt', async () => {
    const before = nstat(ns, 'TcpAttemptFails').TcpAttemptFails;
    const runs = [];
    for (let i = 0; i < 3; i++) runs.push(await runTool(['redis-cli', '-h', '127.0.0.1', '-p', String(CLOSED), 'ping'], { netns: ns.name }));
    const pids = new Set(runs.map((r) => r.pid));
    const fails = nstat(ns, 'TcpAttemptFails').TcpAttemptFails - before;
    await rec.settle((e) => pids.has(e.pid), fails);

    // redis-cli tries twice per run (once at start, once for the command),
    // each time connect() -> EINPROGRESS -> poll -> connect() -> ECONNREFUSED.
    expect(fails).toBe(2 * runs.length);
    for (const r of runs) {
      // Its own word: it could not connect, refused.
      expect(r.code).not.toBe(0);
      expect(r.stdout + r.stderr).toMatch(/Could not connect to Redis at 127\.0\.0\.1:7171: Connection refused/);
      const seen = rec.of(r.pid);
      expect(seen).toHaveLength(2);
      for (const e of seen) expect(e).toMatchObject({ event: 'connect_error', errno: 'ECONNREFUSED', comm: 'redis-cli', dport: CLOSED, async: true });
      expect(rec.count(r.pid, 'connect_error', 'ECONNREFUSED')).toBe(2);
    }
  });

  it('lost nothing', () => {
    expect(rec.losses()).toEqual({ ringbufFull: 0, rateLimited: 0, counterFull: 0, dnsPendingFull: 0 });
  });
});
