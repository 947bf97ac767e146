// netladder watch: stream each failure as it happens.
import type { NetEvent } from '../core/event.js';
import { parseFilter, matches, type FilterOptions } from '../core/filter.js';
import { UsageError } from '../core/usage-error.js';
import { humanLine, jsonLine } from '../core/format.js';
import { Capture, type Losses } from '../kernel/capture.js';
import { rateLimit as parseRateLimit } from './options.js';
import { EXIT } from './exit.js';
import { exitCodeFor } from './output.js';
import { paintFor, untilSignal } from './terminal.js';

export interface WatchOptions extends FilterOptions {
  json?: boolean;
  color: boolean;
  rateLimit: string;
}

/** Past this much unwritten output, lines are dropped and counted instead of
 *  letting a stalled reader grow our memory without bound. */
const MAX_BUFFERED = 16 * 1024 * 1024;

/** After a stop, how long a reader that is still reading gets to take what
 *  is queued; one that took nothing while we detached (over a second) has
 *  stopped, and must not keep us alive at all. */
const DRAIN_GRACE_MS = 500;

function drained(stream: NodeJS.WriteStream, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      stream.off('drain', done);
      resolve();
    }
    stream.once('drain', done);
  });
}

function lossText(l: Losses): string {
  return `${l.ringbufFull} lost (ring buffer full), ${l.rateLimited} suppressed (rate limit), ${l.counterFull} counts lost (counter map full), ${l.dnsPendingFull} DNS queries untracked (pending map full)`;
}

export async function watch(opts: WatchOptions): Promise<number> {
  const filter = parseFilter(opts);
  const rateLimit = parseRateLimit(opts.rateLimit);
  const out = process.stdout;
  const paint = paintFor(out, opts.color);
  const format = opts.json ? jsonLine : (e: NetEvent) => humanLine(e, paint);
  let dropped = 0;
  /** Lines handed to stdout, and those of them it has written. */
  let handed = 0;
  let delivered = 0;
  const written = (n: number) => () => void (delivered += n);
  let outputClosed = false;
  let outputError: NodeJS.ErrnoException | undefined;
  let failure: Error | undefined;
  let failed = (): void => {};

  const capture = Capture.start({
    rateLimit,
    onError(err) {
      failure ??= err;
      failed();
    },
    onEvents(events) {
      if (outputClosed) return;
      let text = '';
      let n = 0;
      for (const e of events) {
        if (!matches(filter, e)) continue;
        text += `${format(e)}\n`;
        n++;
      }
      if (!text) return;
      if (out.writableLength > MAX_BUFFERED) dropped += n;
      else {
        handed += n;
        out.write(text, written(n));
      }
    },
  });

  await capture.dropPrivileges();
  const attached = capture.programs().filter((p) => p.attached).length;
  process.stderr.write(`netladder: watching (${attached} programs attached); Ctrl-C to stop\n`);

  // A reader that goes away (| head) ends the watch like Ctrl-C does; any
  // other write error ends it too, as a failure, once the kernel is let go.
  const closed = new Promise<void>((resolve) =>
    out.on('error', (err: NodeJS.ErrnoException) => {
      outputClosed = true;
      outputError ??= err;
      resolve();
    }),
  );

  let reported = 0;
  const lossTimer = setInterval(() => {
    const l = capture.losses();
    const total = l.ringbufFull + l.rateLimited + l.counterFull + l.dnsPendingFull;
    if (total > reported) {
      reported = total;
      process.stderr.write(`netladder: detail records so far: ${lossText(l)}; counts stay exact\n`);
    }
  }, 5000);
  lossTimer.unref();

  await Promise.race([untilSignal(), closed, new Promise<void>((resolve) => (failed = resolve))]);
  const deliveredAtStop = delivered;
  clearInterval(lossTimer);
  // The counters live in kernel maps that close() frees: read them first.
  const counters = capture.counters();
  const losses = capture.losses();
  await capture.close();
  // The transport failed: say so as any other error, once the kernel is let go.
  if (failure) throw failure;
  if (outputError && exitCodeFor(outputError) !== EXIT.OK) throw new Error(`cannot write the output: ${outputError.message}`);
  const reading = delivered > deliveredAtStop;
  if (!outputClosed && reading && out.writableLength > 0) await drained(out, DRAIN_GRACE_MS);
  // What is still queued now will never be read: leave() drops it.
  const unread = outputClosed ? 0 : handed - delivered;

  const totals = new Map<string, number>();
  for (const row of counters) totals.set(row.event, (totals.get(row.event) ?? 0) + row.count);
  const sum = [...totals.values()].reduce((a, b) => a + b, 0);
  const parts = [...totals].map(([k, v]) => `${k} ${v}`).join(', ');
  process.stderr.write(`netladder: ${sum} events${parts ? ` (${parts})` : ''}; ${lossText(losses)}\n`);
  if (dropped + unread)
    process.stderr.write(
      `netladder: ${dropped + unread} lines not written: the output reader fell behind (${dropped} dropped while watching, ${unread} unread at the stop)\n`,
    );
  return 0;
}
