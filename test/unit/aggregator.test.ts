import { describe, expect, it } from 'vitest';
import { Aggregator, type ProcessFacts } from '../../src/agent/aggregator.js';
import type { CounterRow } from '../../src/core/counter-row.js';
import { cgroupOwner, ownerLabel } from '../../src/agent/cgroup-owner.js';
import { failureClassOf, type FailureClass } from '../../src/agent/failure-class.js';
import { SlidingWindow } from '../../src/agent/window.js';
import type { EventName, NetEvent } from '../../src/core/event.js';
import { refusedEvent } from '../support/events.js';

/** A clock the test moves by hand. */
function manualClock(start = 1_700_000_000_000): { now: () => number; advance(ms: number): void } {
  let t = start;
  return { now: () => t, advance: (ms) => void (t += ms) };
}

function row(pid: number, event: EventName, errno: string | null, count: number): CounterRow {
  return { pid, event, errno, count };
}

function refused(pid: number, comm: string, dport: number, over: Partial<NetEvent> = {}): NetEvent {
  return refusedEvent({ pid, tid: pid, comm, dport, ...over });
}

describe('SlidingWindow', () => {
  // [description, adds as [count, second], now in ms, window, expected rate]
  const cases: [string, [number, number][], number, number, number][] = [
    ['nothing counted', [], 100_000, 10, 0],
    ['the current second counts at once', [[5, 100]], 100_000, 1, 5],
    ['the second before, wholly inside a 1 s window at a second boundary', [[5, 99]], 100_000, 1, 5],
    ['the second before, half inside the window half a second later', [[5, 99]], 100_500, 1, 2.5],
    ['and out of it a second later', [[5, 99]], 101_000, 1, 0],
    ['10 s window averages', [[5, 95], [15, 100]], 100_000, 10, 2],
    ['older than the window drops out', [[30, 89], [10, 99]], 100_000, 10, 1],
    ['the oldest second counts in proportion', [[30, 90], [10, 99]], 100_750, 10, (30 * 0.25 + 10) / 10],
    ['60 s window sees the whole minute', [[60, 40], [60, 99]], 100_000, 60, 2],
    ['just past 60 s is gone', [[60, 39], [60, 99]], 100_000, 60, 1],
    ['a long gap clears the ring', [[100, 10], [6, 200]], 200_000, 60, 0.1],
    ['same second adds up', [[2, 50], [3, 50]], 50_999, 1, 5],
  ];
  it.each(cases)('%s', (_, adds, now, seconds, expected) => {
    const w = new SlidingWindow();
    for (const [n, s] of adds) w.add(n, s);
    expect(w.rate(seconds, now)).toBeCloseTo(expected, 10);
  });

  it('is idle after a whole window without counts, and can be released', () => {
    const w = new SlidingWindow();
    expect(w.idle(0)).toBe(true);
    w.add(1, 100);
    expect(w.idle(160)).toBe(false);
    expect(w.rate(60, 160_000)).toBeCloseTo(1 / 60, 10);
    expect(w.idle(161)).toBe(true);
    w.release();
    expect(w.rate(60, 120_000)).toBe(0);
  });
});

describe('failureClassOf', () => {
  const cases: [EventName, string | null, FailureClass][] = [
    ['connect_error', 'ECONNREFUSED', 'refused'],
    ['connect_error', 'EHOSTUNREACH', 'unreach'],
    ['connect_error', 'ENETUNREACH', 'unreach'],
    ['connect_error', 'ETIMEDOUT', 'timeout'],
    ['connect_error', 'ECONNRESET', 'reset'],
    ['connect_error', 'EADDRNOTAVAIL', 'other'],
    ['connect_error', 'EPERM', 'other'],
    ['neighbour_failed', null, 'unreach'],
    ['syn_retransmit', null, 'synrtx'],
    ['reset_received', null, 'reset'],
    ['reset_sent', null, 'reset'],
    ['dns_error', 'EAI_NONAME', 'dns'],
    ['tls_error', null, 'tls'],
    ['bind_error', 'EADDRINUSE', 'bind'],
    ['time_wait', null, 'tw'],
  ];
  it.each(cases)('%s %s -> %s', (event, errno, failureClass) => {
    expect(failureClassOf(event, errno)).toBe(failureClass);
  });
});

describe('cgroupOwner', () => {
  const id = 'a'.repeat(8) + '0123456789abcdef'.repeat(3) + 'b'.repeat(8);
  it('answers the same path with one shared, frozen object', () => {
    const a = cgroupOwner('/system.slice/nginx.service');
    expect(cgroupOwner('/system.slice/nginx.service')).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
  });

  it('labels a container by its short id, else the unit', () => {
    expect(ownerLabel({ unit: 'x.scope', container: id })).toBe(id.slice(0, 12));
    expect(ownerLabel({ unit: 'nginx.service', container: null })).toBe('nginx.service');
    expect(ownerLabel({ unit: null, container: null })).toBe('-');
  });
});

describe('Aggregator counts', () => {
  // Successive kernel counter readings (totals since start) -> the totals the
  // aggregator reports per (pid, event, errno).
  const cases: [string, CounterRow[][], [number, EventName, string | null, number][]][] = [
    ['one reading', [[row(10, 'connect_error', 'ECONNREFUSED', 3)]], [[10, 'connect_error', 'ECONNREFUSED', 3]]],
    [
      'readings are totals, not increments',
      [[row(10, 'connect_error', 'ECONNREFUSED', 3)], [row(10, 'connect_error', 'ECONNREFUSED', 7)]],
      [[10, 'connect_error', 'ECONNREFUSED', 7]],
    ],
    [
      'the same reading twice adds nothing',
      [[row(10, 'time_wait', null, 4)], [row(10, 'time_wait', null, 4)]],
      [[10, 'time_wait', null, 4]],
    ],
    [
      'a kernel counter that restarted (pid forgotten, then back) adds all it has',
      [[row(10, 'reset_received', null, 5)], [row(10, 'reset_received', null, 2)]],
      [[10, 'reset_received', null, 7]],
    ],
    [
      'errno tells series apart',
      [[row(10, 'connect_error', 'ECONNREFUSED', 1), row(10, 'connect_error', 'ETIMEDOUT', 2)]],
      [
        [10, 'connect_error', 'ECONNREFUSED', 1],
        [10, 'connect_error', 'ETIMEDOUT', 2],
      ],
    ],
    [
      'pid 0 (no owner) is a process like any other',
      [[row(0, 'reset_sent', null, 9)]],
      [[0, 'reset_sent', null, 9]],
    ],
    ['zero rows make no process', [[row(11, 'bind_error', 'EADDRINUSE', 0)]], []],
  ];
  it.each(cases)('%s', (_, readings, expected) => {
    const clock = manualClock();
    const agg = new Aggregator({ clock: clock.now, describe: () => ({ comm: 'c', cmdline: null, cgroup: null }) });
    for (const r of readings) {
      agg.applyCounters(r);
      clock.advance(1000);
    }
    const got: [number, EventName, string | null, number][] = [];
    agg.forEachSeries((pid, _comm, event, errno, total) => got.push([pid, event, errno, total]));
    expect(got).toEqual(expected);
  });

  it('rates come from count increments, per series and per process', () => {
    const clock = manualClock(1_000_000);
    const agg = new Aggregator({ clock: clock.now });
    // 20 refused in second 1000, then 10 more and 4 resets in second 1005;
    // look at 1009.5: both inside 10 s, only the second burst inside 5 s.
    agg.applyCounters([row(7, 'connect_error', 'ECONNREFUSED', 20)]);
    clock.advance(5000);
    agg.applyCounters([row(7, 'connect_error', 'ECONNREFUSED', 30), row(7, 'reset_received', null, 4)]);
    clock.advance(4500);
    const [p] = agg.snapshot();
    expect(p!.total).toBe(34);
    expect(p!.classTotals.refused).toBe(30);
    expect(p!.classTotals.reset).toBe(4);
    expect(p!.rate.s1).toBe(0);
    expect(p!.rate.s10).toBeCloseTo(3.4, 10);
    expect(p!.rate.s60).toBeCloseTo(34 / 60, 10);
    expect(p!.classRates.refused).toBeCloseTo(3, 10);
    expect(p!.series.map((s) => [s.event, s.total, s.rate.s10])).toEqual([
      ['connect_error', 30, 3],
      ['reset_received', 4, 0.4],
    ]);
    clock.advance(1000); // 1010.5: the first burst's second is half out of the 10 s window
    expect(agg.snapshot()[0]!.rate.s10).toBeCloseTo((20 * 0.5 + 14) / 10, 10);
  });
});

describe('Aggregator details', () => {
  it('takes comm, cmdline and cgroup from /proc at first sight, then comm and cgroup from events', () => {
    const clock = manualClock();
    const looked: number[] = [];
    const facts: ProcessFacts = { comm: 'python3', cmdline: 'python3 client.py', cgroup: '/system.slice/app.service' };
    const agg = new Aggregator({ clock: clock.now, describe: (pid) => (looked.push(pid), facts) });
    agg.applyCounters([row(42, 'connect_error', 'ECONNREFUSED', 1)]);
    agg.applyCounters([row(42, 'connect_error', 'ECONNREFUSED', 2)]);
    expect(looked).toEqual([42]);
    let [p] = agg.snapshot();
    expect(p).toMatchObject({ pid: 42, comm: 'python3', cmdline: 'python3 client.py', owner: { unit: 'app.service', container: null } });
    agg.observe([refused(42, 'renamed', 8080, { cgroup: '/system.slice/other.service' })]);
    [p] = agg.snapshot();
    expect(p).toMatchObject({ comm: 'renamed', cgroup: '/system.slice/other.service', owner: { unit: 'other.service' } });
  });

  it('never asks /proc about pid 0', () => {
    const agg = new Aggregator({ clock: Date.now, describe: () => { throw new Error('asked'); } });
    agg.applyCounters([row(0, 'reset_sent', null, 1)]);
    expect(agg.snapshot()[0]!.comm).toBeNull();
  });

  it('keeps the latest failures newest first, and the last destination', () => {
    const agg = new Aggregator({ clock: Date.now, recentPerProcess: 3 });
    agg.applyCounters([row(5, 'connect_error', 'ECONNREFUSED', 5)]);
    agg.observe([1, 2, 3, 4, 5].map((i) => refused(5, 'c', 1000 + i)));
    agg.observe([refused(5, 'c', 0, { event: 'time_wait', errno: null, daddr: null, dport: null, family: null } as Partial<NetEvent>)]);
    const [p] = agg.snapshot();
    expect(p!.recent.map((e) => e.dport)).toEqual([null, 1005, 1004]);
    expect(p!.lastDestination).toBe('127.0.0.1:1005');
  });

  it('keeps no recent failures when asked for none (the exporter), but still the last destination', () => {
    const agg = new Aggregator({ clock: Date.now, recentPerProcess: 0 });
    agg.applyCounters([row(6, 'connect_error', 'ECONNREFUSED', 2)]);
    agg.observe([1, 2].map((i) => refused(6, 'c', 2000 + i)));
    const [p] = agg.snapshot();
    expect(p!.recent).toEqual([]);
    expect(p!.lastDestination).toBe('127.0.0.1:2002');
  });

  it('writes IPv6 destinations in brackets and DNS failures by host', () => {
    const agg = new Aggregator({ clock: Date.now });
    agg.applyCounters([row(5, 'connect_error', 'ECONNREFUSED', 1), row(6, 'dns_error', 'EAI_NONAME', 1)]);
    agg.observe([refused(5, 'c', 443, { family: 'ipv6', daddr: '::1' })]);
    agg.observe([refused(6, 'd', 53, { event: 'dns_error', errno: 'EAI_NONAME', host: 'nowhere.invalid', daddr: null, dport: null } as Partial<NetEvent>)]);
    const byPid = new Map(agg.snapshot().map((p) => [p.pid, p.lastDestination]));
    expect(byPid.get(5)).toBe('[::1]:443');
    expect(byPid.get(6)).toBe('nowhere.invalid');
  });
});

describe('Aggregator retirement and bounds', () => {
  it('retires an exited process after the grace period, and hands its pid back to forget', () => {
    const clock = manualClock();
    const alive = new Set([1, 2]);
    const agg = new Aggregator({ clock: clock.now, graceMs: 30_000 });
    agg.applyCounters([row(1, 'bind_error', 'EADDRINUSE', 1), row(2, 'bind_error', 'EADDRINUSE', 2), row(0, 'reset_sent', null, 1)]);
    alive.delete(2);
    expect(agg.retire((pid) => alive.has(pid))).toEqual([]);
    expect(agg.snapshot().find((p) => p.pid === 2)!.exitedAt).toBe(clock.now());
    clock.advance(29_999);
    expect(agg.retire((pid) => alive.has(pid))).toEqual([]);
    clock.advance(1);
    const removed = agg.retire((pid) => alive.has(pid));
    expect(removed).toEqual([{ pid: 2, comm: null, reason: 'exited', series: [{ event: 'bind_error', errno: 'EADDRINUSE', total: 2 }] }]);
    expect(agg.takeForgotten()).toEqual([2]);
    expect(agg.takeForgotten()).toEqual([]);
    expect(agg.snapshot().map((p) => p.pid).sort()).toEqual([0, 1]);
    expect(agg.retired).toBe(1);
    // pid 0 has no process to exit: found gone, then retired a grace later
    agg.retire(() => false);
    clock.advance(30_000);
    agg.retire(() => false);
    expect(agg.snapshot().map((p) => p.pid)).toEqual([0]);
  });

  it('stays within maxProcesses, dropping exited processes first, then the longest quiet', () => {
    const clock = manualClock();
    const agg = new Aggregator({ clock: clock.now, maxProcesses: 100 });
    for (let pid = 1; pid <= 100; pid++) {
      agg.applyCounters([row(pid, 'connect_error', 'ECONNREFUSED', 1)]);
      clock.advance(10);
    }
    agg.retire((pid) => pid !== 50); // 50 has exited
    agg.applyCounters([row(1, 'connect_error', 'ECONNREFUSED', 2)]); // 1 is busy again
    agg.applyCounters([row(101, 'connect_error', 'ECONNREFUSED', 1)]);
    expect(agg.size).toBe(100);
    expect(agg.evicted).toBe(1);
    expect(agg.takeForgotten()).toEqual([50]);
    agg.applyCounters([row(102, 'connect_error', 'ECONNREFUSED', 1)]);
    expect(agg.size).toBe(100);
    expect(agg.takeForgotten()).toEqual([2]); // longest quiet; 1 was busy again
    for (let pid = 1000; pid < 3000; pid++) agg.applyCounters([row(pid, 'time_wait', null, 1)]);
    expect(agg.size).toBeLessThanOrEqual(100);
  });

  it('releases rate windows idle for a minute, and rates read zero after', () => {
    const clock = manualClock(0);
    const agg = new Aggregator({ clock: clock.now });
    agg.applyCounters([row(3, 'time_wait', null, 6)]);
    clock.advance(61_000);
    agg.retire(() => true);
    clock.advance(1000);
    const [p] = agg.snapshot();
    expect(p!.total).toBe(6);
    expect(p!.rate).toEqual({ s1: 0, s10: 0, s60: 0 });
  });
});
