import { describe, expect, it } from 'vitest';
import { Aggregator, NAMELESS_GRACE_MS } from '../../src/agent/aggregator.js';
import type { CounterRow } from '../../src/core/counter-row.js';
import type { EventName } from '../../src/core/event.js';
import type { Losses } from '../../src/kernel/capture.js';
import { buildEventSeries, RetiredByComm, SeriesCap } from '../../src/serve/event-series.js';
import { eventsText, Exporter, type ExporterSource } from '../../src/serve/exporter.js';
import { parseListen } from '../../src/serve/listen.js';
import { parseTimeWait } from '../../src/serve/sockstat.js';

function row(pid: number, event: EventName, errno: string | null, count: number): CounterRow {
  return { pid, event, errno, count };
}

/** An exporter over plain values: the kernel's counters are whatever the
 *  test puts in `rows` before a scrape. */
function fixture(opts: { by?: 'pid' | 'comm'; maxSeries?: number; comms?: Record<number, string>; nameless?: boolean } = {}) {
  let t = 1_000_000;
  const comms = opts.comms ?? {};
  const agg = new Aggregator({
    clock: () => t,
    graceMs: 10_000,
    // nameless: every process is gone before /proc can be read
    describe: (pid) => (opts.nameless ? null : { comm: comms[pid] ?? `p${pid}`, cmdline: null, cgroup: null }),
  });
  const state = { rows: [] as CounterRow[], losses: { ringbufFull: 0, rateLimited: 0, counterFull: 0, dnsPendingFull: 0 } as Losses, tw: 3 as number | null, syncs: 0 };
  const source: ExporterSource = {
    aggregator: agg,
    sync: () => {
      state.syncs++;
      agg.applyCounters(state.rows);
    },
    losses: () => state.losses,
    timeWait: () => state.tw,
  };
  const exporter = new Exporter(source, { by: opts.by, maxSeries: opts.maxSeries, version: '9.9.9', processMetrics: false });
  const retire = (alive: (pid: number) => boolean) => exporter.removed(agg.retire(alive));
  return { agg, state, exporter, retire, advance: (ms: number) => void (t += ms) };
}

/** name{labels} value lines of one metric family. */
function samples(text: string, name: string): string[] {
  return text.split('\n').filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `));
}

describe('netladder_events_total', () => {
  it('has one series per pid, event and errno, with errno="" where there is none', async () => {
    const f = fixture({ comms: { 41: 'curl', 42: 'python3' } });
    f.state.rows = [row(41, 'connect_error', 'ECONNREFUSED', 3), row(42, 'time_wait', null, 2), row(0, 'reset_sent', null, 5)];
    const text = await f.exporter.metrics();
    expect(text).toContain('# TYPE netladder_events_total counter');
    expect(samples(text, 'netladder_events_total').sort()).toEqual([
      'netladder_events_total{event="connect_error",errno="ECONNREFUSED",pid="41",comm="curl"} 3',
      'netladder_events_total{event="reset_sent",errno="",pid="0",comm=""} 5',
      'netladder_events_total{event="time_wait",errno="",pid="42",comm="python3"} 2',
    ]);
  });

  it('holds back a process counted before anything could name it, then exports it once named', async () => {
    // gone before /proc was read, and its detail record not yet drained
    const f = fixture({ nameless: true });
    f.state.rows = [row(43, 'time_wait', null, 1)];
    expect(samples(await f.exporter.metrics(), 'netladder_events_total')).toEqual([]);
    f.agg.observe([{ time: '2024-01-01T00:00:00.000Z', event: 'time_wait', errno: null, pid: 43, tid: 43, comm: 'curl', cgroup: null, family: 'ipv4', saddr: '127.0.0.1', sport: 1, daddr: '127.0.0.1', dport: 2, seed: '#028', rung: 'application' }]);
    expect(samples(await f.exporter.metrics(), 'netladder_events_total')).toEqual(['netladder_events_total{event="time_wait",errno="",pid="43",comm="curl"} 1']);
  });

  it('exports a process that stays nameless after the grace, with comm=""', async () => {
    const f = fixture({ nameless: true });
    f.state.rows = [row(44, 'time_wait', null, 1)];
    expect(samples(await f.exporter.metrics(), 'netladder_events_total')).toEqual([]);
    f.advance(NAMELESS_GRACE_MS);
    expect(samples(await f.exporter.metrics(), 'netladder_events_total')).toEqual(['netladder_events_total{event="time_wait",errno="",pid="44",comm=""} 1']);
  });

  it('reads the kernel once per scrape, at scrape time', async () => {
    const f = fixture();
    f.state.rows = [row(41, 'bind_error', 'EADDRINUSE', 1)];
    expect(f.state.syncs).toBe(0);
    await f.exporter.metrics();
    expect(f.state.syncs).toBe(1);
    f.state.rows = [row(41, 'bind_error', 'EADDRINUSE', 4)];
    const text = await f.exporter.metrics();
    expect(f.state.syncs).toBe(2);
    expect(samples(text, 'netladder_events_total')).toEqual(['netladder_events_total{event="bind_error",errno="EADDRINUSE",pid="41",comm="p41"} 4']);
  });

  it('drops the series of a process retired after its grace period', async () => {
    const f = fixture({ comms: { 41: 'a', 42: 'b' } });
    f.state.rows = [row(41, 'bind_error', 'EADDRINUSE', 1), row(42, 'bind_error', 'EADDRINUSE', 1)];
    await f.exporter.metrics();
    f.retire((pid) => pid !== 42);
    expect(samples(await f.exporter.metrics(), 'netladder_events_total')).toHaveLength(2);
    f.advance(10_000);
    f.retire((pid) => pid !== 42);
    f.state.rows = [row(41, 'bind_error', 'EADDRINUSE', 1)]; // the kernel forgot 42 too
    expect(samples(await f.exporter.metrics(), 'netladder_events_total')).toEqual([
      'netladder_events_total{event="bind_error",errno="EADDRINUSE",pid="41",comm="a"} 1',
    ]);
  });

  it('--by comm adds processes up, and keeps what exited ones counted', async () => {
    const f = fixture({ by: 'comm', comms: { 1: 'curl', 2: 'curl', 3: 'wget' } });
    f.state.rows = [row(1, 'connect_error', 'ECONNREFUSED', 2), row(2, 'connect_error', 'ECONNREFUSED', 5), row(3, 'connect_error', 'ECONNREFUSED', 1)];
    let text = await f.exporter.metrics();
    expect(samples(text, 'netladder_events_total').sort()).toEqual([
      'netladder_events_total{event="connect_error",errno="ECONNREFUSED",pid="",comm="curl"} 7',
      'netladder_events_total{event="connect_error",errno="ECONNREFUSED",pid="",comm="wget"} 1',
    ]);
    f.retire((pid) => pid !== 2);
    f.advance(10_000);
    f.retire((pid) => pid !== 2);
    f.state.rows = [row(1, 'connect_error', 'ECONNREFUSED', 3), row(3, 'connect_error', 'ECONNREFUSED', 1)];
    text = await f.exporter.metrics();
    expect(samples(text, 'netladder_events_total').sort()).toEqual([
      'netladder_events_total{event="connect_error",errno="ECONNREFUSED",pid="",comm="curl"} 8',
      'netladder_events_total{event="connect_error",errno="ECONNREFUSED",pid="",comm="wget"} 1',
    ]);
    expect(text).toMatch(/netladder_build_info\{[^}]*group_by="comm"[^}]*\} 1/);
  });
});

describe('eventsText', () => {
  // [comm as the kernel gave it, as it must appear in the label]
  it.each([
    ['curl', 'curl'],
    ['a"b', 'a\\"b'],
    ['back\\slash', 'back\\\\slash'],
    ['new\nline', 'new\\nline'],
    ['\x1b]0;pwn\x07', '\\\\x1b]0;pwn\\\\x07'],
    ['cr\rtab\t', 'cr\\\\x0dtab\\\\x09'],
    ['café', 'café'],
    ['', ''],
  ])('comm %j is written %j', (comm, written) => {
    const text = eventsText([{ labels: { event: 'connect_error', errno: 'ECONNREFUSED', pid: '7', comm }, value: 3 }]);
    expect(text.split('\n')).toEqual([
      expect.stringMatching(/^# HELP netladder_events_total /),
      '# TYPE netladder_events_total counter',
      `netladder_events_total{event="connect_error",errno="ECONNREFUSED",pid="7",comm="${written}"} 3`,
      '',
    ]);
  });
});

describe('series cap', () => {
  it('exports at most the cap, counts what it keeps out, and keeps what it admitted', async () => {
    const f = fixture({ maxSeries: 2 });
    f.state.rows = [row(1, 'time_wait', null, 1), row(2, 'time_wait', null, 10), row(3, 'time_wait', null, 5)];
    let text = await f.exporter.metrics();
    // the two largest new series get the places
    expect(samples(text, 'netladder_events_total').map((l) => /pid="(\d+)"/.exec(l)![1]).sort()).toEqual(['2', '3']);
    expect(samples(text, 'netladder_overflow_series')).toEqual(['netladder_overflow_series 1']);
    expect(samples(text, 'netladder_overflow_events_total')).toEqual(['netladder_overflow_events_total 1']);
    expect(samples(text, 'netladder_series_limit')).toEqual(['netladder_series_limit 2']);
    // pid 1 grows past the others: the admitted stay, pid 1's increments are counted
    f.state.rows = [row(1, 'time_wait', null, 50), row(2, 'time_wait', null, 10), row(3, 'time_wait', null, 6)];
    text = await f.exporter.metrics();
    expect(samples(text, 'netladder_events_total').map((l) => /pid="(\d+)"/.exec(l)![1]).sort()).toEqual(['2', '3']);
    expect(samples(text, 'netladder_overflow_events_total')).toEqual(['netladder_overflow_events_total 50']);
  });

  it.each([
    // [limit, values of series in scrape 1, in scrape 2, overflow events after each]
    [1, [4, 3], [4, 3], [3, 3]],
    [1, [4, 3], [4, 8], [3, 8]],
    [3, [4, 3], [9, 9, 9], [0, 0]],
    [2, [1, 1, 1, 1], [2, 2, 2, 2], [2, 4]],
  ])('limit %i: %j then %j -> overflow %j', (limit, first, second, overflow) => {
    const cap = new SeriesCap(limit);
    const series = (values: number[]) =>
      new Map(values.map((v, i) => [`k${i}`, { labels: { event: 'time_wait', errno: '', pid: String(i), comm: '' }, value: v }]));
    expect(cap.apply(series(first)).length).toBe(Math.min(limit, first.length));
    expect(cap.overflowEvents).toBe(overflow[0]);
    expect(cap.apply(series(second)).length).toBe(Math.min(limit, second.length));
    expect(cap.overflowEvents).toBe(overflow[1]);
  });

  it('buildEventSeries folds retired comm totals only when grouping by comm', () => {
    const agg = new Aggregator({ clock: () => 0, describe: () => ({ comm: 'y', cmdline: null, cgroup: null }) });
    agg.applyCounters([row(9, 'dns_error', 'EAI_NONAME', 2)]);
    const retired = new RetiredByComm();
    retired.fold([{ pid: 8, comm: 'x', reason: 'exited', series: [{ event: 'dns_error', errno: 'EAI_NONAME', total: 4 }] }]);
    expect([...buildEventSeries(agg, 'pid', retired).values()].map((s) => s.value)).toEqual([2]);
    expect([...buildEventSeries(agg, 'comm', retired).values()].map((s) => [s.labels.comm, s.value])).toEqual([
      ['x', 4],
      ['y', 2],
    ]);
  });
});

describe('other metrics', () => {
  it('exports losses by reason, TIME_WAIT and build info, and nothing else without process metrics', async () => {
    const f = fixture();
    f.state.losses = { ringbufFull: 7, rateLimited: 11, counterFull: 0, dnsPendingFull: 5 };
    f.state.tw = 12;
    const text = await f.exporter.metrics();
    expect(samples(text, 'netladder_lost_events_total')).toEqual([
      'netladder_lost_events_total{reason="ringbuf_full"} 7',
      'netladder_lost_events_total{reason="rate_limited"} 11',
      'netladder_lost_events_total{reason="counter_full"} 0',
      'netladder_lost_events_total{reason="dns_pending_full"} 5',
    ]);
    expect(samples(text, 'netladder_tcp_time_wait_sockets')).toEqual(['netladder_tcp_time_wait_sockets 12']);
    expect(text).toMatch(/^netladder_build_info\{version="9\.9\.9",nodejs="[\d.]+",kernel="[^"]+",group_by="pid"\} 1$/m);
    const families = text.split('\n').filter((l) => l.startsWith('# TYPE')).map((l) => l.split(' ')[2]);
    expect(families.every((n) => n!.startsWith('netladder_'))).toBe(true);
  });

  it('leaves TIME_WAIT out when it cannot be read, and says NaN if it stops being readable', async () => {
    const agg = new Aggregator({ clock: Date.now });
    let tw: number | null = null;
    const source = { aggregator: agg, sync: () => {}, losses: () => ({ ringbufFull: 0, rateLimited: 0, counterFull: 0, dnsPendingFull: 0 }), timeWait: () => tw };
    const without = new Exporter(source, { version: '1', processMetrics: false });
    expect(await without.metrics()).not.toContain('netladder_tcp_time_wait_sockets');
    tw = 4;
    const withTw = new Exporter(source, { version: '1', processMetrics: false });
    expect(samples(await withTw.metrics(), 'netladder_tcp_time_wait_sockets')).toEqual(['netladder_tcp_time_wait_sockets 4']);
    tw = null;
    // prom-client spells it "Nan"; Prometheus parses floats case-blind.
    expect(samples(await withTw.metrics(), 'netladder_tcp_time_wait_sockets')).toEqual([expect.stringMatching(/^netladder_tcp_time_wait_sockets nan$/i)]);
  });

  it('visits the source once per scrape, sync first, and nothing while formatting', async () => {
    const agg = new Aggregator({ clock: Date.now });
    const calls: string[] = [];
    const source: ExporterSource = {
      aggregator: agg,
      sync: () => void calls.push('sync'),
      losses: () => (calls.push('losses'), { ringbufFull: 0, rateLimited: 0, counterFull: 0, dnsPendingFull: 0 }),
      timeWait: () => (calls.push('timeWait'), 1),
    };
    const e = new Exporter(source, { version: '1', processMetrics: false });
    calls.length = 0;
    await e.metrics();
    expect(calls).toEqual(['sync', 'losses', 'timeWait']);
    await e.registry.metrics();
    expect(calls).toEqual(['sync', 'losses', 'timeWait']);
  });

  it('with process metrics, has no gauge named *_total', async () => {
    const agg = new Aggregator({ clock: Date.now });
    const e = new Exporter(
      { aggregator: agg, sync: () => {}, losses: () => ({ ringbufFull: 0, rateLimited: 0, counterFull: 0, dnsPendingFull: 0 }), timeWait: () => 0 },
      { version: '1' },
    );
    const text = await e.metrics();
    expect(text).toContain('process_resident_memory_bytes');
    const gaugesTotal = text.split('\n').filter((l) => /^# TYPE \S+_total gauge$/.test(l));
    expect(gaugesTotal).toEqual([]);
  });
});

describe('parseTimeWait', () => {
  it.each([
    ['TCP: inuse 5 orphan 0 tw 17 alloc 9 mem 1\nUDP: inuse 0 mem 0\n', 17],
    ['sockets: used 10\nTCP: inuse 1 orphan 0 tw 0 alloc 1 mem 0\n', 0],
    ['TCP6: inuse 2\nUDP6: inuse 0\n', null],
    ['', null],
  ])('%j -> %s', (text, n) => {
    expect(parseTimeWait(text)).toBe(n);
  });
});

describe('parseListen', () => {
  it.each([
    ['127.0.0.1:9464', '127.0.0.1', 9464],
    ['[::1]:9100', '::1', 9100],
    ['localhost:0', 'localhost', 0],
    [':9464', '0.0.0.0', 9464],
    ['0.0.0.0:65535', '0.0.0.0', 65535],
    ['metrics-1.example:80', 'metrics-1.example', 80],
    ['[::ffff:127.0.0.1]:80', '::ffff:127.0.0.1', 80],
  ])('%s', (s, host, port) => {
    expect(parseListen(s)).toEqual({ host, port });
  });

  it.each(['9464', '127.0.0.1', '127.0.0.1:', '127.0.0.1:65536', '::1:9464', 'a b:1', '127.0.0.1:94x', '', '999.1.1.1:80', '1.2.3:80', '[1:::2]:80', '[1.2.3.4]:80'])('rejects %j as bad input', (s) => {
    expect(() => parseListen(s)).toThrow(expect.objectContaining({ name: 'UsageError', message: expect.stringContaining('--listen takes HOST:PORT') }));
  });
});
