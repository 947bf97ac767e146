// Event counts per second over the last minute, for rates over 1 s, 10 s and
// 60 s. A ring of one-second buckets; a rate over W seconds counts the
// buckets of the last W seconds up to now, taking the oldest, partly
// covered one in proportion, so it moves smoothly as time passes.

/** The longest window a rate can be asked for, in seconds. */
export const WINDOW_SECONDS = 60;
// One bucket more than the window: the oldest one is partly inside it.
const SLOTS = WINDOW_SECONDS + 1;

export class SlidingWindow {
  /** allocated on the first count, released when idle for a whole window */
  private buckets: Uint32Array | null = null;
  /** the second (Unix time / 1000, floored) of the newest bucket */
  private head = 0;

  add(n: number, second: number): void {
    if (n <= 0) return;
    if (!this.buckets) {
      this.buckets = new Uint32Array(SLOTS);
      this.head = second;
    }
    if (second > this.head) {
      // Zero the seconds skipped since the newest bucket (at most the ring).
      const gap = Math.min(second - this.head, SLOTS);
      for (let i = 1; i <= gap; i++) this.buckets[(this.head + i) % SLOTS] = 0;
      this.head = second;
    } else if (second <= this.head - SLOTS) {
      return; // older than the ring: nothing to add it to
    }
    this.buckets[second % SLOTS]! += n;
  }

  /** Events per second over the `seconds` seconds up to `nowMs` (Unix ms). */
  rate(seconds: number, nowMs: number): number {
    if (!this.buckets || seconds <= 0) return 0;
    const span = Math.min(seconds, WINDOW_SECONDS);
    const nowSecond = Math.floor(nowMs / 1000);
    // How much of the oldest second is still inside the window.
    const oldestShare = 1 - (nowMs - nowSecond * 1000) / 1000;
    let sum = 0;
    for (let s = nowSecond - span; s <= nowSecond; s++) {
      if (s <= this.head && s > this.head - SLOTS) sum += this.buckets[s % SLOTS]! * (s === nowSecond - span ? oldestShare : 1);
    }
    return sum / span;
  }

  /** True when nothing was counted in the last window: the buckets can go. */
  idle(nowSecond: number): boolean {
    return this.buckets === null || nowSecond - this.head > WINDOW_SECONDS;
  }

  release(): void {
    this.buckets = null;
  }
}
