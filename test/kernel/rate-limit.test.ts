// Under a storm the kernel may suppress detail records per key; the counts
// stay exact and every suppressed record is counted.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { py } from '../support/child.js';
import { needsBpf } from '../support/gate.js';
import { closedPort } from '../support/ports.js';
import { Recorder } from '../support/recorder.js';
import { sleep } from '../support/wait.js';

needsBpf('per-key rate limit', () => {
  let rec: Recorder;
  beforeAll(() => {
    rec = new Recorder({ rateLimit: 3 });
  });
  afterAll(async () => {
    await rec?.close();
  });

  it('keeps 3 records a second per process and errno, counts all 40 failures, and counts each record it suppressed', async () => {
    const port = await closedPort();
    const child = py(['connect', '127.0.0.1', port, 40]);
    await child.started();
    const before = rec.losses();
    const t0 = Date.now();
    await child.run();
    const elapsedS = Math.ceil((Date.now() - t0) / 1000);
    await sleep(400);

    const kept = rec.of(child.pid, 'connect_error').length;
    // 40 refused connects take well under a second here; allow one more
    // window in case they straddled a second boundary.
    expect(kept).toBeGreaterThanOrEqual(3);
    expect(kept).toBeLessThanOrEqual(3 * (elapsedS + 1));
    expect(rec.count(child.pid, 'connect_error', 'ECONNREFUSED')).toBe(40);
    expect(rec.losses().rateLimited - before.rateLimited).toBe(40 - kept);
    expect(rec.losses().ringbufFull).toBe(0);
  });
});
