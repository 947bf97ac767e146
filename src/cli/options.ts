// The values typed after an option, checked in one place so that every
// command says what an option takes in the same words. A bad value is a
// UsageError: one line on stderr and exit 2. Every number has an upper
// bound too: past it a value would be rounded, wrap in the kernel's 32 bits
// or overflow a timer, and netladder would quietly do something else.
import { UsageError } from '../core/usage-error.js';

const WHOLE = /^\d+$/;
const DECIMAL = /^\d+(\.\d+)?$/;

/** The most a BPF map's u32 holds: the kernel's limit on --rate-limit. */
export const U32_MAX = 2 ** 32 - 1;

/** A day: the longest interval or retirement netladder takes (timers
 *  overflow past 2^31 ms, about 24.8 days). */
export const DAY_SECONDS = 86_400;

/** serve's --max-series: far past what one Prometheus can ingest from one target. */
export const MAX_SERIES = 10_000_000;

/** top's --iterations: years of snapshots at the shortest interval. */
/** More connections than any descriptor limit lets a process hold. */
export const MAX_CONNECTIONS = 1_048_576;

export const MAX_ITERATIONS = 1_000_000_000;

/** A whole number of at least `min` and, when given, at most `max`. */
export function wholeNumber(name: string, text: string, min: number, max?: number): number {
  const n = Number(text);
  if (WHOLE.test(text) && n >= min && n <= (max ?? Number.MAX_SAFE_INTEGER)) return n;
  const range = max === undefined ? `of at least ${min}` : `from ${min} to ${max}`;
  throw new UsageError(`${name} takes a whole number ${range}, not "${text}"`);
}

/** Seconds, fractions allowed, of at least `min` and, when given, at most `max`. */
export function seconds(name: string, text: string, min: number, max?: number): number {
  const n = Number(text);
  if (DECIMAL.test(text) && n >= min && n <= (max ?? Number.MAX_VALUE)) return n;
  const range = max === undefined ? `(at least ${min})` : `from ${min} to ${max}`;
  throw new UsageError(`${name} takes seconds ${range}, not "${text}"`);
}

/** Detail records per second per (process, event, errno), watch's and
 *  serve's alike; 0 lifts the limit. The kernel keeps it in 32 bits. */
export function rateLimit(text: string): number {
  if (!WHOLE.test(text)) throw new UsageError(`--rate-limit takes records per second (0 for none), not "${text}"`);
  if (Number(text) > U32_MAX) throw new UsageError(`--rate-limit takes at most ${U32_MAX} records per second, not "${text}"`);
  return Number(text);
}

/** One of a few words. */
export function oneOf<T extends string>(name: string, text: string, choices: readonly T[]): T {
  const choice = choices.find((c) => c === text);
  if (choice === undefined) throw new UsageError(`${name} takes ${choices.join(' or ')}, not "${text}"`);
  return choice;
}
