// A capture that keeps every event, for assertions about exact counts.
import type { NetEvent } from '../../src/core/event.js';
import { Capture, type CaptureOptions } from '../../src/kernel/capture.js';
import { sleep } from './wait.js';

export class Recorder {
  readonly events: NetEvent[] = [];
  private readonly capture: Capture;

  constructor(opts: Omit<CaptureOptions, 'onEvents'> = {}) {
    this.capture = Capture.start({ ...opts, onEvents: (batch) => this.events.push(...batch) });
  }

  of(pid: number, event?: NetEvent['event']): NetEvent[] {
    return this.events.filter((e) => e.pid === pid && (!event || e.event === event));
  }

  where(pred: (e: NetEvent) => boolean): NetEvent[] {
    return this.events.filter(pred);
  }

  /** Waits until `pred` matches at least `n` events, then a little longer so
   *  that any extra (wrong) events have time to arrive too. */
  async settle(pred: (e: NetEvent) => boolean, n: number, timeoutMs = 15_000): Promise<NetEvent[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.where(pred).length < n && Date.now() < deadline) await sleep(50);
    await sleep(400);
    return this.where(pred);
  }

  /** The kernel's exact count for (pid, event, errno). */
  count(pid: number, event: NetEvent['event'], errno: string | null = null): number {
    return this.capture
      .counters()
      .filter((r) => r.pid === pid && r.event === event && r.errno === errno)
      .reduce((a, r) => a + r.count, 0);
  }

  programs() {
    return this.capture.programs();
  }

  losses() {
    return this.capture.losses();
  }

  close(): Promise<void> {
    return this.capture.close();
  }
}
