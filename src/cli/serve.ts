// netladder serve: export per-process failure counts to Prometheus.
import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { Sampler } from '../agent/sampler.js';
import { UsageError } from '../core/usage-error.js';
import type { GroupBy } from '../serve/event-series.js';
import { DEFAULT_MAX_SERIES, Exporter } from '../serve/exporter.js';
import { listen } from '../serve/http.js';
import { landingPage } from '../serve/landing.js';
import { DEFAULT_LISTEN, formatListen, parseListen } from '../serve/listen.js';
import { readTimeWait } from '../serve/sockstat.js';
import { untilSignal } from './terminal.js';

export interface ServeOptions {
  listen?: string;
  by?: string;
  maxSeries?: string;
  retireAfter?: string;
  rateLimit?: string;
}

/** With details rate-limited, a burst of 10,000 first failures (one per
 *  process) still fits in 2 MiB; the ring's pages count in the agent's RSS
 *  twice (libbpf maps them twice), so the 8 MiB that watch needs would cost
 *  16 MiB here for nothing. */
const SERVE_RING_BYTES = 2 << 20;

/** How often exited processes are looked for; they go after --retire-after. */
const RETIRE_MS = 5000;

function whole(name: string, s: string | undefined, fallback: number, min: number): number {
  if (s === undefined) return fallback;
  if (!/^\d+$/.test(s) || Number(s) < min) throw new UsageError(`${name} takes a whole number of at least ${min}, not "${s}"`);
  return Number(s);
}

function groupBy(s: string | undefined): GroupBy {
  if (s === undefined || s === 'pid' || s === 'comm') return s ?? 'pid';
  throw new UsageError(`--by takes pid or comm, not "${s}"`);
}

export function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

export async function serve(opts: ServeOptions): Promise<number> {
  // A daemon's memory is mostly V8's spare room: a small young generation
  // and size-first old-space heuristics keep its RSS down (see bench/).
  setFlagsFromString('--max-semi-space-size=1');
  setFlagsFromString('--optimize-for-size');
  const at = opts.listen === undefined ? DEFAULT_LISTEN : parseListen(opts.listen);
  const by = groupBy(opts.by);
  const maxSeries = whole('--max-series', opts.maxSeries, DEFAULT_MAX_SERIES, 1);
  const graceMs = whole('--retire-after', opts.retireAfter, 300, 0) * 1000;
  const rateLimit = whole('--rate-limit', opts.rateLimit, 100, 0);
  const version = packageVersion();

  // The exporter folds away the totals of retired processes (for --by comm).
  let exporter: Exporter | undefined;
  const sampler = new Sampler({ graceMs, rateLimit, recentPerProcess: 0, ringBytes: rateLimit ? SERVE_RING_BYTES : undefined, onRemoved: (r) => exporter?.removed(r) });
  const source = {
    aggregator: sampler.aggregator,
    sync: () => sampler.sync(),
    losses: () => sampler.losses(),
    timeWait: () => readTimeWait(),
  };
  const ex = new Exporter(source, { by, maxSeries, version });
  exporter = ex;

  let server;
  try {
    server = await listen(at, {
      metrics: async () => ({ contentType: ex.contentType, body: await ex.metrics() }),
      landing: () => landingPage(version),
    });
  } catch (err) {
    await sampler.close();
    const e = err as NodeJS.ErrnoException;
    throw new Error(`cannot listen on ${formatListen(at)}: ${e.code === 'EADDRINUSE' ? 'address already in use' : e.message}`);
  }
  const retire = setInterval(() => sampler.retire(), RETIRE_MS);
  process.stderr.write(
    `netladder: ${sampler.programsAttached()} programs attached; metrics on http://${formatListen(server.address)}/metrics; Ctrl-C to stop\n`,
  );

  const sig = await untilSignal();
  clearInterval(retire);
  await server.close();
  await sampler.close();
  process.stderr.write(`netladder: stopped on ${sig}\n`);
  return 0;
}
