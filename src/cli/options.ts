// The values typed after an option, checked in one place so that every
// command says what an option takes in the same words. A bad value is a
// UsageError: one line on stderr and exit 2.
import { UsageError } from '../core/usage-error.js';

const WHOLE = /^\d+$/;
const DECIMAL = /^\d+(\.\d+)?$/;

/** A whole number of at least `min`. */
export function wholeNumber(name: string, text: string, min: number): number {
  const n = Number(text);
  if (!WHOLE.test(text) || n < min) throw new UsageError(`${name} takes a whole number of at least ${min}, not "${text}"`);
  return n;
}

/** Seconds, fractions allowed, of at least `min` and, when given, at most `max`. */
export function seconds(name: string, text: string, min: number, max?: number): number {
  const n = Number(text);
  if (DECIMAL.test(text) && n >= min && (max === undefined || n <= max)) return n;
  const range = max === undefined ? `(at least ${min})` : `from ${min} to ${max}`;
  throw new UsageError(`${name} takes seconds ${range}, not "${text}"`);
}

/** Detail records per second per (process, event, errno), watch's and
 *  serve's alike; 0 lifts the limit. */
export function rateLimit(text: string): number {
  if (!WHOLE.test(text)) throw new UsageError(`--rate-limit takes records per second (0 for none), not "${text}"`);
  return Number(text);
}

/** One of a few words. */
export function oneOf<T extends string>(name: string, text: string, choices: readonly T[]): T {
  const choice = choices.find((c) => c === text);
  if (choice === undefined) throw new UsageError(`${name} takes ${choices.join(' or ')}, not "${text}"`);
  return choice;
}
