export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls `probe` until it returns a value other than undefined, or throws
 *  with `what` and the last value seen. */
export async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, ms = 20_000, every = 200): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await sleep(every);
  }
}

/** Rejects with a message naming `what` if `p` has not settled in `ms`: a
 *  hung helper process fails its test with a reason, not the 60 s timeout. */
export function within<T>(p: Promise<T>, ms: number, what: string, onLate?: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms${onLate ? `: ${onLate()}` : ''}`)), ms);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}
