// Exit codes, as documented in the README.
import { printable } from '../core/printable.js';
import { UsageError } from '../core/usage-error.js';
import { ENVIRONMENT_CODES, errorCode } from '../core/coded-error.js';

export const EXIT = {
  OK: 0,
  /** the thing checked failed (diagnose found a broken rung, doctor a gap) */
  FAILED: 1,
  /** bad input: unknown option, malformed value */
  USAGE: 2,
  /** not permitted, or the kernel lacks a feature */
  ENVIRONMENT: 3,
} as const;

/** One line on stderr and the exit code that goes with the error. */
export function report(err: unknown): number {
  // Messages echo what was typed or found (a query, a target, a name): on
  // stderr they are one line, and a control character in them is shown.
  const message = printable(err instanceof Error ? err.message : String(err));
  process.stderr.write(`netladder: ${message}\n`);
  if (process.env.NETLADDER_DEBUG && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
  if (err instanceof UsageError) return EXIT.USAGE;
  const code = errorCode(err);
  if (code && ENVIRONMENT_CODES.has(code)) return EXIT.ENVIRONMENT;
  return EXIT.FAILED;
}
