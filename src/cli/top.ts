// netladder top: the live view. On a terminal, an ink app; otherwise plain
// snapshots like `top -b`; with --once, one snapshot (--json for scripts).
import { render } from 'ink';
import { createElement } from 'react';
import { Sampler } from '../agent/sampler.js';
import { UsageError } from '../core/usage-error.js';
import { App } from '../top/app.js';
import type { ViewState } from '../top/keys.js';
import { batchText, snapshotJson, type TopSnapshot, type ViewSettings } from '../top/snapshot.js';
import { DEFAULT_SORT, parseSort } from '../top/sort.js';
import { DAY_SECONDS, MAX_ITERATIONS, seconds, wholeNumber } from './options.js';
import { untilSignal, useColor } from './terminal.js';

export interface TopOptions {
  interval: string;
  sort?: string;
  filter?: string;
  once?: boolean;
  json?: boolean;
  iterations?: string;
  retireAfter: string;
  color: boolean;
}

/** Looking for exited processes costs a stat per process: every tick while
 *  few are tracked, so the S column is right at once; less often past that. */
const RETIRE_EVERY_TICK_UP_TO = 2000;
const RETIRE_EVERY_MS = 5000;
/** Plain output on a pipe has no width: wide enough for every column. */
const BATCH_WIDTH = 200;
// Alternate screen: the shell's screen comes back as it was on exit.
const ENTER_ALT_SCREEN = '\x1b[?1049h';
const LEAVE_ALT_SCREEN = '\x1b[?1049l';

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export async function top(opts: TopOptions): Promise<number> {
  const intervalMs = seconds('--interval', opts.interval, 0.1, DAY_SECONDS) * 1000;
  const graceMs = seconds('--retire-after', opts.retireAfter, 0, DAY_SECONDS) * 1000;
  const iterations = opts.once ? 1 : opts.iterations === undefined ? Infinity : wholeNumber('--iterations', opts.iterations, 1, MAX_ITERATIONS);
  const settings: ViewSettings = { sort: opts.sort ? parseSort(opts.sort) : DEFAULT_SORT, reverse: false, mode: 'totals', filter: opts.filter ?? '' };
  if (opts.json && !opts.once) throw new UsageError('--json goes with --once (one snapshot as JSON)');

  const sampler = new Sampler({ graceMs });
  const started = Date.now();
  let lastRetire = started;
  const refresh = (): TopSnapshot => {
    const now = Date.now();
    const retireEveryMs = sampler.aggregator.size <= RETIRE_EVERY_TICK_UP_TO ? 0 : RETIRE_EVERY_MS;
    if (now - lastRetire >= retireEveryMs) {
      lastRetire = now;
      sampler.retire();
    } else {
      sampler.sync();
    }
    return { time: now, uptime: (now - started) / 1000, processes: sampler.aggregator.snapshot(), losses: sampler.losses() };
  };

  try {
    await sampler.dropPrivileges();
    const out = process.stdout;
    if (out.isTTY && process.stdin.isTTY && !opts.once) return await live(refresh, intervalMs, settings, useColor(out, opts.color));
    return await batch(refresh, intervalMs, settings, iterations, opts.json === true);
  } finally {
    await sampler.close();
  }
}

async function batch(refresh: () => TopSnapshot, intervalMs: number, v: ViewSettings, iterations: number, json: boolean): Promise<number> {
  const stop = untilSignal().then(() => true);
  for (let i = 0; i < iterations; i++) {
    refresh();
    // The first tick syncs at start: counts then cover one whole interval.
    const stopped = await Promise.race([sleep(intervalMs).then(() => false), stop]);
    if (stopped) break;
    const snap = refresh();
    const text = json ? `${JSON.stringify(snapshotJson(snap, v))}\n` : `${batchText(snap, v, BATCH_WIDTH)}\n`;
    // A reader that stopped reading must not hold a stop up: the signal
    // wins, and what it never read is dropped on the way out.
    if (!process.stdout.write(text) && (await Promise.race([new Promise<boolean>((r) => process.stdout.once('drain', () => r(false))), stop]))) break;
  }
  return 0;
}

async function live(refresh: () => TopSnapshot, intervalMs: number, v: ViewSettings, color: boolean): Promise<number> {
  const initial: ViewState = { ...v, paused: false, help: false, editing: false, selected: null, quit: false };
  const out = process.stdout;
  out.write(ENTER_ALT_SCREEN);
  // Whatever happens, give the shell its screen back.
  const restore = (): void => void out.write(LEAVE_ALT_SCREEN);
  process.once('exit', restore);
  const app = render(createElement(App, { refresh, intervalMs, initial, color }), { exitOnCtrlC: true, patchConsole: false });
  const signalled = untilSignal().then(() => app.unmount());
  try {
    await Promise.race([app.waitUntilExit(), signalled]);
  } finally {
    app.unmount();
    restore();
    process.off('exit', restore);
  }
  return 0;
}
