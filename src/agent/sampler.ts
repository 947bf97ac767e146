// Effects: the aggregator fed from a live capture. Counts come from the
// kernel's exact counters when sync() is called; details from the ring buffer
// as they arrive; retire() retires exited processes and drops their kernel
// counters.
import { Capture, type Losses } from '../kernel/capture.js';
import { Aggregator, type Removed } from './aggregator.js';
import { isAlive, procFacts } from './proc-facts.js';

export interface SamplerOptions {
  graceMs?: number;
  maxProcesses?: number;
  /** failures kept with details per process, for a detail view */
  recentPerProcess?: number;
  /** detail records per second per (process, event, errno); counts stay exact */
  rateLimit?: number;
  /** size of the kernel's ring buffer of detail records, a power of two */
  ringBytes?: number;
  /** told about every process that leaves the aggregator */
  onRemoved?: (removed: Removed[]) => void;
}

export class Sampler {
  readonly aggregator: Aggregator;
  private readonly capture: Capture;
  private readonly onRemoved: (removed: Removed[]) => void;

  constructor(opts: SamplerOptions = {}) {
    this.onRemoved = opts.onRemoved ?? (() => {});
    this.aggregator = new Aggregator({
      clock: Date.now,
      describe: (pid) => procFacts(pid),
      graceMs: opts.graceMs,
      maxProcesses: opts.maxProcesses,
      recentPerProcess: opts.recentPerProcess,
    });
    this.capture = Capture.start({
      rateLimit: opts.rateLimit ?? 0,
      ...(opts.ringBytes ? { ringBytes: opts.ringBytes } : {}),
      onEvents: (events) => this.removed(this.aggregator.observe(events)),
    });
  }

  /** See Capture.dropPrivileges. */
  dropPrivileges(): Promise<void> {
    return this.capture.dropPrivileges();
  }

  programsAttached(): number {
    return this.capture.programs().filter((p) => p.attached).length;
  }

  /** Read the kernel counters into the aggregator. */
  sync(): void {
    this.forget();
    this.removed(this.aggregator.applyCounters(this.capture.counters()));
  }

  /** Retire processes gone longer than the grace period. Counts are synced
   *  just before their kernel counters are dropped, so nothing counted before
   *  they go is lost. */
  retire(): void {
    this.sync();
    this.removed(this.aggregator.retire((pid) => isAlive(pid)));
    this.forget();
  }

  losses(): Losses {
    return this.capture.losses();
  }

  /** Deliver what is still in the ring, take the final counts, detach. */
  async close(): Promise<void> {
    this.sync();
    await this.capture.close();
  }

  private removed(r: Removed[]): void {
    if (r.length) this.onRemoved(r);
  }

  private forget(): void {
    const pids = this.aggregator.takeForgotten();
    if (pids.length) this.capture.forget(pids);
  }
}
