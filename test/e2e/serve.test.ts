// `netladder serve` scraped by a real Prometheus: real refused connects from
// a child whose pid we know, and Prometheus's own rate() and increase() of
// that pid's series over the API.
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run, Running } from '../support/cli.js';
import { needsBpf } from '../support/gate.js';
import { closedPort } from '../support/ports.js';
import { until } from '../support/wait.js';
import { Prometheus, PROMTOOL } from '../support/prometheus.js';
import { Refuser } from '../support/refuser.js';

describe('netladder serve, without the kernel', () => {
  it.each(['nonsense', '127.0.0.1:99999', '127.0.0.1'])('--listen %s is bad input: exit 2, one line', async (listen) => {
    const r = await run(['serve', '--listen', listen]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^netladder: --listen takes HOST:PORT .*\n$/);
    expect(r.stdout).toBe('');
  });

  it('--by other than pid or comm is bad input', async () => {
    const r = await run(['serve', '--by', 'uid']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('netladder: --by takes pid or comm, not "uid"\n');
  });
});

needsBpf('netladder serve with stderr closed', () => {
  it('keeps serving after its stderr reader went away, and exits 0 on SIGTERM', async () => {
    const serve = new Running(['serve', '--listen', '127.0.0.1:0']);
    try {
      const m = await serve.said(/metrics on http:\/\/(127\.0\.0\.1:\d+)\/metrics/);
      serve.proc.stderr.destroy();
      expect((await fetch(`http://${m[1]}/metrics`)).status).toBe(200);
      // Its last words ("stopped on SIGTERM") meet the closed pipe.
      expect(await serve.stop('SIGTERM')).toBe(0);
    } finally {
      serve.proc.kill('SIGKILL');
    }
  });
});

needsBpf('netladder serve with Prometheus', () => {
  let serve: Running;
  let base: string;
  const prom = new Prometheus();

  beforeAll(async () => {
    serve = new Running(['serve', '--listen', '127.0.0.1:0']);
    const m = await serve.said(/metrics on http:\/\/(127\.0\.0\.1:\d+)\/metrics/);
    base = `http://${m[1]}`;
    await prom.start(m[1]!);
    await until('Prometheus to scrape netladder', async () => ((await prom.targetHealth())?.startsWith('up') ? true : undefined));
  });

  afterAll(async () => {
    await prom.stop();
    if (serve) await serve.stop();
  });

  it("answers rate() and increase() with a process's exact number of refused connects", async () => {
    const refuser = new Refuser(await closedPort(), 'nla-serve');
    try {
      await refuser.ready();
      const sel = `netladder_events_total{pid="${refuser.pid}",event="connect_error",errno="ECONNREFUSED"}`;
      const valueNow = async (): Promise<number | undefined> => {
        const [r] = await prom.vector(sel);
        return r ? Number(r.value[1]) : undefined;
      };
      // One failure makes the series exist; wait until Prometheus has
      // scraped it at 1 more than once, so a sample before the burst is on record.
      expect(await refuser.fail(1)).toEqual(['ECONNREFUSED']);
      await until('Prometheus to see the first failure', async () => ((await valueNow()) === 1 ? true : undefined));
      await until('a second sample at 1', async () => {
        const [m] = await prom.matrix(`${sel}[30s]`);
        return m && m.values.filter(([, v]) => v === '1').length >= 2 ? true : undefined;
      });

      const N = 25;
      expect(await refuser.fail(N)).toEqual(Array(N).fill('ECONNREFUSED'));
      await until('Prometheus to see the burst', async () => ((await valueNow()) === N + 1 ? true : undefined));

      // The counter moved from 1 to 26 between two scrapes. Ask for the
      // increase over exactly the span between those samples: Prometheus 2
      // selects [t-range, t] inclusive, so nothing is extrapolated and the
      // answer must be exactly N.
      const [m] = await prom.matrix(`${sel}[60s]`);
      const samples = m!.values;
      const before = samples.filter(([, v]) => v === '1').at(-1)!;
      const after = samples.find(([, v]) => v === String(N + 1))!;
      expect(samples.every(([, v]) => v === '1' || v === String(N + 1))).toBe(true);
      const spanMs = Math.round((after[0] - before[0]) * 1000);
      const at = Math.round(after[0] * 1000);
      const [inc] = await prom.vector(`increase(${sel}[${spanMs}ms])`, at);
      expect(Number(inc!.value[1])).toBeCloseTo(N, 9);
      const [rate] = await prom.vector(`rate(${sel}[${spanMs}ms])`, at);
      expect(Number(rate!.value[1])).toBeCloseTo(N / (spanMs / 1000), 9);

      // The child's failures are all in that one series: nothing else was
      // put on its pid.
      const all = await prom.vector(`netladder_events_total{pid="${refuser.pid}"}`);
      expect(all.map((r) => [r.metric.event, r.metric.errno, r.metric.comm, r.value[1]])).toEqual([
        ['connect_error', 'ECONNREFUSED', 'nla-serve', String(N + 1)],
      ]);
    } finally {
      refuser.kill();
    }
  });

  it('serves output that passes promtool check metrics', async () => {
    const text = await (await fetch(`${base}/metrics`)).text();
    for (const name of ['netladder_events_total', 'netladder_lost_events_total', 'netladder_build_info', 'netladder_tcp_time_wait_sockets', 'process_resident_memory_bytes']) {
      expect(text).toContain(`# TYPE ${name} `);
    }
    const check = spawnSync(PROMTOOL, ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect(check.stderr + check.stdout).toBe('');
    expect(check.status).toBe(0);
  });

  it.each([
    ['escape bytes', 'nla\x1b]0;pwn\x07', 'nla\\\\x1b]0;pwn\\\\x07', 'nla\\x1b]0;pwn\\x07'],
    ['UTF-8', 'nla-café', 'nla-café', 'nla-café'],
  ])('labels a process named with %s visibly, in output promtool accepts and Prometheus reads', async (_what, name, written, stored) => {
    const refuser = new Refuser(await closedPort(), name);
    try {
      await refuser.ready();
      expect(await refuser.fail(1)).toEqual(['ECONNREFUSED']);
      const line = await until('the series of the named process', async () => {
        const text = await (await fetch(`${base}/metrics`)).text();
        return text.split('\n').find((l) => l.includes(`pid="${refuser.pid}"`));
      });
      expect(line).toBe(`netladder_events_total{event="connect_error",errno="ECONNREFUSED",pid="${refuser.pid}",comm="${written}"} 1`);
      const text = await (await fetch(`${base}/metrics`)).text();
      // eslint-disable-next-line no-control-regex
      expect(text).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f]/);
      const check = spawnSync(PROMTOOL, ['check', 'metrics'], { input: text, encoding: 'utf8' });
      expect(check.stderr + check.stdout).toBe('');
      expect(check.status).toBe(0);
      const [r] = await until('Prometheus to scrape it', async () => {
        const v = await prom.vector(`netladder_events_total{pid="${refuser.pid}"}`);
        return v.length ? v : undefined;
      });
      expect(r!.metric.comm).toBe(stored);
    } finally {
      refuser.kill();
    }
  });

  it('has a landing page at / and nothing elsewhere', async () => {
    const landing = await fetch(`${base}/`);
    expect(landing.status).toBe(200);
    expect(landing.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await landing.text()).toContain('href="metrics"');
    expect((await fetch(`${base}/metric`)).status).toBe(404);
    expect((await fetch(`${base}/metrics`, { method: 'POST' })).status).toBe(405);
  });

  it('refuses a port already in use with one line and exit 1', async () => {
    const port = Number(new URL(base).port);
    const r = await run(['serve', '--listen', `127.0.0.1:${port}`]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`netladder: cannot listen on 127.0.0.1:${port}: address already in use\n`);
  });

  it('stops cleanly on SIGTERM', async () => {
    const code = await serve.stop('SIGTERM');
    expect(code).toBe(0);
    expect(serve.stderr).toMatch(/netladder: stopped on SIGTERM\n$/);
    await expect(fetch(`${base}/metrics`)).rejects.toThrow();
  });
});
