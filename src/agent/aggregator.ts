// Per-process failure counts, rates and details, built from the kernel's
// exact counters and the event stream. Pure: the clock and the /proc lookups
// are injected, nothing here prints, reads files or sets timers.
import type { CounterRow } from '../core/counter-row.js';
import type { EventName, NetEvent } from '../core/event.js';
import { cgroupOwner, type CgroupOwner } from './cgroup-owner.js';
import { FAILURE_CLASSES, failureClassOf, type FailureClass } from './failure-class.js';
import type { ProcessView, Rates } from './process-view.js';
import { destinationOf } from './process-view.js';
import { SlidingWindow } from './window.js';

/** What /proc says about a process when it is first seen. */
export interface ProcessFacts {
  comm: string | null;
  cmdline: string | null;
  cgroup: string | null;
}

export interface AggregatorOptions {
  /** Unix time in ms */
  clock: () => number;
  /** looked up once per process, when it is first seen; null when gone */
  describe?: (pid: number) => ProcessFacts | null;
  /** how long an exited process stays visible (and exported) */
  graceMs?: number;
  /** the most processes tracked at once; past it the longest-quiet go first */
  maxProcesses?: number;
  /** failures kept with details per process (0: none; the exporter needs
   *  none, and 10,000 processes hold 3 MB less) */
  recentPerProcess?: number;
}

/** A process that left the aggregator, with its final totals. */
export interface Removed {
  pid: number;
  comm: string | null;
  reason: 'exited' | 'evicted';
  series: { event: EventName; errno: string | null; total: number }[];
}

interface SeriesState {
  readonly event: EventName;
  readonly errno: string | null;
  readonly failureClass: FailureClass;
  /** the kernel's count at the last sync, to turn counts into increments */
  kernel: number;
  total: number;
  readonly window: SlidingWindow;
}

interface ProcessState {
  readonly pid: number;
  comm: string | null;
  cmdline: string | null;
  cgroup: string | null;
  owner: CgroupOwner;
  readonly firstSeen: number;
  lastSeen: number;
  exitedAt: number | null;
  series: SeriesState[];
  /** ring of the latest events with details; `next` is the slot to write */
  recent: NetEvent[];
  next: number;
  lastWithDestination: NetEvent | null;
}

const NO_EVENTS: NetEvent[] = [];
/** How long a process counted without a name is held back from series. */
export const NAMELESS_GRACE_MS = 2000;
const NO_FACTS: ProcessFacts = { comm: null, cmdline: null, cgroup: null };

function zeroPerClass(): Record<FailureClass, number> {
  const k = {} as Record<FailureClass, number>;
  for (const c of FAILURE_CLASSES) k[c] = 0;
  return k;
}

export class Aggregator {
  private readonly procs = new Map<number, ProcessState>();
  private readonly clock: () => number;
  private readonly describe: (pid: number) => ProcessFacts | null;
  readonly graceMs: number;
  readonly maxProcesses: number;
  private readonly recentMax: number;
  /** pids removed whose kernel counters should be dropped too */
  private forgotten: number[] = [];
  /** processes removed over the cap, since start */
  evicted = 0;
  /** processes retired after they exited, since start */
  retired = 0;

  constructor(opts: AggregatorOptions) {
    this.clock = opts.clock;
    this.describe = opts.describe ?? (() => null);
    this.graceMs = opts.graceMs ?? 60_000;
    this.maxProcesses = Math.max(1, opts.maxProcesses ?? 20_000);
    this.recentMax = Math.max(0, opts.recentPerProcess ?? 5);
  }

  get size(): number {
    return this.procs.size;
  }

  /** Apply the kernel's counters (totals since capture started). Increments
   *  go to the totals and to the current second of the rate windows. */
  applyCounters(rows: readonly CounterRow[]): Removed[] {
    const now = this.clock();
    const second = Math.floor(now / 1000);
    const removed: Removed[] = [];
    for (const r of rows) {
      let p = this.procs.get(r.pid);
      if (!p) {
        if (r.count <= 0) continue;
        p = this.add(r.pid, now, removed);
      }
      const s = this.seriesOf(p, r.event, r.errno);
      // A count below what we saw means the kernel forgot the pid and it
      // came back (reused, or a late event): all of it is new.
      const inc = r.count >= s.kernel ? r.count - s.kernel : r.count;
      s.kernel = r.count;
      if (inc > 0) {
        s.total += inc;
        s.window.add(inc, second);
        p.lastSeen = now;
      }
    }
    return removed;
  }

  /** Take details from a batch of events: comm, cgroup, destination, the
   *  recent failures. Counting is left to `applyCounters`, which is exact. */
  observe(events: readonly NetEvent[]): Removed[] {
    const now = this.clock();
    const removed: Removed[] = [];
    for (const e of events) {
      const p = this.procs.get(e.pid) ?? this.add(e.pid, now, removed);
      if (e.comm !== null) p.comm = e.comm;
      if (e.cgroup !== null && e.cgroup !== p.cgroup) {
        p.cgroup = e.cgroup;
        p.owner = cgroupOwner(e.cgroup);
      }
      p.lastSeen = now;
      if (this.recentMax > 0) {
        if (p.recent.length < this.recentMax) p.recent.push(e);
        else p.recent[p.next] = e;
        p.next = (p.next + 1) % this.recentMax;
      }
      if (destinationOf(e) !== null) p.lastWithDestination = e;
    }
    return removed;
  }

  /** Mark processes that have gone, retire those gone longer than the grace
   *  period, and release idle rate windows. pid 0 (no owner) never retires. */
  retire(isAlive: (pid: number) => boolean): Removed[] {
    const now = this.clock();
    const second = Math.floor(now / 1000);
    const removed: Removed[] = [];
    for (const p of this.procs.values()) {
      for (const s of p.series) if (s.window.idle(second)) s.window.release();
      if (p.pid === 0) continue;
      if (p.exitedAt === null) {
        if (!isAlive(p.pid)) p.exitedAt = now;
      } else if (now - p.exitedAt >= this.graceMs) {
        removed.push(this.remove(p, 'exited'));
        this.retired++;
      }
    }
    return removed;
  }

  /** pids removed since the last call, whose kernel counters can be dropped. */
  takeForgotten(): number[] {
    const f = this.forgotten;
    this.forgotten = [];
    return f;
  }

  /** Every (pid, event, errno) total, without building views: for metrics. */
  forEachSeries(fn: (pid: number, comm: string | null, event: EventName, errno: string | null, total: number) => void): void {
    const now = this.clock();
    for (const p of this.procs.values()) {
      // A process counted before its first detail record arrived, and gone
      // before /proc could name it, has no comm yet: wait for the record (it
      // is at most a drain interval behind) rather than export a series
      // under comm="" that would be replaced by another a moment later.
      if (p.comm === null && p.pid !== 0 && now - p.firstSeen < NAMELESS_GRACE_MS) continue;
      for (const s of p.series) fn(p.pid, p.comm, s.event, s.errno, s.total);
    }
  }

  /** The processes with at least one failure counted. */
  snapshot(): ProcessView[] {
    const now = this.clock();
    const out: ProcessView[] = [];
    for (const p of this.procs.values()) {
      if (p.series.length === 0) continue;
      out.push(this.view(p, now));
    }
    return out;
  }

  private view(p: ProcessState, now: number): ProcessView {
    const classTotals = zeroPerClass();
    const classRates = zeroPerClass();
    const rate: Rates = { s1: 0, s10: 0, s60: 0 };
    let total = 0;
    const series = p.series.map((s) => {
      const r: Rates = {
        s1: s.window.rate(1, now),
        s10: s.window.rate(10, now),
        s60: s.window.rate(60, now),
      };
      total += s.total;
      classTotals[s.failureClass] += s.total;
      classRates[s.failureClass] += r.s10;
      rate.s1 += r.s1;
      rate.s10 += r.s10;
      rate.s60 += r.s60;
      return { event: s.event, errno: s.errno, total: s.total, rate: r };
    });
    const recent: NetEvent[] = [];
    for (let i = 1; i <= p.recent.length; i++) {
      recent.push(p.recent[(p.next - i + p.recent.length) % p.recent.length]!);
    }
    return {
      pid: p.pid,
      comm: p.comm,
      cmdline: p.cmdline,
      cgroup: p.cgroup,
      owner: p.owner,
      firstSeen: p.firstSeen,
      lastSeen: p.lastSeen,
      exitedAt: p.exitedAt,
      total,
      rate,
      classTotals,
      classRates,
      series,
      lastDestination: p.lastWithDestination ? destinationOf(p.lastWithDestination) : null,
      recent,
    };
  }

  private seriesOf(p: ProcessState, event: EventName, errno: string | null): SeriesState {
    for (const s of p.series) if (s.event === event && s.errno === errno) return s;
    const s: SeriesState = { event, errno, failureClass: failureClassOf(event, errno), kernel: 0, total: 0, window: new SlidingWindow() };
    p.series.push(s);
    return s;
  }

  private add(pid: number, now: number, removed: Removed[]): ProcessState {
    if (this.procs.size >= this.maxProcesses) this.evict(removed);
    const facts = (pid === 0 ? null : this.describe(pid)) ?? NO_FACTS;
    const p: ProcessState = {
      pid,
      comm: facts.comm,
      cmdline: facts.cmdline,
      cgroup: facts.cgroup,
      owner: cgroupOwner(facts.cgroup),
      firstSeen: now,
      lastSeen: now,
      exitedAt: null,
      series: [],
      recent: this.recentMax > 0 ? [] : NO_EVENTS,
      next: 0,
      lastWithDestination: null,
    };
    this.procs.set(pid, p);
    return p;
  }

  /** Make room: drop about 1% of the cap, exited processes first, then the
   *  longest quiet, so a flood of new pids costs one sort per hundred. */
  private evict(removed: Removed[]): void {
    const n = Math.max(1, Math.ceil(this.maxProcesses / 100), this.procs.size - this.maxProcesses + 1);
    const victims = [...this.procs.values()]
      .filter((p) => p.pid !== 0)
      .sort((a, b) => Number(b.exitedAt !== null) - Number(a.exitedAt !== null) || a.lastSeen - b.lastSeen)
      .slice(0, n);
    for (const p of victims) {
      removed.push(this.remove(p, 'evicted'));
      this.evicted++;
    }
  }

  private remove(p: ProcessState, reason: Removed['reason']): Removed {
    this.procs.delete(p.pid);
    this.forgotten.push(p.pid);
    return {
      pid: p.pid,
      comm: p.comm,
      reason,
      series: p.series.map((s) => ({ event: s.event, errno: s.errno, total: s.total })),
    };
  }
}
