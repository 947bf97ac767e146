// netladder diagnose HOST[:PORT]: walk the ladder toward a target from this
// network namespace and stop at the first rung that fails.
import { UsageError } from '../core/usage-error.js';
import { parseTarget } from '../diagnose/target.js';
import { diagnosisText } from '../diagnose/render.js';
import { walk } from '../diagnose/walk.js';
import { EXIT } from './exit.js';
import { seconds } from './options.js';
import { paintFor } from './terminal.js';

export interface DiagnoseOptions {
  json?: boolean;
  timeout: string;
  tls?: boolean;
  color?: boolean;
}

/** --timeout in milliseconds. */
export function parseTimeout(text: string): number {
  return Math.round(seconds('--timeout', text, 0.1, 60) * 1000);
}

export async function diagnose(input: string, opts: DiagnoseOptions): Promise<number> {
  const timeoutMs = parseTimeout(opts.timeout);
  const target = parseTarget(input, opts.tls === true);
  const d = await walk(target, timeoutMs);
  if (opts.json) process.stdout.write(`${JSON.stringify(d)}\n`);
  else process.stdout.write(`${diagnosisText(d, paintFor(process.stdout, opts.color !== false))}\n`);
  return d.verdict.rung === null ? EXIT.OK : EXIT.FAILED;
}
