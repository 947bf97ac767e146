// Kernel capture: load and attach the BPF programs, turn each batch of
// records into events, and read the exact counters.
import { decodeBatch, kindName } from '../core/decode.js';
import { errorName } from '../core/error-name.js';
import type { CounterRow } from '../core/counter-row.js';
import type { NetEvent } from '../core/event.js';
import { LOSSES } from '../core/layout.js';
import { toEvent, type EventContext } from '../core/to-event.js';
import { loadAddon, type MonitorOptions, type NativeMonitor, type ProgramStatus } from './addon.js';
import { CgroupPaths } from './cgroup.js';
import { CodedError } from '../core/coded-error.js';
import { CAP, KEPT_AFTER_ATTACH } from './capabilities.js';
import { startingLibraries } from './libraries.js';
import { requireKernelAccess } from './preflight.js';

export interface CaptureOptions extends MonitorOptions {
  /** called on the JS thread with each decoded batch, in kernel order */
  onEvents(events: NetEvent[]): void;
  /** look for containers' own libc/libssl/node this often (ms); 0: only at start */
  rescanMs?: number;
  /**
   * Called on the JS thread when the transport fails: the addon could not
   * read the ring buffer (code EPOLL; no events follow), or a batch did not
   * decode (its events are lost). Without it the error is thrown, as an
   * 'error' event nobody listens to would be.
   */
  onError?(err: Error): void;
}

export interface Losses {
  /** the ring buffer was full: details lost, counts kept */
  ringbufFull: number;
  /** suppressed by the per-key rate limit: details dropped, counts kept */
  rateLimited: number;
  /** the counter map was full: the count itself was lost */
  counterFull: number;
  /** the DNS-pending map was full: a query went untracked, its timeout unreported */
  dnsPendingFull: number;
}

// An exception thrown inside the addon's callback would only be a warning
// (Node-API's policy for callbacks from other threads): throw it afresh.
function throwLater(err: Error): void {
  process.nextTick(() => {
    throw err;
  });
}

function monotonicToUnixMs(): number {
  // process.hrtime reads CLOCK_MONOTONIC, the clock of bpf_ktime_get_ns().
  return Date.now() - Number(process.hrtime.bigint()) / 1e6;
}

export class Capture {
  private rescanTimer: NodeJS.Timeout | undefined;

  private constructor(
    private readonly monitor: NativeMonitor,
    private readonly status: ProgramStatus[],
  ) {}

  static start(opts: CaptureOptions): Capture {
    requireKernelAccess();
    const addon = loadAddon();
    addon.ensureTracefs();
    const reasons = addon.kernelEnum('sk_rst_reason').map((n) => n?.replace(/^SK_RST_REASON_/, '') ?? null);
    const cgroups = new CgroupPaths();
    const ctx: EventContext = {
      monotonicToUnixMs: monotonicToUnixMs(),
      cgroupPath: (id) => cgroups.path(id),
      resetReason: (code) => reasons[code] ?? null,
    };
    const { onEvents, onError = throwLater, rescanMs = 30_000, ...native } = opts;
    const { libraries, containers } = startingLibraries();
    const monitor = new addon.Monitor({ libraries, ...native });
    const status = monitor.start((buf) => {
      ctx.monotonicToUnixMs = monotonicToUnixMs();
      let records;
      try {
        records = decodeBatch(buf);
      } catch (err) {
        onError(err as Error);
        return;
      }
      const events: NetEvent[] = [];
      for (const r of records) {
        const e = toEvent(r, ctx);
        if (e) events.push(e);
      }
      onEvents(events);
    }, onError);
    // A uprobe that failed loses its view only (doctor says which and why).
    const failed = status.find((p) => !p.attached && !p.optional && p.error?.startsWith('attach failed'));
    if (failed) {
      void monitor.close();
      throw new CodedError('EATTACH', `could not attach ${failed.name} to ${failed.hook}: ${failed.error}`);
    }
    const capture = new Capture(monitor, status);
    if (rescanMs > 0) {
      capture.rescanTimer = setInterval(() => {
        const found = containers.scan();
        if (Object.keys(found).length) capture.status.push(...monitor.attachLibraries(found));
      }, rescanMs);
      capture.rescanTimer.unref();
    }
    return capture;
  }

  /**
   * Once attached, keep only what attaching containers' libraries later
   * needs (capabilities.ts says why), on every thread, with no_new_privs.
   * If any thread could not, the capture is closed and the error thrown:
   * an agent is not left running with more than it says it keeps.
   */
  async dropPrivileges(): Promise<void> {
    try {
      loadAddon().dropPrivileges(KEPT_AFTER_ATTACH.map((c) => CAP[c]));
    } catch (err) {
      await this.close();
      throw err;
    }
  }

  programs(): ProgramStatus[] {
    return this.status;
  }

  /** Exact counts per (pid, event, errno) since start, from the kernel. */
  counters(): CounterRow[] {
    const a = this.monitor.readCounters();
    const rows: CounterRow[] = [];
    for (let i = 0; i + 3 < a.length; i += 4) {
      const event = kindName(a[i + 1]!);
      if (event) rows.push({ pid: a[i]!, event, errno: errorName(event, a[i + 2]!), count: a[i + 3]! });
    }
    return rows;
  }

  losses(): Losses {
    const l = this.monitor.readLosses();
    return {
      ringbufFull: l[LOSSES.ringbuf_full] ?? 0,
      rateLimited: l[LOSSES.rate_limited] ?? 0,
      counterFull: l[LOSSES.counter_full] ?? 0,
      dnsPendingFull: l[LOSSES.dns_pending_full] ?? 0,
    };
  }

  /** Drop kernel counters of these processes (their totals live on in
   *  whatever the caller aggregated). */
  forget(pids: number[]): number {
    return this.monitor.forgetPids(pids);
  }

  /** Deliver what is still in the ring, then detach everything. */
  close(): Promise<void> {
    clearInterval(this.rescanTimer);
    return this.monitor.close();
  }
}
