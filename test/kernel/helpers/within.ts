/** Rejects with a message naming `what` if `p` has not settled in `ms`: a
 *  hung helper process fails its test with a reason, not the 60 s timeout. */
export function within<T>(p: Promise<T>, ms: number, what: string, onLate?: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms${onLate ? `: ${onLate()}` : ''}`)), ms);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}
